from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "keten.server.cooperation"
    label = "cooperation"
    default_auto_field = "django.db.models.BigAutoField"
