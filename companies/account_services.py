"""Writes of the personal area of company representatives (their profile, offers, needs, calendar address).

Everything here is scoped to one organization, the representative's own: the views never take an
organization from the request, only from `roles.user_organization(user)`.
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import PortalError
from .models import CalendarFeed, Need, Offer, Organization, ProfileChange, Region
from .names import name_normal_form
from .roles import can_edit
from .selectors import organizations_named_like

# The profile fields a company keeps itself (those of ProfileChange.FIELDS after staff approve them).
# Kind, region, slug and the public flag are staff's.
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
    "accepts_meeting_requests",
]
COOPERATION_ITEM_FIELDS = ["title", "sector", "description", "is_active"]


# --- Writes --------------------------------------------------------------------------------


@transaction.atomic
def organization_profile_update(*, organization: Organization, data: dict, by=None) -> Organization:
    """Save the fields of the public profile a company may change; anything else in `data` is ignored.

    The name, short name, legal form and registry numbers (ProfileChange.FIELDS) do not change here:
    new values wait for the ministry staff as the organization's pending change (replacing the one
    that waits; values equal to the approved ones withdraw it), after the checks approval will run
    again (profile_change_check). The other fields apply at once. A refusal changes nothing.
    """
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    sectors = data.get("sectors")
    for field in PROFILE_FIELDS:
        if field != "sectors" and field not in ProfileChange.FIELDS and field in data:
            setattr(organization, field, data[field])
    organization.full_clean()
    approved = {field: getattr(organization, field) for field in ProfileChange.FIELDS}
    proposed = {field: _normal(field, data.get(field, approved[field])) for field in ProfileChange.FIELDS}
    pending = ProfileChange.objects.select_for_update().filter(
        organization=organization, status=ProfileChange.Status.PENDING
    )
    change = pending.first()
    if proposed != approved:
        profile_change_check(organization=organization, values=proposed)
        change = change or ProfileChange(organization=organization)
        for field, value in proposed.items():
            setattr(change, field, value)
        change.requested_by, change.requested_at = by, timezone.now()
        change.full_clean()
        change.save()
    elif change is not None:
        change.status, change.decided_by, change.decided_at = ProfileChange.Status.WITHDRAWN, by, timezone.now()
        change.save(update_fields=["status", "decided_by", "decided_at"])
    organization.save()
    if sectors is not None:
        organization.sectors.set(sectors)
    return organization


def _normal(field: str, value) -> str:
    value = value or ""
    return name_normal_form(value) if field in Organization.NAME_FIELDS else value.strip()


def look_alike_errors(
    *, values: dict[str, str], exclude_pk: int | None = None, region: Region | None = None
) -> dict[str, list[str]]:
    """For each of the name fields in `values`: a refusal naming the other organization (of `region`,
    or of any) whose name looks the same (companies.names), or nothing."""
    errors: dict[str, list[str]] = {}
    for field in ("name", "short_name"):
        if not values.get(field):
            continue
        for _name, other, their_name in organizations_named_like([values[field]], exclude_pk=exclude_pk, region=region):
            errors.setdefault(field, []).append(
                _(
                    "“%(name)s” looks the same as “%(other)s”, the name of an organization already in "
                    "the directory (%(kind)s, %(region)s). Choose a name no one can take for another "
                    "organization's."
                )
                % {
                    "name": values[field],
                    "other": their_name,
                    "kind": other.get_kind_display(),
                    "region": other.region.display_name,
                }
            )
    return errors


def profile_change_check(*, organization: Organization, values: dict[str, str]) -> None:
    """Would `organization` with these names, numbers and legal form be valid? The row's own rules
    (INN and OGRN check digits and uniqueness, a company's name that poses as a government body) and
    a new name or short name that looks like no other organization's name, of any kind and region.
    Raises ValidationError."""
    candidate = Organization(
        **{f.attname: getattr(organization, f.attname) for f in Organization._meta.concrete_fields}
    )
    candidate._state.adding = False
    for field, value in values.items():
        setattr(candidate, field, value)
    errors: dict[str, list] = {}
    try:
        candidate.full_clean()
    except ValidationError as exc:
        errors.update(exc.message_dict)
    # A name kept as it is was let through before (or predates this check): only a new one is compared.
    new_names = {
        field: value
        for field, value in values.items()
        if field in ("name", "short_name") and name_normal_form(value) != name_normal_form(getattr(organization, field))
    }
    for field, messages in look_alike_errors(values=new_names, exclude_pk=organization.pk).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _check_decider(change: ProfileChange, by) -> None:
    if not can_edit(by, change):
        raise PortalError(
            _("Only the ministry staff who keep %(organization)s decide on its changes.")
            % {"organization": change.organization},
            code="foreign_change",
        )
    if not change.is_pending:
        raise PortalError(
            _("This change is already decided: %(status)s.") % {"status": change.get_status_display()},
            code="decided",
        )


@transaction.atomic
def profile_change_approve(*, change: ProfileChange, by) -> ProfileChange:
    """Apply a pending change to its organization, after running the checks again: the directory may
    have changed since the company asked. A refusal leaves the change pending and the organization as it is."""
    change = ProfileChange.objects.select_for_update().select_related("organization").get(pk=change.pk)
    _check_decider(change, by)
    organization = Organization.objects.select_for_update().get(pk=change.organization_id)
    values = change.proposed()
    profile_change_check(organization=organization, values=values)
    for field, value in values.items():
        setattr(organization, field, value)
    organization.full_clean()
    organization.save()
    change.status, change.decided_by, change.decided_at = ProfileChange.Status.APPROVED, by, timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])
    return change


@transaction.atomic
def profile_change_reject(*, change: ProfileChange, reason: str, by) -> ProfileChange:
    """Refuse a pending change, saying why (the company sees the reason in its personal area)."""
    change = ProfileChange.objects.select_for_update().select_related("organization").get(pk=change.pk)
    _check_decider(change, by)
    reason = (reason or "").strip()
    if not reason:
        raise PortalError({"reason": _("Say why the change is rejected: the company will see it.")}, code="no_reason")
    change.status, change.decided_by, change.decided_at = ProfileChange.Status.REJECTED, by, timezone.now()
    change.reason = reason
    change.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    return change


def profile_changes_of(organization: Organization):
    """The organization's change requests, newest first (the personal area shows the latest)."""
    return ProfileChange.objects.filter(organization=organization).order_by("-requested_at", "-pk")


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
