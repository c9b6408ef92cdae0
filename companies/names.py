"""What an organization's name is, once: its normal form, its confusable skeleton, and the words
that only a government body's name holds.

- The normal form is what is stored (Organization.clean and save): NFKC (the sign "№" aside), with
  invisible format characters (zero-width spaces and joiners, bidirectional controls, the soft
  hyphen, the byte order mark and every other Unicode "Cf" character, variation selectors and the
  Hangul fillers) and control characters removed, and whitespace collapsed to single spaces.
- The skeleton is what two names are compared on: Unicode Technical Standard #39's skeleton (NFD, each
  character mapped to its prototype in confusables.txt, NFD again) of the normal form. TR39's skeleton
  keeps case, and upper and lower case look alike across scripts differently (Cyrillic "Т" is Latin
  "T", while "т" becomes the small capital "ᴛ"), so a name has three skeletons: as written, in upper
  case and casefolded. Two names look alike when any of the three pairs is equal (`names_look_alike`).

This module is the bottom layer: it imports only the standard library and Django's translation, and
knows no model, so that models, services, forms and migrations can all use it.
"""

import unicodedata
from functools import cache, lru_cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

# Russian names write "Завод №1", and NFKC would make it "Завод No1": the sign is kept as it is (the
# skeleton still takes it for "No").
NUMERO_SIGN = "\u2116"

CONFUSABLES_FILE = Path(__file__).parent / "data" / "unicode" / "confusables.txt"

# Invisible characters that are not of category Cf (which is removed whole): the combining grapheme
# joiner, the Hangul fillers, the Khmer inherent vowels, the variation selectors (TR39's and UAX #31's
# default-ignorable code points).
_IGNORABLE = frozenset(
    [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0]
    + list(range(0x180B, 0x1810))
    + list(range(0xFE00, 0xFE10))
    + list(range(0xE0100, 0xE01F0))
)


def _is_invisible(char: str) -> bool:
    category = unicodedata.category(char)
    if category in ("Cf", "Cs") or ord(char) in _IGNORABLE:
        return True
    return category == "Cc" and not char.isspace()  # a tab or a line break is whitespace, collapsed below


def _strip_invisible(text: str) -> str:
    return "".join(char for char in text if not _is_invisible(char))


def name_normal_form(text: str) -> str:
    """The form an organization's name is stored in: "Авиастар\u200b  АО" → "Авиастар АО"."""
    if not text:
        return ""
    # Removed before NFKC (a joiner between a letter and its accent would keep them apart) and after
    # (NFKC turns a halfwidth Hangul filler into the plain one).
    text = _strip_invisible(text)
    text = NUMERO_SIGN.join(_strip_invisible(unicodedata.normalize("NFKC", part)) for part in text.split(NUMERO_SIGN))
    return " ".join(text.split())


@cache
def _prototypes() -> dict[str, str]:
    """confusables.txt as {character: its prototype}; read once per process."""
    table = {}
    with CONFUSABLES_FILE.open(encoding="utf-8-sig") as lines:
        for line in lines:
            data = line.split("#", 1)[0].strip()
            if not data:
                continue
            source, target, _kind = (part.strip() for part in data.split(";"))
            table[chr(int(source, 16))] = "".join(chr(int(cp, 16)) for cp in target.split())
    return table


def tr39_skeleton(text: str) -> str:
    """UTS #39's skeleton(X): NFD, every character replaced by its prototype, NFD again."""
    prototypes = _prototypes()
    mapped = "".join(prototypes.get(char, char) for char in unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFD", mapped)


@lru_cache(maxsize=65536)  # the directory's names are compared again and again: each is computed once
def name_skeletons(text: str) -> tuple[str, str, str]:
    """A name's skeletons as written, in upper case and casefolded (of its normal form)."""
    normal = name_normal_form(text)
    return tr39_skeleton(normal), tr39_skeleton(normal.upper()), tr39_skeleton(normal.casefold())


def names_look_alike(a: str, b: str) -> bool:
    """Would a reader take one name for the other? Empty names look like nothing."""
    ours, theirs = name_skeletons(a), name_skeletons(b)
    if not ours[0] or not theirs[0]:
        return False
    return any(x == y for x, y in zip(ours, theirs, strict=True))


# --- A company posing as a government body ---------------------------------------------------------
# The beginnings of the words only a state or municipal body's name holds, matched on the casefolded
# skeleton (so "Прaвительство" with a Latin "a" is caught too), anywhere in the name. Small and
# explicit: a word is added here, nowhere else.
GOVERNMENT_WORDS = {
    # the beginning matched: the word named in the refusal
    "правительств": "Правительство",  # Правительство Челябинской области, правительства …
    "министерств": "Министерство",
    "администрац": "Администрация",  # Администрация … области, района, города
    "губернатор": "Губернатор",
    "government": "Government",
    "ministry": "Ministry",
}


@cache
def _government_skeletons() -> tuple[tuple[str, str], ...]:
    return tuple((tr39_skeleton(stem), word) for stem, word in GOVERNMENT_WORDS.items())


def government_word_in(text: str) -> str | None:
    """The word of GOVERNMENT_WORDS that `text` holds ("Правительство"), or None."""
    folded = name_skeletons(text)[2]
    for skeleton, word in _government_skeletons():
        if skeleton in folded:
            return word
    return None


GOVERNMENT_WORDING_MESSAGE = _(
    "A company's name cannot contain the word “%(word)s”: such names belong to government bodies. "
    "If your organization is one, write to the ministry staff."
)
