"""Morphology for names and titles: a phrase put in the nominative, a text's case restored.

A Russian name phrase inflects at its head only: "Фондом развития промышленности Пермского края"
is "Фонд развития промышленности Пермского края" (the head noun and the adjectives before it go to
the nominative, the genitive tail stays as written). Natasha's `span.normalize` lemmatises the tail
too ("Фонд развитие промышленность"), so the head is inflected here with pymorphy2 (Natasha's
MorphVocab), choosing the analysis that agrees with the case the tagger gave the word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from releases.extraction.nlp import models

OPENING_QUOTES = '«„“"'
CLOSING_QUOTES = '»“”"'
NOUN_POS = ("NOUN", "PROPN")
ADJ_POS = ("ADJ", "DET", "NUM")
# Words of a region's or a body's name that are written with a capital inside a title:
# "ПРАВИТЕЛЬСТВА ПЕРМСКОГО КРАЯ" → "правительства Пермского края".
_REGION_NOUNS = ("област", "кра", "округ", "республик", "район", "федераци")


def match_case(word: str, like: str) -> str:
    """`word` written in the case pattern of `like` ("ФОНД" → upper, "Фонд" → title)."""
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _parse(word: str, feats: dict | None = None, pos: str | None = None):
    """pymorphy2's analysis of `word` closest to the tagger's pos and case."""
    parses = models().morph_vocab.parse(word)
    if not parses:
        return None
    case = (feats or {}).get("Case")

    def rank(parse):
        score = 0
        if pos and parse.pos == pos or (pos == "PROPN" and parse.pos == "NOUN"):
            score += 2
        if case and parse.feats.get("Case") == case:
            score += 3
        if feats and feats.get("Number") and parse.feats.get("Number") == feats.get("Number"):
            score += 1
        return score

    return max(parses, key=rank)


def inflect_word(word: str, grams: set[str], feats: dict | None = None, pos: str | None = None) -> str:
    """`word` in the grammemes `grams` (UD names: {"Nom"}, {"Nom", "Sing"}), its case pattern kept."""
    if not re.search(r"[А-Яа-яЁё]", word) or "-" in word and word.split("-")[0].isupper():
        return word
    parse = _parse(word.lower(), feats, pos)
    if parse is None:
        return word
    try:
        inflected = parse.inflect(grams)
    except (ValueError, KeyError):
        inflected = None
    if inflected is None:
        return word
    return match_case(inflected.word, word)


def nominative(tokens: Sequence, *, keep_number: bool = True) -> str:
    """The phrase of `tokens` (Natasha tokens: text, pos, feats) with its head in the nominative.

    The head is the first noun outside quotes; it and the adjectives before it that agree with it
    are inflected, everything after it is kept as written. Quoted parts never change.
    """
    words = [t.text for t in tokens]
    head = None
    quoted = False
    for index, token in enumerate(tokens):
        if token.text in OPENING_QUOTES and not quoted:
            quoted = True
            continue
        if quoted:
            if token.text in CLOSING_QUOTES:
                quoted = False
            continue
        if token.pos in NOUN_POS:
            head = index
            break
    if head is None:
        return join_tokens(tokens)
    head_token = tokens[head]
    case = head_token.feats.get("Case")
    if case and case != "Nom":
        number = head_token.feats.get("Number", "Sing") if keep_number else "Sing"
        words[head] = inflect_word(head_token.text, {"Nom", number}, head_token.feats, head_token.pos)
        head_parse = _parse(words[head].lower(), None, "NOUN")
        gender = head_parse.feats.get("Gender") if head_parse else None
        for index in range(head - 1, -1, -1):
            token = tokens[index]
            if token.pos not in ADJ_POS or token.feats.get("Case") != case:
                break
            grams = {"Nom", number}
            if number == "Sing" and gender:
                grams.add(gender)
            words[index] = inflect_word(token.text, grams, token.feats, "ADJ")
    return join_tokens(tokens, words)


def join_tokens(tokens: Sequence, words: Sequence[str] | None = None) -> str:
    """The tokens' words with the text's own spacing between them (single spaces)."""
    words = list(words) if words is not None else [t.text for t in tokens]
    out = []
    for index, token in enumerate(tokens):
        if index and tokens[index - 1].stop < token.start:
            out.append(" ")
        out.append(words[index])
    return "".join(out)


def recase(text: str) -> str:
    """An upper-case title written as a sentence would write it.

    "ИСПОЛНИТЕЛЬНЫЙ ДИРЕКТОР ЦЕНТРА РАЗВИТИЯ ПЕРМСКОГО КРАЯ" → "исполнительный директор центра
    развития Пермского края": words before a region noun (and the words of "Республики X") keep a
    capital, short abbreviations stay upper case.
    """
    words = text.split()
    out = []
    for index, word in enumerate(words):
        lower = word.lower()
        if re.fullmatch(r"[A-ZА-ЯЁ]{2,5}(-[A-ZА-ЯЁ0-9]+)?", word) and _is_abbreviation(lower):
            out.append(word)  # an abbreviation: ХМАО, ТПП, РФ
            continue
        nxt = words[index + 1].lower() if index + 1 < len(words) else ""
        prev = words[index - 1].lower() if index else ""
        proper = nxt.startswith(_REGION_NOUNS) and _is_adjective(lower)
        proper = proper or prev.startswith(("республик", "г.")) or lower.startswith(("росси", "федераци"))
        proper = proper or (lower.startswith("республик") and bool(nxt))
        out.append(lower[:1].upper() + lower[1:] if proper else lower)
    return " ".join(out)


def _is_abbreviation(word: str) -> bool:
    parses = models().morph_vocab.parse(word)
    return not any(parse.is_known for parse in parses) or any("Abbr" in parse.tag for parse in parses)


def _is_adjective(word: str) -> bool:
    parse = _parse(word)
    return parse is not None and parse.pos == "ADJ"


def lower_first(text: str) -> str:
    """A title's first letter in lower case, unless the first word is an abbreviation."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return text
    return text[:1].lower() + text[1:]


def is_upper_text(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)
