"""Permission-matrix rows: Review of answers (per question, Excel, redaction).

The project team only: everyone else gets 404 (suppliers included: they never see each other's
answers). The world's consultation is still open, so recording a review is refused (422).
The sample answer is of a third supplier (not a persona): supplier X's response must stay an
incomplete draft for the consultation API's rows, and drafts are not part of the review."""

from __future__ import annotations

B = "marktconsultaties/<slug:consultation>/beoordeling"
ANSWER = f"{B}/anonimiseren/<uuid:submitted_response>/<slug:question_key>"

# fmt: off
ROWS: list[tuple[str, str, tuple[int, ...]]] = [
    # route                                                              method   anon edA  viA  admA edB  jb   supX supY pt
    (B,                                                                   "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    (B,                                                                   "POST", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    (f"{B}/vragen/<slug:question_key>",                                   "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    (f"{B}/vragen/<slug:question_key>",                                   "POST", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    (f"{B}/export.xlsx",                                                  "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    (f"{B}/export.xlsx",                                                  "POST", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    (f"{B}/anonimiseren",                                                 "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    (f"{B}/anonimiseren",                                                 "POST", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
    (ANSWER,                                                              "GET",  (302, 404, 404, 404, 404, 404, 404, 404, 200)),
    # Open consultation: the project team's review is refused with the form (422).
    (ANSWER,                                                              "POST", (302, 404, 404, 404, 404, 404, 404, 404, 422)),
]
# fmt: on

POSTS: dict[str, dict] = {
    ANSWER: {"include": "yes", "redacted_text": "Een leverancier levert circulair."},
}


def make(world: dict) -> dict:
    """An open-text question ``toelichting`` in a newly published questionnaire version
    (through the services, with a new draft version after it so the builder's rows keep a
    draft with ``q1``), answered in a submitted response of a third supplier."""
    from consultations.models import Consultation
    from consultations.services import consultation as consultations
    from consultations.services import responses
    from portal.models import Organisation, Role
    from tests.factories import OrganisationFactory, UserFactory

    actor = world["personas"]["project_team"].user
    consultation = Consultation.objects.get(slug=world["args"]["consultation"])
    draft = consultation.versions.get(status="draft")
    consultations.question_add(
        actor=actor,
        version=draft,
        section=draft.sections.first(),
        type="long_text",
        text="Toelichting op uw aanbod?",
        key="toelichting",
        max_length=2000,
        required=False,
    )
    consultations.questionnaire_publish(actor=actor, version=draft)
    consultations.questionnaire_new_version(actor=actor, consultation=consultation)

    supplier = OrganisationFactory(
        name="Leverancier Z B.V.", slug="leverancier-z", kind=Organisation.Kind.SUPPLIER
    )
    user = world["factory"](
        organisation=supplier, role=Role.ADMIN, user=UserFactory(email="verkoop@leverancier-z.nl")
    ).user
    response = responses.response_get_or_create(actor=user, consultation=consultation)
    responses.response_save(
        actor=user,
        response=response,
        answers={"q1": "ja", "toelichting": "Wij leveren circulair."},
    )
    responses.response_submit(actor=user, response=response)
    return {"question_key": "toelichting", "submitted_response": response.public_id}
