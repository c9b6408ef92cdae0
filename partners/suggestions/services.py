"""Computing partner suggestions: the index of an organization's keys, the candidates found by indexed
lookups, the ranking, the cached rows, the stale marks, and the feedback that steers the ranking.

Cost per company: a fixed number of queries whatever the size of the directory. The candidates come
from the index (side, key, region) — the organizations of other regions offering a key the company
needs, or needing a key it offers — aggregated and cut to `CANDIDATES` in the database; only those
are read and ranked in Python. A key's weight is its rarity among the offers (a word every second
company offers says little), times `terms.key_weight` (generic words, sectors and OKVED classes count
less than a word of a need).
"""

import math
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, Count, FloatField, Prefetch, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.exceptions import PortalError
from companies.models import Need, Offer, Organization, SearchSynonym, Sector
from companies.roles import can_edit, is_company_representative, user_organization
from partners.models import PartnerSuggestion, SuggestionFeedback, SuggestionState, SuggestionTerm
from partners.models.suggestions import Side

from .terms import Item, SectorInfo, SynonymIndex, key_weight, organization_items

# The kinds of organization that are business partners: ministries and municipalities are not.
PARTNER_KINDS = (Organization.Kind.COMPANY, Organization.Kind.EDUCATION)
CANDIDATES = 200  # read and ranked per company
KEEP = 30  # suggestions kept per company
MIN_FIT = 0.34  # the share of a need's weight an item must answer
MIN_SHARED_WEIGHT = 0.5  # a match on generic words or an OKVED class alone is no match
MAX_REASONS = 3
INDEX_BATCH = 500


def synonym_index() -> SynonymIndex:
    """The directory's synonym dictionary, read once (one query)."""
    return SynonymIndex.build([(s.pk, s.term_list) for s in SearchSynonym.objects.only("pk", "terms")])


def _sector_info(sector) -> SectorInfo | None:
    if sector is None:
        return None
    parent = sector.parent
    return SectorInfo(sector.pk, sector.name, sector.parent_id, parent.name if parent else "", sector.okved_code)


def _items_of(organization: Organization, synonyms: SynonymIndex) -> list[Item]:
    if organization.kind not in PARTNER_KINDS:
        return []
    return organization_items(
        needs=[(n.title, n.description, _sector_info(n.sector)) for n in organization.active_needs],
        offers=[(o.title, o.description, _sector_info(o.sector)) for o in organization.active_offers],
        products=organization.products,
        capabilities=organization.capabilities,
        sectors=[_sector_info(s) for s in organization.sectors.all()],
        synonyms=synonyms,
    )


def _organizations_to_index(ids):
    active = {"is_active": True}
    return Organization.objects.filter(pk__in=ids).prefetch_related(
        Prefetch("sectors", queryset=Sector.objects.select_related("parent")),
        Prefetch(
            "needs", queryset=Need.objects.filter(**active).select_related("sector__parent"), to_attr="active_needs"
        ),
        Prefetch(
            "offers", queryset=Offer.objects.filter(**active).select_related("sector__parent"), to_attr="active_offers"
        ),
    )


@transaction.atomic
def suggestion_terms_index(*, organization_ids, synonyms: SynonymIndex | None = None) -> int:
    """Rewrite the index entries of these organizations from their needs, offers, products,
    capabilities and sectors; returns the number of entries written."""
    ids = list(organization_ids)
    synonyms = synonyms or synonym_index()
    now = timezone.now()
    rows = []
    organizations = list(_organizations_to_index(ids))
    for organization in organizations:
        for item in _items_of(organization, synonyms):
            rows += [
                SuggestionTerm(
                    organization_id=organization.pk,
                    region_id=organization.region_id,
                    side=item.side,
                    source=item.source,
                    item=item.label,
                    key=key,
                )
                for key in sorted(item.keys)
            ]
    SuggestionTerm.objects.filter(organization_id__in=ids).delete()
    SuggestionTerm.objects.bulk_create(rows, batch_size=2000)
    found = [o.pk for o in organizations]
    existing = set(SuggestionState.objects.filter(organization_id__in=found).values_list("organization_id", flat=True))
    SuggestionState.objects.bulk_create(
        [SuggestionState(organization_id=pk, indexed_at=now, stale=True) for pk in found if pk not in existing]
    )
    SuggestionState.objects.filter(organization_id__in=existing).update(indexed_at=now)
    return len(rows)


# --- Ranking -----------------------------------------------------------------------------------


@dataclass
class _Match:
    direction: str
    need: str
    source: str
    item: str
    fit: float


def _items_from_rows(rows) -> dict[tuple[str, str, str], set[str]]:
    items: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for side, source, item, key in rows:
        items[(side, source, item)].add(key)
    return items


def _document_frequencies(keys, *, exclude_pk: int) -> dict[str, int]:
    """How many organizations offer each key (their offers, products, capabilities or sectors)."""
    if not keys:
        return {}
    rows = (
        SuggestionTerm.objects.filter(side=Side.OFFER, key__in=sorted(keys))
        .exclude(organization_id=exclude_pk)
        .values("key")
        .annotate(n=Count("organization", distinct=True))
        .order_by()
    )
    return {row["key"]: row["n"] for row in rows}


def _weight_case(weights: dict[str, float]):
    return Sum(
        Case(*[When(key=key, then=Value(w)) for key, w in weights.items()], default=Value(0.0)),
        output_field=FloatField(),
    )


def _best_fit(need_keys: set[str], answers: dict, weight) -> tuple[float, tuple | None]:
    """The item of `answers` that answers most of a need, and how well: the share of the need's keys
    it covers (each at its `key_weight`), which must reach MIN_FIT, averaged with the share of the
    need's rarity-weighted keys, so that a rare word answered ranks above a common one. A key offered
    by many does not make a need unanswerable: the first share is read without rarity."""
    plain_total = sum(key_weight(k) for k in need_keys)
    rare_total = sum(weight(k) for k in need_keys)
    best, best_item = 0.0, None
    if not plain_total:
        return best, best_item
    for item, keys in answers.items():
        shared = need_keys & keys
        if not shared or max(key_weight(k) for k in shared) < MIN_SHARED_WEIGHT:
            continue
        covered = sum(key_weight(k) for k in shared) / plain_total
        if covered < MIN_FIT:
            continue
        fit = (covered + (sum(weight(k) for k in shared) / rare_total if rare_total else covered)) / 2
        if fit > best or (fit == best and best_item is not None and item < best_item):
            best, best_item = fit, item
    return best, best_item


def _rank(own: dict, theirs_by_org: dict, weight) -> dict[int, tuple[float, float, list[_Match]]]:
    own_needs = {k: v for k, v in own.items() if k[0] == Side.NEED}
    own_offers = {k: v for k, v in own.items() if k[0] == Side.OFFER}
    ranked = {}
    for pk, theirs in theirs_by_org.items():
        their_needs = {k: v for k, v in theirs.items() if k[0] == Side.NEED}
        their_offers = {k: v for k, v in theirs.items() if k[0] == Side.OFFER}
        matches, forward, backward = [], 0.0, 0.0
        for (_side, _source, need), keys in own_needs.items():
            fit, item = _best_fit(keys, their_offers, weight)
            if item is not None:
                forward += fit
                matches.append(_Match(PartnerSuggestion.Direction.THEY_OFFER, need, item[1], item[2], fit))
        for (_side, _source, need), keys in their_needs.items():
            fit, item = _best_fit(keys, own_offers, weight)
            if item is not None:
                backward += fit
                matches.append(_Match(PartnerSuggestion.Direction.THEY_NEED, need, item[1], item[2], fit))
        if matches:
            ranked[pk] = (forward, backward, matches)
    return ranked


def _direction(forward: float, backward: float) -> str:
    if forward and backward:
        return PartnerSuggestion.Direction.BOTH
    return PartnerSuggestion.Direction.THEY_OFFER if forward else PartnerSuggestion.Direction.THEY_NEED


def suggestions_rank(organization: Organization) -> list[PartnerSuggestion]:
    """The partners of other regions that fit `organization` best, unsaved, best first: a fixed number
    of queries (the index lookups), whatever the size of the directory."""
    own = _items_from_rows(
        SuggestionTerm.objects.filter(organization=organization).values_list("side", "source", "item", "key")
    )
    need_keys = {k for (side, _s, _i), keys in own.items() if side == Side.NEED for k in keys}
    offer_keys = {k for (side, _s, _i), keys in own.items() if side == Side.OFFER for k in keys}
    if not own:
        return []
    population = max(SuggestionState.objects.count(), 1)
    frequencies = _document_frequencies(need_keys | offer_keys, exclude_pk=organization.pk)

    def weight(key: str) -> float:
        return key_weight(key) * math.log(1 + population / (1 + frequencies.get(key, 0)))

    others = SuggestionTerm.objects.exclude(region_id=organization.region_id).exclude(organization=organization)
    score: dict[int, float] = defaultdict(float)
    for side, keys in ((Side.OFFER, need_keys), (Side.NEED, offer_keys)):
        if not keys:
            continue
        rows = (
            others.filter(side=side, key__in=sorted(keys))
            .values("organization")
            .annotate(weight=_weight_case({k: weight(k) for k in keys}))
            .order_by("-weight", "organization")[:CANDIDATES]
        )
        for row in rows:
            score[row["organization"]] += row["weight"]
    useful = set(
        SuggestionFeedback.objects.filter(company=organization, useful=True)
        .exclude(partner__region_id=organization.region_id)
        .values_list("partner_id", flat=True)
    )
    candidates = set(sorted(score, key=lambda pk: (-score[pk], pk))[:CANDIDATES]) | useful
    if not candidates:
        return []
    rows = SuggestionTerm.objects.filter(
        Q(side=Side.NEED) | Q(side=Side.OFFER, key__in=sorted(need_keys)), organization_id__in=sorted(candidates)
    ).values_list("organization_id", "side", "source", "item", "key")
    theirs_by_org: dict[int, dict] = defaultdict(lambda: defaultdict(set))
    for pk, side, source, item, key in rows:
        theirs_by_org[pk][(side, source, item)].add(key)
    their_need_keys = {
        k for theirs in theirs_by_org.values() for (s, _, _), ks in theirs.items() if s == Side.NEED for k in ks
    }
    frequencies.update(_document_frequencies(their_need_keys - set(frequencies), exclude_pk=organization.pk))
    now = timezone.now()
    suggestions = []
    for pk, (forward, backward, matches) in _rank(own, theirs_by_org, weight).items():
        matches.sort(key=lambda m: (-m.fit, m.direction, m.need, m.item))
        suggestions.append(
            PartnerSuggestion(
                company=organization,
                partner_id=pk,
                score=round(forward + backward, 4),
                direction=_direction(forward, backward),
                reasons=[
                    {
                        "direction": m.direction,
                        "need": m.need,
                        "source": m.source,
                        "item": m.item,
                        "fit": round(m.fit, 3),
                    }
                    for m in matches[:MAX_REASONS]
                ],
                computed_at=now,
            )
        )
    suggestions.sort(key=lambda s: (s.partner_id not in useful, -s.score, s.partner_id))
    return suggestions[:KEEP]


@transaction.atomic
def suggestions_compute(*, organization: Organization, mark_affected: bool = False) -> list[PartnerSuggestion]:
    """Rank and cache the partners of `organization`. With `mark_affected` (after a change of its
    needs, offers, products or sectors), the organizations it may now fit, and those it was suggested
    to, are marked stale: they are recomputed by the periodic task or when their page is opened."""
    suggestions = suggestions_rank(organization)
    before = (
        set(PartnerSuggestion.objects.filter(partner=organization).values_list("company_id", flat=True))
        if mark_affected
        else set()
    )
    PartnerSuggestion.objects.filter(company=organization).delete()
    PartnerSuggestion.objects.bulk_create(suggestions)
    now = timezone.now()
    updated = SuggestionState.objects.filter(organization=organization).update(stale=False, computed_at=now)
    if not updated:
        SuggestionState.objects.create(organization=organization, indexed_at=now, computed_at=now, stale=False)
    if mark_affected:
        affected = (before | {s.partner_id for s in suggestions}) - {organization.pk}
        SuggestionState.objects.filter(organization_id__in=sorted(affected)).update(stale=True)
    return suggestions


def suggestions_refresh(*, organization_id: int) -> int | None:
    """After a change of an organization: its index entries, its suggestions, the stale marks of the
    others. Returns the number of suggestions, None when the organization is gone. Idempotent."""
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return None
    suggestion_terms_index(organization_ids=[organization.pk])
    return len(suggestions_compute(organization=organization, mark_affected=True))


def suggestions_refresh_stale(*, limit: int = 200) -> int:
    """The periodic catch-up: index the partner organizations not yet (or no longer) indexed, then
    recompute up to `limit` stale ones. Returns the number recomputed. Running it twice does no harm."""
    synonyms = synonym_index()
    partner_kinds = Organization.objects.filter(kind__in=PARTNER_KINDS)
    while True:
        unindexed = list(
            partner_kinds.filter(Q(suggestion_state__isnull=True) | Q(suggestion_state__indexed_at__isnull=True))
            .order_by("pk")
            .values_list("pk", flat=True)[:INDEX_BATCH]
        )
        if not unindexed:
            break
        suggestion_terms_index(organization_ids=unindexed, synonyms=synonyms)
    stale = partner_kinds.filter(suggestion_state__stale=True).order_by("pk")[:limit]
    done = 0
    for organization in stale:
        suggestions_compute(organization=organization)
        done += 1
    return done


def suggestions_refresh_all() -> int:
    """Everything from scratch (a new installation, the demo): index all, then compute all."""
    SuggestionState.objects.update(indexed_at=None, stale=True)
    total = 0
    while done := suggestions_refresh_stale(limit=1000):
        total += done
    return total


def suggestions_mark_reindex() -> int:
    """The synonym dictionary changed: every organization is indexed and recomputed again."""
    return SuggestionState.objects.update(indexed_at=None, stale=True)


# --- Feedback ----------------------------------------------------------------------------------


def may_give_feedback(user, company: Organization) -> bool:
    """A company's own representatives, and staff who keep the company's row (companies.roles.can_edit)."""
    if is_company_representative(user):
        organization = user_organization(user)
        return organization is not None and organization.pk == company.pk
    return bool(user and user.is_authenticated and user.is_staff and can_edit(user, company))


@transaction.atomic
def suggestion_feedback_give(*, company: Organization, partner: Organization, useful: bool, by) -> SuggestionFeedback:
    """Mark a suggested partner useful (kept on top) or not (no longer suggested to the company)."""
    if not may_give_feedback(by, company):
        raise PortalError(_("You may not rate the suggestions of this organization."))
    if not PartnerSuggestion.objects.filter(company=company, partner=partner).exists():
        raise PortalError(_("This organization is not among the suggested partners."))
    feedback, _created = SuggestionFeedback.objects.update_or_create(
        company=company, partner=partner, defaults={"useful": useful, "by": by}
    )
    feedback.full_clean()
    return feedback


__all__ = [
    "PARTNER_KINDS",
    "may_give_feedback",
    "suggestion_feedback_give",
    "suggestion_terms_index",
    "suggestions_compute",
    "suggestions_rank",
    "suggestions_refresh",
    "suggestions_refresh_all",
    "suggestions_refresh_stale",
]
