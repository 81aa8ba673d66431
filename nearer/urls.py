from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from nearer import views
from nearer.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.help_now, name="help"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("api/", api.urls),
    path("ops/admin/", admin.site.urls),
    path("", include("nearer.accounts.urls")),
    # Relationship-safety support (issue 14): a neutral address, as it shows in browser history.
    path("support/", include("nearer.relsafety.urls")),
]

# One mount per app, imported directly: a missing app is an error, not a silently absent page.
urlpatterns += [
    path(f"{app}/", include(f"nearer.{app}.urls"))
    for app in ["safety", "diary", "measures", "practice", "together", "clinic", "learn", "ops"]
]

handler400 = "nearer.views.error_400"
handler403 = "nearer.views.error_403"
handler404 = "nearer.views.error_404"
handler500 = "nearer.views.error_500"

