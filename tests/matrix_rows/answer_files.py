"""Permission-matrix rows: Files attached to answers."""

from __future__ import annotations

# fmt: off
ROWS: list[tuple[str, str, tuple[int, ...]]] = [
    # route                                                              method   anon edA  viA  admA edB  jb   supX supY pt
    # A file in supplier X's answers: its own members and the project team (audited) download
    # it; everyone else gets 404, also supplier Y.
    ("marktconsultaties/<slug:consultation>/antwoorden/<uuid:response>/bestanden/<slug:file_question>", "GET",  (302, 404, 404, 404, 404, 404, 200, 404, 200)),
    ("marktconsultaties/<slug:consultation>/antwoorden/<uuid:response>/bestanden/<slug:file_question>", "POST", (302, 405, 405, 405, 405, 405, 405, 405, 405)),
]
# fmt: on

POSTS: dict[str, dict] = {}

FILE_QUESTION = "bijlage"


def make(world: dict) -> dict:
    """Give supplier X's draft response a file answer, through the services: the project team
    publishes questionnaire version 2 with a file question (and starts draft version 3, so a
    draft with ``q1`` remains), supplier X's response moves to version 2 and gets a PDF."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from consultations.models import ConsultationResponse
    from consultations.services import consultation as consultations
    from consultations.services import responses
    from municipalities.tests.conftest import MINIMAL_PDF

    team = world["personas"]["project_team"].user
    supplier = world["personas"]["supplier_x"].user
    response = ConsultationResponse.objects.select_related("consultation").get(
        public_id=world["args"]["response"]
    )
    consultation = response.consultation
    draft = consultation.versions.get(status="draft")
    consultations.question_add(
        actor=team,
        version=draft,
        section=draft.sections.first(),
        type="file",
        text="Referenties",
        key=FILE_QUESTION,
        required=False,
    )
    consultations.questionnaire_publish(actor=team, version=draft)
    consultations.questionnaire_new_version(actor=team, consultation=consultation)
    response = responses.response_get_or_create(actor=supplier, consultation=consultation)
    responses.answer_file_attach(
        actor=supplier,
        response=response,
        question_key=FILE_QUESTION,
        file=SimpleUploadedFile("referenties.pdf", MINIMAL_PDF, "application/pdf"),
    )
    return {"file_question": FILE_QUESTION}
