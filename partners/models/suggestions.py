"""Partner suggestions: the index of what each organization needs and offers, the cached ranking of
partners per company, and what staff and companies said about a suggestion.

`SuggestionTerm` and `SuggestionState` are derived from the directory (partners.suggestions.terms)
and rebuilt from it at any time; `PartnerSuggestion` is the cached result of
partners.suggestions.services.suggestions_compute; `SuggestionFeedback` is the only row people write,
and it survives every recomputation.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from companies.models import Organization, Region
from companies.ownership import Ownership


class Side(models.TextChoices):
    NEED = "need", _("needs")
    OFFER = "offer", _("offers")


class Source(models.TextChoices):
    NEED = "need", _("need")
    OFFER = "offer", _("offer")
    PRODUCT = "product", _("product")
    CAPABILITY = "capability", _("capability")
    SECTOR = "sector", _("sector")


class SuggestionTerm(models.Model):
    """One key (a word's stem, a synonym group, a sector, an OKVED class) of one item an organization
    needs or offers. Candidates are found by looking keys up in the index (side, key, region), never by
    reading every organization."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="suggestion_terms"
    )
    # Copied from the organization so that "another region" is read from the index itself.
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+")
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    item = models.CharField(_("item"), max_length=300)
    key = models.CharField(_("key"), max_length=120)

    class Meta:
        verbose_name = _("suggestion index entry")
        verbose_name_plural = _("suggestion index")
        indexes = [
            models.Index(fields=["side", "key", "region"], name="suggestion_term_lookup"),
            models.Index(fields=["organization", "side"], name="suggestion_term_organization"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.side} {self.key}"


class SuggestionState(models.Model):
    """When an organization's index entries and suggestions were last computed, and whether a change
    elsewhere in the directory may have made its suggestions out of date."""

    organization = models.OneToOneField(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="suggestion_state"
    )
    indexed_at = models.DateTimeField(_("indexed at"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    stale = models.BooleanField(_("out of date"), default=True, db_index=True)

    class Meta:
        verbose_name = _("suggestion state")
        verbose_name_plural = _("suggestion states")

    def __str__(self) -> str:
        return f"{self.organization_id}: {'stale' if self.stale else 'fresh'}"


class PartnerSuggestion(models.Model):
    """A partner suggested to a company: how well they fit, which way, and why (the matched items)."""

    ownership = Ownership("company")

    class Direction(models.TextChoices):
        THEY_OFFER = "they_offer", _("they offer what you need")
        THEY_NEED = "they_need", _("they need what you offer")
        BOTH = "both", _("both ways")

    company = models.ForeignKey(
        Organization, verbose_name=_("company"), on_delete=models.CASCADE, related_name="partner_suggestions"
    )
    partner = models.ForeignKey(
        Organization, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="suggested_to"
    )
    score = models.FloatField(_("score"))
    direction = models.CharField(_("direction"), max_length=12, choices=Direction.choices)
    # [{"direction": "they_offer", "need": "…", "source": "offer", "item": "…", "fit": 0.83}, …]
    reasons = models.JSONField(_("reasons"), default=list)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["company", "-score", "pk"]
        verbose_name = _("partner suggestion")
        verbose_name_plural = _("partner suggestions")
        constraints = [
            models.UniqueConstraint(fields=["company", "partner"], name="partner_suggestion_unique_pair"),
            models.CheckConstraint(condition=~Q(company=F("partner")), name="partner_suggestion_not_self"),
        ]
        indexes = [
            models.Index(fields=["company", "-score"], name="partner_suggestion_ranking"),
            models.Index(fields=["partner"], name="partner_suggestion_partner"),
        ]

    def __str__(self) -> str:
        return f"{self.company_id} → {self.partner_id} ({self.score:.2f})"


class SuggestionFeedback(models.Model):
    """A company's representative or a member of staff says a suggested partner is useful (kept on top)
    or not (no longer suggested to that company)."""

    ownership = Ownership("company")

    company = models.ForeignKey(
        Organization, verbose_name=_("company"), on_delete=models.CASCADE, related_name="suggestion_feedback"
    )
    partner = models.ForeignKey(
        Organization, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="suggestion_feedback_as_partner"
    )
    useful = models.BooleanField(_("useful"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestion_feedback",
    )
    at = models.DateTimeField(_("marked at"), auto_now=True)

    class Meta:
        verbose_name = _("suggestion feedback")
        verbose_name_plural = _("suggestion feedback")
        constraints = [
            models.UniqueConstraint(fields=["company", "partner"], name="suggestion_feedback_unique_pair"),
            models.CheckConstraint(condition=~Q(company=F("partner")), name="suggestion_feedback_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.company_id} → {self.partner_id}: {'+' if self.useful else '−'}"
