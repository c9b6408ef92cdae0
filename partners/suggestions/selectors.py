"""Reading partner suggestions: only partners (and companies) the viewer may see
(companies.selectors.visible_q), never one a company marked not useful, the useful ones first; and
the reasons in words, in the viewer's language."""

from dataclasses import dataclass, field

from django.db.models import BooleanField, F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from companies.models import Organization, Region
from companies.selectors import visible_q
from missions.models import DelegationMember, Mission
from partners.models import PartnerSuggestion, SuggestionFeedback, SuggestionState
from partners.models.suggestions import Source

REGION_PAIR_LIMIT = 20
MISSION_PER_MEMBER = 5
MISSION_INVITE_LIMIT = 20
MISSION_ROWS_READ = 500


def _with_feedback(queryset: QuerySet[PartnerSuggestion]) -> QuerySet[PartnerSuggestion]:
    feedback = SuggestionFeedback.objects.filter(company=OuterRef("company"), partner=OuterRef("partner"))
    return (
        queryset.annotate(feedback=Subquery(feedback.values("useful")[:1], output_field=BooleanField()))
        .filter(Q(feedback__isnull=True) | Q(feedback=True))
        .select_related("company__region", "partner__region")
    )


def suggestions_for(company: Organization, user) -> QuerySet[PartnerSuggestion]:
    """The partners suggested to `company` that `user` may see: the ones marked useful first, then by fit."""
    return _with_feedback(
        PartnerSuggestion.objects.filter(company=company).filter(visible_q(user, "partner__"))
    ).order_by(F("feedback").desc(nulls_last=True), "-score", "partner__name")


def suggestions_are_stale(company: Organization) -> bool:
    """Has the company never been computed, or has a change elsewhere made it out of date?"""
    return not SuggestionState.objects.filter(organization=company, stale=False).exists()


def region_pair_suggestions(a: Region, b: Region, user, *, limit: int = REGION_PAIR_LIMIT) -> list[PartnerSuggestion]:
    """The strongest complementary pairs of a company of `a` and a partner of `b`, both visible to `user`."""
    rows = _with_feedback(
        PartnerSuggestion.objects.filter(
            Region.within_q("company__region", a),
            Region.within_q("partner__region", b),
            visible_q(user, "company__"),
            visible_q(user, "partner__"),
        )
    ).order_by("-score", "company__name", "partner__name")
    return list(rows[:limit])


@dataclass
class MemberSuggestions:
    company: Organization
    suggestions: list = field(default_factory=list)


def mission_suggestions(mission: Mission, user) -> tuple[list[MemberSuggestions], list[PartnerSuggestion]]:
    """For a mission: the destination-region partners each delegation company should meet, and the
    origin-region companies (not in the delegation) that fit the destinations best, to invite."""
    destinations = list(mission.destination_regions.all())
    if not destinations:
        return [], []
    in_destination = Q(pk__in=[])
    for region in destinations:
        in_destination |= Region.within_q("partner__region", region)
    members = DelegationMember.objects.filter(mission=mission).values("organization_id")
    visible = visible_q(user, "company__") & visible_q(user, "partner__")
    meet_rows = _with_feedback(PartnerSuggestion.objects.filter(in_destination, visible, company__in=members)).order_by(
        "company__name", "company_id", F("feedback").desc(nulls_last=True), "-score"
    )
    groups: dict[int, MemberSuggestions] = {}
    for row in meet_rows[:MISSION_ROWS_READ]:
        group = groups.setdefault(row.company_id, MemberSuggestions(row.company))
        if len(group.suggestions) < MISSION_PER_MEMBER:
            group.suggestions.append(row)
    invite_rows = _with_feedback(
        PartnerSuggestion.objects.filter(
            in_destination, visible, Region.within_q("company__region", mission.origin_region)
        ).exclude(company__in=members)
    ).order_by("-score", "company__name", "partner__name")
    invite, seen = [], set()
    for row in invite_rows[:MISSION_ROWS_READ]:
        if row.company_id not in seen:
            seen.add(row.company_id)
            invite.append(row)
        if len(invite) == MISSION_INVITE_LIMIT:
            break
    return list(groups.values()), invite


# --- The reasons in words ----------------------------------------------------------------------


def _phrase(text: str) -> str:
    """An offer's, product's or need's text inside a sentence: the sentence has its own full stop."""
    return (text or "").strip().rstrip(".").rstrip()


def _second_person(reason: dict, partner: str, region: str) -> str:
    values = {"need": _phrase(reason["need"]), "item": _phrase(reason["item"]), "partner": partner, "region": region}
    source = reason["source"]
    if reason["direction"] == PartnerSuggestion.Direction.THEY_OFFER:
        if source == Source.PRODUCT:
            return _("You need “%(need)s” — %(partner)s (%(region)s) makes %(item)s.") % values
        if source == Source.CAPABILITY:
            return _("You need “%(need)s” — %(partner)s (%(region)s) can do: %(item)s.") % values
        if source == Source.SECTOR:
            return _("You need “%(need)s” — %(partner)s (%(region)s) works in %(item)s.") % values
        return _("You need “%(need)s” — %(partner)s (%(region)s) offers “%(item)s”.") % values
    if source == Source.PRODUCT:
        return _("%(partner)s (%(region)s) needs “%(need)s” — you make %(item)s.") % values
    if source == Source.CAPABILITY:
        return _("%(partner)s (%(region)s) needs “%(need)s” — you can do: %(item)s.") % values
    if source == Source.SECTOR:
        return _("%(partner)s (%(region)s) needs “%(need)s” — you work in %(item)s.") % values
    return _("%(partner)s (%(region)s) needs “%(need)s” — you offer “%(item)s”.") % values


def _third_person(reason: dict, company: str, partner: str, region: str) -> str:
    values = {
        "need": _phrase(reason["need"]),
        "item": _phrase(reason["item"]),
        "company": company,
        "partner": partner,
        "region": region,
    }
    if reason["direction"] == PartnerSuggestion.Direction.THEY_OFFER:
        text = {
            Source.PRODUCT: _("%(company)s needs “%(need)s” — %(partner)s (%(region)s) makes %(item)s."),
            Source.CAPABILITY: _("%(company)s needs “%(need)s” — %(partner)s (%(region)s) can do: %(item)s."),
            Source.SECTOR: _("%(company)s needs “%(need)s” — %(partner)s (%(region)s) works in %(item)s."),
        }.get(reason["source"], _("%(company)s needs “%(need)s” — %(partner)s (%(region)s) offers “%(item)s”."))
        return text % values
    text = {
        Source.PRODUCT: _("%(partner)s (%(region)s) needs “%(need)s” — %(company)s makes %(item)s."),
        Source.CAPABILITY: _("%(partner)s (%(region)s) needs “%(need)s” — %(company)s can do: %(item)s."),
        Source.SECTOR: _("%(partner)s (%(region)s) needs “%(need)s” — %(company)s works in %(item)s."),
    }.get(reason["source"], _("%(partner)s (%(region)s) needs “%(need)s” — %(company)s offers “%(item)s”."))
    return text % values


def reason_texts(suggestion: PartnerSuggestion, *, to_the_company: bool) -> list[str]:
    """The reasons of a suggestion in words: addressed to the company ("You need …") on its own page,
    about both companies on the staff's and officials' pages."""
    partner, region = str(suggestion.partner), str(suggestion.partner.region)
    texts = []
    for reason in suggestion.reasons:
        if to_the_company:
            texts.append(_second_person(reason, partner, region))
        else:
            texts.append(_third_person(reason, str(suggestion.company), partner, region))
    return texts
