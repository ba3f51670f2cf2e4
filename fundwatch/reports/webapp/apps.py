from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "fundwatch.reports.webapp"
    label = "reports"
    verbose_name = "报表"
    default_auto_field = "django.db.models.BigAutoField"
