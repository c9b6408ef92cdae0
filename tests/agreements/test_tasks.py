"""The daily agreement status job: the Celery task, its beat entry, and the management command."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from agreements.models import Agreement
from agreements.tasks import refresh_agreement_statuses_task
from config.celery import app as celery_app
from tests.factories import AgreementFactory

APRIL_FIRST = datetime.datetime(2026, 4, 1, 9, 0, tzinfo=datetime.UTC)


def _agreement_ending_in_march() -> Agreement:
    return AgreementFactory(
        status=Agreement.Status.IN_FORCE,
        valid_from=datetime.date(2025, 4, 1),
        valid_until=datetime.date(2026, 3, 31),
    )


@pytest.mark.django_db
def test_refresh_statuses_task_run_eagerly_expires_agreement():
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    agreement, draft = _agreement_ending_in_march(), AgreementFactory(status=Agreement.Status.DRAFT, signed_on=None)

    with time_machine.travel(APRIL_FIRST, tick=False):
        result = refresh_agreement_statuses_task.delay()

    assert result.get() == 1
    assert dict(Agreement.objects.values_list("pk", "status")) == {
        agreement.pk: Agreement.Status.EXPIRED,
        draft.pk: Agreement.Status.DRAFT,
    }


@pytest.mark.django_db
def test_refresh_statuses_task_second_run_changes_nothing():
    agreement = _agreement_ending_in_march()
    with time_machine.travel(APRIL_FIRST, tick=False):
        results = [refresh_agreement_statuses_task.delay().get() for _ in range(2)]
    assert results == [1, 0]
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.EXPIRED


def test_refresh_statuses_task_registered_name():
    celery_app.loader.import_default_modules()
    assert refresh_agreement_statuses_task.name == "agreements.refresh_statuses"
    assert celery_app.tasks["agreements.refresh_statuses"].run is refresh_agreement_statuses_task.run


def test_beat_schedule_points_at_registered_tasks():
    celery_app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "agreements.refresh_statuses" in scheduled
    assert scheduled <= set(celery_app.tasks)


@pytest.mark.django_db
def test_refresh_agreement_statuses_command_expires_agreement():
    agreement = _agreement_ending_in_march()
    out = StringIO()
    with time_machine.travel(APRIL_FIRST, tick=False):
        call_command("refresh_agreement_statuses", stdout=out)
        call_command("refresh_agreement_statuses", stdout=out)
    assert out.getvalue().split() == ["1", "0"]
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.EXPIRED
