"""PostgreSQL only: trigram GIN indexes on UPPER(name) and UPPER(short_name) of organizations.

Django's `icontains` is `UPPER(col) LIKE UPPER('%…%')` on PostgreSQL: the trigram indexes of 0004 are
on the bare columns and serve `%>` only, so every admin search by an organization's name (the
organizations' changelist, the meetings' and projects' changelists through their parties) read every
organization. These indexes serve those LIKEs. No-op on SQLite, as 0004.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations
from django.db.models.functions import Upper


def upper_indexes():
    return [
        GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="organization_name_upper_trgm"),
        GinIndex(OpClass(Upper("short_name"), name="gin_trgm_ops"), name="organization_short_upper_trgm"),
    ]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index in upper_indexes():
            schema_editor.add_index(apps.get_model("companies", "Organization"), index)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index in upper_indexes():
            schema_editor.remove_index(apps.get_model("companies", "Organization"), index)


class Migration(migrations.Migration):
    dependencies = [("companies", "0019_region_aliases")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
