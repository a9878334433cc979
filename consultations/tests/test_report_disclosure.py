"""The disclosure check of the anonymised report: a reviewed text that still names a
supplier, one of its people, its registration numbers or any e-mail address refuses the
report (another supplier's brand alone may be mentioned); the combined check finds exactly
what one pattern per name finds, also with many suppliers; and a name added to a review
after the request makes the rendering fail without retrying."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from consultations.models import Answer, AnswerReview, ConsultationReport
from consultations.selectors import report_disclosure as disclosure
from consultations.services import report as services
from consultations.tasks import report_render_task
from consultations.tests.report_helpers import (
    REVIEWS,
    SUPPLIERS,
    R,
    answer,
    close,
    make_supplier,
    review_all,
)
from consultations.tests.report_helpers import _media_root as _media_root
from consultations.tests.report_helpers import reviewed as reviewed
from consultations.tests.report_helpers import world as world
from suppliers.models import SupplierProfile


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "Kraanvogel levert binnen tien dagen.",  # its own brand
        "Net als Zilvermeeuw Computers leveren wij snel.",  # another respondent
        "Bel Jolien Zeegers-Vermaat voor meer informatie.",
        "Ons KvK-nummer is 8123 4567.",
        "Mail naar iemand@example.org.",
    ],
)
def test_a_text_for_the_report_that_still_names_a_supplier_is_refused(
    world, project_team_user, text
):
    reviews = dict(REVIEWS)
    reviews[("kraanvogel", "visie")] = text
    review_all(world["consultation"], project_team_user, reviews)
    with pytest.raises(ValidationError) as exc:
        services.report_request(actor=project_team_user, consultation=world["consultation"])
    assert "Kraanvogel ICT Diensten B.V." in exc.value.messages[0]  # for the project team
    assert "“visie”" in exc.value.messages[0]
    assert not ConsultationReport.objects.exists()


@pytest.mark.django_db
def test_another_suppliers_brand_alone_may_be_mentioned(world, project_team_user):
    # A reseller may write which brands it sells; only the full name gives a supplier away.
    reviews = dict(REVIEWS)
    reviews[("kraanvogel", "visie")] = "Wij leveren ook laptops van Zilvermeeuw."
    review_all(world["consultation"], project_team_user, reviews)
    report = services.report_request(actor=project_team_user, consultation=world["consultation"])
    assert report.number == 1


def _disclosing_one_pattern_each(responses) -> list[tuple[int, str]]:
    """The rules of the disclosure check written out plainly, one pattern per name, number,
    person and address (too slow for thousands of suppliers): what the check must find."""
    from consultations.selectors.disclosure import PUBLIC_MAIL_DOMAINS
    from consultations.selectors.participants import suppliers_taking_part
    from portal.models import Membership

    def bounded(literal):
        return re.compile(r"(?<!\w)" + re.escape(literal) + r"(?!\w)", re.I)

    def stem(name):
        stem = disclosure.LEGAL_SUFFIX_RE.sub("", (name or "").strip()).strip()
        return bounded(stem) if len(stem) >= 4 else None

    shared, own = [], {}
    organisations = suppliers_taking_part(consultation=responses[0].consultation)
    for organisation in organisations:
        if pattern := stem(organisation.name):
            shared.append(pattern)
        words = disclosure.LEGAL_SUFFIX_RE.sub("", organisation.name.strip()).split()
        own[organisation.pk] = (
            [bounded(words[0])]
            if len(words) > 1
            and len(words[0]) >= 4
            and words[0].casefold() not in disclosure.GENERIC_NAME_WORDS
            else []
        )
        profile = organisation.supplier_profile
        for number in (profile.kvk_number, profile.foreign_registration_number, profile.vat_number):
            if number and len(number) >= 6:
                shared.append(bounded(number))
    for membership in Membership.objects.filter(organisation__in=organisations):
        if pattern := stem(membership.user.name):
            shared.append(pattern)
        shared.append(re.compile(re.escape(membership.user.email), re.I))
        domain = membership.user.email.rsplit("@", 1)[-1]
        if domain not in PUBLIC_MAIL_DOMAINS:
            shared.append(re.compile(r"(?<![\w-])" + re.escape(domain) + r"(?![\w-]|\.\w)", re.I))
    found = []
    by_id = {r.pk: r for r in responses}
    for answer in Answer.objects.filter(response__in=responses, review__include=True):  # noqa: F402
        text = " ".join(answer.review.redacted_text.split())
        compact = re.sub(r"(?<=\d)[\s.-](?=\d)", "", text)
        patterns = shared + own[by_id[answer.response_id].organisation_id]
        if disclosure.EMAIL_RE.search(text) or any(
            p.search(text) or p.search(compact) for p in patterns
        ):
            found.append((answer.response_id, answer.question_key))
    return sorted(found)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("author", "text", "disclosing"),
    [
        ("kraanvogel", "Wij leveren ook laptops van Zilvermeeuw.", False),  # another's brand
        ("zilvermeeuw", "Zilvermeeuw levert binnen een week.", True),  # its own brand
        ("kraanvogel", "Net als Roerdomp Refurbished B.V. leveren wij.", True),  # legal form
        ("kraanvogel", "ROERDOMP REFURBISHED levert ook.", True),
        ("zilvermeeuw", "Onze Roerdomp Refurbishedlijn is klaar.", False),  # part of a word
        ("roerdomp", "Onze Roerdomp Refurbishedlijn is klaar.", True),  # its brand, though
        ("kraanvogel", "Wij zijn Kraanvogel ICT Diensten.", True),
        ("kraanvogel", "Zie KvK 6345 6789.", True),  # another's KvK number, with a space
        ("kraanvogel", "Het nummer 63.45.67.89 staat erop.", True),
        ("kraanvogel", "Bestelnummer 634567891.", False),  # a longer number
        ("roerdomp", "Mail BRAM@KRAANVOGEL-ICT.NL voor meer.", True),
        ("roerdomp", "Contact: iemand.anders@example.org", True),  # any e-mail address
        ("roerdomp", "Bel Bram Kwakernaak.", True),  # a person of another supplier
        ("roerdomp", "Kwakernaak is een achternaam.", False),
        # A draft is no respondent, but its company took part: its name tells who took part.
        ("roerdomp", "Grutto Hardware levert ook.", True),
        ("roerdomp", "Bestel via www.kraanvogel-ict.nl/laptops.", True),  # another's domain
        ("roerdomp", "Kraanvogel   ICT\n Diensten levert.", True),  # extra whitespace
        ("zilvermeeuw", "Btw-nummer nl123456789b01.", True),
        ("zilvermeeuw", "Registratie HRB 987654 in Duitsland.", True),
        ("zilvermeeuw", "Registratie HRB 9876543 in Duitsland.", False),
        ("zilvermeeuw", "Wij leveren 2.000 laptops per jaar.", False),
    ],
)
def test_the_disclosure_check_finds_names_numbers_and_addresses(
    world, project_team_user, author, text, disclosing
):
    SupplierProfile.objects.filter(organisation__slug="roerdomp").update(
        vat_number="NL123456789B01", foreign_registration_number="HRB 987654"
    )
    reviews = dict(REVIEWS)
    reviews[(author, "visie")] = text
    review_all(world["consultation"], project_team_user, reviews)
    responses_ = disclosure.submitted_responses(world["consultation"])
    found = sorted(
        (response.pk, answer.question_key)
        for response, answer in disclosure.disclosing_answers(responses_)
    )
    author_response = next(r for r in responses_ if r.organisation.slug == author)
    assert found == ([(author_response.pk, "visie")] if disclosing else [])
    assert found == _disclosing_one_pattern_each(responses_)
    if disclosing:
        with pytest.raises(ValidationError):
            services.report_request(actor=project_team_user, consultation=world["consultation"])
    else:
        assert (
            services.report_request(
                actor=project_team_user, consultation=world["consultation"]
            ).number
            == 1
        )


@pytest.mark.django_db
def test_the_disclosure_check_with_many_suppliers_finds_what_each_pattern_finds(
    world, project_team_user
):
    """Forty more respondents with names that share their beginnings, people and numbers;
    texts that name some of them (or almost)."""
    consultation = world["consultation"]
    type(consultation).objects.filter(pk=consultation.pk).update(
        status="published", closes_at=timezone.now() + timedelta(days=1)
    )
    consultation.refresh_from_db()
    extra = []
    for n in range(40):
        data = {
            "key": f"leverancier-{n}",
            "name": f"Leverancier {n} {'Noord' if n % 2 else 'Zuid'} B.V.",
            "kvk": f"{90_000_000 + n:08d}",
            "email": f"verkoop{n}@leverancier-{n}.nl",
            "person": f"Persoon {n} Achternaam",
            "answers": {**SUPPLIERS[0]["answers"], "naam": "Product", "visie": "Tekst."},
        }
        extra.append(data)
        answer(consultation, make_supplier(data), world["categories"])
    close(consultation, project_team_user)
    texts = [
        "Leverancier 7 Noord levert.",  # 7 is odd: its name
        "Leverancier 8 Noord levert.",  # 8 is Zuid: no name
        "Leverancier 1 levert.",  # the brand-less start of a name
        "Leverancier 12 Zuidelijk.",
        "Persoon 3 Achternaam belt.",
        "Persoon 3 Achternamen.",
        "KvK 9000 0021.",
        "KvK 900000211.",
        "Zilvermeeuw en Kraanvogel leveren.",
        "Gewoon een tekst.",
    ]
    for index, data in enumerate(extra):
        found = Answer.objects.get(
            response__consultation=consultation,
            response__organisation__slug=data["key"],
            question_key="visie",
        )
        AnswerReview.objects.create(
            answer=found,
            include=True,
            redacted_text=texts[index % len(texts)],
            reviewed_by=project_team_user,
        )
    review_all(consultation, project_team_user)
    responses_ = disclosure.submitted_responses(consultation)
    found = sorted(
        (response.pk, answer.question_key)
        for response, answer in disclosure.disclosing_answers(responses_)
    )
    assert found == _disclosing_one_pattern_each(responses_)
    assert len(found) == 3 * 4  # texts 0, 4 and 6, each reviewed for four suppliers


def test_one_regex_for_many_literals_matches_like_one_regex_each():
    words = {"abc", "abcd ef", "ab", "Jan", "Jan Jansen", "12345678", "Müller", "é-word"}
    anywhere = {"jan@example.nl", "a.b@c.nl"}
    combined = disclosure.literals_regex(words=words, anywhere=anywhere)
    texts = [
        "abcd", "abcd ef", "xabc", "ab.", "ABC!", "abcd efg", "Jan Janssen", "JAN JANSEN,",
        "jan", "123456789", "1234567", "(12345678)", "MÜLLER", "müllers",
        "é-word", "xé-word", "noreply@example.nl", "xa.b@c.nlx", "", "Janab",
    ]  # fmt: skip
    for text in texts:
        expected = any(
            re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", text, re.I) for w in words
        ) or any(re.search(re.escape(a), text, re.I) for a in anywhere)
        assert bool(combined.search(text)) == expected, text
    # Separators inside a name or number are optional (see test_disclosure_normalised.py).
    assert combined.search("janjansen") and combined.search("Jan-Jansen")
    assert disclosure.literals_regex(words=set(), anywhere=set()) is None


@pytest.mark.django_db
def test_a_name_added_to_a_review_after_the_request_fails_without_retrying(
    reviewed, project_team_user
):
    report = services.report_request(actor=project_team_user, consultation=reviewed["consultation"])
    AnswerReview.objects.filter(redacted_text="Wij leveren binnen tien dagen.").update(
        redacted_text="Kraanvogel ICT Diensten levert binnen tien dagen."
    )
    result = report_render_task.apply(args=(report.pk,))  # first attempt
    assert result.failed()
    report.refresh_from_db()
    assert report.status == R.FAILED
    assert "ReportDisclosureError" in report.error and "visie" in report.error
    assert "Kraanvogel" not in report.error
    assert not report.file
