"""What the review page proposes by default, beyond what the extraction found.

The extraction reads the text; a mission record also needs decisions the text leaves implicit: the
mission's title and dates, which organizations form the delegation, the region of a new organization,
the organization of a person known by a title only. These are guessed here, once: the review page
shows the guesses as the forms' initial values and the confirm service applies the same guesses to
whatever the staff member left empty.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from companies.dates import DatePrecision
from companies.models import Organization, Region
from companies.search_text import stem, words_of
from missions.models import ReportedFigure

from .draft import Draft, OrganizationItem, PersonItem, RegionItem
from .extraction.dates import day_near

# The draft's (gold) metric names and the portal's ReportedFigure metrics they are recorded as. "other"
# has no counterpart: such a figure is not recorded unless the staff member chooses a metric for it.
GOLD_METRICS = {
    "companies_in_delegation": ReportedFigure.Metric.DELEGATION_COMPANIES,
    "participants": ReportedFigure.Metric.PARTICIPANTS,
    "contracts": ReportedFigure.Metric.CONTRACTS,
    "agreements": ReportedFigure.Metric.AGREEMENTS,
    "meetings": ReportedFigure.Metric.MEETINGS,
    "value": ReportedFigure.Metric.VALUE,
    "trade_turnover": ReportedFigure.Metric.TRADE_TURNOVER,
}
GOLD_QUALIFIERS = {value: value for value in ReportedFigure.Qualifier.values}

# The draft's agreement kinds and the portal's Agreement.Kind values (agreements.models); "unknown" has
# none: the staff member chooses.
AGREEMENT_KINDS = {
    "intergovernmental": "intergovernmental",
    "interagency": "interagency",
    "institutional": "institutional",
    "memorandum": "memorandum",
    "commercial_contract": "contract",
    "contract": "contract",
}

MISSION_START = ("mission start", "mission day", "mission period")
MISSION_END = ("mission end",)


def figure_metric(metric: str) -> str | None:
    """The ReportedFigure metric a draft's figure is recorded as, or None ("other": not recorded)."""
    if metric in ReportedFigure.Metric.values:
        return metric
    return GOLD_METRICS.get(metric)


def agreement_kind(kind: str) -> str | None:
    return AGREEMENT_KINDS.get(kind)


@dataclass
class Decisions:
    """What the staff member decides on the review page beyond the draft's items."""

    title: str = ""
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    dates_precision: str = DatePrecision.DAY
    delegation: list[str] = field(default_factory=list)  # names of the draft's organizations in the delegation
    source_title: str = ""
    source_outlet: str = ""
    source_url: str = ""


def _iso_date(iso: str | None) -> tuple[datetime.date | None, str]:
    """A draft date ("YYYY-MM-DD", "YYYY-MM" or "YYYY") as a date and its precision."""
    if not iso:
        return None, DatePrecision.DAY
    parts = iso.split("-")
    try:
        if len(parts) == 3:
            return datetime.date(int(parts[0]), int(parts[1]), int(parts[2])), DatePrecision.DAY
        if len(parts) == 2:
            return datetime.date(int(parts[0]), int(parts[1]), 1), DatePrecision.MONTH
        return datetime.date(int(parts[0]), 1, 1), DatePrecision.YEAR
    except ValueError:
        return None, DatePrecision.DAY


def draft_day(iso: str | None) -> datetime.date | None:
    """A draft's ISO date when it names a day, else None."""
    value, precision = _iso_date(iso)
    return value if precision == DatePrecision.DAY else None


def _item_date(draft: Draft, item) -> tuple[datetime.date | None, str]:
    """A draft date as a date and its precision; a year-less day ("3 февраля") in the year nearest the
    release's publication, when the release says when it was published."""
    if item.iso:
        return _iso_date(item.iso)
    if draft.published:
        return day_near(item, draft.published), DatePrecision.DAY
    return None, DatePrecision.DAY


def mission_dates(draft: Draft) -> tuple[datetime.date | None, datetime.date | None, str]:
    """The mission's start, end and precision the draft's dates give (None when no date names a year)."""
    start, precision = None, DatePrecision.DAY
    end = None
    for item in draft.dates:
        if item.what in MISSION_START:
            value, value_precision = _item_date(draft, item)
            if value is not None and (start is None or value < start):
                start, precision = value, value_precision
        if item.what in MISSION_END:
            value, value_precision = _item_date(draft, item)
            if value_precision == DatePrecision.DAY and value is not None:
                end = value if end is None else max(end, value)
    if start is None or precision != DatePrecision.DAY or (end is not None and end < start):
        end = None
    if end == start:
        end = None if precision != DatePrecision.DAY else end
    return start, end, precision


def signing_date(draft: Draft) -> tuple[datetime.date | None, str]:
    """The day the draft's documents were signed: a "signing" date, else the mission's start."""
    for item in draft.dates:
        if item.what == "signing":
            value, precision = _item_date(draft, item)
            if value is not None:
                return value, precision
    start, _end, precision = mission_dates(draft)
    return start, precision


def _stems(text: str) -> tuple[str, ...]:
    """The words of `text` by their Snowball stems, so that "Югры" and "Югре", "Челябинской области"
    and "Челябинская область" compare alike."""
    return tuple(stem(word) for word in words_of(text or ""))


def _names(needle: tuple[str, ...], haystack: tuple[str, ...]) -> bool:
    """Do the stemmed words `needle` stand together in `haystack`?"""
    if not needle:
        return False
    return any(haystack[i : i + len(needle)] == needle for i in range(len(haystack) - len(needle) + 1))


def region_forms(item: RegionItem) -> list[tuple[str, ...]]:
    """The words the text and the directory name a region by: its name and every span found for it."""
    forms = {_stems(item.name)} | {_stems(span.text) for span in item.spans}
    return sorted((form for form in forms if form and len("".join(form)) >= 3), key=len, reverse=True)


def _regions(draft: Draft) -> list[RegionItem]:
    return [*draft.origin_regions, *draft.destination_regions]


def names_region(text: str, region: RegionItem) -> bool:
    words = _stems(text)
    return any(_names(form, words) for form in region_forms(region))


def region_named_in(draft: Draft, text: str) -> RegionItem | None:
    """The draft's region that `text` (a position, an organization's name) names, if one does."""
    for item in _regions(draft):
        if names_region(text, item):
            return item
    return None


def organization_region_guess(draft: Draft, item: OrganizationItem) -> str | None:
    """The region of a new organization: the one the text gives, else one its name names, else (a
    delegation's company) the origin."""
    if item.region_name:
        return item.region_name
    named = region_named_in(draft, item.name)
    if named is not None:
        return named.name
    if item.kind == Organization.Kind.COMPANY and draft.origin_regions:
        return draft.origin_regions[0].name
    return None


def government_of(draft: Draft, region: RegionItem) -> OrganizationItem | None:
    """The draft's government organization of `region` (by its region, or a name that names the region)."""
    for item in draft.organizations:
        if item.kind != Organization.Kind.GOVERNMENT:
            continue
        if item.region_name == region.name or names_region(item.name, region):
            return item
    return None


def person_organization_guess(draft: Draft, person: PersonItem) -> str | None:
    """The draft organization a person belongs to: as the text says, else the one their position
    names ("министр промышленности Челябинской области"), else the government of the region their
    position names ("губернатор Югры"); the head of delegation, else, of the origin's government."""
    if person.organization:
        return person.organization
    position = _stems(person.position or "")
    if position:
        for item in draft.organizations:
            words = _stems(item.name)
            # "министр промышленности X" of "Министерство промышленности X": the words after the
            # first stand in the position, and the first begins as the position's first word does
            if len(words) > 1 and _names(words[1:], position) and words[0][:5] == position[0][:5]:
                return item.name
        region = region_named_in(draft, person.position)
        if region is not None:
            government = government_of(draft, region)
            if government is not None:
                return government.name
    if draft.head_of_delegation == person.name and draft.origin_regions:
        government = government_of(draft, draft.origin_regions[0])
        if government is not None:
            return government.name
    return None


def delegation_guess(draft: Draft) -> list[str]:
    """The companies of the delegation: the draft's companies of the origin (or of no known region)."""
    origin = draft.origin_regions[0].name if draft.origin_regions else None
    return [
        item.name
        for item in draft.organizations
        if item.kind == Organization.Kind.COMPANY and organization_region_guess(draft, item) in (origin, None)
    ]


def decisions_proposed(draft: Draft) -> Decisions:
    start, end, precision = mission_dates(draft)
    title = draft.title.strip() or next((line.strip() for line in draft.text.splitlines() if line.strip()), "")
    return Decisions(
        title=title[:300],
        start_date=start,
        end_date=end,
        dates_precision=precision,
        delegation=delegation_guess(draft),
        source_title=title[:500],
    )


def draft_fill_guesses(draft: Draft) -> Draft:
    """The draft with every empty region of an organization and organization of a person guessed."""
    for item in draft.organizations:
        item.region_name = organization_region_guess(draft, item)
    for person in draft.people:
        person.organization = person_organization_guess(draft, person) or government_proposed(draft, person)
    return draft


def government_proposed(draft: Draft, person: PersonItem) -> str | None:
    """A new government for a head of region the release names without their body ("губернатор
    Самарской области" → «Правительство Самарской области», in the region): the region's words are
    taken from the position as written there, so they already stand in the genitive."""
    region = region_named_in(draft, person.position or "")
    if region is None:
        return None
    position = person.position or ""
    phrases = sorted({span.text for span in region.spans if span.text and span.text in position}, key=len)
    if phrases:
        phrase = phrases[-1]
    else:
        tail = position.split(maxsplit=1)[1:] or [""]
        phrase = tail[0] if tail[0] and names_region(tail[0], region) else ""
    if not phrase:
        return None
    name = f"Правительство {phrase}"
    draft.organizations.append(OrganizationItem(name=name, kind=Organization.Kind.GOVERNMENT, region_name=region.name))
    return name


def region_by_name(name: str | None) -> Region | None:
    """The directory's region of this exact name (a RegionItem's name is the directory's)."""
    if not name:
        return None
    return Region.objects.filter(name=name).first()


def city_region_guess(draft: Draft, item) -> str | None:
    """The region of a new city: the one the text gives, else the only destination."""
    if item.region_name:
        return item.region_name
    if len(draft.destination_regions) == 1:
        return draft.destination_regions[0].name
    return None


SENTENCE_ENDS = ".!?\n"


def sentence_of(text: str, span) -> str:
    """The sentence of `text` holding `span` (a figure's quote)."""
    start = max((text.rfind(mark, 0, span.start) for mark in SENTENCE_ENDS), default=-1) + 1
    ends = [position for position in (text.find(mark, span.end) for mark in SENTENCE_ENDS) if position != -1]
    end = min(ends) + 1 if ends else len(text)
    return text[start:end].strip()
