from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "fundwatch.web"
    label = "web"
    verbose_name = "非法集资风险监测预警平台"
    default_auto_field = "django.db.models.BigAutoField"
