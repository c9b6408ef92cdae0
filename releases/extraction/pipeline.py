"""The whole reading of a release: one call from text to Draft."""

import datetime
import re

from releases.draft import DateItem, Draft, PersonItem, RegionItem, Span
from releases.extraction import dates, figures, programme, regions
from releases.extraction.agreements import find_agreements
from releases.extraction.cleaning import blank_credits, blank_unnamed, fix_mixed_scripts
from releases.extraction.nlp import analysed as analyse_text
from releases.extraction.organizations import find_organizations
from releases.extraction.people import REGION_HEAD, find_people
from releases.extraction.resolution import resolve_organizations, resolve_people

# "date 2025-09-17" on the first line: the publication date of an exported release.
DATE_MARKER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b", re.IGNORECASE)
# Lines of a web page around the release that are not its headline.
FURNITURE = re.compile(
    r"^(?:показать (?:еще|ещё)\b.*|фото\b.*|видео\b.*|поделиться\b.*|главная\b.*|новости|пресс-релизы?|"
    r"\d+|\d{1,2}[./]\d{1,2}[./]\d{2,4}.*|\d{1,2}:\d{2}.*|подписаться.*|(?:последние|добавить|оставьте|оставить)\s+"
    r"(?:комментари|ответ|сообщени|отзыв).*|please .*|читать (?:также|далее).*|источник:.*)$",
    re.IGNORECASE,
)
BREADCRUMB = re.compile(r"^(?:новости|пресс-центр|события|главная)\s*[/>|»:]?\s+(?=[А-ЯЁA-Z])", re.IGNORECASE)
TITLE_LIMIT = 250
HEAD_PHRASES = re.compile(
    r"возглав\w*|во главе с|под руководством|с (?:бизнес-|деловой |официальной )?делегаци\w+|"
    r"делегаци\w+ (?:[\w-]+ ){0,4}(?:приехал|прибыл|посетил)\w*",
    re.IGNORECASE,
)


def publication_marker(text: str) -> datetime.date | None:
    """The date of a "date YYYY-MM-DD" marker on the first line, if there is one."""
    match = DATE_MARKER.match(text)
    if not match:
        return None
    try:
        return datetime.date.fromisoformat(match.group(1))
    except ValueError:
        return None


def headline(text: str) -> str:
    """The release's headline: its first line that is not page furniture, without a breadcrumb or a
    date marker; a long first paragraph gives its first sentence."""
    for raw in text.splitlines():
        line = DATE_MARKER.sub("", raw).strip()
        if not line or FURNITURE.match(line):
            continue
        line = BREADCRUMB.sub("", line)
        if len(line) > TITLE_LIMIT:
            sentence = re.match(r"(.+?[.!?])(?:\s|$)", line)
            line = (
                sentence.group(1)
                if sentence and len(sentence.group(1)) <= TITLE_LIMIT
                else line[:TITLE_LIMIT].rsplit(" ", 1)[0] + "…"
            )
        return line
    return ""


def head_of_delegation(text: str, people: list[PersonItem], origin: list[RegionItem]) -> str | None:
    """The leading official of the origin side, when the text says so."""
    for match in HEAD_PHRASES.finditer(text):
        start = text.rfind(".", 0, match.start()) + 1
        stop = text.find(".", match.end())
        stop = len(text) if stop == -1 else stop
        near = [
            (min(abs(span.start - match.end()), abs(match.start() - span.end)), person)
            for person in people
            for span in person.spans
            if start <= span.start < stop
        ]
        if near:
            return min(near, key=lambda pair: pair[0])[1].name
    stems = [region.name.split()[0][:5].lower() for region in origin if region.name]
    for person in people:
        position = (person.position or "").lower()
        if REGION_HEAD.match(position) and any(stem in position for stem in stems):
            return person.name
    return None


def _publication_item(text: str, found: list[DateItem], marker: datetime.date | None) -> list[DateItem]:
    if marker is None or any(item.what == "publication" for item in found):
        return found
    match = DATE_MARKER.match(text)
    iso = marker.isoformat()
    return [DateItem(text=iso, iso=iso, what="publication", spans=[Span(match.start(1), match.end(1), iso)]), *found]


def analyse(text: str, *, published: datetime.date | None = None) -> Draft:
    """The draft mission record a release's text proposes (nothing is written)."""
    analysed = analyse_text(blank_unnamed(blank_credits(fix_mixed_scripts(text))))
    marker = publication_marker(text)
    published = published or marker
    origin, destination = regions.find_regions(analysed)
    organizations = find_organizations(analysed)
    people = find_people(analysed, organizations)
    agreements = find_agreements(analysed, organizations, [*origin, *destination], people)
    renamed = resolve_organizations(organizations, {region.name for region in [*origin, *destination]})
    for person in people:
        person.organization = renamed.get(person.organization, person.organization)
    for agreement in agreements:
        agreement.parties = [renamed.get(party, party) for party in agreement.parties]
    resolve_people(people, {o.name: o.organization_id for o in organizations if o.organization_id})
    found_dates = _publication_item(text, dates.find_dates(analysed, published), marker)
    return Draft(
        text=text,
        published=published,
        title=headline(text),
        origin_regions=origin,
        destination_regions=destination,
        cities=regions.find_cities(analysed),
        organizations=organizations,
        people=people,
        dates=found_dates,
        figures=figures.find_figures(analysed),
        agreements=agreements,
        programme=programme.find_programme(analysed, found_dates),
        head_of_delegation=head_of_delegation(text, people, origin),
    )
