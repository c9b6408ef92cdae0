"""REST API of missions (with delegation, programme and meetings) and meetings, and "my meetings".

A nested organization the user may not see is left out (delegation members, meetings), exactly as on
the mission page."""

import datetime

import django_filters
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from companies.api import ReadOnlyViewSet, visible_organization_ref
from companies.models import Place
from companies.roles import user_organization
from companies.selectors import visible_q

from .filters import MissionFilter
from .models import DelegationMember, Meeting, Mission, ProgramItem
from .selectors import missions_visible_to


class OrganizationRefField(serializers.Field):
    """An organization as {slug, name}, or null when the user may not see it."""

    def to_representation(self, organization):
        if self.context.get("show_all_organizations") and organization is not None:
            return {"slug": organization.slug, "name": str(organization)}
        return visible_organization_ref(organization, self.context["request"].user)


OrganizationRefField = extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
        "required": ["slug", "name"],
    }  # fmt: skip
)(OrganizationRefField)


class DelegationMemberSerializer(serializers.ModelSerializer):
    organization = OrganizationRefField()
    person = serializers.CharField(source="person.full_name", allow_null=True, default=None)

    class Meta:
        model = DelegationMember
        fields = ["organization", "person", "role"]


class PlaceSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Place
        fields = ["slug", "name", "name_en", "region"]


class ProgramItemSerializer(serializers.ModelSerializer):
    place = PlaceSerializer(read_only=True, allow_null=True)
    time_zone = serializers.SerializerMethodField(help_text=_("The venue's time zone, in which its times are given."))

    class Meta:
        model = ProgramItem
        fields = ["kind", "title", "date", "starts_at", "ends_at", "time_zone", "place", "venue", "description"]

    @extend_schema_field(serializers.CharField())
    def get_time_zone(self, item) -> str:
        return item.venue_zone.key


class MeetingSerializer(serializers.ModelSerializer):
    mission = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organization_a = OrganizationRefField()
    organization_b = OrganizationRefField()

    class Meta:
        model = Meeting
        fields = ["id", "mission", "date", "starts_at", "ends_at", "table", "organization_a", "organization_b",
                  "topic", "status", "outcome"]  # fmt: skip


class MissionSerializer(serializers.ModelSerializer):
    origin_region = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    destination_regions = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    places = PlaceSerializer(many=True, read_only=True)
    organizer = OrganizationRefField()
    recorded_by = OrganizationRefField()
    head_of_delegation = serializers.CharField(source="head_of_delegation.full_name", allow_null=True, default=None)
    delegation = DelegationMemberSerializer(many=True, read_only=True, source="visible_delegation")
    programme = ProgramItemSerializer(many=True, read_only=True, source="programme_items")
    meetings = MeetingSerializer(many=True, read_only=True, source="visible_meetings")

    class Meta:
        model = Mission
        fields = ["slug", "title", "status", "start_date", "end_date", "dates_precision", "origin_region",
                  "destination_regions", "places", "organizer", "recorded_by", "head_of_delegation", "purpose",
                  "results_summary", "delegation", "programme", "meetings"]  # fmt: skip


class MissionViewSet(ReadOnlyViewSet):
    """Business missions with their delegation, programme and B2B meetings.

    `region` (a region's slug) gives the missions from or to that region; `direction` narrows it to
    `outgoing` or `incoming`."""

    serializer_class = MissionSerializer
    lookup_field = "slug"
    filterset_class = MissionFilter
    ordering_fields = ["start_date", "title"]
    ordering = ["-start_date"]

    def get_queryset(self):
        user = self.user
        delegation = (
            DelegationMember.objects.filter(visible_q(user, "organization__"))
            .select_related("organization", "person")
            .order_by("organization__name", "pk")
        )
        meetings = (
            Meeting.objects.filter(visible_q(user, "organization_a__"))
            .filter(visible_q(user, "organization_b__"))
            .select_related("mission", "organization_a", "organization_b")
            .order_by("starts_at", "pk")
        )
        return (
            missions_visible_to(user)
            .select_related("head_of_delegation", "recorded_by")
            .prefetch_related(
                "destination_regions",
                Prefetch("places", queryset=Place.objects.select_related("region")),
                Prefetch("delegation", queryset=delegation, to_attr="visible_delegation"),
                Prefetch(
                    "program",
                    queryset=ProgramItem.objects.select_related("place__region").order_by("date", "starts_at", "pk"),
                    to_attr="programme_items",
                ),
                Prefetch("meetings", queryset=meetings, to_attr="visible_meetings"),
            )
            .order_by("-start_date", "title", "pk")
        )


class BoundedIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO date-time, brought within the years 1900–2999: the database cannot store every moment
    the format allows, and no meeting lies outside those years, so the list is the same."""

    EARLIEST = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
    LATEST = datetime.datetime(2999, 12, 31, tzinfo=datetime.UTC)

    def clean(self, value):
        moment = super().clean(value)
        if moment is None:
            return None
        return min(max(moment, self.EARLIEST), self.LATEST).astimezone(datetime.UTC)


class BoundedIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = BoundedIsoDateTimeField


class MeetingFilter(django_filters.FilterSet):
    mission = django_filters.CharFilter(field_name="mission__slug", label=_("Mission (slug)"))
    organization = django_filters.CharFilter(label=_("Organization (slug), either side"), method="filter_organization")
    status = django_filters.ChoiceFilter(choices=Meeting.Status.choices)
    outcome = django_filters.ChoiceFilter(choices=Meeting.Outcome.choices)
    starts_after = BoundedIsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = BoundedIsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = Meeting
        fields = ["mission", "organization", "status", "outcome", "starts_after", "starts_before"]

    def filter_organization(self, queryset, name, value):
        return queryset.filter(Q(organization_a__slug=value) | Q(organization_b__slug=value))


def meetings_visible_to(user):
    return (
        Meeting.objects.filter(mission__in=missions_visible_to(user).values("pk"))
        .filter(visible_q(user, "organization_a__"), visible_q(user, "organization_b__"))
        .select_related("mission", "organization_a", "organization_b")
        .order_by("starts_at", "pk")
    )


class MeetingViewSet(ReadOnlyViewSet):
    """B2B meetings of the missions the user may see, between organizations the user may see."""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    ordering_fields = ["starts_at", "id"]
    whole_list_count_cached = True  # config.api_pagination: rows by visibility scope only
    ordering = ["starts_at"]

    def get_queryset(self):
        return meetings_visible_to(self.user)


class MyMeetingsViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The meetings of the signed-in user's organization, published or not (as in the personal area)."""

    permission_classes = [IsAuthenticated]
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter

    def get_queryset(self):
        organization = user_organization(self.request.user)
        if organization is None:
            return Meeting.objects.none()
        return (
            Meeting.objects.filter(Q(organization_a=organization) | Q(organization_b=organization))
            .select_related("mission", "organization_a", "organization_b")
            .order_by("starts_at", "pk")
        )

    def get_serializer_context(self):
        # Your own meetings name your counterparts even when they are not published.
        context = super().get_serializer_context()
        context["show_all_organizations"] = True
        return context
