"""The models of the tenders app, one module per part; imported from here."""

from tenders.models.aggregation import (
    AggregationRun,
    AggregationSnapshot,
    EuThreshold,
    LotAuthority,
    SnapshotLotTotal,
    SnapshotTotal,
    UnfreezeRequest,
)
from tenders.models.change import ChangeNotice
from tenders.models.documents import DocumentVersion, TenderDocument
from tenders.models.enquiries import Enquiry, EnquiryRound
from tenders.models.exports import ProgrammeExport, ProgrammeExportQuerySet
from tenders.models.ocds import OcdsRelease
from tenders.models.programme import (
    AuthorityType,
    ContractType,
    Lot,
    Milestone,
    MilestoneChange,
    Programme,
    ProgrammeQuerySet,
    Reminder,
)
from tenders.models.subscriptions import Subscription, SubscriptionQuerySet
from tenders.models.tender import (
    AwardCriterion,
    Procedure,
    PublicationRequest,
    Requirement,
    Tender,
    TenderAward,
    TenderEvent,
    TenderLot,
    TenderQuerySet,
)

__all__ = [
    "Enquiry",
    "EnquiryRound",
    "ChangeNotice",
    "OcdsRelease",
    "ProgrammeExport",
    "ProgrammeExportQuerySet",
    "DocumentVersion",
    "TenderDocument",
    "Subscription",
    "SubscriptionQuerySet",
    "AwardCriterion",
    "Procedure",
    "PublicationRequest",
    "Requirement",
    "Tender",
    "TenderAward",
    "TenderEvent",
    "TenderLot",
    "TenderQuerySet",
    "AggregationRun",
    "AggregationSnapshot",
    "AuthorityType",
    "ContractType",
    "EuThreshold",
    "Lot",
    "LotAuthority",
    "Milestone",
    "MilestoneChange",
    "Programme",
    "ProgrammeQuerySet",
    "Reminder",
    "SnapshotLotTotal",
    "SnapshotTotal",
    "UnfreezeRequest",
]
