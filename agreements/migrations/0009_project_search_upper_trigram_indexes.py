"""PostgreSQL only: trigram GIN indexes on UPPER() of the cooperation projects' searched columns.

The admin's projects search (agreements/admin.py, `search_word_q`) compares each word with
`UPPER(col) LIKE UPPER('%…%')` (Django's `icontains`) on the title, slug, description and next step;
with these indexes PostgreSQL ORs four bitmap scans instead of reading every project. The parties'
names are served by companies/0020. No-op on SQLite, as companies/0020.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations
from django.db.models.functions import Upper

COLUMNS = {"title": "title", "slug": "slug", "description": "descr", "next_step": "next_step"}


def upper_indexes():
    return [
        GinIndex(OpClass(Upper(column), name="gin_trgm_ops"), name=f"project_{short}_upper_trgm")
        for column, short in COLUMNS.items()
    ]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index in upper_indexes():
            schema_editor.add_index(apps.get_model("agreements", "CooperationProject"), index)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index in upper_indexes():
            schema_editor.remove_index(apps.get_model("agreements", "CooperationProject"), index)


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0008_reminder_meeting_request_kinds"),
        ("companies", "0020_organization_name_upper_trigram_indexes"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
