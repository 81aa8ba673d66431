"""Authorisation rows for site-wide routes and the routes allauth provides."""

from nearer.testing import DENY, LOGIN, OK, Row, any_signed_in, expect, public

_signed_in = any_signed_in()
# Pages about an existing second factor exist only for accounts that have one.
_has_mfa = expect(DENY, therapist=OK, other_therapist=OK, clinic_admin=OK)

ROWS = [
    Row("home", "GET", public()),
    Row("help", "GET", public()),
    Row("healthz", "GET", public()),
    Row("set_language", "POST", public(), data=lambda w: {"language": "es", "next": "/"}),
    Row("account_login", "GET", public()),
    Row("account_signup", "GET", expect(OK, anonymous=OK)),
    Row("account_logout", "GET", public()),
    Row("account_inactive", "GET", public()),
    Row("account_reauthenticate", "GET", _signed_in),
    Row("account_email", "GET", _signed_in),
    Row("account_email_verification_sent", "GET", public()),
    Row("account_change_password", "GET", _signed_in),
    Row("account_set_password", "GET", _signed_in),
    Row("account_reset_password", "GET", public()),
    Row("account_confirm_login_code", "GET", expect(OK, anonymous=LOGIN)),
    Row("account_confirm_email", "GET", public(), kwargs=lambda w: {"key": "not-a-real-key"}),
    Row("account_reset_password_from_key_done", "GET", public()),
    Row("account_reset_password_from_key", "GET", public(), kwargs=lambda w: {"uidb36": "zz", "key": "not-a-key"}),
    Row("account_reset_password_done", "GET", public()),
    Row("mfa_index", "GET", _signed_in),
    Row("mfa_authenticate", "GET", expect(OK, anonymous=LOGIN)),
    Row("mfa_reauthenticate", "GET", _signed_in),
    Row("mfa_activate_totp", "GET", _signed_in),
    Row("mfa_deactivate_totp", "GET", _has_mfa),
    Row("mfa_view_recovery_codes", "GET", _has_mfa),
    Row("mfa_generate_recovery_codes", "GET", _signed_in),
    Row("mfa_download_recovery_codes", "GET", _has_mfa),
    Row("usersessions_list", "GET", _signed_in),
]
