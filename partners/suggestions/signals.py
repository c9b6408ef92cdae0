"""Keeping the suggestions current: every write of an offer, a need, an organization (its products,
capabilities, region, kind) or its sectors — from the personal area, the admin, an import, the API —
asks for the organization to be recomputed once its transaction commits (once per organization and
transaction, whatever the number of rows written). A change of the synonym dictionary marks every
organization to be indexed again (one UPDATE); the periodic task catches up."""

import logging

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from companies.models import Need, Offer, Organization, SearchSynonym
from partners.models import SuggestionState

from .services import suggestions_mark_reindex
from .tasks import refresh_suggestions_task

logger = logging.getLogger(__name__)


class _Refresh:
    """The after-commit call for one organization; recognisable in the queue, so it is queued once."""

    def __init__(self, organization_id: int):
        self.organization_id = organization_id
        self.done = False

    def __call__(self):
        self.done = True
        # Marked first, so that the periodic task catches up if the broker cannot be reached now: the
        # database says what is due, never only the broker.
        SuggestionState.objects.filter(organization_id=self.organization_id).update(stale=True, indexed_at=None)
        try:
            refresh_suggestions_task.delay(self.organization_id)
        except Exception:  # noqa: BLE001 - a broker outage must not fail the write that committed
            logger.warning("Suggestions of organization %s: refresh not queued", self.organization_id, exc_info=True)


def suggestions_refresh_on_commit(organization_id: int | None) -> None:
    if organization_id is None:
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        isinstance(entry[1], _Refresh) and entry[1].organization_id == organization_id and not entry[1].done
        for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(_Refresh(organization_id))


@receiver(post_save, sender=Offer, dispatch_uid="partners.suggestions.offer_saved")
@receiver(post_delete, sender=Offer, dispatch_uid="partners.suggestions.offer_deleted")
@receiver(post_save, sender=Need, dispatch_uid="partners.suggestions.need_saved")
@receiver(post_delete, sender=Need, dispatch_uid="partners.suggestions.need_deleted")
def cooperation_item_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        suggestions_refresh_on_commit(instance.organization_id)


@receiver(post_save, sender=Organization, dispatch_uid="partners.suggestions.organization_saved")
def organization_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        suggestions_refresh_on_commit(instance.pk)


@receiver(m2m_changed, sender=Organization.sectors.through, dispatch_uid="partners.suggestions.sectors_changed")
def organization_sectors_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        suggestions_refresh_on_commit(instance.pk)
    else:
        for pk in sorted(pk_set or ()):
            suggestions_refresh_on_commit(pk)


@receiver(post_save, sender=SearchSynonym, dispatch_uid="partners.suggestions.synonym_saved")
@receiver(post_delete, sender=SearchSynonym, dispatch_uid="partners.suggestions.synonym_deleted")
def synonyms_changed(sender, raw=False, **kwargs):
    if not raw:
        transaction.on_commit(suggestions_mark_reindex)
