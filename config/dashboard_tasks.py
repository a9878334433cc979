"""The dashboard's task lists: per kind of user what needs doing now, with its status and
deadline and one link to the place where it is done; for the project team, counts of waiting
work. Every part costs a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import CharField, Count, Exists, F, IntegerField, OuterRef, Value
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consultations.models import ClarificationQuestion
from municipalities.models import Demand, OrganisationJoinRequest, Participation
from portal.models import Organisation
from suppliers.models import KvkDispute, KvkExtract
from tenders.models import DocumentVersion, Enquiry, Milestone, Programme

P = Participation.Status
D = Demand.Status

# Task statuses (GOV.UK task list), each with its badge; "done" is plain text.
DONE, TODO, IN_PROGRESS, ACTION, WAITING, BLOCKED = (
    "done",
    "todo",
    "in_progress",
    "action",
    "waiting",
    "blocked",
)
CLOSED = "closed"
BADGES = {
    TODO: "neutral",
    IN_PROGRESS: "active",
    ACTION: "warning",
    WAITING: "neutral",
    CLOSED: "inactive",
}
STATUS_TEXT = {
    DONE: gettext_lazy("Completed"),
    TODO: gettext_lazy("Not started"),
    IN_PROGRESS: gettext_lazy("In progress"),
    ACTION: gettext_lazy("Action needed"),
    WAITING: gettext_lazy("Waiting for the project team"),
    BLOCKED: gettext_lazy("Cannot start yet"),
    CLOSED: gettext_lazy("Closed"),
}


@dataclass
class Task:
    key: str
    title: str
    status: str
    url: str | None = None  # None: cannot be started yet (no link)
    deadline: datetime | None = None
    post: bool = False  # the link is a button that starts the work (POST)
    hint: str = ""

    @property
    def status_label(self) -> str:
        return str(STATUS_TEXT[self.status])

    @property
    def badge(self) -> str | None:
        return BADGES.get(self.status)


@dataclass
class ProgrammeTasks:
    programme: Programme
    tasks: list[Task]

    @property
    def done(self) -> int:
        return sum(task.status == DONE for task in self.tasks)


BUYER_PHASES = (
    Programme.Status.JOINING,
    Programme.Status.INVENTORY,
    Programme.Status.CONSULTATION,
    Programme.Status.FROZEN,
)


def buyer_tasks(*, organisation: Organisation, programmes: list[Programme]) -> list[ProgrammeTasks]:
    """Per programme in a buyer's phase: join it, then fill in the demand inventory. One
    query (the participations with their demand); the programmes come with their milestones."""
    current = [p for p in programmes if p.status in BUYER_PHASES]
    participations = {
        participation.programme_id: participation
        for participation in Participation.objects.filter(
            organisation=organisation, programme__in=current
        )
        .active()
        .select_related("demand")
        .order_by("created_at")
    }
    result = []
    for programme in current:
        participation = participations.get(programme.pk)
        result.append(
            ProgrammeTasks(
                programme,
                [_joining_task(programme, participation)]
                + [_demand_task(programme, participation)],
            )
        )
    return result


def _joining_task(programme: Programme, participation: Participation | None) -> Task:
    title = _("Join the tender and sign the mandate")
    deadline = programme.milestone_at(Milestone.Kind.JOINING_DEADLINE)
    if participation is None:
        if programme.status != Programme.Status.JOINING:
            return Task("join", title, BLOCKED, deadline=deadline)
        url = reverse("municipalities:participation-create", args=[programme.slug])
        return Task("join", title, TODO, url, deadline)
    url = reverse("municipalities:participation-detail", args=[participation.public_id])
    status = {
        P.DRAFT: IN_PROGRESS,
        P.RETURNED: ACTION,
        P.SUBMITTED: WAITING,
        P.APPROVED: DONE,
    }[participation.status]
    return Task("join", title, status, url, None if status == DONE else deadline)


def _demand_task(programme: Programme, participation: Participation | None) -> Task:
    title = _("Fill in the demand inventory")
    if participation is None or participation.status != P.APPROVED:
        deadline = programme.milestone_at(Milestone.Kind.DEMAND_DEADLINE)
        return Task("demand", title, BLOCKED, deadline=deadline)
    participation.programme = programme  # Demand.deadline reads it: no extra query
    demand = getattr(participation, "demand", None)
    if demand is None:
        url = reverse("municipalities:demand-start", args=[participation.public_id])
        deadline = programme.milestone_at(Milestone.Kind.DEMAND_DEADLINE)
        return Task("demand", title, TODO, url, deadline, post=True)
    url = reverse("municipalities:demand-edit", args=[demand.public_id])
    status = {D.DRAFT: IN_PROGRESS, D.RETURNED: ACTION, D.SUBMITTED: DONE}[demand.status]
    return Task("demand", title, status, url, demand.deadline)


def supplier_tasks(
    *, organisation: Organisation, identity: dict, consultations: list
) -> list[Task]:
    """A supplier's steps: verify the company, then answer each published consultation
    (no queries: it reads what the dashboard loaded)."""
    tasks = []
    if identity.get("profile") is not None:
        url = reverse("suppliers:identity", args=[organisation.slug])
        hint = ""
        if identity["verified"]:
            status = DONE
        elif identity.get("pending_extract"):
            status, hint = WAITING, _("your KvK extract is waiting for the project team")
        else:
            status = ACTION
            hint = _(
                "not verified yet: you cannot submit answers until you upload a KvK extract or "
                "confirm an e-mail address at your company's domain"
            )
        tasks.append(Task("identity", _("Verify your company"), status, url, hint=hint))
    for consultation in consultations:
        url = reverse("consultations:response-edit", args=[consultation.slug])
        if consultation.own_status == "submitted":
            status = DONE
        elif not consultation.is_open:
            status = CLOSED
        elif consultation.own_status == "draft":
            status = IN_PROGRESS
        else:
            status = TODO
        title = (
            _("Answer the market consultation “%(title)s”")
            if consultation.is_open
            else _("Read your answers to “%(title)s”")
        ) % {"title": consultation.title}
        deadline = consultation.closes_at if consultation.is_open and status != DONE else None
        tasks.append(Task(f"consultation-{consultation.pk}", title, status, url, deadline))
    return tasks


@dataclass
class WaitingWork:
    label: str
    count: int
    url: str


# The kinds of waiting work counted in one query (``_waiting_counts``).
SUBMITTED, ENQUIRIES, FAILED, CLARIFICATIONS, EXTRACTS, DISPUTES, JOINS = range(7)


def _counted(queryset, kind: int, programme: str | None = None, consultation: bool = False):
    """One part of the waiting-work query: rows (kind, programme id, consultation slug and
    title, count), grouped by programme or consultation where it has one."""
    no_text = Value("", output_field=CharField())
    return (
        queryset.order_by()
        .annotate(
            w_kind=Value(kind, output_field=IntegerField()),
            w_programme=F(programme) if programme else Value(None, output_field=IntegerField()),
            w_slug=F("consultation__slug") if consultation else no_text,
            w_title=F("consultation__title") if consultation else no_text,
        )
        .values_list("w_kind", "w_programme", "w_slug", "w_title")
        .annotate(n=Count("id"))
    )


@functools.cache
def _waiting_sql() -> tuple[str, tuple]:
    """Every count of waiting work in one query (a UNION ALL of grouped counts), the
    programme-bound ones for every programme. It has no parameter of the request, so Django
    builds it once per process (its seven grouped parts took 3 ms to build, each time)."""
    newer = DocumentVersion.objects.filter(
        document=OuterRef("document"), number__gt=OuterRef("number")
    )
    parts = [
        _counted(
            Participation.objects.filter(status=P.SUBMITTED),
            SUBMITTED,
            "programme_id",
        ),
        _counted(
            Enquiry.objects.filter(status=Enquiry.Status.OPEN),
            ENQUIRIES,
            "tender__programme_id",
        ),
        _counted(
            DocumentVersion.objects.filter(status=DocumentVersion.Status.FAILED).exclude(
                Exists(newer)
            ),
            FAILED,
            "document__tender__programme_id",
        ),
        _counted(
            ClarificationQuestion.objects.filter(status=ClarificationQuestion.Status.OPEN),
            CLARIFICATIONS,
            consultation=True,
        ),
        _counted(KvkExtract.objects.filter(status=KvkExtract.Status.PENDING), EXTRACTS),
        _counted(KvkDispute.objects.filter(status=KvkDispute.Status.OPEN), DISPUTES),
        _counted(
            OrganisationJoinRequest.objects.filter(status=OrganisationJoinRequest.Status.PENDING),
            JOINS,
        ),
    ]
    return parts[0].union(*parts[1:], all=True).order_by().query.sql_with_params()


def _waiting_counts() -> list[tuple[int, int | None, str, str, int]]:
    sql, params = _waiting_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def team_waiting_work(*, programmes: list[Programme]) -> list[WaitingWork]:
    """Counts of the work waiting for the project team, each linking to where it is done;
    the programme-bound ones per programme. One query, whatever the numbers."""
    per_programme: dict[int, Counter] = {kind: Counter() for kind in (SUBMITTED, ENQUIRIES, FAILED)}
    clarifications: list[tuple[str, str, int]] = []
    totals: Counter = Counter()
    for kind, programme_pk, slug, title, count in _waiting_counts():
        if kind in per_programme:
            per_programme[kind][programme_pk] += count
        elif kind == CLARIFICATIONS:
            clarifications.append((slug, title, count))
        else:
            totals[kind] += count
    submitted, enquiries, failed = (per_programme[k] for k in (SUBMITTED, ENQUIRIES, FAILED))
    work: list[WaitingWork] = []
    for programme in programmes:
        slug, name = programme.slug, programme.name
        if submitted[programme.pk]:
            work.append(
                WaitingWork(
                    _("Registrations to approve (%(programme)s)") % {"programme": name},
                    submitted[programme.pk],
                    reverse("tenders:participation-overview", args=[slug]) + "?status=submitted",
                )
            )
        if enquiries[programme.pk]:
            work.append(
                WaitingWork(
                    _("Tender questions to answer (%(programme)s)") % {"programme": name},
                    enquiries[programme.pk],
                    reverse("tenders:enquiries", args=[slug]),
                )
            )
        if failed[programme.pk]:
            work.append(
                WaitingWork(
                    _("Tender documents that failed (%(programme)s)") % {"programme": name},
                    failed[programme.pk],
                    reverse("tenders:documents", args=[slug]),
                )
            )
    for slug, title, count in sorted(clarifications, key=lambda row: (row[1], row[0])):
        work.append(
            WaitingWork(
                _("Market consultation questions to answer (%(title)s)") % {"title": title},
                count,
                reverse("consultations:clarification-manage", args=[slug]),
            )
        )
    review = reverse("suppliers:identity-review")
    if totals[EXTRACTS]:
        work.append(WaitingWork(_("KvK extracts to check"), totals[EXTRACTS], review))
    if totals[DISPUTES]:
        work.append(WaitingWork(_("Disputed supplier registrations"), totals[DISPUTES], review))
    if totals[JOINS]:
        work.append(
            WaitingWork(
                _("Requests to join an organisation"),
                totals[JOINS],
                reverse("municipalities:join-request-list"),
            )
        )
    return work


def team_pages(slug: str, *, has_tender: bool = True) -> list[tuple[str, str]]:
    """The project team's own pages of one programme: (label, url). No queries."""
    pages = [
        (_("Participants"), reverse("tenders:participation-overview", args=[slug])),
        (_("Demand inventory"), reverse("tenders:demand-overview", args=[slug])),
        (_("Aggregation"), reverse("tenders:aggregation", args=[slug])),
        (_("Lots"), reverse("tenders:lot-list", args=[slug])),
        (_("Market consultations"), reverse("consultations:consultation-list", args=[slug])),
        (_("Tender documents"), reverse("tenders:documents", args=[slug])),
    ]
    if has_tender:
        pages.append((_("Tender questions"), reverse("tenders:enquiries", args=[slug])))
    return pages


def team_menu(*, programmes: list[Programme]) -> list[tuple[Programme, list[tuple[str, str]]]]:
    """The project team's own pages, per programme."""
    return [
        (programme, team_pages(programme.slug, has_tender=_has_tender(programme)))
        for programme in programmes
    ]


def _has_tender(programme: Programme) -> bool:
    try:
        return programme.tender is not None  # selected with the programme: no query
    except Programme.tender.RelatedObjectDoesNotExist:
        return False
