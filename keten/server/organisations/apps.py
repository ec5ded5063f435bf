from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "keten.server.organisations"
    label = "organisations"
    default_auto_field = "django.db.models.BigAutoField"
