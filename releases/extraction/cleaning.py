"""A release's text made readable for the models without moving a character.

Copied texts mix scripts inside words ("Cотрудничество" with a Latin "C", "Нoвые" with a Latin "o"):
the tagger then sees an unknown word. A Latin letter that looks like a Cyrillic one, inside a word
whose other letters are Cyrillic, is replaced by that Cyrillic letter; the replacement is one
character for one, so every offset (the spans shown to the reviewer) stays the original's.

Credit lines are page furniture: "Фото: пресс-служба Минэкономразвития КБР", "Фото: Telegram-канал «…»",
"Источник: …", "Автор фото — …". They name no organization, city or person of the story, so the models
never see them: each such line is blanked with spaces (again without moving an offset).
"""

import re
import unicodedata

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


# A line opening with a credit word, then a colon or a dash, or a source noun ("Фото пресс-службы …").
CREDIT_LINE = re.compile(
    r"^[ \t]*(?:(?:автор|источник)\s+(?:фото|фотографии|видео|текста)|фото(?:графия|граф)?|видео|источник|"
    r"текст|автор|подготовил[аи]?)"
    r"(?:[ \t]*[:—–-]|[ \t]+(?=(?:пресс-служб|telegram|телеграм|vk\b|вконтакте|сайт|из\s+открыт|предоставлен)))"
    r"[^\n]*$",
    re.IGNORECASE | re.MULTILINE,
)


def blank_credits(text: str) -> str:
    """`text` with its credit lines made spaces (same length)."""
    return CREDIT_LINE.sub(lambda match: " " * len(match.group(0)), text)


def fix_mixed_scripts(text: str) -> str:
    """`text` with Latin look-alikes inside Cyrillic words made Cyrillic (same length)."""
    return _WORD.sub(_fix_word, text)


def blank_unnamed(text: str) -> str:
    """`text` with the characters Unicode gives no name (unassigned code points, private use, lone
    surrogates: a corrupted paste, never words) made spaces (same length): the morphology's
    script test (pymorphy2) looks every letter's name up and fails on them."""
    if text.isascii():
        return text
    return "".join(c if c.isascii() or unicodedata.name(c, None) else " " for c in text)


__all__ = ["blank_credits", "blank_unnamed", "fix_mixed_scripts"]
