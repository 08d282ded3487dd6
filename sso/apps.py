from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "sso"
    label = "sso"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts.services import auth

        from .services.policy import logout_hook, password_login_guard

        auth.password_login_guards.append(password_login_guard)
        auth.logout_hooks.append(logout_hook)
