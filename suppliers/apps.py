from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliersConfig(AppConfig):
    name = "suppliers"
    verbose_name = _("Suppliers")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from suppliers import privacy  # noqa: F401
