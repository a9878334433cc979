"""Reads of the change notices (rectifications) of a published tender: which moments and
requirement wordings a notice may change, whether the tender takes one now, the pending notice,
each notice's changes as text (old → new) for the pages, the mail and the OCDS amendments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.utils.translation import gettext as _

from portal import dates
from tenders.models import ChangeNotice, OcdsRelease, Requirement, Tender
from tenders.selectors.periods import moment_label
from tenders.selectors.timeline import moment_text

# The moments a change notice may move; the dispatch of the notice has happened.
CHANGEABLE_MOMENTS = (
    "question_deadline_at",
    "answers_at",
    "bid_deadline_at",
    "opening_at",
    "award_decision_at",
    "standstill_end_at",
    "contract_start",
)
REQUIREMENT_PARTS = ("text", "level")


@dataclass(frozen=True)
class ChangeRow:
    label: str
    old: str
    new: str


def change_notice_refusal(*, tender: Tender) -> str | None:
    """Why ``tender`` takes no change notice now, or None: only a published tender that is
    still open for bids is changed by a notice (a draft is changed directly; after the bid
    deadline the bids are in, and a change would treat the bidders unequally)."""
    if tender.is_draft:
        return _(
            "The tender is a draft: change it directly. A change notice is for a published tender."
        )
    if tender.status != Tender.Status.PUBLISHED:
        return _(
            "The tender is %(status)s: a change notice is possible only while it is published "
            "and open for bids."
        ) % {"status": tender.get_status_display().lower()}
    return None


def change_notice_pending(*, tender: Tender) -> ChangeNotice | None:
    return (
        ChangeNotice.objects.filter(tender=tender, status=ChangeNotice.Status.PENDING)
        .select_related("created_by")
        .first()
    )


def moment_value(field: str, value: datetime | date | None) -> str | None:
    """A moment as stored in a notice's changes (ISO 8601)."""
    return value.isoformat() if value is not None else None


def _value_text(field: str, value: Any) -> str:
    if value in (None, ""):
        return "–"
    if field == "contract_start":
        return dates.day_text(date.fromisoformat(value))
    if field in CHANGEABLE_MOMENTS:
        return moment_text(datetime.fromisoformat(value))
    return str(value)


def _requirement_label(change: dict[str, Any], requirements: dict[int, Requirement]) -> str:
    requirement = requirements.get(change["requirement"])
    kind = requirement.get_kind_display() if requirement else _("Requirement")
    part = _("wording") if change["field"] == "requirement.text" else _("level")
    return _("Requirement “%(kind)s”: %(part)s") % {"kind": kind, "part": part}


def change_rows(
    notice: ChangeNotice, requirements: dict[int, Requirement] | None = None
) -> list[ChangeRow]:
    """The notice's changes as text: what, the old value and the new one."""
    if requirements is None:
        pks = [c["requirement"] for c in notice.changes if "requirement" in c]
        requirements = Requirement.objects.in_bulk(pks)
    rows = []
    for change in notice.changes:
        field = change["field"]
        label = (
            _requirement_label(change, requirements)
            if field.startswith("requirement.")
            else moment_label(field)
        )
        rows.append(
            ChangeRow(
                label=label,
                old=_value_text(field, change["old"]),
                new=_value_text(field, change["new"]),
            )
        )
    return rows


def change_text(notice: ChangeNotice) -> str:
    """One line per change: “label: old → new”."""
    return "\n".join(f"{row.label}: {row.old} → {row.new}" for row in change_rows(notice))


@dataclass(frozen=True)
class PublicChangeNotice:
    notice: ChangeNotice
    rows: list[ChangeRow]


def change_notices_confirmed(*, tender: Tender) -> list[PublicChangeNotice]:
    """The tender's confirmed change notices, oldest first, each with its changes as text
    (two queries, whatever the number of notices)."""
    notices = list(
        ChangeNotice.objects.filter(tender=tender, status=ChangeNotice.Status.CONFIRMED).order_by(
            "number"
        )
    )
    pks = [c["requirement"] for n in notices for c in n.changes if "requirement" in c]
    requirements = Requirement.objects.in_bulk(pks) if pks else {}
    return [PublicChangeNotice(notice=n, rows=change_rows(n, requirements)) for n in notices]


def ocds_amendments(*, tender: Tender, release_id: str) -> list[dict[str, Any]]:
    """The confirmed change notices as OCDS ``Amendment`` objects of ``tender.amendments``: the
    release before and the release after each. A notice without its release yet is the one
    the release being built (``release_id``) is for."""
    releases = dict(OcdsRelease.objects.filter(tender=tender).values_list("number", "release_id"))
    numbers = dict(OcdsRelease.objects.filter(tender=tender).values_list("pk", "number"))
    latest = max(releases, default=0)
    amendments = []
    for item in change_notices_confirmed(tender=tender):
        notice = item.notice
        if notice.ocds_release_id is not None:
            number = numbers[notice.ocds_release_id]
            after, before = releases[number], releases.get(number - 1)
        else:
            after, before = release_id, releases.get(latest)
        amendment = {
            "id": str(notice.number),
            "date": (
                notice.decided_at.astimezone(UTC)
                .isoformat(timespec="seconds")
                .replace("+00:00", "Z")
                if notice.decided_at
                else None
            ),
            "rationale": notice.reason,
            "description": "; ".join(f"{r.label}: {r.old} → {r.new}" for r in item.rows),
            "amendsReleaseID": before,
            "releaseID": after,
        }
        amendments.append({key: value for key, value in amendment.items() if value})
    return amendments


def change_notice_context(*, tender: Tender, can_change: bool) -> dict[str, Any]:
    """What the team's change-notice page shows: why the tender takes no notice (if so), the
    pending notice with its changes, and the confirmed ones."""
    pending = change_notice_pending(tender=tender)
    return {
        "tender": tender,
        "can_change": can_change,
        "refusal": change_notice_refusal(tender=tender),
        "pending": pending,
        "pending_rows": change_rows(pending) if pending else [],
        "confirmed": change_notices_confirmed(tender=tender),
    }
