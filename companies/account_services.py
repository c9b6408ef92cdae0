"""Reads and writes of the personal area of company representatives.

Everything here is scoped to one organization, the representative's own: the views never take an
organization from the request, only from `roles.user_organization(user)`.
"""

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import CooperationProject, ProjectParty
from missions.models import DelegationApplication, Meeting

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


# --- Reads ---------------------------------------------------------------------------------


def meetings_of_organization(organization: Organization) -> QuerySet[Meeting]:
    return Meeting.objects.filter(Q(organization_a=organization) | Q(organization_b=organization)).select_related(
        "mission", "organization_a", "organization_b", "program_item"
    )


def projects_of_organization(organization: Organization) -> QuerySet[CooperationProject]:
    """Projects the organization is a party to, published or not: its own work is never hidden from it."""
    parties = ProjectParty.objects.select_related("organization").order_by("pk")
    return (
        CooperationProject.objects.filter(
            pk__in=ProjectParty.objects.filter(organization=organization).values("project")
        )
        .prefetch_related(Prefetch("parties", queryset=parties))
        .order_by("-last_activity_at", "title")
    )


def applications_of_organization(organization: Organization) -> QuerySet[DelegationApplication]:
    return DelegationApplication.objects.filter(organization=organization).select_related("mission")


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


def _ical_escape(text: str) -> str:
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _ical_fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 5545, 3.1)."""
    parts, current, size, limit = [], [], 0, 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [" "], 1, 75
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n".join(parts)


def _ical_time(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def meetings_ical(*, organization: Organization, host: str, now: datetime.datetime | None = None) -> str:
    """The organization's active meetings with a time, as an iCalendar document."""
    stamp = _ical_time(now or timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Missions portal//Meetings//RU",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + _ical_escape(_("Meetings of %(org)s") % {"org": organization}),
    ]
    meetings = meetings_of_organization(organization).filter(
        status__in=Meeting.ACTIVE_STATUSES, starts_at__isnull=False, ends_at__isnull=False
    )
    for meeting in meetings:
        other = meeting.organization_b if meeting.organization_a_id == organization.pk else meeting.organization_a
        summary = f"{other}: {meeting.topic}" if meeting.topic else str(other)
        location = " / ".join(
            part for part in (meeting.table, meeting.program_item.venue if meeting.program_item else "") if part
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{meeting.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_ical_time(meeting.starts_at)}",
            f"DTEND:{_ical_time(meeting.ends_at)}",
            "SUMMARY:" + _ical_escape(summary),
            "DESCRIPTION:" + _ical_escape(meeting.mission.title),
            "STATUS:" + ("TENTATIVE" if meeting.status == Meeting.Status.REQUESTED else "CONFIRMED"),
        ]
        if location:
            lines.append("LOCATION:" + _ical_escape(location))
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_ical_fold(line) + "\r\n" for line in lines)
