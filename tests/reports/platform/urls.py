"""The platform's URLconf with the reports included the way the lead engineer will include them."""

from django.urls import include, path

from fundwatch.web.urls import urlpatterns as platform

included = any(getattr(p, "namespace", None) == "reports" for p in platform)
urlpatterns = platform if included else [*platform, path("reports/", include("fundwatch.reports.webapp.urls"))]
