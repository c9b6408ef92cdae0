"""A release's text made readable for the models without moving a character.

Copied texts mix scripts inside words ("Cотрудничество" with a Latin "C", "Нoвые" with a Latin "o"):
the tagger then sees an unknown word. A Latin letter that looks like a Cyrillic one, inside a word
whose other letters are Cyrillic, is replaced by that Cyrillic letter; the replacement is one
character for one, so every offset (the spans shown to the reviewer) stays the original's.
"""

import re

# Latin letters and the Cyrillic letters they look like.
_LOOKALIKES = str.maketrans("AaBCcEeHKMOoPpTXxyY", "АаВСсЕеНКМОоРрТХхуУ")
_WORD = re.compile(r"[A-Za-zА-Яа-яЁё]+")
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_LATIN_LOOKALIKE = re.compile(r"[AaBCcEeHKMOoPpTXxyY]")


def _fix_word(match: re.Match) -> str:
    word = match.group(0)
    latin = [c for c in word if c.isascii()]
    if not latin or not _CYRILLIC.search(word):
        return word
    if any(not _LATIN_LOOKALIKE.fullmatch(c) for c in latin):
        return word  # a real Latin part ("IT-компания" is kept by the word split; "Wi-Fi" is Latin)
    cyrillic = sum(1 for c in word if _CYRILLIC.fullmatch(c))
    return word.translate(_LOOKALIKES) if cyrillic >= len(latin) else word


def fix_mixed_scripts(text: str) -> str:
    """`text` with Latin look-alikes inside Cyrillic words made Cyrillic (same length)."""
    return _WORD.sub(_fix_word, text)


__all__ = ["fix_mixed_scripts"]
