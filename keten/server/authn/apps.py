from django.apps import AppConfig


class AuthnConfig(AppConfig):
    name = "keten.server.authn"
    label = "authn"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from keten.server.authn.session import stamp_login

        # On the signal rather than in the login view, so that every way of logging in
        # (the page, a test client, a future one) starts the clock.
        user_logged_in.connect(stamp_login, dispatch_uid="keten-stamp-login")
