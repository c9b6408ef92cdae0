"""Staff administration of the directory; also the admin site's titles and the shared publish actions."""

from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from .admin_forms import NamedAdminForm, OrganizationAdminForm
from .exceptions import PortalError
from .models import FederalDistrict, Need, Offer, Organization, Person, Region, Sector
from .selectors import organizations_visible_to
from .services import records_set_public

admin.site.site_header = _("Missions portal")
admin.site.site_title = _("Missions portal")
admin.site.index_title = _("Staff administration")

# A web address typed without its scheme is taken as https (Django 6 default, no deprecation warning).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


def visible_rows(modeladmin, request, queryset):
    """Rows from the selector that decides who sees what, in the admin's ordering and joins.

    The changelist skips list_select_related for a queryset that already joins, so it is added here.
    """
    ordering = modeladmin.get_ordering(request)
    if isinstance(modeladmin.list_select_related, list | tuple):
        queryset = queryset.select_related(*modeladmin.list_select_related)
    return queryset.order_by(*ordering) if ordering else queryset


def _set_public(modeladmin, request, queryset, *, is_public: bool) -> None:
    # The changelist's queryset carries its joins and search filters, which row locks refuse on
    # PostgreSQL (FOR UPDATE on an outer join); the service gets the bare rows.
    rows = queryset.model._default_manager.filter(pk__in=queryset.values("pk"))
    try:
        changed = records_set_public(queryset=rows, is_public=is_public)
    except PortalError as exc:
        modeladmin.message_user(request, " ".join(exc.messages), messages.ERROR)
        return
    if is_public:
        text = ngettext("%(count)d record was published.", "%(count)d records were published.", changed)
    else:
        text = ngettext("%(count)d record was hidden.", "%(count)d records were hidden.", changed)
    modeladmin.message_user(request, text % {"count": changed}, messages.SUCCESS)


@admin.action(description=_("Publish selected records"), permissions=["change"])
def publish_selected(modeladmin, request, queryset):
    _set_public(modeladmin, request, queryset, is_public=True)


@admin.action(description=_("Hide selected records from the public pages"), permissions=["change"])
def hide_selected(modeladmin, request, queryset):
    _set_public(modeladmin, request, queryset, is_public=False)


@admin.register(FederalDistrict)
class FederalDistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "abbreviation", "centre", "code", "position"]
    search_fields = ["name", "name_en", "abbreviation", "code"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    form = NamedAdminForm
    list_display = ["name", "name_en", "parent", "okved_code", "slug"]
    list_filter = [("parent", admin.EmptyFieldListFilter)]
    search_fields = ["name", "name_en", "okved_code", "slug"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    fields = ["name", "name_en", "slug", "parent", "okved_code"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
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


class PersonInline(admin.TabularInline):
    model = Person
    fields = ["last_name", "first_name", "patronymic", "position", "email", "phone"]
    extra = 1
    show_change_link = True


class CooperationItemInline(admin.TabularInline):
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
class OrganizationAdmin(SimpleHistoryAdmin):
    form = OrganizationAdminForm
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
class PersonAdmin(admin.ModelAdmin):
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
    autocomplete_fields = ["organization", "user"]
    fields = ["last_name", "first_name", "patronymic", "organization", "position", "email", "phone", "user"]


class CooperationItemAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "sector", "is_active", "created_at"]
    list_filter = ["is_active", ("sector", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "description", "organization__name", "organization__short_name"]
    date_hierarchy = "created_at"
    list_select_related = ["organization", "sector"]
    autocomplete_fields = ["organization", "sector"]
    fields = ["organization", "title", "sector", "description", "is_active"]


@admin.register(Offer)
class OfferAdmin(CooperationItemAdmin):
    pass


@admin.register(Need)
class NeedAdmin(CooperationItemAdmin):
    pass
