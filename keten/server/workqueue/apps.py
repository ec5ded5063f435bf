from django.apps import AppConfig


class WorkqueueConfig(AppConfig):
    name = "keten.server.workqueue"
    label = "workqueue"
    default_auto_field = "django.db.models.BigAutoField"
