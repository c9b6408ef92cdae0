"""Figures the release claims: metric, qualifier, number and currency.

A number (digits, "2,5 млрд", "$1 млн", or words: "пять", "двадцать пять", "десяток") with the noun it
counts; the metric from that noun's lemma (METRICS), the qualifier from the words before the number
(QUALIFIERS), the currency from the sign or word next to it. Not figures: dates and years ("9 августа",
"в 2023 году", "2022–2024 годы"), ordinals ("5-й"), durations ("два дня", "три года"), counts of the two
sides ("двух регионов"), numbers in names and models ("ЖБИ-8", "ST6", "«Новости 73»"), view counters (a
number alone on its line, or after "Просмотры"), page furniture ("1 фото") and vague amounts ("ряд",
"несколько": no number). A fact restated is given once.
"""

import re
from decimal import Decimal

from releases.draft import FigureItem, Span
from releases.extraction.nlp import Analysed
from releases.extraction.regions import lemma, quoted_ranges

METRICS = {
    "companies_in_delegation": {
        "предприятие", "компания", "организация", "фирма", "производитель", "завод", "экспортер",
        "поставщик", "резидент", "промпредприятие", "стартап", "агрохолдинг", "холдинг",
    },
    "participants": {
        "человек", "участник", "представитель", "предприниматель", "делегат", "специалист", "гость",
        "посетитель", "бизнесмен", "эксперт", "руководитель", "спикер", "сотрудник", "инвестор", "промышленник",
    },
    "contracts": {"контракт", "договор", "сделка", "заказ", "госконтракт"},
    "agreements": {"соглашение", "меморандум", "документ", "протокол"},
    "meetings": {"переговоры", "встреча", "b2b-встреча", "консультация", "b2b-переговоры", "переговор"},
}  # fmt: skip
TRADE_TURNOVER = {"товарооборот", "товарообмен"}
QUALIFIERS = (
    (
        r"более\s+чем|больше\s+чем|более|больше|свыше|не\s+менее|не\s+меньше|превысил[аио]?|превышает|превысит",
        "more_than",
    ),
    (r"около|порядка|почти|примерно|приблизительно|ориентировочно|почти\s+на|около\s+", "about"),
    (r"до|вплоть\s+до", "up_to"),
    (r"менее|меньше|не\s+более|не\s+больше", "less_than"),
)
CURRENCIES = (
    (r"руб|₽|р\.", "RUB"),
    (r"долл|\$|usd", "USD"),
    (r"евро|€|eur", "EUR"),
    (r"юан|¥|cny", "CNY"),
)
MULTIPLIERS = (("трлн", 10**12), ("триллион", 10**12), ("млрд", 10**9), ("миллиард", 10**9),
               ("млн", 10**6), ("миллион", 10**6), ("тыс", 10**3), ("тысяч", 10**3))  # fmt: skip
WORD_NUMBERS = {
    "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9,
    "десять": 10, "одиннадцать": 11, "двенадцать": 12, "тринадцать": 13, "четырнадцать": 14,
    "пятнадцать": 15, "шестнадцать": 16, "семнадцать": 17, "восемнадцать": 18, "девятнадцать": 19,
    "двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50, "шестьдесят": 60, "семьдесят": 70,
    "восемьдесят": 80, "девяносто": 90, "сто": 100, "двести": 200, "триста": 300, "четыреста": 400,
    "пятьсот": 500, "десяток": 10, "сотня": 100, "полтора": Decimal("1.5"),
}  # fmt: skip
VAGUE_PLURALS = {"десяток", "сотня", "тысяча"}
DURATIONS = {"день", "сутки", "неделя", "месяц", "год", "час", "минута", "квартал", "век", "десятилетие",
             "лето", "раз", "секунда", "пятилетка", "полгода"}  # fmt: skip
# A rank is no count ("1 место", "ТОП-10").
RANKS = {"место", "позиция", "строчка"}
FURNITURE = {"фото", "фотография", "комментарий", "просмотр", "видео", "слайд", "страница", "ответ", "лайк"}
# The two sides of a mission counted ("двух регионов", "обеих сторон") are no claim.
SIDES = {"регион", "сторона", "страна", "субъект", "государство", "область", "республика", "город", "край",
         "губернатор", "глава", "территория"}  # fmt: skip
MONTH_WORD = re.compile(r"(?:январ|феврал|март|апрел|ма[йяе]|июн|июл|август|сентябр|октябр|ноябр|декабр)", re.I)

NUMBER = re.compile(
    r"(?<![\w\-.,/№:])(?P<cur>[$€¥₽]\s?)?(?P<num>\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    r"(?![\w\-:/]|[.,]\d)"
    r"(?:\s*(?P<mult>трлн|млрд|млн|тыс)\.?|\s+(?P<multw>триллион\w*|миллиард\w*|миллион\w*|тысяч\w*))?"
    r"(?:\s*(?P<cur2>руб(?:лей|ля|ль)?\.?|₽|р\.|долл(?:аров|ара|ар)?\.?(?:\s*США)?|\$|евро|€|юан(?:ей|я|ь)?|¥))?",
    re.IGNORECASE,
)
_QUALIFIER_BEFORE = re.compile(r"(?P<q>" + "|".join(pattern for pattern, _q in QUALIFIERS) + r")\s*$", re.IGNORECASE)


def _qualifier(text: str, start: int) -> tuple[str, int]:
    """The qualifier written before the number at `start`, and where it begins."""
    before = text[max(0, start - 30) : start]
    match = _QUALIFIER_BEFORE.search(before)
    if not match or (match.start() > 0 and before[match.start() - 1].isalpha()):
        return "exactly", start
    word = match.group("q").lower()
    for pattern, qualifier in QUALIFIERS:
        if re.fullmatch(pattern, word, re.IGNORECASE):
            return qualifier, start - len(before) + match.start()
    return "exactly", start


def _currency(word: str | None) -> str | None:
    if not word:
        return None
    for pattern, code in CURRENCIES:
        if re.match(pattern, word.strip(), re.IGNORECASE):
            return code
    return None


def _metric(noun: str) -> str:
    for metric, nouns in METRICS.items():
        if noun in nouns:
            return metric
    return "other"


class _Reader:
    def __init__(self, analysed: Analysed):
        self.analysed = analysed
        self.text = analysed.text
        self.tokens = analysed.doc.tokens
        self.quoted = quoted_ranges(self.text)

    def token_from(self, offset: int) -> int | None:
        for index, token in enumerate(self.tokens):
            if token.start >= offset:
                return index
        return None

    def counted(self, index: int | None) -> tuple[int, object] | None:
        """The noun counted by a number whose next token is `index`: adjectives and participles skipped
        ("50 новых контрактов", "20 челябинских предприятий")."""
        if index is None:
            return None
        for position in range(index, min(index + 4, len(self.tokens))):
            token = self.tokens[position]
            if token.text == "%":
                return position, token
            if token.pos in {"NOUN", "PROPN"}:
                return position, token
            if token.pos == "ADJ" or (token.pos == "VERB" and (token.feats or {}).get("VerbForm") == "Part"):
                if "\n" in self.text[self.tokens[position - 1].stop : token.start] if position else False:
                    return None
                continue
            return None
        return None

    def line_of(self, start: int, end: int) -> str:
        low = self.text.rfind("\n", 0, start) + 1
        high = self.text.find("\n", end)
        return self.text[low : high if high >= 0 else len(self.text)]

    def sentence_before(self, start: int) -> list[str]:
        low = max(self.text.rfind(".", 0, start), self.text.rfind("\n", 0, start)) + 1
        return [lemma(token) for token in self.tokens if low <= token.start < start]


def _inside(start: int, end: int, ranges) -> bool:
    return any(low <= start and end <= high for low, high in ranges)


def _figure(reader: _Reader, start: int, end: int, number: Decimal, currency, noun_index, *, words=False, money=False):
    """A FigureItem for the number at [start, end), or None when it is no claim."""
    text = reader.text
    found = reader.counted(noun_index)
    after = text[end : end + 12]
    if re.match(r"\s*(?:год|года|году|годы|годах|лет|гг?\.)", after, re.IGNORECASE) or MONTH_WORD.match(after.strip()):
        return None
    line = reader.line_of(start, end)
    if line.strip() == text[start:end].strip() or re.search(r"просмотр|views", line, re.IGNORECASE):
        return None
    if _inside(start, end, reader.quoted):
        return None
    qualifier, begin = _qualifier(text, start)
    if currency:
        lemmas_before = reader.sentence_before(start)
        metric = "trade_turnover" if TRADE_TURNOVER & set(lemmas_before) else "value"
        stop = end
    elif re.match(r"\s*b2b[-‑\s]*(?:встреч|переговор|сесси)", text[end:], re.IGNORECASE):
        b2b = re.match(r"\s*b2b[-‑\s]*\w+", text[end:], re.IGNORECASE)
        metric, stop = "meetings", end + b2b.end()
    elif found is not None:
        _position, token = found
        noun = lemma(token)
        if noun in DURATIONS or noun in FURNITURE or noun in RANKS:
            return None
        if noun in SIDES and number <= 2:
            return None
        if noun in SIDES and words and number <= 3:
            return None
        metric = "other" if token.text == "%" else _metric(noun)
        stop = token.stop
    elif money:
        # "контракты на 1,2 млрд": an amount whose currency the text does not name
        metric, stop = "value", end
    else:
        return None
    if text[stop - 1 : stop] == ".":
        stop -= 1  # "млн." ending the sentence
    if number == number.to_integral_value():
        number = Decimal(int(number))
    span = Span(begin, stop, text[begin:stop])
    return FigureItem(
        text=span.text, metric=metric, qualifier=qualifier, number=number, currency=currency, spans=[span]
    )


def _decimal(digits: str) -> Decimal:
    return Decimal(re.sub(r"[ \u00a0\u202f]", "", digits).replace(",", "."))


def find_figures(analysed: Analysed) -> list[FigureItem]:
    reader = _Reader(analysed)
    text = analysed.text
    items: list[FigureItem] = []
    for match in NUMBER.finditer(text):
        number = _decimal(match.group("num"))
        multiplier = (match.group("mult") or match.group("multw") or "").lower()
        for stem, factor in MULTIPLIERS:
            if multiplier.startswith(stem):
                number *= factor
                break
        currency = _currency(match.group("cur") or match.group("cur2"))
        if re.match(r"\s*[-–—]\s*\d", text[match.end() : match.end() + 4]):
            continue  # the lower end of a range: the upper one is read with its noun
        noun_index = reader.token_from(match.end())
        item = _figure(reader, match.start(), match.end(), number, currency, noun_index, money=bool(multiplier))
        if item is not None:
            items.append(item)
    items += _word_figures(reader)
    items.sort(key=lambda item: item.spans[0].start)
    return _once(items)


def _word_figures(reader: _Reader) -> list[FigureItem]:
    """Numbers written in words: "пять соглашений", "двадцать пять компаний", "более десятка проектов"."""
    tokens = reader.tokens
    items = []
    position = 0
    while position < len(tokens):
        word = lemma(tokens[position])
        if word not in WORD_NUMBERS and tokens[position].text.lower() not in WORD_NUMBERS:
            position += 1
            continue
        if word in VAGUE_PLURALS and (tokens[position].feats or {}).get("Number") == "Plur":
            position += 1  # "десятки компаний", "сотни участников": no number
            continue
        value = Decimal(WORD_NUMBERS.get(word, WORD_NUMBERS.get(tokens[position].text.lower())))
        first = last = position
        while last + 1 < len(tokens) and lemma(tokens[last + 1]) in WORD_NUMBERS:
            value += Decimal(WORD_NUMBERS[lemma(tokens[last + 1])])
            last += 1
        start, end = tokens[first].start, tokens[last].stop
        item = _figure(reader, start, end, value, None, last + 1, words=True)
        if item is not None:
            items.append(item)
        position = last + 1
    return items


def _once(items: list[FigureItem]) -> list[FigureItem]:
    """A fact restated once: the same metric, number and currency, in its most precise form (an exact
    "70 компаний" over "около 70 компаний")."""
    kept: dict[tuple, FigureItem] = {}
    for item in items:
        key = (item.metric, item.number, item.currency)
        known = kept.get(key)
        if known is None:
            kept[key] = item
            continue
        known.spans += item.spans
        if known.qualifier != "exactly" and item.qualifier == "exactly":
            known.text, known.qualifier = item.text, item.qualifier
    return list(kept.values())
