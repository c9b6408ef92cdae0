"""The one-click answer in a new request's letter: a signed link for one letter, used once.

Opening it shows the request and two buttons (mail scanners open links: GET changes nothing); the
POST accepts or declines through the same services as the personal area, as the login the letter
went to, and spends the link (`Reminder.link_used_at`, like the follow-up engine's links).
"""

import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Reminder
from companies.exceptions import PortalError

from .models import MeetingRequest
from .notifications import request_id_of
from .services.requests import meeting_request_accept, meeting_request_decline

LINK_SALT = "partners.meeting-request-answer"


def answer_link_token(reminder: Reminder) -> str:
    return signing.dumps({"r": reminder.pk}, salt=LINK_SALT)


def answer_link_url(reminder: Reminder) -> str:
    return settings.PORTAL_BASE_URL + reverse("partners:answer", kwargs={"token": answer_link_token(reminder)})


def _invalid() -> PortalError:
    return PortalError(_("This link is not valid: check that it was copied whole."), code="link_invalid")


def answer_link_open(token: str) -> tuple[Reminder, MeetingRequest]:
    """The letter a link was made for and its request; refuses a forged, expired or used link."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=datetime.timedelta(days=settings.REMINDER_LINK_DAYS))
    except signing.SignatureExpired:
        raise PortalError(
            _("This link has expired. Sign in to the portal to answer the request in your personal area."),
            code="link_expired",
        ) from None
    except signing.BadSignature:
        raise _invalid() from None
    reminder = (
        Reminder.objects.select_related("recipient_user", "recipient_person")
        .filter(pk=data.get("r") if isinstance(data, dict) else None, kind=Reminder.Kind.MEETING_NEW)
        .first()
    )
    request_id = request_id_of(reminder) if reminder else None
    request = (
        MeetingRequest.objects.select_related("mission", "requester__region", "invitee").filter(pk=request_id).first()
    )
    if reminder is None or request is None:
        raise _invalid()
    if reminder.link_used_at is not None:
        raise PortalError(
            _("This link was already used on %(when)s. Each link answers a request once.")
            % {"when": timezone.localtime(reminder.link_used_at).strftime("%d.%m.%Y %H:%M")},
            code="link_used",
        )
    if request.status != MeetingRequest.Status.PENDING:
        raise PortalError(
            _("The request is already “%(status)s”: it takes no more answers.")
            % {"status": request.get_status_display()},
            code="link_answered",
        )
    return reminder, request


@transaction.atomic
def meeting_request_answer_by_link(*, token: str, accept: bool, reason: str = "") -> MeetingRequest:
    """Accept or decline from the letter, as the login it was sent to; the link works once.

    The link is claimed first by one conditional UPDATE, so of two simultaneous uses one acts and
    the other is refused as used; a refusal of the service rolls the claim back with it."""
    reminder, request = answer_link_open(token)
    claimed = Reminder.objects.filter(pk=reminder.pk, link_used_at__isnull=True).update(link_used_at=timezone.now())
    if claimed != 1:  # used in another request since we looked
        answer_link_open(token)
        raise PortalError(_("This link was already used. Each link answers a request once."), code="link_used")
    if reminder.recipient_user is None:
        raise _invalid()
    if accept:
        return meeting_request_accept(request=request, by=reminder.recipient_user)
    return meeting_request_decline(request=request, reason=reason, by=reminder.recipient_user)
