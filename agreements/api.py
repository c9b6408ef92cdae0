"""REST API of agreements (with parties, signatories, plan items) and cooperation projects (with
their updates), "my projects", and posting a project update through `project_record_progress`."""

import django_filters
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from companies.api import ReadOnlyViewSet
from companies.filters import SlugFilter
from companies.models import Region, Sector
from companies.roles import can_record_progress, can_see_unpublished, user_organization
from companies.selectors import visible_q
from missions.api import OrganizationRefField

from .filters import AgreementFilter
from .models import Agreement, AgreementParty, CooperationProject, PlanItem, ProjectParty, ProjectUpdate, Signatory
from .selectors import agreements_visible_to, projects_of_organization, projects_visible_to
from .services.projects import project_record_progress

# --- Agreements ---------------------------------------------------------------------------------


class AgreementPartySerializer(serializers.ModelSerializer):
    organization = OrganizationRefField()

    class Meta:
        model = AgreementParty
        fields = ["organization", "role"]


class SignatorySerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="person.full_name")
    on_behalf_of = OrganizationRefField()

    class Meta:
        model = Signatory
        fields = ["person", "position_at_signing", "on_behalf_of"]


class PlanItemSerializer(serializers.ModelSerializer):
    responsible_organization = OrganizationRefField()
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = PlanItem
        fields = ["id", "number", "action", "responsible_organization", "due_date", "status", "completed_on",
                  "is_overdue"]  # fmt: skip

    def get_is_overdue(self, item) -> bool:
        return item.is_overdue()


class AgreementSerializer(serializers.ModelSerializer):
    signed_at_mission = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    parties = AgreementPartySerializer(many=True, read_only=True, source="visible_parties")
    signatories = SignatorySerializer(many=True, read_only=True, source="visible_signatories")
    plan_items = PlanItemSerializer(many=True, read_only=True, source="plan")
    document_url = serializers.SerializerMethodField(
        help_text=_("The document's download address (the same visibility as the agreement), null without one.")
    )

    class Meta:
        model = Agreement
        fields = ["slug", "kind", "number", "title", "summary", "status", "signed_on", "signed_on_precision",
                  "signing_place", "signed_at_mission", "valid_from", "valid_until", "is_open_ended", "value",
                  "currency", "document_url", "parties", "signatories", "plan_items"]  # fmt: skip

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_document_url(self, agreement) -> str | None:
        if not agreement.document:
            return None
        url = reverse("agreements:document", kwargs={"slug": agreement.slug})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class AgreementViewSet(ReadOnlyViewSet):
    """Agreements and memoranda with their parties, signatories and implementation plan.

    `region` (a region's slug) gives agreements with a party from that region."""

    serializer_class = AgreementSerializer
    lookup_field = "slug"
    filterset_class = AgreementFilter
    ordering_fields = ["signed_on", "title"]
    ordering = ["-signed_on"]

    def get_queryset(self):
        user = self.user
        parties = AgreementParty.objects.filter(visible_q(user, "organization__")).select_related("organization")
        signatories = Signatory.objects.filter(visible_q(user, "person__organization__")).select_related(
            "person", "on_behalf_of"
        )
        return (
            agreements_visible_to(user)
            .prefetch_related(
                Prefetch("parties", queryset=parties.order_by("pk"), to_attr="visible_parties"),
                Prefetch("signatories", queryset=signatories.order_by("pk"), to_attr="visible_signatories"),
                Prefetch(
                    "plan_items", queryset=PlanItem.objects.select_related("responsible_organization"), to_attr="plan"
                ),
            )
            .order_by("-signed_on", "title", "pk")
        )


# --- Cooperation projects ---------------------------------------------------------------------


class ProjectPartySerializer(serializers.ModelSerializer):
    organization = OrganizationRefField()

    class Meta:
        model = ProjectParty
        fields = ["organization", "role"]


class ProjectUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectUpdate
        fields = ["created_at", "text", "stage_from", "stage_to", "next_step", "next_step_due"]


class ProjectSerializer(serializers.ModelSerializer):
    origin_mission = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    resulting_agreement = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    sectors = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    parties = ProjectPartySerializer(many=True, read_only=True, source="visible_parties")
    updates = serializers.SerializerMethodField(help_text="The latest updates, newest first (parties and staff only).")

    class Meta:
        model = CooperationProject
        fields = ["slug", "title", "description", "stage", "expected_value", "currency", "origin_mission",
                  "resulting_agreement", "sectors", "parties", "next_step", "next_step_due", "last_activity_at",
                  "updates"]  # fmt: skip

    @extend_schema_field(ProjectUpdateSerializer(many=True))
    def get_updates(self, project):
        """Updates are the working notes of the parties and the ministry: not for the public."""
        user = self.context["request"].user
        organization = user_organization(user)
        own = organization is not None and any(p.organization_id == organization.pk for p in project.visible_parties)
        if not (own or can_see_unpublished(user) or self.context.get("show_all_organizations")):
            return []
        return ProjectUpdateSerializer(project.latest_updates, many=True).data


class ProjectFilter(django_filters.FilterSet):
    stage = django_filters.MultipleChoiceFilter(choices=CooperationProject.Stage.choices)
    region = SlugFilter(
        label=_("Region of a party (slug)"), queryset=Region.objects.all(), to_field_name="slug", method="filter_region"
    )
    sector = django_filters.ModelChoiceFilter(
        field_name="sectors", queryset=Sector.objects.all(), to_field_name="slug", label=_("Sector (slug)")
    )
    mission = django_filters.CharFilter(field_name="origin_mission__slug", label=_("Origin mission (slug)"))
    next_step_due_before = django_filters.DateFilter(field_name="next_step_due", lookup_expr="lte")

    class Meta:
        model = CooperationProject
        fields = ["stage", "region", "sector", "mission", "next_step_due_before"]

    def filter_region(self, queryset, name, region):
        return queryset.filter(pk__in=ProjectParty.objects.filter(organization__region=region).values("project_id"))


LATEST_UPDATES = 20


def _with_details(projects, user, *, all_parties: bool = False):
    parties = ProjectParty.objects.select_related("organization").order_by("pk")
    if not all_parties:
        parties = parties.filter(visible_q(user, "organization__"))
    return projects.select_related("origin_mission", "resulting_agreement").prefetch_related(
        "sectors",
        Prefetch("parties", queryset=parties, to_attr="visible_parties"),
        Prefetch(
            "updates",
            queryset=ProjectUpdate.objects.order_by("-created_at", "-pk")[:LATEST_UPDATES],
            to_attr="latest_updates",
        ),
    )


class ProjectUpdateInputSerializer(serializers.Serializer):
    """What a project update may carry; the rules (allowed stage moves, a closed project) are the service's."""

    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    stage = serializers.ChoiceField(choices=CooperationProject.Stage.choices, required=False)
    next_step = serializers.CharField(required=False, allow_blank=True, max_length=300)
    next_step_due = serializers.DateField(required=False, allow_null=True)


class ProjectViewSet(ReadOnlyViewSet):
    """Cooperation projects between organizations, with their latest updates (newest first).

    POST `/projects/{slug}/updates/` records progress (a note, a stage move, a new next step) the way
    the admin and the personal area do; allowed for the curating ministry's staff and the parties'
    representatives."""

    serializer_class = ProjectSerializer
    lookup_field = "slug"
    filterset_class = ProjectFilter
    whole_list_count_cached = True  # config.api_pagination: rows by visibility scope only
    ordering_fields = ["last_activity_at", "title", "next_step_due"]
    ordering = ["-last_activity_at"]

    def get_queryset(self):
        return _with_details(projects_visible_to(self.user), self.user).order_by("-last_activity_at", "title", "pk")

    @extend_schema(
        request=ProjectUpdateInputSerializer,
        responses={201: ProjectSerializer},
        summary="Record progress on a project",
    )
    @action(detail=True, methods=["post"], url_path="updates", permission_classes=[IsAuthenticated])
    def updates(self, request, slug=None):
        user = request.user
        reachable = projects_visible_to(user)
        organization = user_organization(user)
        if organization is not None:
            reachable = reachable | projects_of_organization(organization)
        project = get_object_or_404(reachable.distinct(), slug=slug)
        if not can_record_progress(user, project):
            raise PermissionDenied(_("Only the curating ministry's staff and the parties may update this project."))
        data = ProjectUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        project_record_progress(project=project, by=user, **data.validated_data)
        fresh = _with_details(CooperationProject.objects.filter(pk=project.pk), user, all_parties=True).get()
        context = {**self.get_serializer_context(), "show_all_organizations": True}
        return Response(ProjectSerializer(fresh, context=context).data, status=status.HTTP_201_CREATED)


class MyProjectsViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Projects the signed-in user's organization is party to (published or not); for ministry staff,
    the projects their organization curates."""

    permission_classes = [IsAuthenticated]
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter

    def get_queryset(self):
        user = self.request.user
        organization = user_organization(user)
        if organization is None:
            projects = CooperationProject.objects.none()
        elif user.is_staff:
            projects = CooperationProject.objects.filter(curator__person__organization=organization)
        else:
            projects = CooperationProject.objects.filter(
                pk__in=ProjectParty.objects.filter(organization=organization).values("project_id")
            )
        return _with_details(projects, user, all_parties=True).order_by("-last_activity_at", "title", "pk")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["show_all_organizations"] = True
        return context
