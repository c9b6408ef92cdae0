"""Writes of the personal area of company representatives (their profile, offers, needs, calendar address).

Everything here is scoped to one organization, the representative's own: the views never take an
organization from the request, only from `roles.user_organization(user)`.
"""

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import PortalError
from .models import CalendarFeed, Need, Offer, Organization

# The profile fields a company keeps itself. Kind, region, slug and the public flag are staff's.
PROFILE_FIELDS = [
    "name",
    "short_name",
    "legal_form",
    "inn",
    "ogrn",
    "sectors",
    "size",
    "products",
    "capabilities",
    "website",
]
COOPERATION_ITEM_FIELDS = ["title", "sector", "description", "is_active"]


# --- Writes --------------------------------------------------------------------------------


@transaction.atomic
def organization_profile_update(*, organization: Organization, data: dict, by=None) -> Organization:
    """Save the fields of the public profile a company may change; anything else in `data` is ignored."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    sectors = data.get("sectors")
    for field in PROFILE_FIELDS:
        if field != "sectors" and field in data:
            setattr(organization, field, data[field])
    organization.full_clean()
    organization.save()
    if sectors is not None:
        organization.sectors.set(sectors)
    return organization


@transaction.atomic
def cooperation_item_save(*, item: Offer | Need, organization: Organization, data: dict, by=None) -> Offer | Need:
    """Create or change an offer or a need of `organization`; the organization never comes from `data`."""
    if item.pk and item.organization_id != organization.pk:
        raise PortalError(_("This item belongs to another organization."), code="foreign_item")
    item.organization = organization
    for field in COOPERATION_ITEM_FIELDS:
        if field in data:
            setattr(item, field, data[field])
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def cooperation_item_delete(*, item: Offer | Need, organization: Organization, by=None) -> None:
    if item.organization_id != organization.pk:
        raise PortalError(_("This item belongs to another organization."), code="foreign_item")
    item.delete()


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def calendar_feed_get_or_create(*, user) -> CalendarFeed:
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is not None:
        return feed
    try:
        with transaction.atomic():
            return CalendarFeed.objects.create(user=user, token=_new_token())
    except IntegrityError:
        # Two first visits at once: the other request created it.
        return CalendarFeed.objects.get(user=user)


@transaction.atomic
def calendar_feed_reset(*, user) -> CalendarFeed:
    """Give the user a new secret feed address; the old one stops working at once."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user, defaults={"token": _new_token()})
    if not created:
        feed.token = _new_token()
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
    return feed


# --- The iCal feed (RFC 5545), written by hand: a dozen properties do not need a dependency ----
