"""Authorisation rows for reminders, push subscriptions, the service worker and the offline page."""

from nearer.testing import Row, any_signed_in, public

_signed_in = any_signed_in()

ROWS = [
    Row("ops:reminders", "GET", _signed_in),
    Row("ops:reminders", "POST", _signed_in, data=lambda w: {"checkin-enabled": "on", "checkin-local_time": "20:30",
                                                             "checkin-by_email": "on"}),
    Row("ops:push-subscribe", "POST", _signed_in),
    Row("ops:push-unsubscribe", "POST", _signed_in),
    Row("ops:service-worker", "GET", public()),
    Row("ops:offline", "GET", public()),
    Row("ops:offline-token", "GET", _signed_in),
]
