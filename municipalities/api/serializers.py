from rest_framework import serializers

from municipalities import selectors
from municipalities.models import ContactPerson, CoveredMunicipality, Participation


class CoveredMunicipalitySerializer(serializers.ModelSerializer):
    cbsCode = serializers.CharField(source="municipality.cbs_code")
    name = serializers.CharField(source="municipality.name")
    province = serializers.CharField(source="municipality.province")

    class Meta:
        model = CoveredMunicipality
        fields = ["cbsCode", "name", "province"]


class ContactPersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContactPerson
        fields = ["kind", "name", "email", "phone"]


class ParticipationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    programme = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    # A nested serializer, made once for the whole list (a method field made one per row).
    municipalities = CoveredMunicipalitySerializer(source="covered_now", many=True, read_only=True)
    contacts = ContactPersonSerializer(many=True, read_only=True)
    currentContractEnd = serializers.DateField(source="current_contract_end", read_only=True)
    mandateCompleted = serializers.SerializerMethodField()
    # The college's decision and the signer's designation were checked by the project team.
    signingAuthorityChecked = serializers.SerializerMethodField()
    # Empty until the municipality submits its participation.
    submittedAt = serializers.DateTimeField(source="submitted_at", read_only=True, allow_null=True)

    class Meta:
        model = Participation
        fields = [
            "id",
            "programme",
            "organisation",
            "status",
            "municipalities",
            "contacts",
            "currentContractEnd",
            "mandateCompleted",
            "signingAuthorityChecked",
            "submittedAt",
        ]

    def get_mandateCompleted(self, obj) -> bool:  # noqa: N802 - API field name
        """A valid signature of the newest version that counts (checked if uploaded by
        someone other than the signer)."""
        return selectors.mandate_counts_as_signed(participation=obj)

    def get_signingAuthorityChecked(self, obj) -> bool:  # noqa: N802 - API field name
        authority = selectors.signing_authority_of(participation=obj)
        return authority is not None and authority.is_checked
