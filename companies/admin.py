"""Staff administration of the directory. The shared role scoping and publish actions are in
companies.admin_base; the API keys' admin in companies.admin_api_tokens and the queue of companies'
profile changes in companies.admin_profile_changes (both registered from here)."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import (
    admin_api_tokens,  # noqa: F401 - registers the API keys admin
    admin_profile_changes,  # noqa: F401 - registers the queue of companies' profile changes
)
from .admin_base import (
    HTTPS_URLS,
    RoleScopedAdmin,
    RoleScopedInline,
    ServiceSaveMixin,
    hide_selected,
    publish_selected,
    visible_rows,
)
from .admin_forms import NamedAdminForm, OrganizationAdminForm
from .imports.admin import ImportAdminMixin
from .imports.organizations import organizations_import
from .models import FederalDistrict, Need, Offer, Organization, Person, Place, Region, SearchSynonym, Sector
from .roles import can_edit, login_binding_fields
from .selectors import organizations_visible_to
from .services import directory_row_create


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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":  # two levels: a parent is a top-level sector (Sector.clean)
            kwargs["queryset"] = Sector.objects.filter(parent__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class DirectoryRowAdmin(RoleScopedAdmin, ServiceSaveMixin):
    """A directory row staff enter (organization, person, region, place): a new one is saved by
    companies.services.directory_row_create, which records the staff member's organization on it, so
    they keep editing it wherever it is."""

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            directory_row_create(obj, by=request.user)


@admin.register(SearchSynonym)
class SearchSynonymAdmin(DirectoryRowAdmin, admin.ModelAdmin):
    """The directory search's synonyms: one dictionary for the portal, which any ministry's staff
    extend; a group saved here is read by the next search (companies.search.search_terms)."""

    list_display = ["__str__", "created_at"]
    search_fields = ["terms"]
    fields = ["terms"]


@admin.register(Region)
class RegionAdmin(DirectoryRowAdmin, admin.ModelAdmin):
    form = NamedAdminForm
    list_display = ["name", "name_en", "kind", "federal_district", "country", "code", "capital", "time_zone"]
    list_filter = ["kind", "federal_district"]
    search_fields = ["name", "name_en", "code", "slug", "capital", "aliases"]
    list_select_related = ["federal_district", "country"]
    autocomplete_fields = ["country", "key_sectors"]
    fieldsets = [
        (None, {"fields": ["name", "name_en", "slug", "kind", "federal_district", "country", "code", "time_zone"]}),
        (_("Profile"), {"fields": ["capital", "capital_en", "key_sectors", "profile"]}),
        (_("Names in press releases"), {"fields": ["aliases"]}),
    ]

    # The federal subjects and their districts ship with the portal: staff add foreign countries and
    # regions of foreign countries, never a federal subject.
    STAFF_KINDS = (Region.Kind.FOREIGN_COUNTRY, Region.Kind.FOREIGN_REGION)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind" and not request.user.is_superuser:
            kwargs["choices"] = [(kind.value, kind.label) for kind in self.STAFF_KINDS]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if not request.user.is_superuser:
            initial.setdefault("kind", Region.Kind.FOREIGN_COUNTRY)
        return initial

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if request.user.is_superuser else [*readonly, "federal_district"]


@admin.register(Place)
class PlaceAdmin(DirectoryRowAdmin, admin.ModelAdmin):
    form = NamedAdminForm
    list_display = ["name", "name_en", "region", "slug"]
    list_filter = ["region__kind"]
    search_fields = ["name", "name_en", "slug", "region__name", "region__name_en"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    fields = ["name", "name_en", "slug", "region"]


class PersonInlineFormSet(BaseInlineFormSet):
    """The organization's people: a row the user may not change (another staff member's login) is
    refused here when it is changed or deleted, like its own page refuses it."""

    user = None  # set by PersonInline.get_formset

    def clean(self):
        super().clean()
        for form in self.initial_forms:
            person = form.instance
            touched = form.has_changed() or (self.can_delete and self._should_delete_form(form))
            if touched and not can_edit(self.user, person):
                raise ValidationError(
                    gettext("Only a superuser changes or deletes the person of another staff member: %(person)s.")
                    % {"person": person},
                    code="another_staff_login",
                )


class PersonInline(RoleScopedInline, admin.TabularInline):
    """People of the organization; one known only by position leaves the name empty."""

    model = Person
    formset = PersonInlineFormSet
    fk_name = "organization"
    fields = ["position", "last_name", "first_name", "patronymic", "email", "phone"]
    extra = 1
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = request.user
        return formset


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
class OrganizationAdmin(ImportAdminMixin, DirectoryRowAdmin, SimpleHistoryAdmin):
    """Staff enter organizations of any region, the partner's government and foreign companies too;
    the ones they entered, and their own region's, are theirs to change."""

    form = OrganizationAdminForm
    imports = (organizations_import,)
    list_display = ["__str__", "name_original", "kind", "region", "inn", "size", "is_public", "updated_at"]
    list_filter = ["kind", "is_public", "size", "region__kind", "region__federal_district", "legal_form"]
    search_fields = ["name", "short_name", "name_original", "inn", "ogrn", "slug"]
    date_hierarchy = "created_at"
    list_select_related = ["region"]
    autocomplete_fields = ["region", "sectors"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "legal_form", "region", "is_public"]}),
        (_("Foreign organization"), {"fields": ["name_original"]}),
        (_("Registry"), {"fields": ["inn", "ogrn", "size", "website"]}),
        (_("Profile"), {"fields": ["sectors", "products", "capabilities", "accepts_meeting_requests"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [PersonInline, OfferInline, NeedInline]
    formfield_overrides = HTTPS_URLS

    def get_queryset(self, request):
        return visible_rows(self, request, organizations_visible_to(request.user))

    def get_readonly_fields(self, request, obj=None):
        # The region and kind of an organization with logins decide those logins' scope.
        return [*super().get_readonly_fields(request, obj), *login_binding_fields(request.user, obj)]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Person:
            super().save_formset(request, form, formset, change)
            return
        people = formset.save(commit=False)
        for person in formset.deleted_objects:
            person.delete()
        for person in people:
            if person.pk is None:
                directory_row_create(person, by=request.user)
            else:
                person.save()

    actions = [publish_selected, hide_selected]


@admin.register(Person)
class PersonAdmin(DirectoryRowAdmin, SimpleHistoryAdmin):
    """People of any organization (the partner's head of region in its government too); a person
    known only by position leaves the name empty."""

    list_display = ["__str__", "position", "organization", "email", "phone", "user"]
    list_filter = ["organization__kind"]
    search_fields = [
        "last_name",
        "first_name",
        "patronymic",
        "position",
        "email",
        "phone",
        "organization__name",
        "organization__short_name",
    ]
    list_select_related = ["organization", "user"]
    autocomplete_fields = ["organization", "user"]
    fields = ["organization", "position", "last_name", "first_name", "patronymic", "email", "phone", "user"]

    def get_queryset(self, request):
        # A person known by position is named with the organization, in lists and autocomplete answers.
        return super().get_queryset(request).select_related(*self.list_select_related)

    def get_readonly_fields(self, request, obj=None):
        # Linking a login to a person hands that login the person's organization (its role and
        # scope), and so does moving a person with a login: only a superuser does either.
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly.append("user")
        return [*readonly, *(f for f in login_binding_fields(request.user, obj) if f not in readonly)]


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
