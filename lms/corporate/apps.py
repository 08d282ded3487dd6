from django.apps import AppConfig


class CorporateConfig(AppConfig):
    name = "lms.corporate"
    label = "corporate"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts.services import users

        from . import signals  # noqa: F401
        from .services import people

        users.invite_guards.append(people.invite_guard)
        users.accept_guards.append(people.accept_guard)
