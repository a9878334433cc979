from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    name = "municipalities"
    verbose_name = _("Municipalities")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from municipalities import privacy  # noqa: F401
