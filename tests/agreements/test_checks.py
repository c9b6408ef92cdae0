from agreements.followup.checks import reminder_timeouts


def test_reminder_release_timeout_must_outlast_the_mail_timeout(settings):
    settings.EMAIL_TIMEOUT, settings.REMINDER_SENDING_TIMEOUT_SECONDS = 30, 900
    assert reminder_timeouts(None) == []
    settings.REMINDER_SENDING_TIMEOUT_SECONDS = 60
    (error,) = reminder_timeouts(None)
    assert error.id == "agreements.E001"
    assert "sent again" in error.msg
