"""The letters about meeting requests: what their templates are given, and when one waiting to go
out no longer applies. Registered with the follow-up engine's delivery in PartnersConfig.ready()."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from agreements.followup.letters import letter_kind_register
from agreements.models import Reminder

from .links import answer_link_url
from .models import MeetingRequest
from .notifications import KINDS, request_id_of

TEMPLATE = "meeting_request"  # one set of templates; the lead sentence follows the kind


def _request_of(reminder: Reminder) -> MeetingRequest | None:
    return (
        MeetingRequest.objects.select_related(
            "mission", "requester__region", "invitee__region", "meeting__program_item__place__region"
        )
        .filter(pk=request_id_of(reminder))
        .first()
    )


def letter_context(reminder: Reminder) -> dict:
    request = _request_of(reminder)
    base = settings.PORTAL_BASE_URL
    person = reminder.recipient_person
    own_id = person.organization_id if person else None
    context = {
        "request": request,
        "mission": request.mission,
        "other": request.other_side(own_id) if own_id in (request.requester_id, request.invitee_id) else None,
        "requests_url": base + reverse("partners:list"),
        "mission_url": base + request.mission.get_absolute_url(),
    }
    meeting = request.meeting
    if meeting is not None and meeting.starts_at:
        zone = meeting.venue_zone
        context.update(
            meeting=meeting,
            starts=meeting.starts_at.astimezone(zone).strftime("%d.%m.%Y %H:%M"),
            ends=meeting.ends_at.astimezone(zone).strftime("%H:%M"),
            zone=zone.key,
        )
    if reminder.kind == Reminder.Kind.MEETING_NEW:
        link = answer_link_url(reminder)
        context.update(accept_link=f"{link}?answer=accept", decline_link=f"{link}?answer=decline")
    return context


def letter_obsolete(reminder: Reminder) -> str:
    """A letter not sent yet that the request's later changes overtook."""
    request = _request_of(reminder)
    if request is None:
        return _("The meeting request no longer exists.")
    if reminder.kind == Reminder.Kind.MEETING_NEW and request.status != MeetingRequest.Status.PENDING:
        return _("The request has been answered or withdrawn since.")
    if reminder.kind in (Reminder.Kind.MEETING_SCHEDULED, Reminder.Kind.MEETING_MOVED) and (
        request.status != MeetingRequest.Status.SCHEDULED
    ):
        return _("The meeting has been cancelled since.")
    if reminder.kind == Reminder.Kind.MEETING_CANCELLED and request.status == MeetingRequest.Status.SCHEDULED:
        return _("The meeting has been scheduled again since.")
    return ""


def letters_register() -> None:
    for kind in KINDS:
        letter_kind_register(kind, template=TEMPLATE, context=letter_context, obsolete=letter_obsolete)
