from django.apps import AppConfig


class CorporateConfig(AppConfig):
    name = "lms.corporate"
    label = "corporate"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401
