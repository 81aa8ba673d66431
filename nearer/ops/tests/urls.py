"""URLs for this app's tests: the site's URLs, plus /ops/ until nearer/urls.py mounts it itself."""

from django.urls import include, path

from nearer.urls import urlpatterns as site_patterns

urlpatterns = list(site_patterns)
if not any(getattr(p, "namespace", None) == "ops" for p in site_patterns):
    urlpatterns.append(path("ops/", include("nearer.ops.urls")))

handler400 = "nearer.views.error_400"
handler403 = "nearer.views.error_403"
handler404 = "nearer.views.error_404"
handler500 = "nearer.views.error_500"
