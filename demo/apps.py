from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo programme that `make run` loads. It sits on top of every app, like config/."""

    name = "demo"
    verbose_name = _("Demo data")
