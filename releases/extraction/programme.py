"""Programme items: round tables, B2B sessions, forums, site visits, signings.

Each sentence (a line break ends one too) is read for the words of an item of a mission's programme
(TRIGGERS, by lemma): its kind is a missions.ProgramItem.Kind value, its title the words of the text from
the trigger to the end of the phrase (a quoted name kept whole: "форум «Утро»"), its date the date the same
sentence gives with a year. Sentences about an earlier visit ("Напомним", "ранее") give no item.
"""

import re

from releases.draft import DateItem, ProgrammeItem, Span
from releases.extraction.morph import nominative
from releases.extraction.nlp import Analysed
from releases.extraction.regions import PAST_MARKERS, clauses, lemma

# What a delegation visits on a site visit.
_SITES = {
    "предприятие", "завод", "производство", "площадка", "цех", "технопарк", "комбинат", "фабрика", "парк",
    "лаборатория", "центр", "разрез", "шахта", "рудник", "месторождение", "порт", "терминал", "ферма",
    "агрохолдинг", "верфь", "судоверфь", "электростанция", "кластер", "инкубатор", "университет", "офис",
}  # fmt: skip
# (kind, the lemmas that must follow one another, what makes the trigger count; None: always)
TRIGGERS = (
    ("round_table", ("круглый", "стол"), None),
    ("plenary", ("пленарный", "заседание"), None),
    ("plenary", ("пленарный", "сессия"), None),
    ("section", ("панельный", "дискуссия"), None),
    ("section", ("секция",), None),
    ("section", ("стратегический", "сессия"), None),
    ("forum", ("форум",), None),
    ("exhibition", ("выставка",), None),
    ("exhibition", ("экспозиция",), None),
    ("presentation", ("презентация",), None),
    ("presentation", ("презентовать",), None),
    ("b2b", ("биржа", "контакт"), None),
    ("b2b", ("переговоры",), {"представитель", "предприятие", "компания", "бизнес", "производитель", "b2b"}),
    ("official_talks", ("переговоры",), {"губернатор", "глава", "министр", "правительство", "мэр", "посол"}),
    ("official_talks", ("встреча", "глава"), None),
    ("site_visit", ("посетить",), _SITES),
    ("site_visit", ("ознакомиться",), _SITES | {"разработка", "продукция"}),
    ("site_visit", ("осмотреть",), {"цех", "производство", "площадка", "завод", "линия"}),
    ("signing", ("подписание",), {"соглашение", "меморандум", "договор", "контракт", "документ", "план"}),
    ("signing", ("подписать",), {"соглашение", "меморандум", "договор", "контракт", "документ", "план"}),
)  # fmt: skip
_STOPS = {".", ",", ";", ":", "—", "–", "-", "!", "?", "(", ")"}
# Kinds whose trigger is a verb: its object must follow it ("подписали соглашение", "посетили завод").
_VERB_TRIGGERS = {"посетить", "ознакомиться", "осмотреть", "подписать", "презентовать"}
_MAX_TITLE_TOKENS = 8
# "B2B" is split by the tokenizer ("B", "2", "B"): read from the text.
_B2B = re.compile(
    r"(?:(?:встреч\w*|переговор\w*|сесси\w*)\s+в\s+формате\s+)?\b(?:B2B|В2В|Б2Б)\b"
    r"(?:[-‑\s](?:встреч\w*|переговор\w*|сесси\w*))?",
    re.IGNORECASE,
)


def _stop(tokens, position: int) -> bool:
    """Punctuation that ends a title; the full stop of "г." or "им." does not."""
    word = tokens[position].text
    return word in _STOPS and not (word == "." and position and lemma(tokens[position - 1]) in {"г", "им"})


def _title(analysed: Analysed, first: int, count: int, end: int, *, verb: bool) -> Span | str:
    """The item's title. A noun trigger in the nominative with the name or complement that follows
    ("форум «Утро»", "выставка локализации новых автомобилей"); a verb trigger with its phrase as the text
    gives it ("посетили ряд предприятий"), to the next punctuation, at most a dozen words."""
    tokens = analysed.doc.tokens
    text = analysed.text
    if verb:
        last = first
        depth = 0
        for position in range(first, min(end, first + _MAX_TITLE_TOKENS + 6)):
            word = tokens[position].text
            if word in {"«", "„"}:
                depth += 1
            elif word in {"»", "“"}:
                depth = max(0, depth - 1)
            elif depth == 0 and (position - first >= _MAX_TITLE_TOKENS or _stop(tokens, position)):
                break
            last = position
        start, stop = tokens[first].start, tokens[last].stop
        return text[start:stop]
    head = nominative(tokens[first : first + count])
    position = first + count
    # a quoted name within a few words: "форум «Утро»", "круглый стол на тему «Кооперация»"
    for look in range(position, min(end, position + 4)):
        if tokens[look].text in {"«", "„", '"'}:
            close = next((i for i in range(look + 1, min(end, look + 20)) if tokens[i].text in {"»", "“", '"'}), None)
            if close is not None:
                return f"{head} {text[tokens[look].start : tokens[close].stop]}"
        if tokens[look].text in _STOPS:
            break
    complement = []
    for look in range(position, min(end, position + 6)):
        token = tokens[look]
        if token.pos in {"NOUN", "ADJ", "PROPN"} and (token.feats or {}).get("Case") == "Gen":
            complement.append(token)
            continue
        break
    while complement and complement[-1].pos == "ADJ":
        complement.pop()
    if complement:
        return f"{head} {text[complement[0].start : complement[-1].stop]}"
    return head


def _date_in(dates: list[DateItem], start: int, stop: int) -> str | None:
    for item in dates:
        if item.iso and len(item.iso) == 10 and any(start <= span.start < stop for span in item.spans):
            return item.iso
    return None


def find_programme(analysed: Analysed, dates: list[DateItem]) -> list[ProgrammeItem]:
    """The programme items the release names, in text order, each kind and title once."""
    tokens = analysed.doc.tokens
    items: dict[tuple[str, str], ProgrammeItem] = {}
    for start, end in clauses(analysed):
        lemmas = [lemma(token) for token in tokens[start:end]]
        if PAST_MARKERS & set(lemmas):
            continue
        found_kinds: set[str] = set()
        clause_start, clause_stop = tokens[start].start, tokens[end - 1].stop
        b2b = _B2B.search(analysed.text, clause_start, clause_stop)
        if b2b:
            found_kinds.add("b2b")
            span = Span(b2b.start(), b2b.end(), b2b.group(0))
            title = span.text[:1].upper() + span.text[1:]
            key = ("b2b", title.lower())
            if key in items:
                items[key].spans.append(span)
            else:
                items[key] = ProgrammeItem(
                    kind="b2b", title=title, date=_date_in(dates, clause_start, clause_stop), spans=[span]
                )
        for kind, words, context in TRIGGERS:
            if kind in found_kinds:
                continue
            for offset in range(len(lemmas) - len(words) + 1):
                if tuple(lemmas[offset : offset + len(words)]) != words:
                    continue
                verb = words[0] in _VERB_TRIGGERS
                if context is not None:
                    around = lemmas[offset + 1 : offset + 9] if verb else lemmas
                    if not context & set(around):
                        continue
                if kind == "b2b" and words == ("переговоры",) and {"губернатор", "глава"} & set(lemmas):
                    continue
                first = start + offset
                title = _title(analysed, first, len(words), end, verb=verb)
                title = title[:1].upper() + title[1:]
                span = Span(tokens[first].start, tokens[first + len(words) - 1].stop, "")
                span = Span(span.start, span.end, analysed.text[span.start : span.end])
                found_kinds.add(kind)
                same = next(
                    (
                        item
                        for (item_kind, item_title), item in items.items()
                        if item_kind == kind
                        and (item_title.startswith(title.lower()) or title.lower().startswith(item_title))
                    ),
                    None,
                )
                if same is not None:
                    same.spans.append(span)
                    break
                items[(kind, title.lower())] = ProgrammeItem(
                    kind=kind, title=title, date=_date_in(dates, clause_start, clause_stop), spans=[span]
                )
                break
    return sorted(items.values(), key=lambda item: item.spans[0].start)
