"""Dates and date ranges tied to the mission or its agreements.

Careful regular expressions over the text (the spans are character offsets of it), each date's role
from the words of its sentence:

- "9 августа", "9 августа 2025 года", "17.09.2025"; a range "25–26 февраля 2026 года", "с 25 по 27
  февраля", "9 и 10 августа", "30 сентября – 2 октября" gives two entries with the same text (start
  and end);
- a year where the text ties it to the story: "в 2023 году" next to mission or agreement words,
  "с 2022 года" / "С 22 года" (a period from then), "на 2022–2024 годы" (two period entries);
- a month or a season of the mission: "в сентябре 2025 года", "летом 2027 года" (the year's ISO);
- a reporting period: "По итогам 2025 года", "за 2024 год";
- the publication: a first-line marker ("date 2025-09-17"), a line near the top that is only a date
  ("17.09.2025 10:35", "3 апреля 2026, 09:15", "Опубликовано 14 ноября 2025 года"), or a dateline opening
  a top line or the body ("ЧЕЛЯБИНСК, 9 августа —", "Томск, 22 мая."); a dateline restating
  the publication's day is a second span of it, not another date.

No year is guessed: a date whose text gives none has `iso` None (the gold rule), even when the release's
publication date is known. Relative expressions ("вчера", "на прошлой неделе") and durations ("два дня")
are not dates.
"""

import datetime
import re

from releases.draft import DateItem, Span
from releases.extraction.nlp import Analysed

MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8, "сентябр": 9,
    "октябр": 10, "ноябр": 11, "декабр": 12,
}  # fmt: skip
_GENITIVE = r"(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)"
_PREPOSITIONAL = r"(?:январе|феврале|марте|апреле|мае|июне|июле|августе|сентябре|октябре|ноябре|декабре)"
_DASH = r"\s*[-–—‒]\s*"
_YEAR_WORD = r"(?:\s*(?:года|год|г\.|гг\.|г\b))?"
_YEAR = rf"(?:\s+(?P<year>\d{{4}}){_YEAR_WORD})?"

DAY_RANGE = re.compile(
    rf"(?<![\d.])(?:[сС]\s+)?(?P<d1>\d{{1,2}})(?:\s+(?P<m1>{_GENITIVE}))?(?:{_DASH}|\s+по\s+|\s+и\s+)"
    rf"(?P<d2>\d{{1,2}})\s+(?P<m2>{_GENITIVE}){_YEAR}"
)
DAY = re.compile(rf"(?<![\d.])(?P<d>\d{{1,2}})\s+(?P<m>{_GENITIVE}){_YEAR}")
NUMERIC = re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<year>\d{4})(?![\d.])")
ISO = re.compile(r"(?<![\d-])(?P<year>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d-])")
MONTH = re.compile(rf"\b[вВ]\s+(?P<m>{_PREPOSITIONAL})(?:\s+(?P<year>\d{{4}}){_YEAR_WORD})?")
YEAR_RANGE = re.compile(
    rf"(?:\b(?:на|в|за)\s+)?(?P<y1>\d{{4}}){_DASH}(?P<y2>\d{{2,4}})\s*(?:годы|годах|годов|гг\.?|г\.г\.)",
    re.IGNORECASE,
)
SINCE_YEAR = re.compile(r"\b[сС]\s+(?P<year>\d{4}|\d{2})\s*(?:-?го\s+)?(?:года|г\.)", re.IGNORECASE)
IN_YEAR = re.compile(r"\b(?:[вВ]|[кК]|[дД]о)\s+(?P<year>\d{4})\s*(?:году|года|г\.)")
_SEASON = r"(?:весн[аеуы]|весной|лет[оа]|летом|лете|осен[ьи]|осенью|зим[аеуы]|зимой)"
# A season of a year: "осень 2026 года", "летом 2027 года" (the year's ISO).
SEASON = re.compile(rf"(?<![\w-])(?P<season>{_SEASON})\s+(?P<year>\d{{4}})\s*(?:года|году|г\.)", re.IGNORECASE)
# A reporting period: "По итогам 2025 года", "по итогам первого полугодия 2024 года", "за 2024 год".
REPORTING_YEAR = re.compile(
    r"\b(?:по\s+итогам(?:\s+(?:первого|второго|третьего|четвертого|четвёртого)\s+(?:полугодия|квартала))?"
    r"|за(?:\s+(?:первое|второе)\s+полугодие|\s+(?:первый|второй|третий|четвертый|четвёртый)\s+квартал)?)"
    r"\s+(?P<year>\d{4})\s*(?:года|год|г\.)",
    re.IGNORECASE,
)
PUBLICATION_MARKER = re.compile(r"^\s*(?:date|дата(?:\s+публикации)?:?)\s+(?P<iso>\d{4}-\d{2}-\d{2})", re.IGNORECASE)
# A dateline opening a line: "ЧЕЛЯБИНСК, 9 августа —", "Томск, 22 мая." (a place, a comma, the day,
# then a dash or a full stop, never a verb: "Челябинск, 9 августа прошла …" is no dateline).
DATELINE = re.compile(
    rf"^(?:[А-ЯЁA-Z][А-ЯЁA-Z\-]+|[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)*)(?:\s+[А-ЯЁ][А-ЯЁа-яё\-]+)?,\s*"
    rf"(?P<date>(?P<d>\d{{1,2}})\s+(?P<m>{_GENITIVE}){_YEAR})\s*(?:[—–-]|\.(?!\d))"
)
# A line at the top that is only the publication's date: "3 апреля 2026, 09:15", "22 мая 2026",
# "Опубликовано 14 ноября 2025 года", "Дата публикации: 05.06.2024 10:00", "17.09.2025 10:35".
_PUBLISHED_WORDS = r"(?:опубликовано|дата\s+публикации|дата|обновлено|размещено|добавлено)\s*:?"
DATE_LINE_REST = re.compile(
    rf"[\s,|•·]*(?:{_PUBLISHED_WORDS})?[\s,|•·]*(?:в\s*)?(?:\d{{1,2}}:\d{{2}})?[\s,.|•·]*", re.IGNORECASE
)
# The lines before the body: the top is the headline, rubrics, credits and the date; the body begins
# at the first long line, and at most this many lines are read as the top.
TOP_LINES = 6
BODY_LINE_LENGTH = 120

MISSION_WORDS = {
    "миссия", "бизнес-миссия", "делегация", "визит", "поездка", "форум", "встреча", "стол", "переговоры",
    "выставка", "заседание", "конференция", "сессия", "мероприятие", "ярмарка",
}  # fmt: skip
AGREEMENT_WORDS = {"соглашение", "меморандум", "договор", "контракт", "план", "программа", "протокол", "дорожный"}
SIGNING_WORDS = {"подписать", "подписание", "подписывать", "заключить", "заключение", "подписанный"}
OPENING_WORDS = {"открыться", "открытие", "стартовать", "старт", "начаться", "начало", "открыть"}
CLOSING_WORDS = {"завершиться", "завершение", "закрыться", "закрытие", "окончание", "закончиться"}
PAST_WORDS = {"напомнить", "ранее", "прошлый", "спустя", "прошлогодний", "предыдущий"}
OTHER_MISSION_WORDS = {"следующий"}  # "Следующая бизнес-миссия запланирована на сентябрь"


def _month(word: str) -> int:
    word = word.lower()
    for stem, number in sorted(MONTHS.items(), key=lambda item: -len(item[0])):
        if word.startswith(stem):
            return number
    raise ValueError(word)


def _iso(year: str | None, month: int, day: int) -> str | None:
    if not year:
        return None
    try:
        return datetime.date(int(year), month, day).isoformat()
    except ValueError:
        return None


class _Sentences:
    """The lemmas of the sentence (split at line breaks too) around a character offset."""

    def __init__(self, analysed: Analysed):
        self.ranges = []
        text = self.text = analysed.text
        for sentence in analysed.sentences:
            tokens = sentence.tokens
            if not tokens:
                continue
            piece = [tokens[0]]
            for previous, token in zip(tokens, tokens[1:], strict=False):
                if "\n" in text[previous.stop : token.start]:
                    self.ranges.append(self._range(piece))
                    piece = []
                piece.append(token)
            self.ranges.append(self._range(piece))

    @staticmethod
    def _range(tokens):
        lemmas = [(token.lemma or token.text).lower().replace("ё", "е") for token in tokens]
        return tokens[0].start, tokens[-1].stop, lemmas

    def before(self, start: int) -> list[str]:
        """The lemmas of the sentence just before the one at `start`, when no line break parts them."""
        previous = None
        for low, high, lemmas in self.ranges:
            if low <= start < high:
                if previous and "\n" not in self.text[previous[1] : low]:
                    return previous[2]
                return []
            previous = (low, high, lemmas)
        return []

    def around(self, start: int) -> tuple[int, int, list[str]]:
        for low, high, lemmas in self.ranges:
            if low <= start < high:
                return low, high, lemmas
        return start, start, []


def _role(lemmas: list[str], *, one_day: bool) -> str:
    words = set(lemmas)
    if PAST_WORDS & words and not (OPENING_WORDS & words):
        return "past event"
    if OTHER_MISSION_WORDS & words:
        return "event"
    if SIGNING_WORDS & words and not (MISSION_WORDS & words and OPENING_WORDS & words):
        return "signing"
    if OPENING_WORDS & words:
        return "mission start"
    if CLOSING_WORDS & words:
        return "mission end"
    if MISSION_WORDS & words:
        return "mission day" if one_day else "mission period"
    return "event"


def find_dates(analysed: Analysed, published: datetime.date | None) -> list[DateItem]:
    """The dates the release gives, in text order, each once per role.

    `published` (the date staff gave the release) only tells an earlier date from the mission's: a
    year-less date is not given the year.
    """
    text = analysed.text
    sentences = _Sentences(analysed)
    found: list[tuple[int, DateItem]] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return not any(start < high and low < end for low, high in taken)

    def add(match, start_key: int, iso: str | None, what: str) -> None:
        span = Span(match.start(), match.end(), match.group(0).strip())
        found.append((start_key, DateItem(text=span.text, iso=iso, what=what, spans=[span])))

    marker = PUBLICATION_MARKER.match(text)
    if marker:
        span = Span(marker.start("iso"), marker.end("iso"), marker.group("iso"))
        found.append((span.start, DateItem(text=span.text, iso=marker.group("iso"), what="publication", spans=[span])))
        taken.append((marker.start(), marker.end()))
    for span, iso in _publication_spans(text):
        publication = next((item for _key, item in found if item.what == "publication"), None)
        if publication is None:
            found.append((span.start, DateItem(text=span.text, iso=iso, what="publication", spans=[span])))
        elif not _same_day(publication, span.text, iso):
            continue  # a second date at the top is read as any other date
        else:
            publication.spans.append(span)  # the dateline restating the publication day
        taken.append((span.start, span.end))

    for match in DAY_RANGE.finditer(text):
        if not free(match.start(), match.end()):
            continue
        m2 = _month(match.group("m2"))
        m1 = _month(match.group("m1")) if match.group("m1") else m2
        year = match.group("year")
        d1, d2 = int(match.group("d1")), int(match.group("d2"))
        if not (1 <= d1 <= 31 and 1 <= d2 <= 31):
            continue
        year1 = str(int(year) - 1) if year and m1 > m2 else year
        lemmas = sentences.around(match.start())[2]
        if not MISSION_WORDS & set(lemmas):
            # "Бизнес-миссия … прошла в Алматы. С 4 по 6 мая предприниматели …": the
            # sentence before, in the same paragraph, names the mission
            lemmas = lemmas + sentences.before(match.start())
        past = _role(lemmas, one_day=False) == "past event"
        start_role, end_role = ("past event", "past event") if past else ("mission start", "mission end")
        if not past and not (MISSION_WORDS & set(lemmas)):
            start_role = end_role = "event"
        add(match, match.start(), _iso(year1, m1, d1), start_role)
        add(match, match.start(), _iso(year, m2, d2), end_role)
        taken.append((match.start(), match.end()))

    for pattern in (DAY, NUMERIC):
        for match in pattern.finditer(text):
            if not free(match.start(), match.end()):
                continue
            day = int(match.group("d"))
            month = _month(match.group("m")) if pattern is DAY else int(match.group("m"))
            if not (1 <= day <= 31 and 1 <= month <= 12):
                continue
            lemmas = sentences.around(match.start())[2]
            add(match, match.start(), _iso(match.group("year"), month, day), _role(lemmas, one_day=True))
            taken.append((match.start(), match.end()))

    for match in YEAR_RANGE.finditer(text):
        if not free(match.start(), match.end()):
            continue
        first, last = match.group("y1"), match.group("y2")
        if len(last) == 2:
            last = first[:2] + last
        if not (1900 <= int(first) <= int(last) <= 2100):
            continue
        add(match, match.start(), first, "period")
        add(match, match.start(), last, "period")
        taken.append((match.start(), match.end()))

    for match in SINCE_YEAR.finditer(text):
        if not free(match.start(), match.end()):
            continue
        year = match.group("year")
        if len(year) == 2:
            year = f"20{year}"
        if not 1900 <= int(year) <= 2100:
            continue
        add(match, match.start(), year, "period")
        taken.append((match.start(), match.end()))

    for match in REPORTING_YEAR.finditer(text):
        if free(match.start(), match.end()) and 1900 <= int(match.group("year")) <= 2100:
            add(match, match.start(), match.group("year"), "period")
            taken.append((match.start(), match.end()))

    for match in IN_YEAR.finditer(text):
        if not free(match.start(), match.end()):
            continue
        lemmas = set(sentences.around(match.start())[2])
        if not (MISSION_WORDS | AGREEMENT_WORDS | SIGNING_WORDS) & lemmas:
            continue
        year = int(match.group("year"))
        if not 1900 <= year <= 2100:
            continue
        preposition = match.group(0).split()[0].lower()
        if preposition in {"к", "до"}:
            what = "period"
        elif (published and year < published.year) or PAST_WORDS & lemmas:
            what = "past event"
        elif SIGNING_WORDS & lemmas:
            what = "signing"
        else:
            what = "event"
        add(match, match.start(), str(year), what)
        taken.append((match.start(), match.end()))

    for pattern in (MONTH, SEASON):
        for match in pattern.finditer(text):
            if not free(match.start(), match.end()):
                continue
            lemmas = set(sentences.around(match.start())[2])
            if not MISSION_WORDS & lemmas:
                continue
            what = (
                "past event" if PAST_WORDS & lemmas else "event" if OTHER_MISSION_WORDS & lemmas else "mission period"
            )
            add(match, match.start(), match.group("year"), what)
            taken.append((match.start(), match.end()))

    found.sort(key=lambda pair: pair[0])
    return _once(_earlier_is_past(found))


def _publication_spans(text: str) -> list[tuple[Span, str | None]]:
    """The publication dates near the top, before the body: a line that is only a date (with a time
    or "Опубликовано"), and a dateline opening a top line or the body's first line."""
    spans: list[tuple[Span, str | None]] = []
    offset = 0
    for number, line in enumerate(text.split("\n")):
        if number >= TOP_LINES:
            break
        start, stripped = offset + len(line) - len(line.lstrip()), line.strip()
        offset += len(line) + 1
        if not stripped:
            continue
        dateline = DATELINE.match(stripped)
        if dateline:
            low = start + dateline.start("date")
            span = Span(low, low + len(dateline.group("date").strip()), dateline.group("date").strip())
            iso = _iso(dateline.group("year"), _month(dateline.group("m")), int(dateline.group("d")))
            spans.append((span, iso))
        elif len(stripped) < BODY_LINE_LENGTH:
            for pattern in (DAY, NUMERIC):
                match = pattern.search(stripped)
                if match and DATE_LINE_REST.fullmatch(stripped[: match.start()] + " " + stripped[match.end() :]):
                    month = _month(match.group("m")) if pattern is DAY else int(match.group("m"))
                    iso = _iso(match.group("year"), month, int(match.group("d")))
                    if pattern is NUMERIC and iso is None:
                        break
                    low = start + match.start()
                    spans.append((Span(low, low + len(match.group(0).strip()), match.group(0).strip()), iso))
                    break
        if len(stripped) >= BODY_LINE_LENGTH:
            break  # the body has begun: its first line may open with a dateline, no later one
    return spans


def _same_day(publication: DateItem, text: str, iso: str | None) -> bool:
    if publication.iso and iso:
        return publication.iso == iso
    match = DAY.search(text) or NUMERIC.search(text)
    if not match:
        return False
    month = _month(match.group("m")) if match.re is DAY else int(match.group("m"))
    return _month_day(publication) == (month, int(match.group("d")))


def _earlier_is_past(found: list[tuple[int, DateItem]]) -> list[DateItem]:
    """A day before the mission's day in the same story is an earlier event ("запуск … состоялся 30
    января" in a release about 3 February)."""
    items = [item for _key, item in found]
    mission = next((item for item in items if item.what in {"mission day", "mission start"}), None)
    if mission is None:
        return items
    mission_key = _month_day(mission)
    for item in items:
        key = _month_day(item)
        if (
            item is not mission
            and key is not None
            and mission_key is not None
            and item.what in {"event", "mission day"}
            and key < mission_key
            and (item.iso or "")[:4] == (mission.iso or "")[:4]
        ):
            item.what = "past event"
    return items


def _month_day(item: DateItem) -> tuple[int, int] | None:
    if item.iso and len(item.iso) == 10:
        return int(item.iso[5:7]), int(item.iso[8:10])
    match = DAY.search(item.text) or NUMERIC.search(item.text)
    if not match:
        return None
    month = _month(match.group("m")) if match.re is DAY else int(match.group("m"))
    return month, int(match.group("d"))


def day_near(item: DateItem, published: datetime.date) -> datetime.date | None:
    """The day a year-less date names, in the year that puts it nearest the release's publication.

    The gold labels leave such a date without a year ("no year is guessed"), but a mission record
    needs one: "3 февраля" in a release of 5 February 2025 is 3 February 2025, "28 декабря" in one of
    10 January 2025 is 28 December 2024. A range's end ("mission end") is its last day, any other
    role its first.
    """
    if item.iso:
        return None
    match = DAY_RANGE.search(item.text)
    if match:
        last = item.what == "mission end"
        day = match.group("d2") if last else match.group("d1")
        month = match.group("m2") if last else (match.group("m1") or match.group("m2"))
    else:
        match = DAY.search(item.text)
        if not match:
            return None
        day, month = match.group("d"), match.group("m")
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(datetime.date(year, _month(month), int(day)))
        except ValueError:  # 29 February of a year without it, 31 of a short month
            continue
    return min(candidates, key=lambda value: abs((value - published).days), default=None)


def _once(items: list[DateItem]) -> list[DateItem]:
    """The same date in the same role once (its spans gathered)."""
    kept: dict[tuple, DateItem] = {}
    for item in items:
        key = (item.iso, item.text.lower() if item.iso is None else None, item.what)
        if key in kept:
            if item.spans[0] not in kept[key].spans:
                kept[key].spans += item.spans
            continue
        kept[key] = item
    return list(kept.values())
