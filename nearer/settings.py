"""Django settings for Nearer.

All configuration comes from environment variables through the helpers in ``nearer.env``.
``NEARER_ENV`` selects the defaults: ``dev`` (the embedded, zero set-up default), ``test`` or
``production`` (every secret required, secure cookies, HSTS).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from nearer.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
NEARER_ENV = env_str("NEARER_ENV", "dev")
if NEARER_ENV not in {"dev", "test", "production"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("NEARER_ENV must be dev, test or production.")
PRODUCTION = NEARER_ENV == "production"
VAR_DIR = Path(env_str("NEARER_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("NEARER_DEBUG", False)
if PRODUCTION:
    SECRET_KEY = env_str("NEARER_SECRET_KEY")
else:
    # Development and tests get a fixed, obviously non-secret key; production must set one.
    SECRET_KEY = env_str(
        "NEARER_SECRET_KEY", "dev-only-insecure-key-" + "x" * 40 + "-never-use-in-production"
    )
ALLOWED_HOSTS = env_list("NEARER_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "NEARER_ALLOWED_HOSTS is required in production: the host names Nearer answers to, comma-separated."
    )
CSRF_TRUSTED_ORIGINS = env_list("NEARER_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("NEARER_SITE_URL", "http://127.0.0.1:8000")
# The Django admin at /ops/admin/ (operators only): off by default; when on, it is reached only
# through the normal sign-in (email verified, throttled) from a session that passed the second factor.
NEARER_ADMIN_ENABLED = env_bool("NEARER_ADMIN_ENABLED", False)

INSTALLED_APPS = [
    # The admin site behind Nearer's own sign-in and second factor, off unless NEARER_ADMIN_ENABLED.
    "nearer.accounts.admin_apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    # django-ninja as an app serves /api/docs with its own local Swagger UI files (no CDN, which
    # our CSP blocks), through the static files like everything else.
    "ninja",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "nearer.accounts",
    "nearer.privacy",
    "nearer.safety",
    "nearer.diary",
    "nearer.measures",
    "nearer.practice",
    "nearer.together",
    "nearer.clinic",
    "nearer.learn",
    "nearer.ops",
    "nearer.relsafety",
]

MIDDLEWARE = [
    # First: the client's own address behind a trusted reverse proxy (NEARER_BEHIND_PROXY).
    "nearer.accounts.clientip.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "nearer.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "nearer.middleware.RefuseNulInApiMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # allauth's UserSessionsMiddleware, recording at most once a minute per session (issue 17).
    "nearer.accounts.usersessions.UserSessionActivityMiddleware",
    "nearer.middleware.SecondFactorSessionMiddleware",
    "nearer.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "nearer.middleware.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so sessions, time-outs and language apply to its answers too (issue 14).
    "nearer.relsafety.middleware.CouplePauseMiddleware",
]

ROOT_URLCONF = "nearer.urls"
WSGI_APPLICATION = "nearer.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "nearer" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "nearer.context_processors.nearer",
            ],
            # Dates with their weekday in the one format per language (nearer/formats/).
            "builtins": ["nearer.dates"],
        },
    },
]

# --- Database: SQLite in WAL mode by default, PostgreSQL through DATABASE_URL. ---
# synchronous=FULL: every commit is on disk before it is acknowledged, so a power cut or an operating
# system crash cannot lose a saved check-in, risk event or alert (NORMAL in WAL mode survives a killed
# process but may lose the last commits on power loss). A health record is worth the extra fsync per
# commit (benchmarks/crash.py --sync-cost measures it). docs/operating.md, "Durability".
_database_url = env_str("DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=env_int("NEARER_DB_CONN_MAX_AGE", 60))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("NEARER_SQLITE_PATH", str(VAR_DIR / "nearer.sqlite3")),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    # Length and a common/breached-password list only: no composition rules (NIST SP 800-63B).
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]

# --- allauth: email login, verification, throttling, MFA. ---
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_FORMS = {"signup": "nearer.accounts.forms.SignupForm"}
ACCOUNT_ADAPTER = "nearer.accounts.adapter.AccountAdapter"
# At most 10 failed logins per account per 15 minutes; the limit lapses by itself, so nobody
# (a partner included) can lock a person out for good. Counted per account and per client address
# (the real one behind a trusted proxy, see nearer.accounts.clientip) in the shared cache.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "30/15m/ip,10/15m/key",
    "signup": "20/h/ip",
    "reset_password": "20/h/ip,5/h/key",
    "reset_password_from_key": "20/h/ip",
}
if NEARER_ENV == "test":
    ACCOUNT_RATE_LIMITS["signup"] = "1000/m/ip"
    ACCOUNT_RATE_LIMITS["login_failed"] = "1000/15m/ip,10/15m/key"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Nearer"
MFA_ADAPTER = "nearer.accounts.adapter.MFAAdapter"
MFA_RECOVERY_CODE_COUNT = 10
USERSESSIONS_TRACK_ACTIVITY = True
LOGIN_REDIRECT_URL = "home"
LOGIN_URL = "account_login"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

# --- Sessions: idle timeout 30 min (therapists 15), absolute limit 12 h. ---
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = int(timedelta(hours=12).total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
NEARER_IDLE_TIMEOUT_MINUTES = env_int("NEARER_IDLE_TIMEOUT_MINUTES", 30)
NEARER_THERAPIST_IDLE_TIMEOUT_MINUTES = env_int("NEARER_THERAPIST_IDLE_TIMEOUT_MINUTES", 15)
NEARER_SESSION_ABSOLUTE_HOURS = env_int("NEARER_SESSION_ABSOLUTE_HOURS", 12)

# --- Transport and cookies. ---
_secure = env_bool("NEARER_SECURE_COOKIES", PRODUCTION)
SESSION_COOKIE_SECURE = _secure
CSRF_COOKIE_SECURE = _secure
LANGUAGE_COOKIE_SECURE = _secure
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("NEARER_SSL_REDIRECT", PRODUCTION)
NEARER_BEHIND_PROXY = env_bool("NEARER_BEHIND_PROXY", PRODUCTION)
# The proxies whose X-Forwarded-For is believed (addresses or networks); anyone else's is ignored.
NEARER_TRUSTED_PROXIES = env_list("NEARER_TRUSTED_PROXIES", ["127.0.0.1", "::1"])
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if NEARER_BEHIND_PROXY else None
SECURE_HSTS_SECONDS = env_int("NEARER_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Internationalisation. ---
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Español"))]
LOCALE_PATHS = [BASE_DIR / "nearer" / "locale"]
# One date format per language everywhere a person sees a date ("3 Dec 2026" / "3 dic 2026"):
# templates use the named formats (DATE_FORMAT, DATETIME_FORMAT, MONTH_DAY_FORMAT); see nearer/formats/.
FORMAT_MODULE_PATH = ["nearer.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
NEARER_DEFAULT_TIMEZONE = env_str("NEARER_DEFAULT_TIMEZONE", "America/New_York")

# --- Static files. ---
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "nearer" / "static"]
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    # whitenoise warns at start-up when this folder is missing; in development it stays empty.
    STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Email: console by default, SMTP from the environment. ---
EMAIL_BACKEND = env_str("NEARER_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
if PRODUCTION and EMAIL_BACKEND.rsplit(".", 2)[-2:] in (["console", "EmailBackend"], ["filebased", "EmailBackend"],
                                                       ["locmem", "EmailBackend"], ["dummy", "EmailBackend"]):
    from django.core.exceptions import ImproperlyConfigured

    # The console backend printed working password-reset links into the server log.
    raise ImproperlyConfigured(
        "NEARER_EMAIL_BACKEND must send real mail in production (e.g. django.core.mail.backends.smtp.EmailBackend); "
        "the console backend would write sign-in and password-reset links into the server log."
    )
EMAIL_HOST = env_str("NEARER_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("NEARER_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("NEARER_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("NEARER_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("NEARER_EMAIL_TLS", True)
DEFAULT_FROM_EMAIL = env_str("NEARER_FROM_EMAIL", "Nearer <no-reply@nearer.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Operator", a) for a in env_list("NEARER_ADMIN_EMAILS", [])]

# --- Encryption of free text: a key ring "kid:base64key,..." (the first key encrypts). ---
NEARER_ENCRYPTION_KEYS = env_str("NEARER_ENCRYPTION_KEYS", "" if not PRODUCTION else None)
if PRODUCTION and not NEARER_ENCRYPTION_KEYS.strip():
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("NEARER_ENCRYPTION_KEYS must hold at least one key in production.")

# --- Backups: the folder `nearer backup` writes to by default, `rotate-keys` and `check --deploy` look in. ---
NEARER_BACKUP_DIR = Path(env_str("NEARER_BACKUP_DIR", str(VAR_DIR / "backups")))

# --- Background work and caches. ---
REDIS_URL = env_str("NEARER_REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # The database, not per-process memory: sign-in throttling must count across every worker
    # process (two gunicorn workers each counting to 10 let 20 wrong passwords through).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "nearer_cache"}}
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not bool(REDIS_URL)
CELERY_TIMEZONE = "UTC"
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery beat (production) and the embedded scheduler inside `nearer serve` both read the one list
# of periodic jobs, nearer.ops.tasks.PERIODIC (beat's schedule is built from it in nearer/celery.py).
NEARER_EMBEDDED_SCHEDULER = env_bool("NEARER_EMBEDDED_SCHEDULER", not bool(REDIS_URL))
# Home-page cards cached per person (nearer/home_cache.py) only with Redis: the database cache would
# spend a query per card to save one.
NEARER_HOME_CACHE = env_bool("NEARER_HOME_CACHE", bool(REDIS_URL))
# Beat keeps its last-run times in var/, not in whatever directory the worker was started from.
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Web Push (VAPID). `nearer vapid-keys` prints a pair; unset = no push, email reminders only. ---
NEARER_VAPID_PUBLIC_KEY = env_str("NEARER_VAPID_PUBLIC_KEY", "")
NEARER_VAPID_PRIVATE_KEY = env_str("NEARER_VAPID_PRIVATE_KEY", "")
NEARER_VAPID_SUBJECT = env_str("NEARER_VAPID_SUBJECT", "mailto:operator@nearer.invalid")

# --- Safety. ---
NEARER_ALERT_ESCALATION_MINUTES = env_int("NEARER_ALERT_ESCALATION_MINUTES", 60)

# --- Logging: personal data never goes into logs; a filter scrubs request bodies and args. ---
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub": {"()": "nearer.logging.ScrubPersonalData"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["scrub"]},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["scrub"],
            "include_html": False,
            "level": "ERROR",
        },
    },
    "root": {"handlers": ["console"], "level": env_str("NEARER_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console", "mail_admins"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # WeasyPrint narrates every PDF step by step at INFO; only its warnings are worth an operator's time.
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
DEFAULT_EXCEPTION_REPORTER_FILTER = "nearer.logging.NoPersonalDataReporterFilter"

NINJA_PAGINATION_PER_PAGE = 50
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

if NEARER_ENV == "test":
    # Fast hashing in tests only; production always uses Argon2id.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
