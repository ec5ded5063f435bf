from django.apps import AppConfig


class SolidarityConfig(AppConfig):
    name = "keten.server.solidarity"
    label = "solidarity"
    default_auto_field = "django.db.models.BigAutoField"
