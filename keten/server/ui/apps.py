from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "keten.server.ui"
    label = "ui"
