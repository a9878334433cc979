"""What can be bought: CPV codes and the device and service categories of a programme."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def name_column(prefix: str = "") -> str:
    """The column of a category's name in the active language (what ``Category.name`` reads),
    for a query that reads names as values: ``prefix`` is the path to the category."""
    return f"{prefix}name_en" if get_language() == "en" else f"{prefix}name_nl"


class CpvCode(models.Model):
    """A CPV 2008 code (Regulation (EC) No 213/2008), validated against a list, not a formula."""

    code = models.CharField(_("CPV code"), max_length=10, unique=True)  # "30213100-6"
    label_en = models.CharField(_("label (English)"), max_length=300)
    label_nl = models.CharField(_("label (Dutch)"), max_length=300, blank=True)
    use = models.CharField(_("typical use"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("CPV code")
        verbose_name_plural = _("CPV codes")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{8}-[0-9]$"), name="cpv_code_format"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        return self.label_nl if get_language() == "nl" and self.label_nl else self.label_en


class Category(models.Model):
    """A device or service category that participants state demand for."""

    class Kind(models.TextChoices):
        DEVICE = "device", _("Device")
        PERIPHERAL = "peripheral", _("Peripheral")
        SERVICE = "service", _("Service")

    # Set by catalog.selectors for the price list; not a field.
    current_price: "ReferencePrice | None"

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    unit_nl = models.CharField(_("unit (Dutch)"), max_length=40, default="stuks")
    unit_en = models.CharField(_("unit (English)"), max_length=40, default="units")
    cpv_code = models.ForeignKey(
        CpvCode, on_delete=models.PROTECT, related_name="categories", verbose_name=_("CPV code")
    )
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort_order", "slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return getattr(self, name_column())

    @property
    def unit(self) -> str:
        return self.unit_en if get_language() == "en" else self.unit_nl


class ReferencePrice(models.Model):
    """A reference unit price of a category (excl. VAT), with its date and source. The price
    in force at a moment is the newest one whose ``valid_from`` has passed."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="prices")
    unit_price = models.DecimalField(
        _("unit price (EUR, excl. VAT)"), max_digits=12, decimal_places=2
    )
    valid_from = models.DateField(_("valid from"))
    source = models.CharField(_("source"), max_length=300)
    created_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reference price")
        verbose_name_plural = _("reference prices")
        ordering = ["category", "-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit_price__gte=0), name="reference_price_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category}: € {self.unit_price} ({self.valid_from})"
