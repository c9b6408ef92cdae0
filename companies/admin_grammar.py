"""The admin's sentences about a model, with its name in the case and gender Russian needs.

Django's admin puts a model's verbose_name, in the nominative, into every sentence: "Добавить %s",
"{name} «{obj}» был успешно добавлен.", "Вы уверены, что хотите удалить %(object_name)s …". That
reads right only for a masculine inanimate noun: "Добавить бизнес-миссия", "Бизнес-миссия … был
успешно добавлен". Here each model of the portal declares, once, its name in the accusative (a
translation in the "accusative" context: English leaves it as the verbose name) and the gender of
its Russian name, which picks the variant of each message ("добавлен", "добавлена", "добавлено",
"добавлены"). AdminGrammarMixin uses them for the titles of the add, change and changelist pages,
the changelist's add button, the inlines' "add another" links, the success messages of add, change
and delete, and the delete confirmation; and the values on the history pages of django-simple-history
as the forms show them (HistoryContextHelper), never "None" or "[]".
"""

import datetime
import json
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop, ngettext, pgettext, pgettext_lazy
from simple_history.template_utils import HistoricalRecordContextHelper

EMPTY = "—"


class Gender(Enum):
    """The grammatical gender of a model's Russian name (a plural-only name agrees as plural)."""

    MASCULINE = "masculine"
    FEMININE = "feminine"
    NEUTER = "neuter"
    PLURAL = "plural"


@dataclass(frozen=True)
class Noun:
    accusative: str  # lazy: the verbose name in the accusative ("бизнес-миссию")
    gender: Gender


M, F, N, P = Gender.MASCULINE, Gender.FEMININE, Gender.NEUTER, Gender.PLURAL

# Every model the portal's admin registers (tests/test_admin_grammar.py checks the registry), and
# companies.Place, a directory model whose admin is on its way.
NOUNS: dict[str, Noun] = {
    "companies.ApiToken": Noun(pgettext_lazy("accusative", "API key"), M),
    "companies.FederalDistrict": Noun(pgettext_lazy("accusative", "federal district"), M),
    "companies.Sector": Noun(pgettext_lazy("accusative", "sector"), F),
    "companies.Region": Noun(pgettext_lazy("accusative", "region"), M),
    "companies.Place": Noun(pgettext_lazy("accusative", "place"), M),
    "companies.Organization": Noun(pgettext_lazy("accusative", "organization"), F),
    "companies.Person": Noun(pgettext_lazy("accusative", "person"), M),
    "companies.Offer": Noun(pgettext_lazy("accusative", "cooperation offer"), N),
    "companies.Need": Noun(pgettext_lazy("accusative", "cooperation need"), F),
    "companies.SearchSynonym": Noun(pgettext_lazy("accusative", "search synonym group"), F),
    "companies.ProfileChange": Noun(pgettext_lazy("accusative", "profile change request"), F),
    "missions.Mission": Noun(pgettext_lazy("accusative", "mission"), F),
    "missions.Source": Noun(pgettext_lazy("accusative", "source"), M),
    "missions.ReportedFigure": Noun(pgettext_lazy("accusative", "reported figure"), M),
    "missions.DelegationMember": Noun(pgettext_lazy("accusative", "delegation member"), M),
    "missions.ProgramItem": Noun(pgettext_lazy("accusative", "programme item"), M),
    "missions.Meeting": Noun(pgettext_lazy("accusative", "meeting"), F),
    "missions.DelegationApplication": Noun(pgettext_lazy("accusative", "delegation application"), F),
    "partners.B2BSession": Noun(pgettext_lazy("accusative", "B2B session"), F),
    "partners.SessionTable": Noun(pgettext_lazy("accusative", "table"), M),
    "partners.SessionBreak": Noun(pgettext_lazy("accusative", "break"), M),
    "partners.SessionUnavailability": Noun(pgettext_lazy("accusative", "unavailability window"), N),
    "partners.SessionPairing": Noun(pgettext_lazy("accusative", "pairing"), F),
    "agreements.Sphere": Noun(pgettext_lazy("accusative", "sphere of cooperation"), F),
    "agreements.Agreement": Noun(pgettext_lazy("accusative", "agreement"), N),
    "agreements.AgreementParty": Noun(pgettext_lazy("accusative", "agreement party"), F),
    "agreements.Signatory": Noun(pgettext_lazy("accusative", "signatory"), M),
    "agreements.PlanItem": Noun(pgettext_lazy("accusative", "plan item"), M),
    "agreements.CooperationProject": Noun(pgettext_lazy("accusative", "cooperation project"), M),
    "agreements.ProjectParty": Noun(pgettext_lazy("accusative", "project party"), M),
    "agreements.ProjectUpdate": Noun(pgettext_lazy("accusative", "project update"), F),
    "agreements.Reminder": Noun(pgettext_lazy("accusative", "reminder"), N),
    "agreements.ReminderPolicy": Noun(pgettext_lazy("accusative", "reminder policy"), P),
    "partners.MeetingRequest": Noun(pgettext_lazy("accusative", "meeting request"), M),
    "partners.HostParticipant": Noun(pgettext_lazy("accusative", "host-side participant"), M),
}


# Django's own sentences that put a model's name where it cannot agree (the change log of the history
# pages, the bulk delete confirmation): locale/ru rephrases them to need no agreement. Marked here so
# that makemessages keeps them in the portal's catalogue, which Django reads before its own.
DJANGO_SENTENCES_REPHRASED = [
    gettext_noop("Added {name} “{object}”."),
    gettext_noop("Changed {fields} for {name} “{object}”."),
    gettext_noop("Changed {fields}."),
    gettext_noop("Deleted {name} “{object}”."),
    gettext_noop(
        "Are you sure you want to delete the selected %(objects_name)s? All of the following objects and their "
        "related items will be deleted:"
    ),
    gettext_noop(
        "Deleting the selected %(objects_name)s would result in deleting related objects, but your account "
        "doesn't have permission to delete the following types of objects:"
    ),
    gettext_noop(
        "Deleting the selected %(objects_name)s would require deleting the following protected related objects:"
    ),
]


def noun_of(model) -> Noun | None:
    return NOUNS.get(model._meta.label)


# {Name}: the verbose name with a capital letter, for a sentence that starts with it.
ADDED = {
    M: pgettext_lazy("admin message, masculine noun", "{Name} “{obj}” was added successfully."),
    F: pgettext_lazy("admin message, feminine noun", "{Name} “{obj}” was added successfully."),
    N: pgettext_lazy("admin message, neuter noun", "{Name} “{obj}” was added successfully."),
    P: pgettext_lazy("admin message, plural noun", "{Name} “{obj}” was added successfully."),
}
CHANGED = {
    M: pgettext_lazy("admin message, masculine noun", "{Name} “{obj}” was changed successfully."),
    F: pgettext_lazy("admin message, feminine noun", "{Name} “{obj}” was changed successfully."),
    N: pgettext_lazy("admin message, neuter noun", "{Name} “{obj}” was changed successfully."),
    P: pgettext_lazy("admin message, plural noun", "{Name} “{obj}” was changed successfully."),
}
DELETED = {
    M: pgettext_lazy("admin message, masculine noun", "{Name} “{obj}” was deleted successfully."),
    F: pgettext_lazy("admin message, feminine noun", "{Name} “{obj}” was deleted successfully."),
    N: pgettext_lazy("admin message, neuter noun", "{Name} “{obj}” was deleted successfully."),
    P: pgettext_lazy("admin message, plural noun", "{Name} “{obj}” was deleted successfully."),
}
EDIT_AGAIN = {
    M: pgettext_lazy("admin message, masculine noun", "You may edit it again below."),
    F: pgettext_lazy("admin message, feminine noun", "You may edit it again below."),
    N: pgettext_lazy("admin message, neuter noun", "You may edit it again below."),
    P: pgettext_lazy("admin message, plural noun", "You may edit it again below."),
}


def success_message(noun: Noun, model, done: dict, obj, *, edit_again=False, add_another=False) -> str:
    """One of ADDED, CHANGED, DELETED about `obj` (text, or a link already escaped), and what may follow."""
    name = model._meta.verbose_name
    parts = [format_html(str(done[noun.gender]), Name=capfirst(name), obj=obj)]
    if edit_again:
        parts.append(str(EDIT_AGAIN[noun.gender]))
    if add_another:
        parts.append(format_html(pgettext("admin message", "You may add another {name} below."), name=noun.accusative))
    return " ".join(parts)


class GrammarInlineAdminFormSet(helpers.InlineAdminFormSet):
    """An inline whose "add another" link names its model in the accusative ("Добавить ещё B2B-встречу")."""

    def inline_formset_data(self):
        data = json.loads(super().inline_formset_data())
        noun = noun_of(self.opts.model)
        if noun is not None:
            data["options"]["addText"] = pgettext("admin inline", "Add another {name}").format(name=noun.accusative)
        return json.dumps(data)


def shown_value(field, value):
    """A field's value on a history page: "—" for none, labels of choices, yes or no, localized dates."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, list):  # a many-to-many field's rows
        return ", ".join(str(row) for row in value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime.date | Decimal):
        return formats.localize(value)
    return value


class HistoryContextHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        return shown_value(self.model._meta.get_field(change.field), value)


class AdminGrammarMixin:
    """For every portal ModelAdmin (RoleScopedAdmin includes it): the sentences above on its pages."""

    def admin_noun(self) -> Noun | None:
        return noun_of(self.model)

    # --- Titles and buttons --------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        noun = self.admin_noun()
        if noun is not None:
            if IS_POPUP_VAR in request.GET:
                title = gettext("Select %s")
            elif self.has_change_permission(request):
                title = gettext("Select %s to change")
            else:
                title = gettext("Select %s to view")
            extra_context = {"title": title % noun.accusative, "admin_noun": noun, **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        noun = self.admin_noun()
        if noun is not None:
            if add:
                title = gettext("Add %s")
            elif self.has_change_permission(request, obj):
                title = gettext("Change %s")
            else:
                title = gettext("View %s")
            context.update(title=title % noun.accusative, admin_noun=noun)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_admin_formsets = super().get_inline_formsets(request, formsets, inline_instances, obj)
        for inline_admin_formset in inline_admin_formsets:
            if type(inline_admin_formset) is helpers.InlineAdminFormSet:
                inline_admin_formset.__class__ = GrammarInlineAdminFormSet
        return inline_admin_formsets

    def render_delete_form(self, request, context):
        noun = self.admin_noun()
        if noun is not None:
            # "Вы уверены, что хотите удалить %(object_name)s …", "Невозможно удалить %(name)s": accusative.
            context.update(object_name=str(noun.accusative), admin_noun=noun)
            if context.get("perms_lacking") or context.get("protected"):
                context["title"] = gettext("Cannot delete %(name)s") % {"name": noun.accusative}
        return super().render_delete_form(request, context)

    def get_historical_record_context_helper(self, request, historical_record):
        """django-simple-history's history page (SimpleHistoryAdmin) asks it for the values of a change."""
        return HistoryContextHelper(self.model, historical_record)

    # --- Success messages ----------------------------------------------------------------------
    # Django builds them inside response_add/_change/_delete; while one of those runs, message_user
    # writes the success in the noun's gender instead.

    def response_add(self, request, obj, post_url_continue=None):
        with _saying(request, ADDED, obj):
            return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        done = ADDED if "_saveasnew" in request.POST else CHANGED
        with _saying(request, done, obj):
            return super().response_change(request, obj)

    def response_delete(self, request, obj_display, obj_id):
        with _saying(request, DELETED, None, obj_display):
            return super().response_delete(request, obj_display, obj_id)

    def delete_queryset(self, request, queryset):
        """The bulk action "delete selected": Django's "Успешно удалены 5 бизнес-миссии." is said in records."""
        deleted = len(queryset)  # the action has read the rows already
        super().delete_queryset(request, queryset)
        request._admin_grammar_deleted = deleted

    def message_user(self, request, message, level=messages.INFO, extra_tags="", fail_silently=False):
        saying = getattr(request, "_admin_grammar", None)
        noun = self.admin_noun()
        if level == messages.SUCCESS and noun is not None:
            if saying is not None:
                message = self._success(request, noun, *saying)
            elif (deleted := getattr(request, "_admin_grammar_deleted", None)) is not None:
                del request._admin_grammar_deleted
                text = ngettext(
                    "%(count)d selected record was deleted.", "%(count)d selected records were deleted.", deleted
                )
                message = text % {"count": deleted}
        return super().message_user(request, message, level, extra_tags, fail_silently)

    def _success(self, request, noun, done, obj, obj_display) -> str:
        if obj is None:  # deleted: its name only
            return success_message(noun, self.model, done, obj_display)
        can_change = self.has_change_permission(request, obj)
        if can_change:
            url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=(quote(obj.pk),),
                current_app=self.admin_site.name,
            )
            shown = format_html('<a href="{}">{}</a>', url, obj)
        else:
            shown = str(obj)
        edit_again = can_change and ("_continue" in request.POST or "_saveasnew" in request.POST)
        return success_message(
            noun, self.model, done, shown, edit_again=edit_again, add_another="_addanother" in request.POST
        )


@contextmanager
def _saying(request, done, obj, obj_display=None):
    request._admin_grammar = (done, obj, obj_display)
    try:
        yield
    finally:
        del request._admin_grammar
