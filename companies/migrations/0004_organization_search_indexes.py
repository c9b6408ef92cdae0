"""Search indexes of the directory (PostgreSQL only; every operation here is a no-op on SQLite).

- pg_trgm, for trigram similarity on names;
- a GIN index on the weighted 'russian' tsvector of name, short name, products and capabilities:
  the expression must stay identical to companies.search.organization_search_vector() or the
  planner ignores the index (tests/companies/test_search.py checks it is used);
- GIN gin_trgm_ops indexes on name and short_name for `%>` (trigram_word_similar).

The indexes are not declared in Organization.Meta.indexes because SQLite cannot build them; the
expression is copied here rather than imported so this migration keeps its meaning if search.py changes.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models import F


def search_indexes():
    vector = (
        SearchVector("name", weight="A", config="russian")
        + SearchVector("short_name", weight="A", config="russian")
        + SearchVector("products", weight="B", config="russian")
        + SearchVector("capabilities", weight="C", config="russian")
    )
    return [
        GinIndex(vector, name="organization_search_gin"),
        GinIndex(OpClass(F("name"), name="gin_trgm_ops"), name="organization_name_trgm"),
        GinIndex(OpClass(F("short_name"), name="gin_trgm_ops"), name="organization_short_trgm"),
    ]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    organization = apps.get_model("companies", "Organization")
    for index in search_indexes():
        schema_editor.add_index(organization, index)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    organization = apps.get_model("companies", "Organization")
    for index in search_indexes():
        schema_editor.remove_index(organization, index)


class Migration(migrations.Migration):
    dependencies = [("companies", "0003_organization_unique_number_messages")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
