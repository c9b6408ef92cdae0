"""Staff administration of the directory. The shared role scoping and publish actions are in
companies.admin_base; the API keys' admin in companies.admin_api_tokens (registered from here)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import admin_api_tokens  # noqa: F401 - registers the API keys admin
from .admin_base import HTTPS_URLS, RoleScopedAdmin, RoleScopedInline, hide_selected, publish_selected, visible_rows
from .admin_forms import NamedAdminForm, OrganizationAdminForm
from .models import FederalDistrict, Need, Offer, Organization, Person, Region, Sector
from .selectors import organizations_visible_to


@admin.register(FederalDistrict)
class FederalDistrictAdmin(RoleScopedAdmin, admin.ModelAdmin):
    list_display = ["name", "name_en", "abbreviation", "centre", "code", "position"]
    search_fields = ["name", "name_en", "abbreviation", "code"]


@admin.register(Sector)
class SectorAdmin(RoleScopedAdmin, admin.ModelAdmin):
    form = NamedAdminForm
    list_display = ["name", "name_en", "parent", "okved_code", "slug"]
    list_filter = [("parent", admin.EmptyFieldListFilter)]
    search_fields = ["name", "name_en", "okved_code", "slug"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    fields = ["name", "name_en", "slug", "parent", "okved_code"]


@admin.register(Region)
class RegionAdmin(RoleScopedAdmin, admin.ModelAdmin):
    form = NamedAdminForm
    list_display = ["name", "name_en", "kind", "federal_district", "country", "code", "capital"]
    list_filter = ["kind", "federal_district"]
    search_fields = ["name", "name_en", "code", "slug", "capital"]
    list_select_related = ["federal_district", "country"]
    autocomplete_fields = ["country", "key_sectors"]
    fieldsets = [
        (None, {"fields": ["name", "name_en", "slug", "kind", "federal_district", "country", "code"]}),
        (_("Profile"), {"fields": ["capital", "capital_en", "key_sectors", "profile"]}),
    ]


class PersonInline(RoleScopedInline, admin.TabularInline):
    model = Person
    fk_name = "organization"
    fields = ["last_name", "first_name", "patronymic", "position", "email", "phone"]
    extra = 1
    show_change_link = True


class CooperationItemInline(RoleScopedInline, admin.TabularInline):
    fields = ["title", "sector", "description", "is_active"]
    autocomplete_fields = ["sector"]
    extra = 1
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("sector")


class OfferInline(CooperationItemInline):
    model = Offer


class NeedInline(CooperationItemInline):
    model = Need


@admin.register(Organization)
class OrganizationAdmin(RoleScopedAdmin, SimpleHistoryAdmin):
    form = OrganizationAdminForm
    scoped_fields = ("region",)
    list_display = ["__str__", "kind", "region", "inn", "size", "is_public", "updated_at"]
    list_filter = ["kind", "is_public", "size", "region__federal_district", "legal_form"]
    search_fields = ["name", "short_name", "inn", "ogrn", "slug"]
    date_hierarchy = "created_at"
    list_select_related = ["region"]
    autocomplete_fields = ["region", "sectors"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "legal_form", "region", "is_public"]}),
        (_("Registry"), {"fields": ["inn", "ogrn", "size", "website"]}),
        (_("Profile"), {"fields": ["sectors", "products", "capabilities"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [PersonInline, OfferInline, NeedInline]
    formfield_overrides = HTTPS_URLS

    def get_queryset(self, request):
        return visible_rows(self, request, organizations_visible_to(request.user))

    actions = [publish_selected, hide_selected]


@admin.register(Person)
class PersonAdmin(RoleScopedAdmin, admin.ModelAdmin):
    list_display = ["__str__", "position", "organization", "email", "phone", "user"]
    list_filter = ["organization__kind"]
    search_fields = [
        "last_name",
        "first_name",
        "patronymic",
        "email",
        "phone",
        "organization__name",
        "organization__short_name",
    ]
    list_select_related = ["organization", "user"]
    scoped_fields = ("organization",)  # an organization of their region (its directory is theirs)
    autocomplete_fields = ["organization", "user"]
    fields = ["last_name", "first_name", "patronymic", "organization", "position", "email", "phone", "user"]

    def get_readonly_fields(self, request, obj=None):
        # Linking a login to a person hands that login the person's organization (its role and
        # scope): only a superuser does it.
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if request.user.is_superuser else [*readonly, "user"]


class CooperationItemAdmin(RoleScopedAdmin, admin.ModelAdmin):
    list_display = ["title", "organization", "sector", "is_active", "created_at"]
    list_filter = ["is_active", ("sector", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "description", "organization__name", "organization__short_name"]
    date_hierarchy = "created_at"
    list_select_related = ["organization", "sector"]
    scoped_fields = ("organization",)  # an organization of their region (its directory is theirs)
    autocomplete_fields = ["organization", "sector"]
    fields = ["organization", "title", "sector", "description", "is_active"]


@admin.register(Offer)
class OfferAdmin(CooperationItemAdmin):
    pass


@admin.register(Need)
class NeedAdmin(CooperationItemAdmin):
    pass
