from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tenders.models import Milestone, Programme
from tenders.selectors.programme import programme_phase


class MilestoneSerializer(serializers.ModelSerializer):
    dueAt = serializers.DateTimeField(source="due_at")

    class Meta:
        model = Milestone
        fields = ["kind", "dueAt"]


class PhaseSerializer(serializers.Serializer):
    """Where the programme stands, derived from its milestones and actions."""

    # A plain string: the values are those of ``status``, and one enum serves both.
    key = serializers.CharField(
        help_text=gettext_lazy(
            "preparation, joining, inventory, consultation, frozen, published or awarded "
            "(draft for the project team's drafts)."
        ),
    )
    label = serializers.CharField(help_text=gettext_lazy("The phase in the user's language."))
    nextMilestone = MilestoneSerializer(allow_null=True)


class ProgrammeSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    contractYears = serializers.ListField(
        source="years", child=serializers.IntegerField(), read_only=True
    )
    extensionYears = serializers.IntegerField(source="extension_years", read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    phase = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "status",
            "phase",
            "contractYears",
            "extensionYears",
            "milestones",
        ]

    @extend_schema_field(PhaseSerializer)
    def get_phase(self, programme: Programme) -> dict:
        phase = programme_phase(programme)
        upcoming = phase.next_milestone
        return {
            "key": phase.key,
            "label": phase.label,
            "nextMilestone": MilestoneSerializer(upcoming).data if upcoming else None,
        }
