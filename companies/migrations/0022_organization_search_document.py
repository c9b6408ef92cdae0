"""The directory search's stored document (companies.search).

- `search_sectors` and `search_items`: an organization's sectors (each with its parent) and its active
  offers and needs as text, filled here for every organization and kept current by companies.signals;
- PostgreSQL only: `search_document`, the weighted 'russian' tsvector of the names (A), search_sectors
  (B) and products, capabilities and search_items (C), written by a BEFORE INSERT OR UPDATE trigger
  so that every writer (save, update, bulk_create, COPY) keeps it current; GIN-indexed;
- PostgreSQL only: `companies_search_word`, the lexicon of the words of names and sectors (four
  letters or more, folded), filled by the same trigger and trigram-indexed: the typo part finds the
  words like the typed ones there (a table of thousands of words whatever the number of organizations)
  and looks for those in the document, instead of comparing trigrams with every organization's names
  (see companies.search); words are never removed, a stale one only finds nothing;
- PostgreSQL only: a pattern index on inn for its prefix, and a covering index of the columns the
  directory's facets count (an index-only scan, not every row, for the page without a search);
- the expression index of 0004 on name, short name, products and capabilities is dropped: the search
  reads the stored document, and the index cost every write.

On SQLite the columns are added and filled, search_document stays NULL and the rest is a no-op. The
texts' SQL is written here rather than imported so this migration keeps its meaning if search.py changes.
"""

import django.contrib.postgres.search
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations, models
from django.db.models import Case, F, OuterRef, Subquery, TextField, Value, When
from django.db.models.functions import Coalesce, Concat

TRIGGER_SQL = """
CREATE TABLE companies_search_word (word text PRIMARY KEY);
CREATE INDEX companies_search_word_trgm ON companies_search_word USING gin (word gin_trgm_ops);
CREATE FUNCTION companies_organization_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document :=
        setweight(to_tsvector('russian', concat_ws(' · ', NEW.name, NEW.short_name, NEW.name_original)), 'A')
        || setweight(to_tsvector('russian', coalesce(NEW.search_sectors, '')), 'B')
        || setweight(
            to_tsvector('russian', concat_ws(' · ', NEW.products, NEW.capabilities, NEW.search_items)), 'C'
        );
    IF TG_OP = 'INSERT' OR (NEW.name, NEW.short_name, NEW.name_original, NEW.search_sectors)
            IS DISTINCT FROM (OLD.name, OLD.short_name, OLD.name_original, OLD.search_sectors) THEN
        INSERT INTO companies_search_word (word)
        SELECT DISTINCT word FROM regexp_split_to_table(
            replace(lower(concat_ws(' ', NEW.name, NEW.short_name, NEW.name_original, NEW.search_sectors)), 'ё', 'е'),
            '[^[:alnum:]]+'
        ) AS word
        WHERE char_length(word) >= 4
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER companies_organization_search_document
    BEFORE INSERT OR UPDATE OF name, short_name, name_original, products, capabilities, search_sectors, search_items
    ON companies_organization FOR EACH ROW EXECUTE FUNCTION companies_organization_search_document();
"""

DROP_TRIGGER_SQL = """
DROP TRIGGER IF EXISTS companies_organization_search_document ON companies_organization;
DROP FUNCTION IF EXISTS companies_organization_search_document();
DROP TABLE IF EXISTS companies_search_word;
"""


def indexes():
    return [
        GinIndex(fields=["search_document"], name="organization_document_gin"),
        models.Index(OpClass(F("inn"), name="varchar_pattern_ops"), name="organization_inn_prefix"),
        # The directory's facets without a search: one index-only scan instead of reading every row.
        models.Index(fields=["is_public", "region", "kind", "size"], include=["id"], name="organization_facets"),
    ]


def old_index():
    from django.contrib.postgres.search import SearchVector

    vector = (
        SearchVector("name", weight="A", config="russian")
        + SearchVector("short_name", weight="A", config="russian")
        + SearchVector("products", weight="B", config="russian")
        + SearchVector("capabilities", weight="C", config="russian")
    )
    return GinIndex(vector, name="organization_search_gin")


def _joined(queryset, expression, function):
    joined = models.Aggregate(expression, Value(" · "), function=function, output_field=TextField())
    texts = queryset.order_by().values("organization").annotate(text=joined).values("text")
    return Subquery(texts[:1], output_field=TextField())


def _either_or_both(first, second):
    both = models.Func(first, Value(" · "), second, template="(%(expressions)s)", arg_joiner=" || ")
    return Coalesce(both, first, second, Value(""), output_field=TextField())


def fill_texts(apps, schema_editor):
    function = "STRING_AGG" if schema_editor.connection.vendor == "postgresql" else "GROUP_CONCAT"
    organization = apps.get_model("companies", "Organization")
    offer, need = apps.get_model("companies", "Offer"), apps.get_model("companies", "Need")
    links = organization.sectors.through.objects.filter(organization=OuterRef("pk"))
    parent = Case(
        When(sector__parent__isnull=False, then=Concat(Value(" ("), "sector__parent__name", Value(")"))),
        default=Value(""),
        output_field=TextField(),
    )
    item = Concat("title", Value(" "), "description", output_field=TextField())
    offers = offer.objects.filter(organization=OuterRef("pk"), is_active=True)
    needs = need.objects.filter(organization=OuterRef("pk"), is_active=True)
    organization.objects.update(
        search_sectors=Coalesce(_joined(links, Concat("sector__name", parent, output_field=TextField()), function), Value("")),
        search_items=_either_or_both(_joined(offers, item, function), _joined(needs, item, function)),
    )


def forwards(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute(TRIGGER_SQL)
    fill_texts(apps, schema_editor)
    if postgresql:
        organization = apps.get_model("companies", "Organization")
        schema_editor.remove_index(organization, old_index())
        for index in indexes():
            schema_editor.add_index(organization, index)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    organization = apps.get_model("companies", "Organization")
    for index in indexes():
        schema_editor.remove_index(organization, index)
    schema_editor.add_index(organization, old_index())
    schema_editor.execute(DROP_TRIGGER_SQL)


class Migration(migrations.Migration):
    dependencies = [("companies", "0021_organization_accepts_meeting_requests")]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="search_sectors",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="sectors, as searched"),
        ),
        migrations.AddField(
            model_name="organization",
            name="search_items",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="active offers and needs, as searched"
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(forwards, backwards),
    ]
