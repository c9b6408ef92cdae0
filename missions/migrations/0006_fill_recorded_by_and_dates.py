"""Data: the ministry keeping each existing mission's record is its organizer, and each programme
item and meeting with a time gets its date, the day of its start in the venue's time zone."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations
from django.db.models import F


def _mission_zones(Mission):
    """Each mission's venue zone: its first destination's (by name, as Mission.venue_region reads it)."""
    zones = {}
    for mission in Mission.objects.prefetch_related("destination_regions"):
        first = min(mission.destination_regions.all(), key=lambda region: region.name, default=None)
        zones[mission.pk] = ZoneInfo(first.time_zone if first and first.time_zone else settings.TIME_ZONE)
    return zones


def forwards(apps, schema_editor):
    Mission = apps.get_model("missions", "Mission")
    ProgramItem = apps.get_model("missions", "ProgramItem")
    Meeting = apps.get_model("missions", "Meeting")
    Mission.objects.filter(recorded_by__isnull=True).update(recorded_by=F("organizer"))
    zones = _mission_zones(Mission)
    # No programme item has a place yet: every item and meeting is in its mission's zone.
    for model in (ProgramItem, Meeting):
        for row in model.objects.filter(starts_at__isnull=False, date__isnull=True):
            row.date = row.starts_at.astimezone(zones[row.mission_id]).date()
            row.save(update_fields=["date"])


class Migration(migrations.Migration):
    dependencies = [("missions", "0005_mission_places_recorded_by_item_dates")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
