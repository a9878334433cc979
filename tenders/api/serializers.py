from rest_framework import serializers

from tenders.models import Milestone, Programme


class MilestoneSerializer(serializers.ModelSerializer):
    dueAt = serializers.DateTimeField(source="due_at")

    class Meta:
        model = Milestone
        fields = ["kind", "dueAt"]


class ProgrammeSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    contractYears = serializers.ListField(
        source="years", child=serializers.IntegerField(), read_only=True
    )
    milestones = MilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        fields = ["id", "slug", "name", "description", "status", "contractYears", "milestones"]
