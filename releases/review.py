"""The review page's model: the release's text with its found spans marked, and the draft's items as
formsets, their choices read once for the whole page; and the reviewed draft the forms give back."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.contrib import admin
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from companies.models import Organization, Person, Place, Region
from companies.roles import can_edit
from missions.models import Mission, ReportedFigure

from .draft import (
    AgreementItem,
    CityItem,
    Draft,
    FigureItem,
    PersonItem,
    ProgrammeItem,
    RegionItem,
)
from .forms import FORMS, KnownAutocompleteSelect, MissionForm
from .proposals import Decisions, agreement_kind, decisions_proposed, figure_metric
from .selectors import missions_matching_draft

SECTIONS = (
    ("origin_regions", _("Where the delegation comes from")),
    ("destination_regions", _("Where it goes")),
    ("cities", _("Cities")),
    ("organizations", _("Organizations")),
    ("people", _("People")),
    ("agreements", _("Agreements")),
    ("programme", _("Programme")),
    ("figures", _("Figures the release claims")),
)
# The kinds of marks in the text, one CSS class each (static/css/release_review.css).
MARK_LABELS = {
    "origin_regions": pgettext_lazy("release mark", "region of origin"),
    "destination_regions": pgettext_lazy("release mark", "destination region"),
    "cities": pgettext_lazy("release mark", "city"),
    "organizations": pgettext_lazy("release mark", "organization"),
    "people": pgettext_lazy("release mark", "person"),
    "dates": pgettext_lazy("release mark", "date"),
    "agreements": pgettext_lazy("release mark", "agreement"),
    "programme": pgettext_lazy("release mark", "programme item"),
    "figures": pgettext_lazy("release mark", "figure"),
}


@dataclass
class Segment:
    text: str
    kind: str = ""  # a MARK_LABELS key; "" for unmarked text
    anchor: str = ""  # the mark's id, for the first span of an item
    label: str = ""


def highlighted(draft: Draft) -> list[Segment]:
    """The text cut into unmarked and marked segments; where spans overlap, the first (the longer
    when two start together) is marked."""
    text, marks = draft.text, []
    for section in MARK_LABELS:
        for index, item in enumerate(getattr(draft, section)):
            for number, span in enumerate(item.spans):
                if 0 <= span.start < span.end <= len(text):
                    anchor = f"mark-{section}-{index}" if number == 0 else ""
                    marks.append((span.start, -span.end, section, anchor))
    marks.sort()
    segments, position = [], 0
    for start, negative_end, section, anchor in marks:
        end = -negative_end
        if start < position:
            continue
        if start > position:
            segments.append(Segment(text[position:start]))
        segments.append(Segment(text[start:end], section, anchor, str(MARK_LABELS[section])))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments


@dataclass
class Row:
    form: object
    item: object
    anchor: str
    quote: str


@dataclass
class Section:
    name: str
    title: str
    formset: object
    rows: list[Row]


def _ids(data, suffix: str) -> set[int]:
    """The ids a bound page chose in fields ending with `suffix` (to read their labels at once)."""
    if data is None:
        return set()
    return {int(value) for key, value in data.items() if key.endswith(suffix) and str(value).isdigit()}


class Review:
    """The review of one draft: built for the page, or bound to its submission."""

    def __init__(self, draft: Draft, *, user, data=None, source: dict | None = None):
        self.draft, self.user, self.data = draft, user, data
        self.decisions = decisions_proposed(draft)
        source = source or {}
        rows = list(Region.objects.order_by("kind", "name").values_list("pk", "name", "kind"))
        regions = [(pk, name) for pk, name, _kind in rows]
        countries = sorted(
            ((pk, name) for pk, name, kind in rows if kind == Region.Kind.FOREIGN_COUNTRY), key=lambda row: row[1]
        )
        self.region_names = dict(regions)
        self.region_ids = {name: pk for pk, name in regions}
        org_names = [item.name for item in draft.organizations]
        region_item_names = [item.name for item in (*draft.origin_regions, *draft.destination_regions)]
        party_names = list(
            dict.fromkeys([*org_names, *region_item_names, *(p for a in draft.agreements for p in a.parties)])
        )
        self.country_ids = {name: pk for pk, name in countries}
        choices = {
            "regions": [("", "—"), *regions],
            "countries": [("", "—"), *countries],
            "organizations": [(name, name) for name in dict.fromkeys(org_names)],
            "parties": [(name, name) for name in party_names],
        }
        labels = self._labels(draft, data)
        self.sections = []
        for name, title in SECTIONS:
            items = getattr(draft, name)
            formset_class = formset_factory(FORMS[name], extra=0, max_num=len(items), validate_max=True)
            formset = formset_class(
                data,
                prefix=name,
                initial=None if data is not None else [self._initial(name, item) for item in items],
                form_kwargs={"choices": choices, "labels": labels},
            )
            rows = []
            for index, (form, item) in enumerate(zip(formset.forms, items, strict=False)):
                quote = " … ".join(dict.fromkeys(span.text for span in item.spans))
                rows.append(Row(form, item, f"mark-{name}-{index}" if item.spans else "", quote))
            self.sections.append(Section(name, title, formset, rows))
        self.missions = [m for m in missions_matching_draft(draft) if can_edit(user, m)]
        other_widget = KnownAutocompleteSelect(
            ReportedFigure._meta.get_field("mission"), admin.site, labels["missions"], attrs={"data-width": "100%"}
        )
        initial = {
            "target": str(self.missions[0].pk) if self.missions else MissionForm.NEW,
            "title": self.decisions.title,
            "start_date": self.decisions.start_date,
            "end_date": self.decisions.end_date,
            "dates_precision": self.decisions.dates_precision,
            "head_of_delegation": draft.head_of_delegation or "",
            "source_title": source.get("title") or self.decisions.source_title,
            "source_outlet": source.get("outlet", ""),
            "source_url": source.get("url", ""),
        }
        self.mission_form = MissionForm(
            data,
            initial=initial,
            missions=self.missions,
            people=[person.name for person in draft.people],
            other_widget=other_widget,
        )
        self.errors: list[str] = []
        self._segments = None

    @staticmethod
    def _labels(draft: Draft, data) -> dict:
        """The labels of every directory row the page shows as chosen: one query per kind."""
        wanted = {
            "organizations": (Organization, {i.organization_id for i in draft.organizations if i.organization_id}
                              | _ids(data, "-organization")),
            "people": (Person, {i.person_id for i in draft.people if i.person_id} | _ids(data, "-person")),
            "places": (Place, {i.place_id for i in draft.cities if i.place_id} | _ids(data, "-place")),
        }  # fmt: skip
        labels = {}
        for name, (model, ids) in wanted.items():
            rows = model.objects.filter(pk__in=ids)
            if model is Person:
                rows = rows.select_related("organization")
            labels[name] = {str(row.pk): str(row) for row in rows} if ids else {}
        mission_ids = _ids(data, "other_mission")
        labels["missions"] = (
            {str(m.pk): str(m) for m in Mission.objects.filter(pk__in=mission_ids)} if mission_ids else {}
        )
        return labels

    def _initial(self, section: str, item) -> dict:
        decisions = self.decisions
        if section in ("origin_regions", "destination_regions"):
            return {
                "keep": True,
                "name": item.name,
                "region": item.region_id,
                "country": self.country_ids.get(item.country) if item.country else None,
            }
        if section == "cities":
            return {
                "keep": True,
                "name": item.name,
                "region": self.region_ids.get(item.region_name),
                "place": item.place_id,
            }
        if section == "organizations":
            return {
                "keep": True,
                "name": item.name,
                "kind": item.kind if item.kind in Organization.Kind.values else Organization.Kind.COMPANY,
                "legal_form": item.legal_form if item.legal_form in Organization.LegalForm.values else "",
                "region": self.region_ids.get(item.region_name),
                "organization": item.organization_id,
                "in_delegation": item.name in decisions.delegation,
            }
        if section == "people":
            return {
                "keep": True,
                "name": item.name,
                "position": item.position or "",
                "organization": item.organization or "",
                "person": item.person_id,
            }
        if section == "figures":
            return {
                "keep": True,
                "text": item.text,
                "metric": figure_metric(item.metric) or "",
                "qualifier": item.qualifier if item.qualifier in ReportedFigure.Qualifier.values else "exactly",
                "number": item.number,
                "currency": item.currency or "",
            }
        if section == "agreements":
            return {
                "keep": True,
                "title": item.title,
                "kind": agreement_kind(item.kind) or "",
                "signed": item.signed,
                "parties": list(item.parties),
            }
        return {"keep": True, "kind": item.kind, "title": item.title, "date": item.date}

    @property
    def legend(self) -> list[tuple[str, str]]:
        """The kinds of marks the text holds, with their names."""
        kinds = {segment.kind for segment in self.segments if segment.kind}
        return [(kind, str(label)) for kind, label in MARK_LABELS.items() if kind in kinds]

    @property
    def segments(self) -> list[Segment]:
        if self._segments is None:
            self._segments = highlighted(self.draft)
        return self._segments

    def is_valid(self) -> bool:
        valid = self.mission_form.is_valid()
        for section in self.sections:
            valid = section.formset.is_valid() and valid
            if len(section.formset.forms) != len(getattr(self.draft, section.name)):
                self.errors.append(str(_("The page does not match the release's reading: read the release again.")))
                valid = False
        return valid

    def reviewed(self) -> tuple[Draft, Decisions, int | None, dict]:
        """The draft as the staff member reviewed it (dropped rows left out), the decisions, the chosen
        mission's id (None: a new one) and the form prefix of every kept row, for the refusals."""
        draft, keys = self.draft, {}
        renamed: dict[str, str] = {}
        kept: dict[str, list] = {}
        forms_of = {section.name: section.formset.forms for section in self.sections}
        for name in ("origin_regions", "destination_regions"):
            kept[name] = []
            for form, item in zip(forms_of[name], getattr(draft, name), strict=True):
                if form.cleaned_data.get("keep"):
                    region_id, country_id = form.cleaned_data["region"], form.cleaned_data.get("country")
                    keys[(name, len(kept[name]))] = form.prefix
                    if region_id:
                        kept[name].append(
                            RegionItem(self.region_names.get(region_id, item.name), region_id, item.spans)
                        )
                    else:  # a new region of a foreign country
                        new_name = (form.cleaned_data.get("name") or item.name).strip()
                        country = self.region_names.get(country_id)
                        kept[name].append(RegionItem(new_name, None, item.spans, country=country))
                    renamed[item.name] = kept[name][-1].name
        kept["cities"] = []
        for form, item in zip(forms_of["cities"], draft.cities, strict=True):
            data = form.cleaned_data
            if data.get("keep"):
                keys[("cities", len(kept["cities"]))] = form.prefix
                place = data.get("place")
                kept["cities"].append(
                    CityItem(
                        data["name"], self.region_names.get(data.get("region")), place.pk if place else None, item.spans
                    )
                )
        kept["organizations"], delegation = [], []
        for form, item in zip(forms_of["organizations"], draft.organizations, strict=True):
            data = form.cleaned_data
            if not data.get("keep"):
                continue
            keys[("organizations", len(kept["organizations"]))] = form.prefix
            organization = data.get("organization")
            new = replace(
                item,
                name=data["name"].strip(),
                kind=data["kind"],
                legal_form=data.get("legal_form") or "",
                region_name=self.region_names.get(data.get("region")),
                organization_id=organization.pk if organization else None,
            )
            renamed[item.name] = new.name
            kept["organizations"].append(new)
            if data.get("in_delegation"):
                delegation.append(new.name)
        kept["people"] = []
        people_renamed = {}
        for form, item in zip(forms_of["people"], draft.people, strict=True):
            data = form.cleaned_data
            if not data.get("keep"):
                continue
            keys[("people", len(kept["people"]))] = form.prefix
            person = data.get("person")
            organization = data.get("organization") or None
            new = PersonItem(
                data["name"].strip(),
                data.get("position") or None,
                renamed.get(organization, organization) if organization else None,
                person.pk if person else None,
                item.spans,
            )
            people_renamed[item.name] = new.name
            kept["people"].append(new)
        kept["agreements"] = []
        for form, item in zip(forms_of["agreements"], draft.agreements, strict=True):
            data = form.cleaned_data
            if data.get("keep"):
                keys[("agreements", len(kept["agreements"]))] = form.prefix
                parties = [renamed.get(name, name) for name in data.get("parties", [])]
                kept["agreements"].append(
                    AgreementItem(data["title"].strip(), parties, data["kind"], bool(data.get("signed")), item.spans)
                )
        kept["programme"] = []
        for form, item in zip(forms_of["programme"], draft.programme, strict=True):
            data = form.cleaned_data
            if data.get("keep"):
                keys[("programme", len(kept["programme"]))] = form.prefix
                day = data.get("date")
                kept["programme"].append(
                    ProgrammeItem(data["kind"], data["title"].strip(), day.isoformat() if day else None, item.spans)
                )
        kept["figures"] = []
        for form, item in zip(forms_of["figures"], draft.figures, strict=True):
            data = form.cleaned_data
            if data.get("keep"):
                keys[("figures", len(kept["figures"]))] = form.prefix
                kept["figures"].append(
                    FigureItem(
                        item.text,
                        data.get("metric") or "other",
                        data["qualifier"],
                        data["number"],
                        data.get("currency") or None,
                        item.spans,
                    )
                )
        mission = self.mission_form.cleaned_data
        head = mission.get("head_of_delegation") or None
        reviewed = Draft(
            text=draft.text,
            published=draft.published,
            title=mission["title"],
            dates=draft.dates,
            head_of_delegation=people_renamed.get(head) if head else None,
            **kept,
        )
        decisions = Decisions(
            title=mission["title"],
            start_date=mission.get("start_date"),
            end_date=mission.get("end_date"),
            dates_precision=mission["dates_precision"],
            delegation=delegation,
            source_title=mission["source_title"],
            source_outlet=mission.get("source_outlet") or "",
            source_url=mission.get("source_url") or "",
        )
        return reviewed, decisions, self.mission_form.mission_id(), keys

    def add_refusal(self, refusal) -> None:
        """Show a confirmation's refusal on the rows it names (their prefixes), the rest at the top."""
        forms = {row.form.prefix: row.form for section in self.sections for row in section.rows}
        errors = refusal.message_dict if hasattr(refusal, "error_dict") else {None: refusal.messages}
        for key, messages in errors.items():
            if key in forms:
                forms[key].add_error(None, messages)
            elif key in ("mission", "source", "url"):
                self.mission_form.add_error(None, messages)
            else:
                self.errors.extend(messages)

    @property
    def has_row_errors(self) -> bool:
        return any(row.form.errors for section in self.sections for row in section.rows)
