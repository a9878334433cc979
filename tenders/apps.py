from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TendersConfig(AppConfig):
    name = "tenders"
    verbose_name = _("Joint tenders")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tenders import privacy, signals  # noqa: F401
