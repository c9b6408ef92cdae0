"""The admin's shared pieces, used by every app's admin: the site's titles, role scoping
(companies.roles.can_edit on every change, foreign-key choices limited to the user's own rows, and
autocomplete answers limited to the same choices), the publish/hide actions, and saving through
the services (ServiceSaveMixin)."""

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .admin_exports import ExportMixin
from .admin_forms import add_error_to_form
from .admin_grammar import AdminGrammarMixin
from .exceptions import PortalError
from .models import Organization
from .ownership import ownership_of
from .roles import can_edit, user_organization
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


# --- Search through indexed lookups ---------------------------------------------------------------


def search_words(search_term: str) -> list[str]:
    """The words of an admin search, as Django's own search splits them: a quoted phrase is one word."""
    return [
        unescape_string_literal(word) if word[0] in "\"'" and word[-1] == word[0] else word
        for word in smart_split(search_term)
    ]


def organizations_named(word: str) -> QuerySet:
    """The keys of organizations whose name or short name contains `word` (trigram indexes on PostgreSQL,
    companies/0020), for a changelist to filter its rows by their indexed foreign keys."""
    return Organization.objects.filter(Q(name__icontains=word) | Q(short_name__icontains=word)).values("pk")


class WordSearchMixin:
    """A changelist search where every word must meet `search_word_q(word)`.

    Django's own search ORs one `UPPER(col) LIKE` per field over a join of every row with the rows
    the fields reach; an admin whose words are found in other tables first (`organizations_named`,
    missions by title), and its rows then by their indexed foreign keys, says so in `search_word_q`.
    """

    def search_word_q(self, word: str) -> Q:
        raise NotImplementedError

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, "")
        for word in search_words(search_term):
            queryset = queryset.filter(self.search_word_q(word))
        return queryset, may_have_duplicates


# --- Roles: staff see everything and change what their organization organizes (companies.roles) ----


def editable_choices(model, user):
    """Rows of `model` that `user` may attach a new or changed record to, or None for no limit.

    Used to limit foreign-key choices of non-superusers, so a crafted POST naming a foreign mission,
    agreement, project or organizer fails validation ("invalid_choice") and nothing is saved. The
    rows are those the model's own ownership declaration gives the user's organization, the rule
    `can_edit` reads for one row.
    """
    if user.is_superuser:
        return None
    organization = user_organization(user) if user.is_staff else None
    if model is get_user_model():  # a project's curator: a login of the user's own organization
        return model.objects.filter(person__organization=organization)
    ownership = ownership_of(model)
    if ownership is None:
        return None
    return ownership.filter(model._default_manager.all(), organization)


class RoleScopedMixin:
    """Change, delete and add by companies.roles.can_edit on top of Django's model permissions.

    Viewing is left alone: staff see everything, and a row they may not change opens read only.
    `scoped_fields` names foreign keys whose choices are limited to what the user may edit
    (see editable_choices: an organization field offers their region's directory);
    `own_organization_fields` are limited to the user's own organization.
    """

    scoped_fields: tuple[str, ...] = ()
    own_organization_fields: tuple[str, ...] = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        user = request.user
        if not user.is_superuser:
            organization = user_organization(user) if user.is_staff else None
            if db_field.name in self.own_organization_fields:
                kwargs["queryset"] = Organization.objects.filter(pk=organization.pk if organization else None)
            elif db_field.name in self.scoped_fields:
                choices = editable_choices(db_field.related_model, user)
                if choices is not None:
                    kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- Autocomplete: the widget offers what the form field accepts ------------------------------------
# Django's autocomplete view searches the target model's admin queryset and applies the foreign
# key's limit_choices_to, but not the queryset the source admin gave the form field (the user's own
# organization as organizer, the missions they may change…): it would offer rows the form then
# refuses as an invalid choice. The source admin's formfield_for_foreignkey (or _manytomany) is asked
# for its queryset, so the limit is defined once, where the form gets it.


def autocomplete_source_admin(admin_site, model):
    """The admin whose form holds a widget for `model`'s fields: the model's own ModelAdmin, else the
    first inline of that model among the registered admins (the widget's request names the model,
    not the page)."""
    if model in admin_site._registry:
        return admin_site._registry[model]
    for parent_admin in admin_site._registry.values():
        for inline_class in parent_admin.inlines:
            if inline_class.model is model:
                return inline_class(parent_admin.model, admin_site)
    return None


def autocomplete_choices(admin_site, request):
    """For a request to the admin's autocomplete view: the queryset the source form field offers this
    user, or None (not an autocomplete request, or a field no admin form shows)."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name != "autocomplete":
        return None
    # The autocomplete view has validated the three parameters before it searches.
    source_model = apps.get_model(request.GET["app_label"], request.GET["model_name"])
    db_field = source_model._meta.get_field(request.GET["field_name"])
    source_admin = autocomplete_source_admin(admin_site, source_model)
    if source_admin is None:
        return None
    if db_field.many_to_many:
        formfield = source_admin.formfield_for_manytomany(db_field, request)
    else:
        formfield = source_admin.formfield_for_foreignkey(db_field, request)
    return getattr(formfield, "queryset", None)


def _refuse_foreign_rows(action):
    """Wrap a bulk action: if any selected row is not the user's to change, nothing is done."""

    def scoped_action(modeladmin, request, queryset):
        user = request.user
        if not user.is_superuser:
            rows = queryset.model._default_manager.filter(pk__in=queryset.values("pk"))
            foreign = [row for row in rows if not can_edit(user, row)]
            if foreign:
                text = ngettext(
                    "Nothing was done: %(count)d selected record is not yours to change (%(rows)s).",
                    "Nothing was done: %(count)d selected records are not yours to change (%(rows)s).",
                    len(foreign),
                )
                rows_text = ", ".join(str(row) for row in foreign[:5]) + ("…" if len(foreign) > 5 else "")
                modeladmin.message_user(request, text % {"count": len(foreign), "rows": rows_text}, messages.ERROR)
                return None
        return action(modeladmin, request, queryset)

    for name in ("allowed_permissions", "short_description", "__name__"):
        if hasattr(action, name):
            setattr(scoped_action, name, getattr(action, name))
    return scoped_action


class RoleScopedAdmin(ExportMixin, AdminGrammarMixin, RoleScopedMixin):
    """For every portal ModelAdmin: put it first among the bases. Its pages speak grammatical Russian
    (companies.admin_grammar), and its changelist exports to XLSX and CSV (companies.admin_exports)."""

    def has_add_permission(self, request):
        return super().has_add_permission(request) and can_edit(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and can_edit(request.user, obj)

    def get_search_results(self, request, queryset, search_term):
        """In an answer to an autocomplete widget, offer only what the widget's form accepts."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        choices = autocomplete_choices(self.admin_site, request)
        if choices is not None:
            queryset = queryset.filter(pk__in=choices.values("pk"))
        return queryset, may_have_duplicates

    def get_actions(self, request):
        actions = super().get_actions(request)
        return {name: (_refuse_foreign_rows(func), name, text) for name, (func, name, text) in actions.items()}


class RoleScopedInline(RoleScopedMixin):
    """For every inline: the permissions follow the PARENT row (None on the add page)."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and can_edit(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and can_edit(request.user, obj)


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


def _refused(form_class, refusal: ValidationError, prefix: str | None = None):
    """`form_class` that shows `refusal` (on the field its `error_fields` names for the code), on the
    form with `prefix` only when one is given (an inline's row)."""
    field = getattr(form_class, "error_fields", {}).get(getattr(refusal, "code", None))

    class RefusedForm(form_class):
        def clean(self):
            cleaned_data = super().clean()
            if prefix is None or self.prefix == prefix:
                add_error_to_form(self, refusal, field)
            return cleaned_data

    return RefusedForm


class ServiceSaveMixin:
    """For a ModelAdmin whose save calls the services: a refusal while saving shows on the form.

    The forms check the services' rules first; what they cannot see (two rows of one submission that
    clash, a row another user changed meanwhile) the service refuses while saving. The admin saves in
    one transaction, so the refusal undoes the whole submission; the page comes back with the user's
    input and the refusal on the form, on the field the form's `error_fields` names for its code;
    a refusal of an inline row saved with `save_rows` shows on that row.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as refusal:
            if request.method != "POST" or hasattr(request, "_save_refused"):
                raise
            request._save_refused = refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "_save_refused", None)
        if refusal is None or getattr(refusal, "form_prefix", None):
            return form
        return _refused(form, refusal)

    def get_formsets_with_inlines(self, request, obj=None):
        """A refusal of an inline row's save (see save_rows) shows on that row of the page again."""
        refusal = getattr(request, "_save_refused", None)
        prefix = getattr(refusal, "form_prefix", None)
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            if prefix:
                formset = type(formset.__name__, (formset,), {"form": _refused(formset.form, refusal, prefix)})
            yield formset, inline

    @staticmethod
    def save_rows(formset, save_row) -> None:
        """Save an inline's rows one by one with `save_row(form, row)`, which calls a service.

        The rows are saved after their parent, so a rule that needs the parent (or two rows of one
        submission that clash) refuses here; the refusal is marked with its row's form, so that the
        page comes back with it on that row.
        """
        rows = formset.save(commit=False)
        for row in formset.deleted_objects:
            row.delete()
        for form, row in zip(formset.saved_forms, rows, strict=True):
            try:
                save_row(form, row)
            except ValidationError as refusal:
                refusal.form_prefix = form.prefix
                raise
        formset.save_m2m()

    @staticmethod
    def form_values(form, *, changed_only: bool) -> dict:
        """The cleaned values of the form's model fields: all of them, or those the user changed."""
        fields = {
            field.name: field
            for field in form._meta.model._meta.get_fields()
            if (field.concrete or field.many_to_many) and not field.auto_created
        }
        names = form.changed_data if changed_only else list(form.cleaned_data)
        values = {name: form.cleaned_data[name] for name in names if name in fields}
        for name, value in values.items():
            if value is False and isinstance(fields[name], models.FileField):
                values[name] = ""  # the "clear" box of a file input
        return values

    @staticmethod
    def adopt(obj, saved) -> None:
        """Make the admin's object the row a service saved, so the inlines, the log and the redirect use it."""
        obj.__dict__.update(saved.__dict__)
