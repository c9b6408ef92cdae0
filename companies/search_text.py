"""The words of a directory search, in plain Python: folding, a rough Russian stemmer, the query's
concepts after synonym expansion, matching them in a text, and the highlighted snippet of a match.

companies.search builds the database queries from these. On PostgreSQL the 'russian' text search
configuration stems the words itself; the embedded SQLite default calls `rank_texts` for each row
(a function registered on the connection), so both read a query the same way: every concept of the
query must occur somewhere in the organization's texts, and a concept occurs when one of its
alternatives (the typed words, or a synonym) does, all of its words.
"""

import difflib
import functools
import json
import re
from dataclasses import dataclass

import snowballstemmer
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString

MAX_WORDS = 10

_WORD = re.compile(r"[^\W_]+")

# Words too common to search for; PostgreSQL's 'russian' configuration drops the same ones, so a
# query of "ПО" (programme software) does not find every "по заказу" on SQLite only.
STOPWORDS = frozenset(
    {
        "а",
        "без",
        "в",
        "во",
        "да",
        "для",
        "до",
        "же",
        "за",
        "и",
        "из",
        "или",
        "к",
        "ко",
        "ли",
        "на",
        "над",
        "не",
        "ни",
        "о",
        "об",
        "от",
        "по",
        "под",
        "при",
        "про",
        "с",
        "со",
        "та",
        "то",
        "у",
        "что",
        "это",
        "как",
        "так",
        "the",
        "of",
        "and",
        "or",
        "in",
        "on",
        "for",
        "to",
        "a",
        "an",
    }
)

# Russian words are compared by their Snowball stem, the algorithm PostgreSQL's 'russian' text search
# configuration stems with, so "сенсоров" finds "сенсоры" on both databases alike.
_RUSSIAN = snowballstemmer.stemmer("russian")
_CYRILLIC_WORD = re.compile(r"[а-я]+")
_MIN_STEM = 4


def fold(text: str) -> str:
    """Case-folded, with ё read as е (people type either)."""
    return text.casefold().replace("ё", "е")


def words_of(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def stem(word: str) -> str:
    """A folded Russian word's Snowball stem (a word shorter than four letters stays as it is)."""
    if len(word) < _MIN_STEM or not _CYRILLIC_WORD.fullmatch(word):
        return word
    return _RUSSIAN.stemWord(word)


def word_matches(key: str, word: str) -> bool:
    """Does a text's folded `word` match the stemmed query word `key`? A short key (an abbreviation
    such as "ЧПУ" or "ИТ") must be the whole word; a longer one begins it."""
    if len(key) < _MIN_STEM:
        return word == key or stem(word) == key
    return word.startswith(key)


@dataclass(frozen=True)
class Concept:
    """One thing the query asks for: its alternatives, each a tuple of folded words (all must occur)."""

    alternatives: tuple[tuple[str, ...], ...]

    @property
    def keys(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(stem(word) for word in alternative) for alternative in self.alternatives)


def _key_words(text: str) -> tuple[str, ...]:
    """The folded words that identify a term: an abbreviation written in capitals ("ПО") counts even
    when its letters spell a stopword."""
    return tuple(
        fold(word) for word in _WORD.findall(text) if fold(word) not in STOPWORDS or (len(word) > 1 and word.isupper())
    )


def _content_words(text: str) -> tuple[str, ...]:
    """The folded words searched for: no stopwords (PostgreSQL ignores them too)."""
    return tuple(word for word in words_of(text) if word not in STOPWORDS)


def parse_query(query: str, synonym_groups: list[list[str]]) -> tuple[Concept, ...]:
    """The concepts of `query`: its words, each group of words that is a term of a synonym group
    replaced by the group's terms (the longest term first). Stopwords are left out, except as the
    key to a synonym ("ПО" asks for "программное обеспечение")."""
    typed = list(_key_words(query))[:MAX_WORDS]
    typed_keys = [stem(word) for word in typed]
    terms: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for group in synonym_groups:
        alternatives = {words for words in map(_content_words, group) if words}
        for term in group:
            if key := tuple(map(stem, _key_words(term))):
                terms.setdefault(key, set()).update(alternatives)
    longest = max((len(key) for key in terms), default=0)
    concepts, i = [], 0
    while i < len(typed):
        for length in range(min(longest, len(typed) - i), 0, -1):
            key = tuple(typed_keys[i : i + length])
            if key in terms:
                alternatives = {tuple(typed[i : i + length]), *terms[key]}
                i += length
                break
        else:
            alternatives = {(typed[i],)}
            i += 1
        alternatives = {tuple(w for w in alternative if w not in STOPWORDS) for alternative in alternatives} - {()}
        if alternatives:
            concepts.append(Concept(tuple(sorted(alternatives, key=lambda a: (len(a), a)))))
    return tuple(dict.fromkeys(concepts))


def concepts_to_json(concepts: tuple[Concept, ...]) -> str:
    return json.dumps([concept.alternatives for concept in concepts], ensure_ascii=False)


@functools.lru_cache(maxsize=256)
def _concepts_from_json(value: str) -> tuple[Concept, ...]:
    return tuple(Concept(tuple(tuple(alt) for alt in alternatives)) for alternatives in json.loads(value))


def _alternative_in(keys: tuple[str, ...], words: list[str]) -> bool:
    return all(any(word_matches(key, word) for word in words) for key in keys)


def concept_in(concept: Concept, words: list[str]) -> bool:
    return any(_alternative_in(keys, words) for keys in concept.keys)


def _similar(typed: str, word: str) -> bool:
    """A typo or a cut word: "мидас" for "мидаус", "авиастр" for "авиастар"."""
    if len(typed) < 5:
        return False
    return difflib.SequenceMatcher(None, typed, word).ratio() >= 0.8 or (
        difflib.SequenceMatcher(None, typed, word[: len(typed)]).ratio() >= 0.85
    )


def names_similar(concepts: tuple[Concept, ...], name_words: list[str]) -> bool:
    """Every typed word (the first alternative's words) is like a word of the names."""
    typed = [word for concept in concepts for word in concept.alternatives[0]]
    return bool(typed) and all(any(_similar(word, name) for name in name_words) for word in typed)


def rank_texts(names: str | None, sectors: str | None, other: str | None, concepts_json: str) -> float:
    """0 when the texts do not match the query; else higher the better: a match in the names ranks
    first, then in the sectors, then a name like the query (a typo), then products, capabilities,
    offers and needs (the tiers of the PostgreSQL search)."""
    concepts = _concepts_from_json(concepts_json)
    if not concepts:
        return 0.0
    name_words, sector_words, other_words = words_of(names or ""), words_of(sectors or ""), words_of(other or "")
    every_word = name_words + sector_words + other_words
    matched = all(concept_in(concept, every_word) for concept in concepts)
    if matched and any(concept_in(concept, name_words) for concept in concepts):
        return 50.0
    if matched and any(concept_in(concept, sector_words) for concept in concepts):
        return 40.0
    if names_similar(concepts, name_words):
        return 30.0
    return 10.0 if matched else 0.0


# --- Showing why a row matched -----------------------------------------------------------------

START, STOP = "\ue000", "\ue001"  # private-use characters: ts_headline's markers, never shown
_MARKED = re.compile(f"{START}(.*?){STOP}", re.DOTALL)


def marked_html(text: str) -> SafeString:
    """HTML of a text whose matched words are between START and STOP: everything escaped, the
    matched words in <mark>, a stray marker dropped."""

    def clean(part: str) -> str:
        return part.replace(START, "").replace(STOP, "")

    pairs, end = [], 0
    for match in _MARKED.finditer(text):
        pairs.append((clean(text[end : match.start()]), clean(match.group(1))))
        end = match.end()
    return format_html_join("", "{}<mark>{}</mark>", pairs) + escape(clean(text[end:]))


def snippet(text: str, concepts: tuple[Concept, ...], *, before: int = 5, after: int = 12) -> str:
    """The words around the first match of the query in `text`, matched words between START and
    STOP; "" when nothing in the text matches."""
    keys = {key for concept in concepts for alternative in concept.keys for key in alternative}
    tokens = list(_WORD.finditer(text))
    hits = [i for i, token in enumerate(tokens) if any(word_matches(key, fold(token.group())) for key in keys)]
    if not hits:
        return ""
    first = max(hits[0] - before, 0)
    last = min(hits[0] + after, len(tokens) - 1)
    start = tokens[first].start() if first else 0
    end = tokens[last].end() if last < len(tokens) - 1 else len(text)
    out, position = [], start
    for i in (i for i in hits if first <= i <= last):
        token = tokens[i]
        out += [text[position : token.start()], START, token.group(), STOP]
        position = token.end()
    out.append(text[position:end])
    return ("… " if first else "") + "".join(out) + (" …" if last < len(tokens) - 1 else "")
