"""The admin app with Nearer's admin site as the default site (see nearer.accounts.admin_site)."""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "nearer.accounts.admin_site.NearerAdminSite"
