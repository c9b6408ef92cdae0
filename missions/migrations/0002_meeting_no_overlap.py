"""PostgreSQL only: an organization cannot be in two overlapping active meetings.

An organization may sit on either side of a meeting, so the constraint compares the pair
[organization_a, organization_b] with the array overlap operator of the intarray extension (GiST),
together with the overlap of the meeting's time range. On SQLite the service layer enforces the
same rule (missions.services.meeting_check_slot).
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS intarray;
ALTER TABLE missions_meeting ADD CONSTRAINT meeting_no_overlap_per_organization EXCLUDE USING gist (
    (ARRAY[organization_a_id::integer, organization_b_id::integer]) gist__int_ops WITH &&,
    tstzrange(starts_at, ends_at, '[)') WITH &&
) WHERE (status IN ('requested', 'scheduled', 'held') AND starts_at IS NOT NULL AND ends_at IS NOT NULL);
"""
DROP = "ALTER TABLE missions_meeting DROP CONSTRAINT IF EXISTS meeting_no_overlap_per_organization;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("missions", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
