"""Every change of a meeting request is a letter to the other side, written as `Reminder` rows of
the follow-up engine (agreements.followup): the same outbox, claimed before it is sent, retried on
failure, one row per event and recipient under the reminders' unique key, so a letter goes out once
however often the delivery runs.

The letters' templates and context are registered with the engine in PartnersConfig.ready()
(`letters_register`); the engine knows nothing of this app's models.
"""

from django.utils import timezone

from agreements.followup.delivery import reminders_enqueue
from agreements.followup.recipients import recipient_of_person
from agreements.models import Reminder
from companies.models import Organization, Person

from .models import MeetingRequest

Kind = Reminder.Kind
Status = MeetingRequest.Status

# event → (kind of letter, who gets it)
EVENTS = {
    "new": (Kind.MEETING_NEW, ("invitee",)),
    Status.ACCEPTED: (Kind.MEETING_ACCEPTED, ("requester",)),
    Status.DECLINED: (Kind.MEETING_DECLINED, ("requester",)),
    Status.WITHDRAWN: (Kind.MEETING_WITHDRAWN, ("invitee",)),
    Status.SCHEDULED: (Kind.MEETING_SCHEDULED, ("requester", "invitee")),
    "moved": (Kind.MEETING_MOVED, ("requester", "invitee")),
    Status.CANCELLED: (Kind.MEETING_CANCELLED, ("requester", "invitee")),
    # A published schedule no longer places the meeting: it is cancelled, the request stays accepted.
    "unscheduled": (Kind.MEETING_CANCELLED, ("requester", "invitee")),
}
KINDS = tuple(dict.fromkeys(kind for kind, _sides in EVENTS.values()))
# A request reaches these states once: the event's name is its period. A meeting may be scheduled
# again, moved or taken off a published schedule many times: each such event is told apart by its moment.
REPEATABLE = {Status.SCHEDULED, "moved", "unscheduled"}

SUBJECT_PREFIX = "meeting-request:"


def reminder_subject(request: MeetingRequest) -> str:
    return f"{SUBJECT_PREFIX}{request.pk}"


def request_id_of(reminder: Reminder) -> int | None:
    """The meeting request a letter of these kinds is about, or None."""
    if reminder.kind not in KINDS or not reminder.subject.startswith(SUBJECT_PREFIX):
        return None
    number = reminder.subject[len(SUBJECT_PREFIX) :]
    return int(number) if number.isdigit() else None


def side_recipients(organization: Organization):
    """Who a side's letters go to: the organization's company logins with an address."""
    people = Person.objects.filter(
        organization=organization, user__is_active=True, user__is_staff=False
    ).select_related("user")
    seen, recipients = set(), []
    for person in people:
        recipient = recipient_of_person(person)
        if recipient is not None and recipient.email not in seen:
            seen.add(recipient.email)
            recipients.append(recipient)
    return recipients


def meeting_request_notify(request: MeetingRequest, event: str) -> list[int]:
    """Write the letters of one event of `request` to the other side (both sides for the staff's
    actions) and hand them to the delivery once the transaction commits. Returns the new rows' ids."""
    kind, sides = EVENTS[event]
    now = timezone.now()
    period = f"{event}@{now:%Y-%m-%dT%H:%M:%S.%f}" if event in REPEATABLE else str(event)
    created_ids = []
    for side in sides:
        organization = request.requester if side == "requester" else request.invitee
        for recipient in side_recipients(organization):
            reminder, created = Reminder.objects.get_or_create(
                kind=kind,
                subject=reminder_subject(request),
                period=period,
                recipient_email=recipient.email,
                defaults={
                    "due_on": timezone.localdate(now),
                    # The ministry keeping the mission: its staff see the letters in the reminder log.
                    "organization": request.mission.recorded_by,
                    "recipient_name": recipient.name,
                    "recipient_person": recipient.person,
                    "recipient_user": recipient.user,
                    "language": recipient.language,
                    "next_attempt_at": now,
                },
            )
            if created:
                created_ids.append(reminder.pk)
    if created_ids:
        reminders_enqueue(created_ids)
    return created_ids
