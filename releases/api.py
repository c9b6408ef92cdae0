"""POST /api/v1/drafts/: a release's text read into a draft mission record, as JSON; nothing is written."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from companies.exceptions import PortalError

from .extraction.pipeline import analyse
from .upload import RELEASE_MAX_CHARS, release_text_check


class IsStaff(BasePermission):
    """Ministry staff (and superusers): the analysis proposes directory matches and is a staff tool."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.is_staff)


class StrictCharField(serializers.CharField):
    """Text only: DRF's CharField would take a number or a boolean as its string."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class DraftRequestSerializer(serializers.Serializer):
    text = StrictCharField(
        max_length=RELEASE_MAX_CHARS,
        trim_whitespace=False,
        help_text="The release's text (plain text, UTF-8).",
        # In the schema too: a text of spaces, control characters or NUL alone is empty (release_text_check).
        validators=[RegexValidator(r"[^\s\x00]", message=_("The release's text is empty."), code="empty")],
    )
    published = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="The release's publication date: gives the year to dates the text names without one.",
    )

    def validate_text(self, value: str) -> str:
        try:
            return release_text_check(value)
        except PortalError as exc:  # empty or too long: the message on the field
            raise serializers.ValidationError(exc.messages, code=exc.error_list[0].code or "invalid") from exc


# --- The response's shape (releases.draft), for the schema ------------------------------------------


class SpanSerializer(serializers.Serializer):
    start = serializers.IntegerField(help_text="The first character of the text, from 0.")
    end = serializers.IntegerField(help_text="The character after the last one.")
    text = serializers.CharField()


def _spans():
    return SpanSerializer(many=True, help_text="Where the text says it.")


def _text(**kwargs):
    return serializers.CharField(allow_null=kwargs.pop("null", False), **kwargs)


class RegionItemSerializer(serializers.Serializer):
    name = _text(help_text="The region directory's name.")
    region_id = serializers.IntegerField(allow_null=True)
    spans = _spans()


class CityItemSerializer(serializers.Serializer):
    name = _text()
    region_name = _text(null=True)
    place_id = serializers.IntegerField(allow_null=True)
    spans = _spans()


class OrganizationItemSerializer(serializers.Serializer):
    name = _text()
    kind = _text(help_text="company, government, municipality, development, association or education.")
    organization_id = serializers.IntegerField(allow_null=True, help_text="The directory's match; null: new.")
    region_name = _text(null=True)
    legal_form = serializers.CharField(allow_blank=True)
    score = serializers.FloatField(allow_null=True)
    spans = _spans()


class PersonItemSerializer(serializers.Serializer):
    name = _text()
    position = _text(null=True)
    organization = _text(null=True)
    person_id = serializers.IntegerField(allow_null=True)
    spans = _spans()


class DateItemSerializer(serializers.Serializer):
    text = _text()
    iso = _text(null=True, help_text="YYYY-MM-DD or YYYY; null when the text gives no year.")
    what = _text()
    spans = _spans()


class FigureItemSerializer(serializers.Serializer):
    text = _text()
    metric = _text()
    qualifier = _text()
    number = serializers.CharField(help_text="A decimal number, as a string.")
    currency = _text(null=True)
    spans = _spans()


class AgreementItemSerializer(serializers.Serializer):
    title = _text()
    parties = serializers.ListField(child=serializers.CharField())
    kind = _text()
    signed = serializers.BooleanField()
    spans = _spans()


class ProgrammeItemSerializer(serializers.Serializer):
    kind = _text()
    title = _text()
    date = _text(null=True)
    spans = _spans()


class GoldOrganizationSerializer(serializers.Serializer):
    name = _text()
    kind = _text()


class GoldPersonSerializer(serializers.Serializer):
    name = _text()
    position = _text(null=True)
    organization = _text(null=True)


class GoldDateSerializer(serializers.Serializer):
    text = _text()
    iso = _text(null=True)
    what = _text()


class GoldFigureSerializer(serializers.Serializer):
    text = _text()
    metric = _text()
    qualifier = _text()
    number = serializers.FloatField()
    currency = _text(null=True)


class GoldAgreementSerializer(serializers.Serializer):
    title_or_description = _text()
    parties = serializers.ListField(child=serializers.CharField())
    kind = _text()


class GoldSerializer(serializers.Serializer):
    """The evaluation's schema (what `manage.py extract_release --json` prints)."""

    origin_regions = serializers.ListField(child=serializers.CharField())
    destination_regions = serializers.ListField(child=serializers.CharField())
    cities = serializers.ListField(child=serializers.CharField())
    organizations = GoldOrganizationSerializer(many=True)
    people = GoldPersonSerializer(many=True)
    dates = GoldDateSerializer(many=True)
    figures = GoldFigureSerializer(many=True)
    agreements = GoldAgreementSerializer(many=True)


class DraftSerializer(serializers.Serializer):
    text = serializers.CharField()
    published = serializers.DateField(allow_null=True)
    title = serializers.CharField(allow_blank=True)
    origin_regions = RegionItemSerializer(many=True)
    destination_regions = RegionItemSerializer(many=True)
    cities = CityItemSerializer(many=True)
    organizations = OrganizationItemSerializer(many=True)
    people = PersonItemSerializer(many=True)
    dates = DateItemSerializer(many=True)
    figures = FigureItemSerializer(many=True)
    agreements = AgreementItemSerializer(many=True)
    programme = ProgrammeItemSerializer(many=True)
    head_of_delegation = _text(null=True)
    mission_id = serializers.IntegerField(allow_null=True)
    gold = GoldSerializer()


class DraftView(APIView):
    """Read a press release into the mission record it proposes. Nothing is written."""

    permission_classes = [IsStaff]

    @extend_schema(
        operation_id="drafts_create",
        request=DraftRequestSerializer,
        responses={200: DraftSerializer},
        summary="Read a press release into a draft mission (staff only; nothing is written)",
        description=(
            "Regions (resolved to the region directory), cities, organizations and people (matched to "
            "the directory where they exist, `*_id` null for a new one), dates, figures, agreements and "
            "the programme, each with the spans of the text it came from; `gold` is the same in the "
            "evaluation's schema."
        ),
        tags=["drafts"],
    )
    def post(self, request):
        serializer = DraftRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        draft = analyse(serializer.validated_data["text"], published=serializer.validated_data.get("published"))
        return Response({**draft.as_dict(), "gold": draft.to_gold()})
