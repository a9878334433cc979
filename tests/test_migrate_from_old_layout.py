"""A database of the old layout (the market consultation's models in ``tenders`` and
``suppliers``) migrates forward to the ``consultations`` app without losing a row.

The move is state-only: the tables keep their names and no row is copied. Only the content
types (and so the permissions) and the audit events' ``target_type`` are relabelled. This test
migrates the test database back to the last migrations of the old layout, writes one row of
every moved model with the historical models of that point, migrates forward again and finds
every row with the new models: same primary keys, same field values, same tables.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor

from consultations import models as consultations
from portal.models import AuditEvent

# The last migrations of the old layout. consultations first: unapplying it is state-only
# (and moves the content types back); tenders 0008 and suppliers 0005 are state-only too.
OLD_LAYOUT = [
    ("consultations", None),
    ("tenders", "0007_consultationreport_change_note"),
    ("suppliers", "0004_responsesubmission"),
]

# (old app, model) -> (new model, its table, which it kept).
MOVED = {
    ("tenders", "Consultation"): (consultations.Consultation, "tenders_consultation"),
    ("tenders", "ConsultationDocument"): (
        consultations.ConsultationDocument,
        "tenders_consultationdocument",
    ),
    ("tenders", "QuestionnaireVersion"): (
        consultations.QuestionnaireVersion,
        "tenders_questionnaireversion",
    ),
    ("tenders", "QuestionSection"): (consultations.QuestionSection, "tenders_questionsection"),
    ("tenders", "Question"): (consultations.Question, "tenders_question"),
    ("tenders", "ClarificationQuestion"): (
        consultations.ClarificationQuestion,
        "tenders_clarificationquestion",
    ),
    ("tenders", "TalkSlot"): (consultations.TalkSlot, "tenders_talkslot"),
    ("tenders", "ConsultationReport"): (
        consultations.ConsultationReport,
        "tenders_consultationreport",
    ),
    ("suppliers", "ConsultationResponse"): (
        consultations.ConsultationResponse,
        "suppliers_consultationresponse",
    ),
    ("suppliers", "Answer"): (consultations.Answer, "suppliers_answer"),
    ("suppliers", "AnswerReview"): (consultations.AnswerReview, "suppliers_answerreview"),
    ("suppliers", "ResponseSubmission"): (
        consultations.ResponseSubmission,
        "suppliers_responsesubmission",
    ),
}
QUESTION_CATEGORIES_TABLE = "tenders_question_categories"

NOW = dt.datetime(2027, 3, 1, 9, 30, tzinfo=dt.UTC)


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    # A fresh executor reads what is applied now.
    return MigrationExecutor(connection)


def latest(executor: MigrationExecutor) -> list[tuple[str, str]]:
    return executor.loader.graph.leaf_nodes()


def applied_state_apps(executor: MigrationExecutor):
    """The historical models of exactly the migrations applied to the database now."""
    graph = executor.loader.graph
    applied = [key for key in executor.loader.applied_migrations if key in graph.nodes]
    return executor.loader.project_state(applied).apps


def field_values(instance: models.Model) -> dict[str, object]:
    """Every column of a row, by attribute name (files by their stored name)."""
    values = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if isinstance(field, models.FileField):
            value = value.name
        values[field.attname] = value
    return values


def count_rows(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return cursor.fetchone()[0]


def create_old_layout_rows(apps) -> dict[tuple[str, str], models.Model]:
    """One row of every moved model (and what they need), with the historical models."""

    def model(app_label, name):
        return apps.get_model(app_label, name)

    user = model("portal", "User").objects.create(
        email="projectteam@example.org", name="Pim Projectteam", password="!"
    )
    supplier = model("portal", "Organisation").objects.create(
        slug="leverancier-x", name="Leverancier X B.V.", kind="supplier"
    )
    cpv = model("catalog", "CpvCode").objects.create(
        code="30213100-6", label_en="Portable computers", label_nl="Draagbare computers"
    )
    category = model("catalog", "Category").objects.create(
        slug="laptop", name_nl="Laptop", name_en="Laptop", kind="device", cpv_code=cpv
    )
    programme = model("tenders", "Programme").objects.create(
        slug="gt-werkplek-2028",
        name="GT Werkplek 2028",
        status="consultation",
        contract_start_year=2028,
    )
    consultation = model("tenders", "Consultation").objects.create(
        programme=programme,
        slug="marktconsultatie-werkplek",
        title="Marktconsultatie werkplek",
        introduction="Wij horen graag hoe u naar de werkplek kijkt.",
        opens_at=NOW - dt.timedelta(days=30),
        closes_at=NOW - dt.timedelta(days=2),
        status="closed",
        closed_at=NOW - dt.timedelta(days=1),
        closed_by=user,
    )
    document = model("tenders", "ConsultationDocument").objects.create(
        consultation=consultation,
        title="Concept programma van eisen",
        file=f"consultations/{consultation.public_id}/pve.pdf",
        sha256="a" * 64,
        uploaded_by=user,
        uploaded_at=NOW - dt.timedelta(days=31),
    )
    version = model("tenders", "QuestionnaireVersion").objects.create(
        consultation=consultation,
        number=1,
        status="published",
        published_at=NOW - dt.timedelta(days=30),
    )
    section = model("tenders", "QuestionSection").objects.create(
        version=version, key="apparaten", title="Apparaten", order=1
    )
    question = model("tenders", "Question").objects.create(
        version=version,
        section=section,
        key="levensduur",
        type="long_text",
        text="Hoe lang gaat een laptop bij u mee?",
        help_text="In jaren.",
        required=True,
        options=[],
        max_length=2000,
        unit="jaar",
        order=2,
    )
    question.categories.add(category)
    response = model("suppliers", "ConsultationResponse").objects.create(
        consultation=consultation,
        organisation=supplier,
        version=version,
        status="submitted",
        submitted_at=NOW - dt.timedelta(days=3),
        updated_at=NOW - dt.timedelta(days=3),
        updated_by=user,
    )
    answer = model("suppliers", "Answer").objects.create(
        response=response,
        question_key="levensduur",
        value="Vijf jaar, met een nieuwe accu na drie jaar.",
        file=f"consultation-responses/{response.public_id}/toelichting.pdf",
        updated_at=NOW - dt.timedelta(days=3),
    )
    review = model("suppliers", "AnswerReview").objects.create(
        answer=answer,
        include=True,
        redacted_text="Vijf jaar, met een nieuwe accu na drie jaar.",
        reviewed_by=user,
        reviewed_at=NOW - dt.timedelta(hours=20),
    )
    submission = model("suppliers", "ResponseSubmission").objects.create(
        response=response,
        number=1,
        version=version,
        answers={"levensduur": "Vijf jaar, met een nieuwe accu na drie jaar."},
        files=[answer.file.name],
        submitted_at=NOW - dt.timedelta(days=3),
        submitted_by=user,
    )
    clarification = model("tenders", "ClarificationQuestion").objects.create(
        consultation=consultation,
        organisation=supplier,
        asked_by=user,
        asked_at=NOW - dt.timedelta(days=20),
        question="Mogen wij ook refurbished apparaten aanbieden?",
        status="published",
        number=1,
        public_question="Zijn refurbished apparaten toegestaan?",
        answer="Ja.",
        answered_by=user,
        published_at=NOW - dt.timedelta(days=18),
    )
    talk_slot = model("tenders", "TalkSlot").objects.create(
        consultation=consultation,
        starts_at=NOW - dt.timedelta(days=10),
        ends_at=NOW - dt.timedelta(days=10) + dt.timedelta(minutes=45),
        location="Stadhuis Aadorp, kamer 2",
        organisation=supplier,
        booked_by=user,
        booked_at=NOW - dt.timedelta(days=15),
        minutes=f"consultations/{consultation.public_id}/talks/verslag.pdf",
        minutes_sha256="b" * 64,
        minutes_uploaded_at=NOW - dt.timedelta(days=9),
    )
    report = model("tenders", "ConsultationReport").objects.create(
        consultation=consultation,
        number=1,
        status="done",
        pseudonyms={str(response.pk): "A"},
        file=f"consultations/{consultation.public_id}/reports/rapport.pdf",
        sha256="c" * 64,
        change_note="Eerste versie",
        requested_by=user,
        requested_at=NOW - dt.timedelta(hours=12),
        generated_at=NOW - dt.timedelta(hours=11),
        published_at=NOW - dt.timedelta(hours=10),
        published_by=user,
    )
    return {
        ("tenders", "Consultation"): consultation,
        ("tenders", "ConsultationDocument"): document,
        ("tenders", "QuestionnaireVersion"): version,
        ("tenders", "QuestionSection"): section,
        ("tenders", "Question"): question,
        ("tenders", "ClarificationQuestion"): clarification,
        ("tenders", "TalkSlot"): talk_slot,
        ("tenders", "ConsultationReport"): report,
        ("suppliers", "ConsultationResponse"): response,
        ("suppliers", "Answer"): answer,
        ("suppliers", "AnswerReview"): review,
        ("suppliers", "ResponseSubmission"): submission,
    }


@pytest.mark.django_db(transaction=True)
def test_migrating_from_the_old_layout_keeps_every_row():
    executor = MigrationExecutor(connection)
    leaves = latest(executor)
    try:
        executor = migrate(OLD_LAYOUT)
        old_apps = applied_state_apps(executor)
        assert not [m for m in old_apps.get_models() if m._meta.app_label == "consultations"]

        # The old layout's content types: the moved models under tenders and suppliers (the
        # backwards migration relabelled them), none under consultations.
        old_content_type = old_apps.get_model("contenttypes", "ContentType")
        old_permission = old_apps.get_model("auth", "Permission")
        content_type_ids = {}
        for app_label, name in MOVED:
            content_type, _ = old_content_type.objects.get_or_create(
                app_label=app_label, model=name.lower()
            )
            content_type_ids[(app_label, name)] = content_type.pk
        # (Models added to consultations later keep their content type on the way back.)
        assert not old_content_type.objects.filter(
            app_label="consultations", model__in=[name.lower() for _, name in MOVED]
        ).exists()
        old_permissions = {
            key: set(
                old_permission.objects.filter(content_type_id=pk).values_list("pk", "codename")
            )
            for key, pk in content_type_ids.items()
        }

        rows = create_old_layout_rows(old_apps)
        for key, row in rows.items():
            assert row._meta.db_table == MOVED[key][1]
            row.refresh_from_db()
        old_values = {key: field_values(row) for key, row in rows.items()}
        question = rows[("tenders", "Question")]
        old_category_ids = list(question.categories.values_list("pk", flat=True))
        old_counts = {table: count_rows(table) for _, table in MOVED.values()}
        old_counts[QUESTION_CATEGORIES_TABLE] = count_rows(QUESTION_CATEGORIES_TABLE)

        old_audit_event = old_apps.get_model("portal", "AuditEvent")
        consultation = rows[("tenders", "Consultation")]
        response = rows[("suppliers", "ConsultationResponse")]
        moved_event = old_audit_event.objects.create(
            action="consultation.close",
            target_type="tenders.consultation",
            target_id=str(consultation.pk),
            data={"slug": consultation.slug},
        )
        moved_response_event = old_audit_event.objects.create(
            action="consultation_response.submit",
            target_type="suppliers.consultationresponse",
            target_id=str(response.pk),
        )
        programme_event = old_audit_event.objects.create(
            action="programme.update",
            target_type="tenders.programme",
            target_id=str(consultation.programme_id),
        )

        executor = migrate(leaves)
        assert executor.migration_plan(leaves) == []
    finally:
        # Leave the database as every other test expects it: fully migrated.
        executor = migrate(leaves)
    assert executor.migration_plan(leaves) == []

    # Every row again, under the new models: same primary keys, same values, same tables.
    for key, (new_model, table) in MOVED.items():
        assert new_model._meta.app_label == "consultations"
        assert new_model._meta.db_table == table
        old = old_values[key]
        # Columns added by later migrations (e.g. a job's claimed_at) were not in the old row.
        new = {
            name: value
            for name, value in field_values(new_model.objects.get(pk=old["id"])).items()
            if name in old
        }
        assert new == old, f"{key[0]}.{key[1]} changed on the way to {new_model.__name__}"
        assert count_rows(table) == old_counts[table]
    new_question = consultations.Question.objects.get(pk=question.pk)
    assert consultations.Question.categories.through._meta.db_table == QUESTION_CATEGORIES_TABLE
    assert list(new_question.categories.values_list("pk", flat=True)) == old_category_ids
    assert count_rows(QUESTION_CATEGORIES_TABLE) == old_counts[QUESTION_CATEGORIES_TABLE]
    # The moved models kept their tables; only models born in consultations have its prefix.
    from django.apps import apps

    native = {m._meta.db_table for m in apps.get_app_config("consultations").get_models()} - {
        table for _, table in MOVED.values()
    }
    assert {
        t for t in connection.introspection.table_names() if t.startswith("consultations_")
    } <= native

    # The content types (the same rows, so their permissions with them) now say consultations.
    ContentType.objects.clear_cache()
    for key, (new_model, _) in MOVED.items():
        content_type = ContentType.objects.get_for_model(new_model)
        assert (content_type.app_label, content_type.model) == ("consultations", key[1].lower())
        assert content_type.pk == content_type_ids[key]
        permissions = set(
            Permission.objects.filter(content_type=content_type).values_list("pk", "codename")
        )
        assert permissions == old_permissions[key]
    stale = ContentType.objects.filter(
        app_label__in=["tenders", "suppliers"],
        model__in=[name.lower() for _, name in MOVED],
    )
    assert list(stale.values_list("app_label", "model")) == []

    # The audit trail follows the models; other targets keep their label.
    assert AuditEvent.objects.get(pk=moved_event.pk).target_type == "consultations.consultation"
    assert (
        AuditEvent.objects.get(pk=moved_response_event.pk).target_type
        == "consultations.consultationresponse"
    )
    assert AuditEvent.objects.get(pk=programme_event.pk).target_type == "tenders.programme"
    # Written before the chain existed, the events were chained by the migration.
    call_command("verify_audit", stdout=StringIO())


@pytest.mark.django_db
def test_the_models_and_the_migrations_agree():
    out = StringIO()
    call_command("makemigrations", check=True, dry_run=True, stdout=out, stderr=out)
    assert "No changes detected" in out.getvalue()
