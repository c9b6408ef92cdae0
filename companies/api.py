"""REST API of the directory (regions, sectors, organizations with their offers and needs, people) and
of the signed-in user ("me"). Reads go through the selectors the pages use; serializers only shape."""

from django.db.models import Prefetch, Q
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import generics, serializers, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from .filters import OrganizationFilter
from .models import Need, Offer, Organization, Person, Region, Sector
from .roles import can_see_unpublished, role_of, user_organization
from .selectors import organizations_visible_to


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "companies.api_tokens.ApiTokenAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`: a key made in the personal area (/account/keys/) or by staff in the admin.",
        }


# --- Shared shapes -------------------------------------------------------------------------------


class OrganizationRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField(source="__str__")


def visible_organization_ref(organization, user) -> dict | None:
    """{slug, name} of an organization the user may see; None for one they may not."""
    if organization is None or not (organization.is_public or can_see_unpublished(user)):
        return None
    return {"slug": organization.slug, "name": str(organization)}


class StableOrderingFilter(OrderingFilter):
    """`ordering` on the view's whitelisted fields, with the primary key last: pages never overlap."""

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        return queryset.order_by(*ordering, "pk") if ordering else queryset


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Reads for everyone; what each one sees is decided by the selector in get_queryset."""

    filter_backends = [*viewsets.ReadOnlyModelViewSet.filter_backends, StableOrderingFilter]

    @property
    def user(self):
        return self.request.user


# --- Regions and sectors ----------------------------------------------------------------------


class RegionSerializer(serializers.ModelSerializer):
    federal_district = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    key_sectors = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Region
        fields = ["slug", "name", "name_en", "kind", "code", "federal_district", "capital", "capital_en", "profile",
                  "key_sectors"]  # fmt: skip


class RegionViewSet(ReadOnlyViewSet):
    """The 89 federal subjects of Russia (and foreign partner regions), with their key sectors."""

    serializer_class = RegionSerializer
    lookup_field = "slug"
    filterset_fields = {"kind": ["exact"], "federal_district__code": ["exact"], "code": ["exact"]}
    ordering_fields = ["name", "code"]
    ordering = ["name"]

    def get_queryset(self):
        return Region.objects.select_related("federal_district").prefetch_related("key_sectors").order_by("name", "pk")


class SectorSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Sector
        fields = ["slug", "name", "name_en", "okved_code", "parent"]


class SectorViewSet(ReadOnlyViewSet):
    """Industries (OKVED sections and their subsectors)."""

    serializer_class = SectorSerializer
    lookup_field = "slug"
    filterset_fields = {"parent__slug": ["exact"], "okved_code": ["exact"]}
    ordering_fields = ["name", "okved_code"]
    ordering = ["name"]

    def get_queryset(self):
        return Sector.objects.select_related("parent").order_by("name", "pk")


# --- Organizations ------------------------------------------------------------------------------


class CooperationItemSerializer(serializers.ModelSerializer):
    sector = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Offer
        fields = ["title", "description", "sector"]


class OrganizationSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    sectors = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    offers = CooperationItemSerializer(many=True, read_only=True, source="active_offers")
    needs = CooperationItemSerializer(many=True, read_only=True, source="active_needs")

    class Meta:
        model = Organization
        fields = ["slug", "name", "short_name", "kind", "legal_form", "inn", "ogrn", "region", "sectors", "size",
                  "products", "capabilities", "website", "offers", "needs"]  # fmt: skip


class OrganizationViewSet(ReadOnlyViewSet):
    """Companies, ministries, development institutions: with what they offer partners and look for.

    `q` searches the way the directory page does: names, INN/OGRN, sectors with their subsectors,
    products, capabilities, offers and needs, with Russian stemming, synonyms and typo tolerance;
    an explicit `ordering` orders the results, by name by default."""

    serializer_class = OrganizationSerializer
    whole_list_count_cached = True  # config.api_pagination: rows by visibility scope only
    lookup_field = "slug"
    filterset_class = OrganizationFilter
    ordering_fields = ["name", "created_at"]
    ordering = ["name"]

    def get_queryset(self):
        active = lambda model: model.objects.filter(is_active=True).select_related("sector").order_by("title")  # noqa: E731
        return (
            organizations_visible_to(self.user)
            .prefetch_related(
                "sectors",
                Prefetch("offers", queryset=active(Offer), to_attr="active_offers"),
                Prefetch("needs", queryset=active(Need), to_attr="active_needs"),
            )
            .order_by("name", "pk")
        )


# --- People -------------------------------------------------------------------------------------


class PersonSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    email = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", "last_name", "first_name", "patronymic", "position", "organization", "email", "phone"]

    def _contacts_visible(self, person) -> bool:
        user = self.context["request"].user
        own = user_organization(user)
        return can_see_unpublished(user) or (own is not None and own.pk == person.organization_id)

    @extend_schema_field(serializers.EmailField(allow_null=True))
    def get_email(self, person):
        return person.email if self._contacts_visible(person) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_phone(self, person):
        return person.phone if self._contacts_visible(person) else None


class PersonViewSet(ReadOnlyViewSet):
    """People of the organizations the user may see. E-mail and phone only for ministry staff,
    officials and the person's own organization; null for everyone else."""

    serializer_class = PersonSerializer
    filterset_fields = {"organization__slug": ["exact"]}
    ordering_fields = ["last_name", "id"]
    ordering = ["last_name"]

    def get_queryset(self):
        people = Person.objects.select_related("organization").order_by("last_name", "first_name", "pk")
        if can_see_unpublished(self.user):
            return people
        own = user_organization(self.user)
        return people.filter(Q(organization__is_public=True) | Q(organization=own.pk if own else None))


# --- The signed-in user --------------------------------------------------------------------------


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.ChoiceField(choices=["superuser", "staff", "official", "company", "user"])
    organization = OrganizationRefSerializer(allow_null=True)


class MeView(generics.GenericAPIView):
    """Who the key or session belongs to: their role and organization."""

    permission_classes = [IsAuthenticated]
    serializer_class = MeSerializer
    pagination_class = None
    filter_backends = []

    def get(self, request):
        organization = user_organization(request.user)
        data = {"username": request.user.get_username(), "role": role_of(request.user), "organization": organization}
        return Response(MeSerializer(data).data)
