"""The one-click link in a reminder: signed, for one reminder, used once, and how progress is recorded by it."""

import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.exceptions import PortalError

from ..models import Reminder
from ..services.projects import project_record_progress

LINK_SALT = "agreements.reminder-link"


def reminder_link_token(reminder: Reminder) -> str:
    return signing.dumps({"r": reminder.pk}, salt=LINK_SALT)


def reminder_link_url(reminder: Reminder) -> str:
    return settings.PORTAL_BASE_URL + reverse("followup:update", kwargs={"token": reminder_link_token(reminder)})


def reminder_from_link(token: str) -> Reminder:
    """The reminder a link was made for; refuses a forged, expired or used link, or one whose
    project takes no more updates."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=datetime.timedelta(days=settings.REMINDER_LINK_DAYS))
    except signing.SignatureExpired:
        raise PortalError(
            _("This link has expired. Ask the project's curator for a new one, or sign in to the portal."),
            code="link_expired",
        ) from None
    except signing.BadSignature:
        raise PortalError(_("This link is not valid: check that it was copied whole."), code="link_invalid") from None
    reminder = (
        Reminder.objects.select_related("project", "recipient_person__organization", "recipient_user")
        .filter(pk=data.get("r") if isinstance(data, dict) else None, project__isnull=False)
        .first()
    )
    if reminder is None:
        raise PortalError(_("This link is not valid: check that it was copied whole."), code="link_invalid")
    if reminder.link_used_at is not None:
        raise PortalError(
            _("This link was already used on %(when)s. Each link records one update; the next reminder brings one.")
            % {"when": timezone.localtime(reminder.link_used_at).strftime("%d.%m.%Y %H:%M")},
            code="link_used",
        )
    return reminder


@transaction.atomic
def project_record_progress_by_link(*, token: str, note: str = "", stage: str | None = None, **step) -> Reminder:
    """Record progress from a reminder's link, without signing in, through the service staff use;
    the link works once.

    The link is claimed first, by one conditional UPDATE: of simultaneous uses exactly one changes
    the row, and the others are refused as a used link (a row lock read first would not do on
    SQLite, which has none: two requests would both read the link unused). If recording fails,
    the transaction rolls the claim back with it."""
    reminder = reminder_from_link(token)
    claimed = Reminder.objects.filter(pk=reminder.pk, link_used_at__isnull=True).update(link_used_at=timezone.now())
    if claimed != 1:  # used in another request since we looked
        reminder_from_link(token)
    project_record_progress(
        project=reminder.project,
        by=reminder.recipient_user,
        reported_by=reminder.recipient_person,
        note=note,
        stage=stage,
        **step,
    )
    return reminder
