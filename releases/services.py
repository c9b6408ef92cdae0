"""Confirming a release's draft: the mission record it proposes, written once, through the services.

Everything lands in one transaction or nothing does. Each row of the draft is written in a savepoint
of its own, so that every refusal is collected with the row it concerns (its key, "organizations-3",
is the review page's form prefix) before the whole transaction is undone.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement
from agreements.services.agreements import agreement_create
from companies.dates import DatePrecision
from companies.exceptions import PortalError
from companies.models import Organization, Person, Place, Region
from companies.names import name_normal_form
from companies.roles import can_edit, user_organization
from companies.services import directory_row_create, unique_slug
from missions.models import DelegationMember, Mission, ProgramItem, ReportedFigure
from missions.services.delegation import delegation_add_member
from missions.services.missions import mission_create, mission_update
from missions.services.schedule import program_item_save
from missions.services.sources import figure_record, source_record

from .draft import AgreementItem, CityItem, Draft, OrganizationItem, PersonItem, Span
from .proposals import (
    Decisions,
    agreement_kind,
    city_region_guess,
    draft_day,
    figure_metric,
    government_of,
    organization_region_guess,
    person_organization_guess,
    region_by_name,
    sentence_of,
    signing_date,
)

PATRONYMIC_ENDINGS = ("вич", "вна", "чна", "ична", "оглы", "кызы")


@dataclass
class Confirmed:
    """What a confirmation wrote: the mission, whether it is new, how many rows of each kind, and notes
    on what the draft held that was not recorded."""

    mission: Mission
    created: bool
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def release_check_staff(by) -> Organization:
    """The ministry of a staff member who may confirm a release; anyone else is refused."""
    organization = user_organization(by)
    if not (by and by.is_authenticated and by.is_active and by.is_staff) or organization is None:
        raise PortalError(
            _("Only ministry staff whose login belongs to their ministry create missions from press releases."),
            code="not_staff",
        )
    return organization


def release_check_mission(*, mission: Mission, by) -> None:
    if not can_edit(by, mission):
        raise PortalError(
            {"mission": _("The mission “%(mission)s” is kept by another ministry: a release cannot be added to it.")
             % {"mission": mission}},
            code="foreign_mission",
        )  # fmt: skip


def person_name_parts(name: str) -> tuple[str, str, str]:
    """(last, first, patronymic) of a name as a release gives it: "Алексей Леонидович Текслер",
    "Текслер Алексей Леонидович", "Алексей Текслер", "Текслер"."""
    words = name.split()
    if not words:
        return "", "", ""
    if len(words) == 1:
        return words[0], "", ""
    if len(words) == 2:
        return words[1], words[0], ""
    first, second, *rest = words
    last_word = rest[-1] if rest else ""
    if last_word.casefold().endswith(PATRONYMIC_ENDINGS) and not second.casefold().endswith(PATRONYMIC_ENDINGS):
        return first, second, " ".join(rest)  # Фамилия Имя Отчество
    return " ".join(rest), first, second  # Имя Отчество Фамилия


class _Rows:
    """The rows written so far and the refusals collected, each under its row's key."""

    def __init__(self, keys):
        self.keys = keys or {}
        self.errors: dict[str, list[str]] = {}
        self.counts: dict[str, int] = {}
        self.notes: list[str] = []

    def key(self, section: str, index: int | None = None) -> str:
        if index is None:
            return section
        return self.keys.get((section, index), f"{section}-{index}")

    def refuse(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(str(message))

    def count(self, name: str) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1

    @contextmanager
    def row(self, key: str):
        """Write one row in a savepoint; a refusal is kept under `key` and the next row is written."""
        try:
            with transaction.atomic():
                yield
        except ValidationError as refusal:
            for message in _messages(refusal):
                self.refuse(key, message)


def _messages(refusal: ValidationError) -> list[str]:
    if hasattr(refusal, "error_dict"):
        return [message for errors in refusal.message_dict.values() for message in errors]
    return list(refusal.messages)


def _region(rows: _Rows, key: str, item, what: str, *, by) -> Region | None:
    """The directory's region of a draft's region row; a region of a foreign country the directory
    lacks ("провинция Ляонин", its country named) is added to it, as staff add one in the admin."""
    if item.region_id:
        region = Region.objects.filter(pk=item.region_id).first()
    elif item.country:
        return _foreign_region(rows, key, item, by=by)
    else:
        region = None
    if region is None:
        rows.refuse(
            key,
            _("“%(name)s” is not a region of the directory: choose the %(what)s region from the list.")
            % {"name": item.name, "what": what},
        )
    return region


def _foreign_region(rows: _Rows, key: str, item, *, by) -> Region | None:
    country = Region.objects.filter(kind=Region.Kind.FOREIGN_COUNTRY, name=item.country).first()
    if country is None:
        rows.refuse(key, _("“%(name)s” is not a country of the directory.") % {"name": item.country})
        return None
    name = name_normal_form(item.name)
    existing = Region.objects.filter(kind=Region.Kind.FOREIGN_REGION, country=country, name=name).first()
    if existing is not None:
        return existing
    region = None
    with rows.row(key):
        region = directory_row_create(
            Region(kind=Region.Kind.FOREIGN_REGION, name=name, slug=unique_slug(Region, name), country=country),
            by=by,
        )
        rows.count("regions")
    return region


def _place(rows: _Rows, draft: Draft, key: str, item: CityItem, *, by) -> Place | None:
    if item.place_id:
        place = Place.objects.filter(pk=item.place_id).first()
        if place is None:
            rows.refuse(key, _("The city chosen for “%(name)s” is no longer in the directory.") % {"name": item.name})
        return place
    region = region_by_name(city_region_guess(draft, item))
    if region is None:
        rows.refuse(key, _("Choose the region of the city “%(name)s”.") % {"name": item.name})
        return None
    name = name_normal_form(item.name)
    existing = Place.objects.filter(region=region, name=name).first()
    if existing is not None:
        return existing
    with rows.row(key):
        place = directory_row_create(Place(name=name, region=region, slug=unique_slug(Place, name)), by=by)
        rows.count("places")
        return place
    return None


def _organization(rows: _Rows, draft: Draft, key: str, item: OrganizationItem, *, by) -> Organization | None:
    if item.organization_id:
        organization = Organization.objects.filter(pk=item.organization_id).first()
        if organization is None:
            rows.refuse(
                key, _("The organization chosen for “%(name)s” is no longer in the directory.") % {"name": item.name}
            )
        return organization
    region = region_by_name(organization_region_guess(draft, item))
    if region is None:
        rows.refuse(key, _("Choose the region of the new organization “%(name)s”.") % {"name": item.name})
        return None
    name = name_normal_form(item.name)
    existing = Organization.objects.filter(region=region, name=name).first()
    if existing is not None:
        return existing
    kind = item.kind if item.kind in Organization.Kind.values else Organization.Kind.COMPANY
    legal_form = item.legal_form if item.legal_form in Organization.LegalForm.values else ""
    organization = Organization(
        kind=kind, name=name, legal_form=legal_form, region=region, slug=unique_slug(Organization, name)
    )
    with rows.row(key):
        directory_row_create(organization, by=by)
        rows.count("organizations")
        return organization
    return None


def _person(rows: _Rows, draft: Draft, key: str, item: PersonItem, organizations, *, by) -> Person | None:
    if item.person_id:
        person = Person.objects.select_related("organization").filter(pk=item.person_id).first()
        if person is None:
            rows.refuse(key, _("The person chosen for “%(name)s” is no longer in the directory.") % {"name": item.name})
        return person
    organization_name = person_organization_guess(draft, item)
    organization = organizations.get(organization_name) if organization_name else None
    if organization is None:
        if organization_name is None or organization_name not in organizations.failed:
            rows.refuse(key, _("Choose the organization of “%(name)s”, or drop the row.") % {"name": item.name})
        return None
    last, first, patronymic = person_name_parts(name_normal_form(item.name))
    existing = Person.objects.filter(
        organization=organization, last_name=last, first_name=first, patronymic=patronymic
    ).first()
    if existing is not None:
        return existing
    person = Person(
        organization=organization,
        last_name=last,
        first_name=first,
        patronymic=patronymic,
        position=(item.position or "")[:300],
    )
    with rows.row(key):
        directory_row_create(person, by=by)
        rows.count("people")
        return person
    return None


class _Organizations(dict):
    """The draft's organization names and the rows they became; `failed` holds those refused."""

    def __init__(self):
        super().__init__()
        self.failed: set[str] = set()


def _party(draft: Draft, name: str, organizations: _Organizations) -> Organization | None:
    """An agreement's party: one of the draft's organizations, or a region standing for its government."""
    if name in organizations:
        return organizations[name]
    regions = (*draft.origin_regions, *draft.destination_regions)
    region_item = next((item for item in regions if item.name == name), None)
    if region_item is not None:
        government = government_of(draft, region_item)
        if government is not None and government.name in organizations:
            return organizations[government.name]
    return Organization.objects.filter(kind=Organization.Kind.GOVERNMENT, region__name=name).order_by("pk").first()


def _agreement_term(draft: Draft, item: AgreementItem) -> tuple[datetime.date | None, datetime.date | None]:
    """The years of a period the agreement's own words give ("на 2022-2024 годы"): its first and last day."""
    years = []
    title = item.title.casefold()
    for date in draft.dates:
        if date.what != "period" or not date.iso:
            continue
        inside = any(span.start >= own.start and span.end <= own.end for span in date.spans for own in item.spans) or (
            date.text and date.text.casefold() in title
        )
        if inside:
            years.append(int(date.iso[:4]))
    if not years:
        return None, None
    return datetime.date(min(years), 1, 1), datetime.date(max(years), 12, 31)


def _status(start: datetime.date | None, end: datetime.date | None) -> str:
    today = timezone.localdate()
    if start is None:
        return Mission.Status.PLANNED
    if (end or start) < today:
        return Mission.Status.COMPLETED
    if start <= today:
        return Mission.Status.UNDER_WAY
    return Mission.Status.PLANNED


def _quote(draft: Draft, spans: list[Span], fallback: str) -> str:
    return sentence_of(draft.text, spans[0]) if spans else fallback


@transaction.atomic
def draft_confirm(
    *, draft: Draft, decisions: Decisions, mission: Mission | None = None, by, row_keys=None
) -> Confirmed:
    """Write the reviewed draft: the mission (new, or `mission` to add to), its places, the directory's
    new organizations and people, the delegation, the programme, the agreements with their parties,
    the release as a Source and its figures. Every refusal is raised at once, keyed by its row, and
    nothing is written.

    `row_keys` maps (section, index) of the draft's lists to the key a refusal is reported under.
    """
    ministry = release_check_staff(by)
    if mission is not None:
        release_check_mission(mission=mission, by=by)
        mission = Mission.objects.select_for_update().get(pk=mission.pk)
    rows = _Rows(row_keys)

    origin, destinations = None, []
    if mission is None:
        if not draft.origin_regions:
            rows.refuse("mission", _("Name the region the delegation comes from."))
        for index, item in enumerate(draft.origin_regions[:1]):
            origin = _region(rows, rows.key("origin_regions", index), item, _("origin"), by=by)
        if not draft.destination_regions:
            rows.refuse("mission", _("Name at least one region the delegation visits."))
        for index, item in enumerate(draft.destination_regions):
            region = _region(rows, rows.key("destination_regions", index), item, _("destination"), by=by)
            if region is not None and region not in destinations:
                destinations.append(region)

    places = []
    for index, item in enumerate(draft.cities):
        place = _place(rows, draft, rows.key("cities", index), item, by=by)
        if place is not None and place not in places:
            places.append(place)

    organizations = _Organizations()
    for index, item in enumerate(draft.organizations):
        organization = _organization(rows, draft, rows.key("organizations", index), item, by=by)
        if organization is None:
            organizations.failed.add(item.name)
        else:
            organizations[item.name] = organization

    people = {}
    for index, item in enumerate(draft.people):
        person = _person(rows, draft, rows.key("people", index), item, organizations, by=by)
        if person is not None:
            people[item.name] = person
    head = people.get(draft.head_of_delegation) if draft.head_of_delegation else None

    start, end, precision = decisions.start_date, decisions.end_date, decisions.dates_precision
    created = mission is None
    if created:
        if origin is not None and destinations:
            with rows.row("mission"):
                mission = mission_create(
                    title=decisions.title.strip() or draft.title,
                    origin_region=origin,
                    destination_regions=destinations,
                    organizer=ministry,
                    recorded_by=ministry,
                    places=places,
                    start_date=start,
                    end_date=end,
                    dates_precision=precision or DatePrecision.DAY,
                    head_of_delegation=head,
                    status=_status(start, end),
                    by=by,
                )
    else:
        changes = {}
        if head is not None and mission.head_of_delegation_id is None:
            changes["head_of_delegation"] = head
        new_places = [place for place in places if not mission.places.filter(pk=place.pk).exists()]
        with rows.row("mission"):
            mission = mission_update(
                mission=mission,
                places=[*mission.places.all(), *new_places] if new_places else None,
                by=by,
                **changes,
            )
    if mission is None or mission.pk is None:
        raise PortalError(rows.errors or {"mission": [_("The mission could not be recorded.")]}, code="draft_refused")

    _delegation(rows, draft, decisions, mission, organizations, head, by=by)
    _programme(rows, draft, mission, by=by)

    source = None
    with rows.row("source"):
        source = source_record(
            title=decisions.source_title.strip() or decisions.title.strip() or draft.title,
            outlet=decisions.source_outlet,
            url=decisions.source_url,
            published_on=draft.published,
            missions=[mission],
            by=by,
        )
        rows.count("sources")

    _agreements(rows, draft, mission, source, organizations, by=by)
    if source is not None and source.pk:
        _figures(rows, draft, mission, source, by=by)

    if rows.errors:
        raise PortalError(rows.errors, code="draft_refused")
    return Confirmed(mission=mission, created=created, counts=rows.counts, notes=rows.notes)


def _delegation(rows, draft, decisions, mission, organizations, head, *, by) -> None:
    members = set(
        DelegationMember.objects.filter(mission=mission, person__isnull=True).values_list("organization_id", flat=True)
    )
    for name in decisions.delegation:
        organization = organizations.get(name)
        if organization is None:
            if name not in organizations.failed:
                rows.refuse("delegation", _("“%(name)s” is not among the organizations kept.") % {"name": name})
            continue
        if organization.pk in members:
            continue
        with rows.row("delegation"):
            delegation_add_member(mission=mission, organization=organization, by=by)
            members.add(organization.pk)
            rows.count("delegation")
    if head is not None and not DelegationMember.objects.filter(mission=mission, person=head).exists():
        with rows.row("mission"):
            delegation_add_member(
                mission=mission, organization=head.organization, person=head, role=DelegationMember.Role.HEAD, by=by
            )
            rows.count("delegation")


def _programme(rows, draft, mission, *, by) -> None:
    existing = {(kind, title.casefold()) for kind, title in mission.program.values_list("kind", "title")}
    for index, item in enumerate(draft.programme):
        kind = item.kind if item.kind in ProgramItem.Kind.values else ProgramItem.Kind.OTHER
        title = (item.title or "").strip()[:300]
        if not title or (kind, title.casefold()) in existing:
            continue
        with rows.row(rows.key("programme", index)):
            program_item_save(ProgramItem(mission=mission, kind=kind, title=title, date=draft_day(item.date)), by=by)
            existing.add((kind, title.casefold()))
            rows.count("programme")


def _agreements(rows, draft, mission, source, organizations, *, by) -> None:
    titles = Agreement.objects.filter(signed_at_mission=mission).values_list("title", flat=True)
    existing = {title.casefold() for title in titles}
    signed_on, signed_precision = signing_date(draft)
    for index, item in enumerate(draft.agreements):
        key = rows.key("agreements", index)
        title = (item.title or "").strip()
        title = (title[:1].upper() + title[1:])[:500]
        if not title:
            rows.refuse(key, _("Give the agreement's title."))
            continue
        if title.casefold() in existing:
            continue
        kind = agreement_kind(item.kind)
        if kind is None:
            rows.refuse(key, _("Choose the kind of the agreement “%(title)s”.") % {"title": title})
            continue
        parties, missing = [], []
        for name in item.parties:
            party = _party(draft, name, organizations)
            if party is None:
                if name not in organizations.failed:
                    missing.append(name)
            elif party not in [organization for organization, _role in parties]:
                parties.append((party, "party"))
        if missing:
            rows.refuse(
                key,
                _("No organization of the directory or of the release stands for the party “%(names)s”: "
                  "add it among the organizations, or remove it from the parties.") % {"names": "», «".join(missing)},
            )  # fmt: skip
            continue
        valid_from, valid_until = _agreement_term(draft, item)
        with rows.row(key):
            agreement_create(
                title=title,
                kind=kind,
                parties=parties,
                status=Agreement.Status.SIGNED if item.signed else Agreement.Status.DRAFT,
                signed_on=signed_on if item.signed else None,
                signed_on_precision=signed_precision or DatePrecision.DAY,
                signed_at_mission=mission,
                valid_from=valid_from,
                valid_until=valid_until,
                sources=[source] if source is not None and source.pk else [],
                by=by,
            )
            existing.add(title.casefold())
            rows.count("agreements")


def _figures(rows, draft, mission, source, *, by) -> None:
    for index, item in enumerate(draft.figures):
        key = rows.key("figures", index)
        metric = figure_metric(item.metric)
        if metric is None:
            rows.notes.append(
                _("“%(text)s” is not recorded as a figure: the portal has no metric for it.") % {"text": item.text}
            )
            continue
        is_value = metric in ReportedFigure.VALUE_METRICS
        if is_value and not item.currency:
            rows.refuse(key, _("Choose the currency of “%(text)s”.") % {"text": item.text})
            continue
        qualifier = item.qualifier if item.qualifier in ReportedFigure.Qualifier.values else "exactly"
        with rows.row(key):
            figure_record(
                source=source,
                mission=mission,
                metric=metric,
                qualifier=qualifier,
                number=item.number,
                currency=item.currency if is_value else "",
                quote=_quote(draft, item.spans, item.text),
                by=by,
            )
            rows.count("figures")
