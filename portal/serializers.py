from rest_framework import serializers

from portal.models import Membership, Organisation, User
from portal.text import validate_single_line


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


class SingleLineSerializerField(serializers.CharField):
    """An API field for one line of text (portal.text.validate_single_line)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(validate_single_line)
