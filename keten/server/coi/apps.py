from django.apps import AppConfig


class CoiConfig(AppConfig):
    name = "keten.server.coi"
    label = "coi"
    default_auto_field = "django.db.models.BigAutoField"
