from rest_framework import serializers

from portal.models import Membership, Organisation, User


class OrganisationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "slug", "name", "kind"]


class MemberSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    name = serializers.CharField(source="user.name", read_only=True)
    isSignatory = serializers.BooleanField(source="is_signatory", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "email", "name", "role", "isSignatory"]


class MembershipOfUserSerializer(serializers.ModelSerializer):
    organisation = OrganisationSerializer(read_only=True)
    isSignatory = serializers.BooleanField(source="is_signatory", read_only=True)

    class Meta:
        model = Membership
        fields = ["organisation", "role", "isSignatory"]


class MeSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    memberships = MembershipOfUserSerializer(many=True, read_only=True)
    isProjectTeam = serializers.BooleanField(source="is_project_team", read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "name", "isProjectTeam", "memberships"]
