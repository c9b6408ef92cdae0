"""What an organization needs and offers, read into keys that two organizations share when one answers
the other: a word's stem ("литые", "литьё" → "лит"), a synonym group of the directory's dictionary
("ЧПУ" and "числовое программное управление" → one group), a sector (a subsector also counts for its
parent sector) and an OKVED class (the first two digits of a sector's code).

The words are read by companies.search_text, the directory search's own reader, so the suggestions and
the search agree on what a word is.
"""

import re
from dataclasses import dataclass, field

from companies.search_text import STOPWORDS, stem, words_of

# Splits a free-text list of products or capabilities into its items.
_ITEMS = re.compile(r"[;\n•]+|,(?![^()]*\))")
_DIGITS = re.compile(r"[0-9]+")
MAX_ITEMS = 30
MAX_ITEM_LENGTH = 300
MAX_KEYS_PER_ITEM = 24

# Words that say nothing about what is made or needed: kept, but at a fraction of their weight.
GENERIC_STEMS = frozenset(
    stem(word)
    for word in (
        "поставка",
        "поставки",
        "производство",
        "изготовление",
        "продукция",
        "услуги",
        "услуга",
        "работы",
        "оборудование",
        "материалы",
        "партнер",
        "партнеры",
        "поиск",
        "нужны",
        "нужен",
        "требуются",
        "ищем",
        "предлагаем",
        "компания",
        "организация",
        "широкий",
        "ассортимент",
        "различные",
        "россия",
        "регион",
        "заказ",
        "заказу",
        "под",
        "любые",
    )
)
GENERIC_WEIGHT = 0.25
SECTOR_WEIGHT = 0.6
OKVED_WEIGHT = 0.3


@dataclass(frozen=True)
class SynonymIndex:
    """The synonym groups as sequences of stems: (stems of a term) → the group ids it belongs to."""

    phrases: dict[tuple[str, ...], frozenset[int]]
    longest: int

    @classmethod
    def build(cls, groups: list[tuple[int, list[str]]]) -> "SynonymIndex":
        phrases: dict[tuple[str, ...], set[int]] = {}
        for group_id, terms in groups:
            for term in terms:
                stems = tuple(stem(word) for word in words_of(term) if word not in STOPWORDS)
                if stems:
                    phrases.setdefault(stems, set()).add(group_id)
        frozen = {key: frozenset(ids) for key, ids in phrases.items()}
        return cls(frozen, max((len(key) for key in frozen), default=0))


def text_keys(text: str, synonyms: SynonymIndex) -> set[str]:
    """The keys of a text: "g:<id>" of every synonym term in it, "w:<stem>" of every other content word.
    A word inside a synonym term counts through the group only, so "железобетонные изделия" and "ЖБИ"
    are the same one key on both sides, not one key against three."""
    words = [word for word in words_of(text or "") if word not in STOPWORDS and not _DIGITS.fullmatch(word)]
    stems = [stem(word) for word in words if len(word) > 1]
    keys, covered = set(), set()
    for i in range(len(stems)):
        for length in range(1, min(synonyms.longest, len(stems) - i) + 1):
            groups = synonyms.phrases.get(tuple(stems[i : i + length]), ())
            for group_id in groups:
                keys.add(f"g:{group_id}")
            if groups:
                covered.update(range(i, i + length))
    keys.update(f"w:{s}" for i, s in enumerate(stems) if i not in covered)
    return keys


def key_weight(key: str) -> float:
    """The weight of a key before its rarity: generic words, sectors and OKVED classes count less."""
    if key.startswith("s:"):
        return SECTOR_WEIGHT
    if key.startswith("o:"):
        return OKVED_WEIGHT
    if key.startswith("w:") and key[2:] in GENERIC_STEMS:
        return GENERIC_WEIGHT
    return 1.0


@dataclass(frozen=True)
class SectorInfo:
    id: int
    name: str
    parent_id: int | None
    parent_name: str
    okved_code: str


def sector_keys(sector: SectorInfo | None, *, with_parent: bool) -> set[str]:
    """A sector's keys: its own id, its OKVED class, and on the offering side its parent's id (a company
    of "Литейное производство" answers a need in "Металлургия"); a need in a subsector asks for it."""
    if sector is None:
        return set()
    keys = {f"s:{sector.id}"}
    if with_parent and sector.parent_id:
        keys.add(f"s:{sector.parent_id}")
    okved = sector.okved_code.split(".")[0] if sector.okved_code else ""
    if okved:
        keys.add(f"o:{okved}")
    return keys


@dataclass
class Item:
    """One thing an organization needs or offers: its label, where it comes from, its keys."""

    side: str
    source: str
    label: str
    keys: set[str] = field(default_factory=set)


def list_items(text: str) -> list[str]:
    """A free-text list ("литьё чугуна; механообработка, сварка") as its items."""
    items = [" ".join(part.split()) for part in _ITEMS.split(text or "")]
    return [item[:MAX_ITEM_LENGTH] for item in items if item][:MAX_ITEMS]


def _capped(keys: set[str]) -> set[str]:
    return set(sorted(keys)[:MAX_KEYS_PER_ITEM]) if len(keys) > MAX_KEYS_PER_ITEM else keys


def organization_items(
    *,
    needs: list[tuple[str, str, SectorInfo | None]],
    offers: list[tuple[str, str, SectorInfo | None]],
    products: str,
    capabilities: str,
    sectors: list[SectorInfo],
    synonyms: SynonymIndex,
) -> list[Item]:
    """The items of one organization: its active needs (what it asks for), and its active offers,
    products, capabilities and sectors (what it answers with)."""
    items = []
    for title, description, sector in needs:
        keys = text_keys(f"{title} {description}", synonyms) | sector_keys(sector, with_parent=False)
        items.append(Item("need", "need", title[:MAX_ITEM_LENGTH], _capped(keys)))
    for title, description, sector in offers:
        keys = text_keys(f"{title} {description}", synonyms) | sector_keys(sector, with_parent=True)
        items.append(Item("offer", "offer", title[:MAX_ITEM_LENGTH], _capped(keys)))
    for source, text in (("product", products), ("capability", capabilities)):
        for label in list_items(text):
            items.append(Item("offer", source, label, _capped(text_keys(label, synonyms))))
    for sector in sectors:
        keys = text_keys(sector.name, synonyms) | sector_keys(sector, with_parent=True)
        items.append(Item("offer", "sector", sector.name[:MAX_ITEM_LENGTH], keys))
    return [item for item in items if item.keys]
