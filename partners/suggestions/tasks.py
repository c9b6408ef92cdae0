"""Thin Celery tasks over partners.suggestions.services: ids in, one service call, idempotent."""

from celery import shared_task

from .services import suggestions_refresh, suggestions_refresh_stale


@shared_task(name="partners.refresh_suggestions", acks_late=True, reject_on_worker_lost=True)
def refresh_suggestions_task(organization_id: int) -> int | None:
    """An organization's needs, offers, products or sectors changed: recompute it, mark the affected stale."""
    return suggestions_refresh(organization_id=organization_id)


@shared_task(name="partners.refresh_stale_suggestions", acks_late=True, reject_on_worker_lost=True)
def refresh_stale_suggestions_task() -> int:
    """The periodic catch-up of the organizations marked stale (or never indexed)."""
    return suggestions_refresh_stale()
