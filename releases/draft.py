"""The draft a press release is read into: what the text says, each item with the words it came from.

One shape for the whole feature: the extraction fills it (`releases.extraction.pipeline.analyse`),
the review page edits it, the confirm service writes it, the API returns it, and `to_gold()` prints it
in the evaluation's schema (`../shared/seeds/gold/README.md`). Names are as they would be saved: the
directory's name for a matched record, the nominative for a new one.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of the release's text."""

    start: int
    end: int
    text: str


@dataclass
class RegionItem:
    name: str  # the directory's name (Region.name) when matched; else the nominative with its type word
    region_id: int | None = None
    spans: list[Span] = field(default_factory=list)
    # for a foreign region the directory does not have ("провинция Ляонин"): its country's
    # directory name, when the text names it or says it by an adjective ("китайская провинция")
    country: str | None = None


@dataclass
class CityItem:
    name: str  # nominative ("Ульяновск" for "в Ульяновске")
    region_name: str | None = None  # the region the city is in, when known
    place_id: int | None = None  # companies.Place when matched
    spans: list[Span] = field(default_factory=list)


# Organization.Kind values ("company", "government", "municipality", "development", "association",
# "education"); the gold schema spells "development" as "development_institution" (see to_gold).
@dataclass
class OrganizationItem:
    name: str
    kind: str
    organization_id: int | None = None  # companies.Organization when matched
    region_name: str | None = None  # the region it is in, when the text or the directory says
    legal_form: str = ""  # Organization.LegalForm value when the text gives one ("ooo", "ao", ...)
    score: float | None = None  # the match's fuzzy score (0..100) when matched
    spans: list[Span] = field(default_factory=list)


@dataclass
class PersonItem:
    name: str  # as complete as the text gives it, nominative
    position: str | None = None  # nominative ("губернатор Челябинской области")
    organization: str | None = None  # an OrganizationItem's name
    person_id: int | None = None  # companies.Person when matched
    spans: list[Span] = field(default_factory=list)


@dataclass
class DateItem:
    text: str  # copied from the release
    iso: str | None  # "YYYY-MM-DD" or "YYYY"; None when the text gives no year
    what: str  # "mission start", "mission end", "mission day", "mission period", "signing", "event",
    # "past event", "publication", "period"
    spans: list[Span] = field(default_factory=list)


@dataclass
class FigureItem:
    text: str
    metric: str  # the gold METRIC: companies_in_delegation, participants, contracts, agreements,
    # meetings, value, trade_turnover, other
    qualifier: str  # more_than, about, up_to, less_than, exactly
    number: Decimal
    currency: str | None = None  # RUB, USD, CNY, EUR for a value
    spans: list[Span] = field(default_factory=list)


@dataclass
class AgreementItem:
    title: str  # the title or description as the text gives it
    parties: list[str] = field(default_factory=list)  # OrganizationItem names or region names
    kind: str = "unknown"  # intergovernmental, interagency, institutional, memorandum,
    # commercial_contract, unknown
    signed: bool = True  # False for a document to be signed
    spans: list[Span] = field(default_factory=list)


@dataclass
class ProgrammeItem:
    kind: str  # missions.ProgramItem.Kind value ("b2b", "round_table", "site_visit", "signing", "forum", ...)
    title: str
    date: str | None = None  # ISO date when the text ties it to a day
    spans: list[Span] = field(default_factory=list)


def gold_region_name(name: str) -> str:
    """A region's name as labels write it: a parenthesis repeating a word of the name is dropped
    ("Республика Татарстан (Татарстан)" → "Республика Татарстан"), one that adds to it is kept
    ("Республика Саха (Якутия)")."""
    match = re.fullmatch(r"(?P<name>.+?)\s*\((?P<short>[^()]+)\)", name)
    if match and match.group("short").strip().lower() in match.group("name").lower().split():
        return match.group("name")
    return name


@dataclass
class Draft:
    text: str
    published: datetime.date | None = None
    title: str = ""  # the release's headline (its first meaningful line)
    origin_regions: list[RegionItem] = field(default_factory=list)
    destination_regions: list[RegionItem] = field(default_factory=list)
    cities: list[CityItem] = field(default_factory=list)
    organizations: list[OrganizationItem] = field(default_factory=list)
    people: list[PersonItem] = field(default_factory=list)
    dates: list[DateItem] = field(default_factory=list)
    figures: list[FigureItem] = field(default_factory=list)
    agreements: list[AgreementItem] = field(default_factory=list)
    programme: list[ProgrammeItem] = field(default_factory=list)
    head_of_delegation: str | None = None  # a PersonItem's name
    mission_id: int | None = None  # an existing mission this release is about, when one matches

    def to_gold(self) -> dict:
        """The evaluation's schema (gold/README.md), exactly: what `extract_release --json` prints."""
        gold_kind = {"development": "development_institution"}
        return {
            "origin_regions": [gold_region_name(item.name) for item in self.origin_regions],
            "destination_regions": [gold_region_name(item.name) for item in self.destination_regions],
            "cities": [item.name for item in self.cities],
            "organizations": [{"name": o.name, "kind": gold_kind.get(o.kind, o.kind)} for o in self.organizations],
            "people": [{"name": p.name, "position": p.position, "organization": p.organization} for p in self.people],
            "dates": [{"text": d.text, "iso": d.iso, "what": d.what} for d in self.dates],
            "figures": [
                {
                    "text": f.text,
                    "metric": f.metric,
                    "qualifier": f.qualifier,
                    "number": int(f.number) if f.number == f.number.to_integral_value() else float(f.number),
                    "currency": f.currency,
                }
                for f in self.figures
            ],
            "agreements": [
                {"title_or_description": a.title, "parties": list(a.parties), "kind": a.kind} for a in self.agreements
            ],
        }

    def as_dict(self) -> dict:
        """Everything, spans included, as JSON-ready values (the API's draft)."""
        data = asdict(self)
        data["published"] = self.published.isoformat() if self.published else None
        for figure in data["figures"]:
            figure["number"] = str(figure["number"])
        return data
