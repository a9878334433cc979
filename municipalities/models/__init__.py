"""Models of the municipalities app: the register, participations (joining + mandate) and
demand (inventarisatie)."""

from municipalities.models.demand import (
    Demand,
    DemandCategoryOption,
    DemandLine,
    DemandProfile,
    DemandVersion,
    DemandVersionLine,
)
from municipalities.models.onboarding import (
    BulkInvitation,
    OrganisationContact,
    OrganisationJoinRequest,
)
from municipalities.models.participation import (
    ContactPerson,
    CoveredMunicipality,
    JointBodyMunicipality,
    MandateDocument,
    MandateSignature,
    Municipality,
    MunicipalityQuerySet,
    Participation,
    ParticipationQuerySet,
    Province,
    mandate_upload_to,
    municipality_name,
)
from municipalities.models.signing import MandateSeal, SigningAuthority

__all__ = [
    "BulkInvitation",
    "OrganisationContact",
    "OrganisationJoinRequest",
    "ContactPerson",
    "CoveredMunicipality",
    "Demand",
    "DemandCategoryOption",
    "DemandLine",
    "DemandProfile",
    "DemandVersion",
    "DemandVersionLine",
    "JointBodyMunicipality",
    "MandateDocument",
    "MandateSeal",
    "MandateSignature",
    "Municipality",
    "MunicipalityQuerySet",
    "Participation",
    "ParticipationQuerySet",
    "Province",
    "municipality_name",
    "SigningAuthority",
    "mandate_upload_to",
]
