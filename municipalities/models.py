"""Who buys: the municipality register (versioned, with successors for mergers)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import Organisation


class Province(models.TextChoices):
    DRENTHE = "Drenthe", "Drenthe"
    FLEVOLAND = "Flevoland", "Flevoland"
    FRYSLAN = "Fryslân", "Fryslân"
    GELDERLAND = "Gelderland", "Gelderland"
    GRONINGEN = "Groningen", "Groningen"
    LIMBURG = "Limburg", "Limburg"
    NOORD_BRABANT = "Noord-Brabant", "Noord-Brabant"
    NOORD_HOLLAND = "Noord-Holland", "Noord-Holland"
    OVERIJSSEL = "Overijssel", "Overijssel"
    UTRECHT = "Utrecht", "Utrecht"
    ZEELAND = "Zeeland", "Zeeland"
    ZUID_HOLLAND = "Zuid-Holland", "Zuid-Holland"


class MunicipalityQuerySet(models.QuerySet):
    def current(self):
        return self.filter(valid_until__isnull=True)


class Municipality(models.Model):
    """A municipality as registered by CBS. Mergers end a row (``valid_until``) and name the
    successor, so that a four-year framework can keep referring to the old authority."""

    cbs_code = models.CharField(_("CBS code"), max_length=6, unique=True)  # "GM0363"
    name = models.CharField(_("name"), max_length=120)
    cbs_name = models.CharField(_("CBS name"), max_length=120, blank=True)
    province = models.CharField(_("province"), max_length=20, choices=Province.choices)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_date = models.DateField(_("population reference date"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("successor"),
    )
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="municipality",
        limit_choices_to={"kind": Organisation.Kind.MUNICIPALITY},
        verbose_name=_("organisation in the portal"),
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name", "cbs_code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cbs_code__regex=r"^GM[0-9]{4}$"), name="municipality_cbs_code_format"
            )
        ]

    def __str__(self) -> str:
        return self.cbs_name or self.name


class JointBodyMunicipality(models.Model):
    """A joint body (deelneming, shared-service organisation) acts for these municipalities."""

    joint_body = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="covered_municipalities",
        limit_choices_to={"kind": Organisation.Kind.JOINT_BODY},
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="joint_bodies"
    )

    class Meta:
        verbose_name = _("municipality of a joint body")
        verbose_name_plural = _("municipalities of joint bodies")
        constraints = [
            models.UniqueConstraint(
                fields=["joint_body", "municipality"], name="joint_body_municipality_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.joint_body} → {self.municipality}"
