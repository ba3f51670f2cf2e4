"""Included by the platform's URLconf: path("reports/", include("fundwatch.reports.webapp.urls"))."""

from django.urls import path

from fundwatch.reports.webapp import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("<slug:kind>.<slug:fmt>", views.download, name="download"),
]
