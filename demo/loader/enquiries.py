"""The nota van inlichtingen: the suppliers' questions about the published tender and the
project team's answers (docs/legal/enquiries.md).

- Round 1, published: questions of the three demo suppliers in the first week and a half after
  the publication, about the lots, the price sheet, TCO Certified, data erasure and delivery
  addresses, each tied to a lot (or the tender as a whole) and a document section. The project
  leader answered them in a neutral wording, merged one question that asked the same as
  another, and asked to publish the round; the team's lawyer confirmed it (four eyes).
- The open round: the deadline for questions is still ahead. In the last two working days new
  questions came in; one is answered but not yet published, the others are open.

The services act now (the deadline for questions has not passed); the rows then get the
story's moments, and the round's OCDS release is built again for its moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import formats, timezone, translation

from demo.loader.organisations import DOMAIN
from demo.loader.publication import release_redate
from demo.loader.workdays import add_working_days, at, office_time
from portal.models import Membership, Organisation, User
from tenders.models import DocumentVersion, Enquiry, EnquiryRound, Tender
from tenders.services.documents import document_render
from tenders.services.enquiries import (
    enquiry_answer,
    enquiry_ask,
    enquiry_merge,
    enquiry_round_decide,
    enquiry_round_request,
)

SANNE = f"verkoop@voorbeeldhardware.{DOMAIN}"  # Voorbeeld Hardware B.V.
RAVI = f"tender@tweedeleven.{DOMAIN}"  # Tweede Leven IT B.V.
FATIMA = f"aanbesteding@mobielzakelijk.{DOMAIN}"  # Mobiel Zakelijk B.V.

# Working days after the publication on which round 1 was asked to be published (the
# project leader, in the afternoon) and confirmed (the lawyer, the next morning).
FIRST_ROUND_REQUESTED = 8


@dataclass(frozen=True)
class DemoEnquiry:
    key: str
    asker: str  # the e-mail of the supplier's person who asks
    day: int  # working days after the publication
    lot: int | None
    section: str
    question: str
    public_question: str = ""  # with ``answer``: answered by the project team
    answer: str = ""
    merged_into: str = ""  # the key of the question it says the same as


FIRST_ROUND = [
    DemoEnquiry(
        "price-services",
        SANNE,
        1,
        1,
        "Prijzenblad, tabblad Perceel 1",
        "Wij leveren normaal tegen een vast bedrag per zending. Moeten levering en installatie in "
        "het prijzenblad per apparaat worden geprijsd, of mogen wij een vast bedrag per levering "
        "opgeven?",
        "Moeten levering en installatie in het prijzenblad per apparaat worden geprijsd, of mag "
        "een vast bedrag per levering worden opgegeven?",
        "Per apparaat. Levering, installatie, beheer en inname met dataverwijdering zijn in "
        "perceel 1 eigen regels van het prijzenblad, elk met een prijs per apparaat. Een vast "
        "bedrag per levering, voorrijkosten of een minimale orderomvang zijn niet toegestaan.",
    ),
    DemoEnquiry(
        "tco-refurbished",
        RAVI,
        2,
        1,
        "Programma van eisen, duurzaamheid (TCO Certified)",
        "Wij bieden gereviseerde laptops aan. Geldt de eis TCO Certified generatie 10 ook voor "
        "gereviseerde apparaten van een model dat onder een eerdere generatie is gecertificeerd?",
        "Geldt de eis TCO Certified generatie 10 of later ook voor gereviseerde apparaten van "
        "een model dat onder een eerdere generatie is gecertificeerd?",
        "Ja. De eis geldt voor alle aangeboden laptops, desktops en monitoren, nieuw of "
        "gereviseerd. Een apparaat voldoet als het model een geldig certificaat TCO Certified "
        "van generatie 10 of later heeft; een certificaat van een eerdere generatie volstaat "
        "niet.",
    ),
    DemoEnquiry(
        "erasure-mobile",
        FATIMA,
        3,
        2,
        "Programma van eisen, gecertificeerde dataverwijdering",
        "Volstaat voor smartphones en tablets een cryptografische wissing van de versleutelde "
        "opslag, en welk bewijs verwacht u per apparaat?",
        "Volstaat voor smartphones en tablets een cryptografische wissing van de versleutelde "
        "opslag, en welk bewijs wordt per apparaat verwacht?",
        "Ja. NIST 800-88 Purge staat een cryptografische wissing toe als de opslag van het "
        "apparaat volledig versleuteld is. Per apparaat levert de leverancier een certificaat "
        "met het serienummer of IMEI-nummer, de gebruikte methode, de datum en het resultaat.",
    ),
    DemoEnquiry(
        "erasure-mobile-again",
        SANNE,
        4,
        2,
        "Programma van eisen, gecertificeerde dataverwijdering",
        "Welke methode van gegevensverwijdering accepteert u voor smartphones? Is een "
        "fabrieksreset voldoende?",
        merged_into="erasure-mobile",
    ),
    DemoEnquiry(
        "delivery-addresses",
        SANNE,
        5,
        1,
        "Aanbestedingsleidraad, hoofdstuk 2 (de deelnemers)",
        "Op hoeveel afleveradressen per deelnemer moeten wij rekenen? Levert u bij een "
        "werkorganisatie op één adres of bij elke gemeente afzonderlijk?",
        "Op hoeveel afleveradressen per deelnemer moet worden gerekend, en wordt bij een "
        "samenwerkingsverband op één adres of per gemeente geleverd?",
        "Elke deelnemer noemt zijn afleveradressen in de nadere opdracht; dat kunnen er meer "
        "zijn dan één, overal in Nederland. Een samenwerkingsverband kiest zelf of het op één "
        "adres of bij elke gemeente laat leveren. De prijs per apparaat geldt voor elk "
        "afleveradres in Nederland, ook op de Waddeneilanden.",
    ),
    DemoEnquiry(
        "circularity-criterion",
        RAVI,
        6,
        None,
        "Aanbestedingsleidraad, gunningscriteria (circulariteit)",
        "Telt het aanbieden van gereviseerde apparaten mee bij het criterium circulariteit, of "
        "wordt alleen de levensduur van nieuwe apparaten beoordeeld?",
        "Telt het aanbieden van gereviseerde apparaten mee bij het criterium circulariteit?",
        "Ja. Bij het criterium circulariteit (25 %) worden de levensduur, de repareerbaarheid, "
        "de terugname en de inzet van gereviseerde apparaten beoordeeld, volgens het "
        "beoordelingskader in de aanbestedingsleidraad. Gereviseerde apparaten moeten aan "
        "dezelfde eisen voldoen als nieuwe.",
    ),
]
OPEN_ROUND = [
    DemoEnquiry(
        "price-mobile",
        FATIMA,
        10,
        2,
        "Prijzenblad, tabblad Perceel 2",
        "Mogen wij in perceel 2 één stukprijs per toestel opgeven inclusief levering, "
        "configuratie en inname?",
        "Wordt in perceel 2 één stukprijs per toestel opgegeven, inclusief levering, "
        "configuratie en inname?",
        "Ja. In perceel 2 zijn levering, configuratie en inname met dataverwijdering in de "
        "stukprijs inbegrepen (zie de beschrijving van het perceel); het prijzenblad heeft "
        "daarvoor geen aparte regels.",
    ),
    DemoEnquiry(
        "epeat-term",
        SANNE,
        11,
        1,
        "Programma van eisen, duurzaamheid (EPEAT)",
        "Moet een model bij de inschrijving EPEAT Gold geregistreerd zijn, of volstaat het dat "
        "nieuwe modellen die wij tijdens de looptijd toevoegen dat ook zijn?",
    ),
    DemoEnquiry(
        "take-back-islands",
        RAVI,
        11,
        1,
        "Conceptraamovereenkomst, artikel over terugname",
        "Wie draagt de transportkosten van de terugname bij deelnemers op Vlieland en "
        "Schiermonnikoog: de leverancier of de deelnemer?",
    ),
]


def enquiries_load(*, tender: Tender, answerer: User, confirmer: User) -> None:
    """The questions and rounds of the story, once: only for a published tender that has no
    questions yet and whose deadline for questions is still ahead."""
    if tender.status != Tender.Status.PUBLISHED or tender.enquiries.exists():
        return
    if tender.question_deadline_at is None or tender.question_deadline_at <= timezone.now():
        return
    asked = {spec.key: _ask(tender=tender, spec=spec) for spec in FIRST_ROUND}
    for spec in FIRST_ROUND:
        if spec.merged_into:
            enquiry_merge(actor=answerer, enquiry=asked[spec.key], into=asked[spec.merged_into])
        else:
            _answer(enquiry=asked[spec.key], spec=spec, actor=answerer)
    round_ = enquiry_round_request(actor=answerer, tender=tender)
    round_ = enquiry_round_decide(actor=confirmer, round=round_, confirm=True)
    _date_round(tender=tender, round_=round_, asked=asked)
    for spec in OPEN_ROUND:
        enquiry = _ask(tender=tender, spec=spec)
        if spec.answer:
            _answer(enquiry=enquiry, spec=spec, actor=answerer)
        asked[spec.key] = enquiry
    for spec in OPEN_ROUND:
        _date_enquiry(tender=tender, enquiry=asked[spec.key], spec=spec)


def _ask(*, tender: Tender, spec: DemoEnquiry) -> Enquiry:
    actor = User.objects.get(email=spec.asker)
    organisation = Membership.objects.get(
        user=actor, organisation__kind=Organisation.Kind.SUPPLIER
    ).organisation
    return enquiry_ask(
        actor=actor,
        organisation=organisation,
        tender=tender,
        question=spec.question,
        lot_number=spec.lot,
        section=spec.section,
    )


def _answer(*, enquiry: Enquiry, spec: DemoEnquiry, actor: User) -> Enquiry:
    return enquiry_answer(
        actor=actor, enquiry=enquiry, public_question=spec.public_question, answer=spec.answer
    )


def _published_day(tender: Tender) -> date:
    if tender.published_at is None:
        raise ValueError("the demo's questions are about a published tender")
    return timezone.localdate(tender.published_at)


def _date_enquiry(*, tender: Tender, enquiry: Enquiry, spec: DemoEnquiry) -> None:
    """Asked on its working day after the publication, in office hours; answered two working
    days later (by the morning round 1 was asked for), an open round's answer the next day."""
    published = _published_day(tender)
    asked = office_time(add_working_days(published, spec.day), len(spec.key))
    answered = None
    if spec.answer:
        if spec.day < FIRST_ROUND_REQUESTED:
            day = min(spec.day + 2, FIRST_ROUND_REQUESTED)
        else:
            day = spec.day + 1
        answered = at(add_working_days(published, day), 11, len(spec.key) % 4 * 15)
    Enquiry.objects.filter(pk=enquiry.pk).update(asked_at=asked, answered_at=answered)


def _date_round(*, tender: Tender, round_: EnquiryRound, asked: dict[str, Enquiry]) -> None:
    for spec in FIRST_ROUND:
        _date_enquiry(tender=tender, enquiry=asked[spec.key], spec=spec)
    published = _published_day(tender)
    requested = at(add_working_days(published, FIRST_ROUND_REQUESTED), 15)
    confirmed = at(add_working_days(published, FIRST_ROUND_REQUESTED + 1), 10)
    EnquiryRound.objects.filter(pk=round_.pk).update(created_at=requested, published_at=confirmed)
    if round_.ocds_release is not None:
        release_redate(release=round_.ocds_release, moment=confirmed + timedelta(minutes=1))
    if round_.document_version_id is not None:
        _render_notice(version_id=round_.document_version_id, confirmed=confirmed)


def _render_notice(*, version_id: int, confirmed: datetime) -> None:
    """The numbered notice, dated the day the round was confirmed; a worker renders it, the
    demo at once (a worker that picks up the task later finds it done)."""
    version = DocumentVersion.objects.get(pk=version_id)
    with translation.override(settings.LANGUAGE_CODE):
        day = formats.date_format(timezone.localtime(confirmed), "j F Y")
    inputs = {**version.inputs, "date": day}
    DocumentVersion.objects.filter(pk=version_id).update(requested_at=confirmed, inputs=inputs)
    document_render(version_id=version_id)
    DocumentVersion.objects.filter(pk=version_id).update(
        claimed_at=confirmed + timedelta(seconds=5), generated_at=confirmed + timedelta(minutes=1)
    )
