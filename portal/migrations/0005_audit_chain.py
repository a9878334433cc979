import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from portal import audit_chain

CHUNK = 1000


def chain_existing_events(apps, schema_editor):
    """Chain the events written before the chain existed, in id order, a chunk at a time."""
    event_model = apps.get_model("portal", "AuditEvent")
    events = event_model.objects.using(schema_editor.connection.alias)
    prev_hash, last_id = audit_chain.GENESIS, 0
    while True:
        chunk = list(
            events.filter(pk__gt=last_id)
            .order_by("pk")
            .select_related("actor")
            .only(
                "pk",
                "created_at",
                "actor__public_id",
                "organisation_id",
                "action",
                "target_type",
                "target_id",
                "data",
            )[:CHUNK]
        )
        if not chunk:
            return
        for event in chunk:
            event.actor_ref = event.actor.public_id if event.actor is not None else None
            event.data = audit_chain.normalised_data(event.data)
            event.prev_hash = prev_hash
            event.hash = audit_chain.event_hash(
                **{name: getattr(event, name) for name in audit_chain.CHAINED_FIELDS}
            )
            prev_hash = event.hash
        events.bulk_update(chunk, ["actor_ref", "data", "prev_hash", "hash"])
        last_id = chunk[-1].pk


class Migration(migrations.Migration):
    """The audit trail becomes a hash chain, and its links to users and organisations stop
    being database constraints (removing a user must not write to the trail)."""

    dependencies = [
        ("portal", "0004_organisation_other_authority"),
        # The consultation's move relabels audit events: it must happen before they are
        # chained and made append-only.
        ("consultations", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="portal.organisation",
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="actor_ref",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
    ]
