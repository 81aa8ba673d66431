"""The Django admin behind the same door as everything else (issue 16 item 8).

Its own password-only login form is gone: signing in goes through allauth (verified email,
throttling, the second factor), and the admin answers only to an active staff account whose
session passed the second factor. The whole site is off (404) unless ``NEARER_ADMIN_ENABLED``.
"""

from __future__ import annotations

from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from nearer.accounts.mfa import session_passed_mfa


class NearerAdminSite(admin.AdminSite):
    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def gate(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not settings.NEARER_ADMIN_ENABLED:
                raise Http404
            return inner(request, *args, **kwargs)

        return gate

    def has_permission(self, request: HttpRequest) -> bool:
        return (settings.NEARER_ADMIN_ENABLED and super().has_permission(request)
                and session_passed_mfa(request, request.user))

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if not settings.NEARER_ADMIN_ENABLED:
            raise Http404
        user = request.user
        if user.is_authenticated:
            from nearer.privacy.access import AccessDenied

            # Signed in, yet not staff or without the second step in this session: no admin.
            raise AccessDenied("mfa_required" if user.is_staff else "no_link")
        next_url = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
