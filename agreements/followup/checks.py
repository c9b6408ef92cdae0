"""Start-up checks of the follow-up engine's settings."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.compatibility)
def reminder_timeouts(app_configs, **kwargs):
    """A letter must finish (or fail) well before its claim is released, or a slow mail server would
    get it twice: EMAIL_TIMEOUT bounds each socket operation of one send."""
    email_timeout = getattr(settings, "EMAIL_TIMEOUT", None)
    release_after = settings.REMINDER_SENDING_TIMEOUT_SECONDS
    if email_timeout is None or email_timeout * 4 > release_after:
        return [
            checks.Error(
                f"REMINDER_SENDING_TIMEOUT_SECONDS ({release_after}) must be at least four times EMAIL_TIMEOUT "
                f"({email_timeout}): a letter still being sent would be released and sent again.",
                hint="Raise REMINDER_SENDING_TIMEOUT_SECONDS or lower EMAIL_TIMEOUT.",
                id="agreements.E001",
            )
        ]
    return []
