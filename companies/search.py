"""Searching the directory of organizations: names, INN and OGRN, sectors, products, capabilities,
offers and needs, with Russian stemming, synonyms and typo tolerance.

A query is read into concepts (companies.search_text.parse_query): its words, with each word or
phrase that is a term of a `SearchSynonym` group expanded into the group's terms ("датчики" also
asks for "сенсор"). An organization matches when every concept occurs in its texts, in one of:
- its names (name, short name, name in the original language),
- its sectors, each with its parent sector (so "машиностроение" finds a company of a subsector),
- its products, capabilities, and active offers and needs (title and description);
or when its words are like words of its names or sectors (a typo, a cut word), or it is the start
of its INN or its whole OGRN. A match in the names ranks first, then in the sectors, then in the rest.

Stored texts: an organization keeps its sectors (`search_sectors`, each with its parent) and its
active offers and needs (`search_items`) in its own row, written by `organizations_refresh_search`
(one UPDATE) whenever they change (companies.signals), so a search never joins or aggregates.

PostgreSQL: `search_document`, the weighted tsvector of the names (A), the sectors (B) and the rest
(C) with the 'russian' configuration (stemming), is written by a trigger (migration 0022) and
GIN-indexed. The concepts are a tsquery of plainto_tsquery terms (never a syntax error, whatever the
text). The typo part reads the lexicon of the words of names and sectors (a trigram-indexed table
the same trigger fills): for each typed word the words like it (pg_trgm's word similarity, so a
cut word counts too) are looked for in the names and sectors of the document. The match is one
condition on the indexed document (or the INN's and OGRN's indexes); the tiers and ts_rank are
computed on the matching rows only, and the ts_headline of the sectors and the rest for the page's
rows only. Scale does not change the plan: 100,000 organizations read the index, not the rows.

SQLite (the embedded default): the same texts are concatenated in SQL and `rank_texts`, registered
on every connection, reads them in Python with the Snowball stemmer and the same concepts. SQLite's
LIKE folds the case of ASCII letters only, so `like()` is replaced with one that folds every script.

Any text is accepted: `normalize_query` removes NUL and other control characters (PostgreSQL
refuses NUL in strings) and lone surrogates, only words reach the text search, the form caps the
length at MAX_QUERY_LENGTH, and every value reaches SQL as a parameter.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat
from django.dispatch import receiver

from .models import Need, Offer, Organization, SearchSynonym
from .search_text import START, STOP, Concept, concepts_to_json, fold, marked_html, parse_query, rank_texts, snippet

MAX_QUERY_LENGTH = 200
SEARCH_CONFIG = "russian"
CASEFOLD_FUNCTION = "portal_casefold"
RANK_FUNCTION = "portal_search_rank"

_WHITESPACE = re.compile(r"\s+")
_INN_PREFIX = re.compile(r"[0-9]{1,12}")
_OGRN = re.compile(r"[0-9]{13}|[0-9]{15}")


def normalize_query(raw: str | None) -> str:
    """The user's text made safe to search: NFC, no control characters or surrogates, single spaces."""
    if not raw:
        return ""
    # Lone surrogates cannot be encoded to UTF-8 (the driver would fail); control characters,
    # NUL above all, are refused by PostgreSQL. Both become spaces.
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in raw)
    text = unicodedata.normalize("NFC", text)
    return _WHITESPACE.sub(" ", text).strip()


def inn_prefix(query: str) -> str | None:
    """The digits of a query that looks like (the start of) an INN: '7325 0011' → '73250011'."""
    digits = query.replace(" ", "")
    return digits if _INN_PREFIX.fullmatch(digits) else None


def ogrn_exact(query: str) -> str | None:
    digits = query.replace(" ", "")
    return digits if _OGRN.fullmatch(digits) else None


@dataclass(frozen=True)
class SearchTerms:
    """A query read once: its text, its concepts after synonym expansion, its INN or OGRN digits."""

    text: str
    concepts: tuple[Concept, ...]
    # PostgreSQL: for each typed word, the words of names and sectors like it (itself included).
    similar: tuple[tuple[str, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.concepts or self.inn_prefix or self.ogrn)

    @property
    def inn_prefix(self) -> str | None:
        return inn_prefix(self.text)

    @property
    def ogrn(self) -> str | None:
        return ogrn_exact(self.text)


def search_terms(query: str | None, using: str = "default") -> SearchTerms:
    """Read a query: one query for the synonym dictionary, and on PostgreSQL one for the words like
    the typed ones."""
    text = normalize_query(query)[:MAX_QUERY_LENGTH]
    if not text:
        return SearchTerms("", ())
    groups = [synonym.term_list for synonym in SearchSynonym.objects.using(using).only("terms")]
    concepts = parse_query(text, groups)
    if connections[using].vendor != "postgresql" or not concepts:
        return SearchTerms(text, concepts)
    return SearchTerms(text, concepts, similar_words(connections[using], typed_words(concepts)))


def typed_words(concepts: tuple[Concept, ...]) -> list[str]:
    """The words as typed (each concept's first alternative), the ones a typo can be in."""
    return [word for concept in concepts for word in concept.alternatives[0]]


SIMILAR_WORDS_LIMIT = 20


def similar_words(connection, words: list[str]) -> tuple[tuple[str, ...], ...]:
    """For each word, itself and the words of names and sectors like it ("мидас" → "мидаус", a cut
    "авиастр" → "авиастар"): pg_trgm's word similarity (`%>`, at least 0.6) against the lexicon of
    migration 0022, the closest first. One query for all the words."""
    if not words:
        return ()
    part = (
        "(SELECT %s::int AS i, word FROM companies_search_word WHERE word %%> %s"
        " ORDER BY word_similarity(%s, word) DESC, word LIMIT %s)"
    )
    sql = " UNION ALL ".join(part for _ in words)
    params = [p for i, word in enumerate(words) for p in (i, word, word, SIMILAR_WORDS_LIMIT)]
    found: list[list[str]] = [[word] for word in words]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for i, word in cursor.fetchall():
            if word != found[i][0] and _WORD_ONLY.fullmatch(word):
                found[i].append(word)
    return tuple(map(tuple, found))


_WORD_ONLY = re.compile(r"[^\W_]+")


class JoinedText(Aggregate):
    """The values of a group joined by a separator: GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL."""

    function = "GROUP_CONCAT"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="STRING_AGG", **extra_context)


def _joined(queryset: QuerySet, key: str, expression) -> Subquery:
    """One row's related texts, joined, as a subquery of the organization's query (NULL when none)."""
    texts = queryset.order_by().values(key).annotate(text=JoinedText(expression, Value(" · "))).values("text")
    return Subquery(texts[:1], output_field=TextField())


class Joined(Func):
    """`a || b || …`: NULL when a part is NULL (Concat reads NULL as '')."""

    template = "(%(expressions)s)"
    arg_joiner = " || "
    output_field = TextField()


def _either_or_both(first, second) -> Coalesce:
    """ "first · second", or the one that is not NULL, or ''."""
    return Coalesce(Joined(first, Value(" · "), second), first, second, Value(""), output_field=TextField())


def _text(*parts) -> Concat:
    joined = []
    for part in parts:
        joined += [part, Value(" · ")]
    return Concat(*joined[:-1], output_field=TextField())


def _sector_links():
    return Organization.sectors.through.objects.filter(organization=OuterRef("pk"))


def stored_search_texts() -> dict:
    """The texts an organization stores for the search, as SQL of its row: `search_sectors` (each
    sector with its parent) and `search_items` (its active offers and needs, title and description)."""
    parent = Case(
        When(sector__parent__isnull=False, then=Concat(Value(" ("), "sector__parent__name", Value(")"))),
        default=Value(""),
        output_field=TextField(),
    )
    sector_name = Concat("sector__name", parent, output_field=TextField())  # "Авиация (Машиностроение)"
    item_text = Concat("title", Value(" "), "description", output_field=TextField())
    offers = Offer.objects.filter(organization=OuterRef("pk"), is_active=True)
    needs = Need.objects.filter(organization=OuterRef("pk"), is_active=True)
    return {
        "search_sectors": Coalesce(_joined(_sector_links(), "organization", sector_name), Value("")),
        "search_items": _either_or_both(
            _joined(offers, "organization", item_text), _joined(needs, "organization", item_text)
        ),
    }


def organizations_refresh_search(organizations: QuerySet | None = None) -> int:
    """Write the stored search texts of `organizations` (every organization by default) from their
    sectors, offers and needs, in one UPDATE; on PostgreSQL its trigger rewrites `search_document`.
    companies.signals calls it on every write of those; a bulk writer (the data generator) calls it
    once at the end. Returns the number of organizations written."""
    queryset = Organization.objects.all() if organizations is None else organizations
    return queryset.order_by().update(**stored_search_texts())


def search_texts() -> dict:
    """The texts the search reads, by group: names, sectors (with their parents), the rest."""
    return {
        "names": _text("name", "short_name", "name_original"),
        "sectors": F("search_sectors"),
        "other": _text("products", "capabilities", "search_items"),
    }


def search_organizations(queryset: QuerySet, query: "str | SearchTerms") -> QuerySet:
    """Organizations of `queryset` matching `query`, annotated with `search_rank` (higher is better),
    `search_sectors` and `search_other` (the texts read), and on PostgreSQL `search_headline`."""
    terms = query if isinstance(query, SearchTerms) else search_terms(query)
    if not terms.text:
        return queryset
    if not terms:  # only punctuation, symbols or stopwords: nothing to look for
        return queryset.none().annotate(search_rank=Value(0.0))
    if connections[queryset.db].vendor == "postgresql":
        return _search_postgresql(queryset, terms)
    return _search_sqlite(queryset, terms)


def _number_match(terms: SearchTerms) -> Q:
    match = Q(pk__in=[])
    if terms.inn_prefix:
        match |= Q(inn__startswith=terms.inn_prefix)
    if terms.ogrn:
        match |= Q(ogrn=terms.ogrn)
    return match


def _plain(words: tuple[str, ...]) -> SearchQuery:
    return SearchQuery(" ".join(words), search_type="plain", config=SEARCH_CONFIG)


def _any_of(queries):
    combined = None
    for query in queries:
        combined = query if combined is None else combined | query
    return combined


class WeightFilter(Func):
    """The lexemes of a tsvector that have one weight ('a' the names, 'b' the sectors)."""

    function = "ts_filter"
    template = "%(function)s(%(expressions)s, '{%(weight)s}')"
    output_field = SearchVectorField()

    def __init__(self, vector, weight: str):
        assert weight in "abcd" and len(weight) == 1
        super().__init__(vector, weight=weight)


def _typo_query(terms: SearchTerms) -> SearchQuery | None:
    """Every typed word, or a word of the names or sectors like it, in the names or sectors (the
    tsquery's weights A and B): what "the query is like a name or a sector" means on the lexicon."""
    if not terms.similar:
        return None
    every = " & ".join("(" + " | ".join(f"{word}:AB" for word in words) + ")" for words in terms.similar)
    return SearchQuery(every, search_type="raw", config=SEARCH_CONFIG)


def _search_postgresql(queryset: QuerySet, terms: SearchTerms) -> QuerySet:
    match = _number_match(terms)
    if not terms.concepts:
        return queryset.filter(match).annotate(search_rank=Value(60.0), search_headline=Value(""))
    every = None
    for concept in terms.concepts:
        either = _any_of(_plain(alternative) for alternative in concept.alternatives)
        every = either if every is None else every & either
    anything = _any_of(_plain(a) for concept in terms.concepts for a in concept.alternatives)
    typo = _typo_query(terms)
    found = every if typo is None else every | typo
    # One condition on the stored document, served by its GIN index (and the INN's and OGRN's
    # indexes for a number): PostgreSQL reads only the matching rows, and the rank and the headline
    # below are computed for those alone (the headline for the page's rows only, after the sort).
    match |= Q(search_document=found)
    queryset = queryset.alias(
        search_names=WeightFilter(F("search_document"), "a"),
        search_sector_vector=WeightFilter(F("search_document"), "b"),
    )
    # An exact match in the names, then in the sectors, then a name or sector like the query
    # (a typo), then the rest: tiers ten apart, as ts_rank adds at most 1.
    tiers = [
        When(_number_match(terms), then=Value(60.0)),
        When(Q(search_names=anything), then=Value(50.0)),
        When(Q(search_sector_vector=anything), then=Value(40.0)),
    ]
    if typo is not None:
        tiers += [
            When(Q(search_names=typo), then=Value(30.0)),
            When(Q(search_sector_vector=typo), then=Value(20.0)),
        ]
    tier = Case(*tiers, default=Value(10.0))
    texts = search_texts()
    return queryset.filter(match).annotate(
        search_rank=tier + SearchRank(F("search_document"), found),
        search_headline=SearchHeadline(
            _text(texts["sectors"], texts["other"]),
            anything,
            config=SEARCH_CONFIG,
            start_sel=START,
            stop_sel=STOP,
            max_words=18,
            min_words=6,
            max_fragments=2,
            fragment_delimiter=" … ",
        ),
    )


class SearchRankFunction(Func):
    function = RANK_FUNCTION
    output_field = FloatField()


def _search_sqlite(queryset: QuerySet, terms: SearchTerms) -> QuerySet:
    ensure_casefold_function(connections[queryset.db])
    texts = search_texts()
    rank = SearchRankFunction(texts["names"], texts["sectors"], texts["other"], Value(concepts_to_json(terms.concepts)))
    queryset = queryset.annotate(search_other=texts["other"], search_text_rank=rank)
    return queryset.filter(Q(search_text_rank__gt=0) | _number_match(terms)).annotate(
        search_rank=Case(When(_number_match(terms), then=Value(60.0)), default=F("search_text_rank"))
    )


_EMPTY_PARTS = re.compile(r"(?:\s*·\s*){2,}")


def _without_empty_parts(text: str) -> str:
    """The joined texts less the separators of the empty ones ("a ·  ·  · " → "a")."""
    return _EMPTY_PARTS.sub(" · ", text).strip(" ·")


def match_highlight(organization: Organization, terms: SearchTerms) -> str:
    """HTML of why a found organization matched outside its names: the words of its sectors,
    products, offers or needs that match, in <mark>, the rest escaped; "" when the names matched."""
    if hasattr(organization, "search_headline"):
        headline = organization.search_headline or ""
    else:
        text = " · ".join((getattr(organization, "search_sectors", ""), getattr(organization, "search_other", "")))
        headline = snippet(_without_empty_parts(text), terms.concepts)
    return marked_html(_without_empty_parts(headline)) if START in headline else ""


class Casefold(Func):
    function = CASEFOLD_FUNCTION
    output_field = CharField()


def _casefold(value):
    return fold(value) if isinstance(value, str) else value


@functools.lru_cache(maxsize=512)
def _like_regex(pattern: str, escape: str | None) -> re.Pattern:
    """A LIKE pattern (like '%завод 8%') as a case-folded regular expression."""
    parts, chars = [], iter(fold(pattern))
    for char in chars:
        if escape and char == escape:
            parts.append(re.escape(next(chars, "")))
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.DOTALL)


def _unicode_like(pattern, value, escape=None):
    """SQLite's LIKE folds only ASCII letters; this one folds every script ('завод' finds 'Завод',
    'ё' is read as 'е')."""
    if pattern is None or value is None:
        return None
    return _like_regex(pattern, escape).fullmatch(fold(str(value))) is not None


def _register_casefold(raw_connection) -> None:
    raw_connection.create_function(CASEFOLD_FUNCTION, 1, _casefold, deterministic=True)
    raw_connection.create_function(RANK_FUNCTION, 4, rank_texts, deterministic=True)
    # Overriding like() makes every icontains/istartswith of the embedded default (admin search,
    # autocomplete, filters) fold Cyrillic case too.
    raw_connection.create_function("like", 2, _unicode_like, deterministic=True)
    raw_connection.create_function("like", 3, _unicode_like, deterministic=True)


@receiver(connection_created, dispatch_uid="companies.search.register_casefold")
def register_casefold_on_sqlite(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        _register_casefold(connection.connection)


def ensure_casefold_function(connection) -> None:
    """Register the function on a connection opened before this module was imported."""
    connection.ensure_connection()
    _register_casefold(connection.connection)
