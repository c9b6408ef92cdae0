"""Searching the directory of organizations by name, INN, products and capabilities.

PostgreSQL: full-text search with the 'russian' configuration (stemming: "сенсоров" finds "сенсоры")
over name, short name, products and capabilities, plus trigram word similarity on the names (typos
and partial words), plus an INN prefix when the query is digits. Migration 0004 creates the GIN
indexes these conditions use; `organization_search_vector()` must stay the expression of that index
(tests/companies/test_search.py checks that the planner uses it).

SQLite (the embedded default): every word, less a common Russian ending, must occur in one of the
four fields, compared after Python's casefold(), because SQLite's LIKE folds the case of ASCII
letters only ("мидаус" must find "Мидаус"). The function is registered on every SQLite connection.

Any text is accepted: `normalize_query` removes NUL and other control characters (PostgreSQL
refuses NUL in strings) and lone surrogates, and the form caps the length at MAX_QUERY_LENGTH.
websearch_to_tsquery never raises on operator-like input, and every value reaches SQL as a parameter.
"""

import functools
import re
import unicodedata

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models import Case, CharField, F, FloatField, Func, Q, QuerySet, Value, When
from django.db.models.functions import Greatest
from django.dispatch import receiver

MAX_QUERY_LENGTH = 200
SEARCH_CONFIG = "russian"
CASEFOLD_FUNCTION = "portal_casefold"

_WHITESPACE = re.compile(r"\s+")
_INN_PREFIX = re.compile(r"[0-9]{1,12}")


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


def organization_search_vector() -> SearchVector:
    """The weighted document of an organization; also the expression of the GIN index (migration 0004)."""
    return (
        SearchVector("name", weight="A", config=SEARCH_CONFIG)
        + SearchVector("short_name", weight="A", config=SEARCH_CONFIG)
        + SearchVector("products", weight="B", config=SEARCH_CONFIG)
        + SearchVector("capabilities", weight="C", config=SEARCH_CONFIG)
    )


def search_organizations(queryset: QuerySet, query: str) -> QuerySet:
    """Organizations of `queryset` matching `query`, annotated with `search_rank` (higher is better)."""
    query = normalize_query(query)[:MAX_QUERY_LENGTH]
    if not query:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        return _search_postgresql(queryset, query)
    return _search_casefold(queryset, query)


def _search_postgresql(queryset: QuerySet, query: str) -> QuerySet:
    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    match = (
        Q(search_document=search_query)
        | Q(name__trigram_word_similar=query)
        | Q(short_name__trigram_word_similar=query)
    )
    inn_boost = Value(0.0)
    if digits := inn_prefix(query):
        match |= Q(inn__startswith=digits)
        inn_boost = Case(When(inn__startswith=digits, then=Value(1.0)), default=Value(0.0))
    return (
        queryset.alias(search_document=organization_search_vector())
        .filter(match)
        .annotate(
            search_rank=SearchRank(F("search_document"), search_query)
            + Greatest(TrigramWordSimilarity(query, "name"), TrigramWordSimilarity(query, "short_name"))
            + inn_boost
        )
    )


# The commonest Russian inflectional endings, longest first. Without a stemmer on SQLite, a word
# is searched without its ending, so "сенсоров" still finds "сенсоры" (PostgreSQL stems properly).
_RUSSIAN_ENDINGS = (
    *("ами", "ями", "ого", "его", "ому", "ему", "ыми", "ими"),
    *("ых", "их", "ой", "ей", "ий", "ый", "ая", "яя", "ое", "ее", "ов", "ев"),
    *("ам", "ям", "ах", "ях", "ом", "ем", "ую", "юю"),
    *("ы", "и", "а", "я", "о", "е", "у", "ю", "ь"),
)
_CYRILLIC_WORD = re.compile(r"[а-яё]+")


def _rough_stem(word: str) -> str:
    if not _CYRILLIC_WORD.fullmatch(word):
        return word
    for ending in _RUSSIAN_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


class Casefold(Func):
    function = CASEFOLD_FUNCTION
    output_field = CharField()


def _search_casefold(queryset: QuerySet, query: str) -> QuerySet:
    ensure_casefold_function(connections[queryset.db])
    words = [_rough_stem(word) for word in query.casefold().split(" ")[:10]]
    queryset = queryset.alias(
        cf_name=Casefold("name"),
        cf_short_name=Casefold("short_name"),
        cf_products=Casefold("products"),
        cf_capabilities=Casefold("capabilities"),
    )
    text_match = Q()
    for word in words:
        # `contains` escapes % and _ itself, and the value is a parameter.
        text_match &= (
            Q(cf_name__contains=word)
            | Q(cf_short_name__contains=word)
            | Q(cf_products__contains=word)
            | Q(cf_capabilities__contains=word)
        )
    if digits := inn_prefix(query):
        text_match |= Q(inn__startswith=digits)
    queryset = queryset.filter(text_match)
    first = words[0]
    return queryset.annotate(
        search_rank=Case(
            When(Q(cf_name__startswith=first) | Q(cf_short_name__startswith=first), then=Value(3.0)),
            When(Q(cf_name__contains=first) | Q(cf_short_name__contains=first), then=Value(2.0)),
            default=Value(1.0),
            output_field=FloatField(),
        )
    )


def _casefold(value):
    return value.casefold() if isinstance(value, str) else value


@functools.lru_cache(maxsize=512)
def _like_regex(pattern: str, escape: str | None) -> re.Pattern:
    """A LIKE pattern (like '%завод 8%') as a case-folded regular expression."""
    parts, chars = [], iter(pattern.casefold())
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
    """SQLite's LIKE folds only ASCII letters; this one folds every script ('завод' finds 'Завод')."""
    if pattern is None or value is None:
        return None
    return _like_regex(pattern, escape).fullmatch(str(value).casefold()) is not None


def _register_casefold(raw_connection) -> None:
    raw_connection.create_function(CASEFOLD_FUNCTION, 1, _casefold, deterministic=True)
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
