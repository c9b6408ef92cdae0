"""The draft's organizations and people matched to the directory (companies.Organization, Person).

Organizations are compared on a comparison key of their names (companies.names' normal form, case
folded, "ё" as "е", no quotes, no legal form in front) with rapidfuzz's token ratios, against both
the directory's full and short names. Candidates come from one query: rows whose name or short name
contains a distinctive word's stem of any draft organization (PostgreSQL answers it from the
trigram indexes on both names, migration companies/0004), bounded by `CANDIDATE_LIMIT`; nothing
scans the directory in Python. A match needs `ORGANIZATION_THRESHOLD` (one-word names: equality),
the same broad kind (a company is never matched to a ministry) and no conflicting legal form; a
candidate in one of the release's regions gets `SAME_REGION_BONUS`. A matched item takes the
directory's name, kind, region and id; an unmatched one stays new with its guessed kind.

People are matched by surname (one query for all), then first name (an initial matches) and
patronymic when both sides give one; several candidates are told apart by the organization, else
the person stays new.
"""

from __future__ import annotations

import re
from functools import reduce
from operator import or_

from django.db.models import Q
from rapidfuzz import fuzz

from companies.models import Organization, Person
from companies.names import name_normal_form
from releases.draft import OrganizationItem, PersonItem
from releases.extraction.organizations import COMPANY, LEGAL_WORDS

ORGANIZATION_THRESHOLD = 90
SAME_REGION_BONUS = 4
LEGAL_FORM_CONFLICT_PENALTY = 15
CANDIDATE_LIMIT = 500
# Words too common in names to pick candidates by (stems, casefolded).
GENERIC_STEMS = (
    "завод",
    "компан",
    "предпр",
    "групп",
    "министер",
    "правител",
    "админист",
    "област",
    "кра",
    "республ",
    "округ",
    "промышл",
    "развит",
    "центр",
    "фонд",
    "союз",
    "ассоциац",
    "палат",
    "торгов",
    "россий",
    "федерац",
    "регион",
    "университ",
    "институт",
    "государ",
    "автоном",
    "инжинир",
    "сервис",
)


def comparison_key(name: str) -> str:
    """What two names are compared on: normal form, casefolded, no quotes, no leading legal form."""
    text = name_normal_form(name).casefold().replace("ё", "е")
    text = re.sub(r"[«»\"„“”'‘’]", " ", text)
    words = text.split()
    legal = {word.casefold() for word in LEGAL_WORDS}
    while len(words) > 1 and words[0] in legal:
        words = words[1:]
    return " ".join(words)


def _stems(name: str) -> list[str]:
    words = [w for w in re.findall(r"[\w-]+", comparison_key(name)) if len(w) >= 3]
    distinctive = [w for w in words if not w.startswith(GENERIC_STEMS)]
    chosen = sorted(distinctive or words, key=len, reverse=True)[:2]
    return [w[: max(4, len(w) - 2)] if len(w) > 5 else w for w in chosen]


def _broad_kind(kind: str) -> str:
    return "company" if kind == COMPANY else "institution"


def _score(item: OrganizationItem, candidate: Organization, region_names: set[str]) -> float:
    ours = comparison_key(item.name)
    best = 0.0
    for theirs in (candidate.name, candidate.short_name):
        if not theirs:
            continue
        key = comparison_key(theirs)
        if len(ours.split()) == 1 or len(key.split()) == 1:
            score = 100.0 if ours == key else 0.0
        else:
            score = min(fuzz.token_sort_ratio(ours, key), fuzz.token_set_ratio(ours, key))
        best = max(best, score)
    if best == 0:
        return 0.0
    if candidate.region.name in region_names:
        best += SAME_REGION_BONUS
    if item.legal_form and candidate.legal_form and item.legal_form != candidate.legal_form:
        best -= LEGAL_FORM_CONFLICT_PENALTY
    return best


def resolve_organizations(items: list[OrganizationItem], region_names: set[str]) -> dict[str, str]:
    """Match `items` to the directory in place; returns {the extracted name: the directory's name}
    for the items that were renamed (people and agreements refer to organizations by name)."""
    stems = {stem for item in items for stem in _stems(item.name)}
    if not stems:
        return {}
    query = reduce(or_, (Q(name__icontains=stem) | Q(short_name__icontains=stem) for stem in sorted(stems)))
    candidates = list(
        Organization.objects.filter(query)
        .select_related("region")
        .only("pk", "name", "short_name", "kind", "legal_form", "region__name")
        .order_by("pk")[:CANDIDATE_LIMIT]
    )
    renamed = {}
    taken: set[int] = set()
    for item in items:
        scored = [
            (_score(item, candidate, region_names), candidate)
            for candidate in candidates
            if candidate.pk not in taken and _broad_kind(candidate.kind) == _broad_kind(item.kind)
        ]
        scored = [(score, candidate) for score, candidate in scored if score >= ORGANIZATION_THRESHOLD]
        if not scored:
            continue
        score, match = max(scored, key=lambda pair: (pair[0], -pair[1].pk))
        taken.add(match.pk)
        if match.name != item.name:
            renamed[item.name] = match.name
        item.name = match.name
        item.kind = match.kind
        item.organization_id = match.pk
        item.region_name = match.region.name
        item.legal_form = item.legal_form or match.legal_form
        item.score = round(min(score, 100.0), 1)
    return renamed


def _name_parts(name: str) -> tuple[str, str, str]:
    words = name.split()
    if len(words) >= 3:
        return words[0], words[1], words[-1]
    if len(words) == 2:
        return words[0], "", words[1]
    return "", "", name


def _fold(text: str) -> str:
    return text.casefold().replace("ё", "е").rstrip(".")


def _agrees(first: str, patronymic: str, person: Person) -> bool:
    a, b = _fold(first), _fold(person.first_name)
    if not b:
        return False
    same_first = a[:1] == b[:1] if len(a) == 1 or len(b) == 1 else a == b
    if not same_first:
        return False
    return not (patronymic and person.patronymic and _fold(patronymic) != _fold(person.patronymic))


def resolve_people(items: list[PersonItem], organization_ids: dict[str, int]) -> None:
    """Match `items` to directory persons in place (person_id, the directory's name)."""
    surnames = {_name_parts(item.name)[2] for item in items if _name_parts(item.name)[2]}
    if not surnames:
        return
    query = reduce(or_, (Q(last_name__iexact=surname) for surname in sorted(surnames)))
    people = list(Person.objects.filter(query).only("pk", "first_name", "patronymic", "last_name", "organization_id"))
    for item in items:
        first, patronymic, last = _name_parts(item.name)
        matches = [p for p in people if _fold(p.last_name) == _fold(last) and _agrees(first, patronymic, p)]
        if len(matches) > 1 and item.organization in organization_ids:
            matches = [p for p in matches if p.organization_id == organization_ids[item.organization]]
        if len(matches) != 1:
            continue
        person = matches[0]
        item.person_id = person.pk
        item.name = " ".join(part for part in (person.first_name, person.patronymic, person.last_name) if part)
