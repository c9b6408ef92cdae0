"""Named organizations of a release: Natasha's ORG spans and the rules for what the NER misses or splits.

Sources of a name, in order:

1. the NER's ORG spans, completed (a quote left open is closed, a body's region is appended:
   "Министерство экономики" + "Пермского края");
2. quoted names after a legal form or a descriptor ("ООО «Вектор»", "завод «Сигнал»") or in a list
   of such names, unless the word before them makes them an event, a medium or a product;
3. bodies named by their descriptor and what they govern, in any case: "правительство Пермского
   края", "Фондом развития промышленности Пермского края", the plural "правительствами Пермского
   края и Республики Коми" (two bodies), the upper-case titles of a quote's signature;
4. a one-word PER span that the dictionary knows as an organization's name.

Names are given as the gold rules say: a company by its bare proper name (no legal form, no
quotes: "ООО «Вектор»" → "Вектор", "завод «Сигнал»" → "Сигнал"), an institution with its descriptor
in the nominative ("Фонд развития промышленности Пермского края"), «» around a quoted part. Several
forms of one organization become one item with the fullest name and all the spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from natasha import Doc

from releases.draft import OrganizationItem, Span
from releases.extraction.morph import (
    CLOSING_QUOTES,
    OPENING_QUOTES,
    inflect_word,
    is_upper_text,
    join_tokens,
    nominative,
    recase,
)
from releases.extraction.nlp import Analysed, models

COMPANY = "company"
GOVERNMENT = "government"
MUNICIPALITY = "municipality"
DEVELOPMENT = "development"
ASSOCIATION = "association"
EDUCATION = "education"

# Legal forms written before a company's name, with the Organization.LegalForm value they give.
LEGAL_FORMS = {
    "ООО": "ooo",
    "АО": "ao",
    "ПАО": "pao",
    "НАО": "nao",
    "ОАО": "oao",
    "ЗАО": "zao",
    "ИП": "ip",
    "ГУП": "gup",
    "ФГУП": "fgup",
    "МУП": "mup",
    "ГБУ": "gbu",
    "ГАУ": "gau",
    "АНО": "ano",
    "МКК": "mkk",
}
# Abbreviated descriptors of companies, dropped from a company's name like a legal form.
COMPANY_ABBREVIATIONS = {
    "НПО",
    "НПП",
    "НПФ",
    "ПО",
    "УК",
    "ТК",
    "ГК",
    "ТД",
    "ПК",
    "КБ",
    "ОКБ",
    "СКБ",
    "ПКФ",
    "ТПК",
    "ФПГ",
}

LEGAL_WORDS = set(LEGAL_FORMS) | COMPANY_ABBREVIATIONS

# Descriptor nouns (lemmas) and the kind they give, for a body named by its descriptor.
INSTITUTION_HEADS = {
    "правительство": GOVERNMENT,
    "министерство": GOVERNMENT,
    "департамент": GOVERNMENT,
    "комитет": GOVERNMENT,
    "управление": GOVERNMENT,
    "служба": GOVERNMENT,
    "инспекция": GOVERNMENT,
    "дума": GOVERNMENT,
    "собрание": GOVERNMENT,
    "администрация": GOVERNMENT,
    "аппарат": GOVERNMENT,
    "полпредство": GOVERNMENT,
    "представительство": GOVERNMENT,
    "посольство": GOVERNMENT,
    "консульство": GOVERNMENT,
    "агентство": GOVERNMENT,
    "мэрия": MUNICIPALITY,
    "горсовет": MUNICIPALITY,
    "фонд": DEVELOPMENT,
    "центр": DEVELOPMENT,
    "корпорация": DEVELOPMENT,
    "технопарк": DEVELOPMENT,
    "парк": DEVELOPMENT,
    "кластер": DEVELOPMENT,
    "бизнес-инкубатор": DEVELOPMENT,
    "инкубатор": DEVELOPMENT,
    "зона": DEVELOPMENT,
    "палата": ASSOCIATION,
    "союз": ASSOCIATION,
    "ассоциация": ASSOCIATION,
    "объединение": ASSOCIATION,
    "партнерство": ASSOCIATION,
    "гильдия": ASSOCIATION,
    "конфедерация": ASSOCIATION,
    "отделение": ASSOCIATION,
    "университет": EDUCATION,
    "институт": EDUCATION,
    "академия": EDUCATION,
    "колледж": EDUCATION,
    "техникум": EDUCATION,
    "лицей": EDUCATION,
    "вуз": EDUCATION,
}
# Units of a body: named with their body after them, they are not organizations of their own.
SUBDIVISIONS = {"управление", "отдел", "департамент", "служба", "сектор", "комитет", "отделение", "аппарат"}
# Abbreviations that are bodies of one kind by themselves.
INSTITUTION_ABBREVIATIONS = {
    "ТПП": ASSOCIATION,
    "РСПП": ASSOCIATION,
    "ОЭЗ": DEVELOPMENT,
    "ТОР": DEVELOPMENT,
    "ТОСЭР": DEVELOPMENT,
    "МКК": DEVELOPMENT,
    "НИИ": EDUCATION,
    "МИД": GOVERNMENT,
}
# Words that make a descriptor a development institution whatever its head ("агентство развития",
# "микрокредитная компания", "институт развития").
DEVELOPMENT_WORDS = (
    "развити",
    "поддержк",
    "микрокредит",
    "инвестиц",
    "экспорт",
    "гарантийн",
    "индустриальн",
    "промышленн",
)
MUNICIPAL_WORDS = ("город", "муниципал", "район", "поселени", "городск")
# Company descriptor nouns (lemmas): the quoted name after them is the company's name.
COMPANY_HEADS = {
    "завод",
    "автозавод",
    "комбинат",
    "фабрика",
    "компания",
    "предприятие",
    "фирма",
    "холдинг",
    "концерн",
    "группа",
    "производитель",
    "производство",
    "верфь",
    "банк",
    "агрохолдинг",
    "агрофирма",
    "птицефабрика",
    "общество",
    "бюро",
    "дистрибьютор",
    "поставщик",
    "разработчик",
    "резидент",
    "партнер",
    "организация",
    "торговый",
    "дом",
}
# A ministry's abbreviation and the words of its full name, so that both forms are one organization.
MINISTRY_ABBREVIATIONS = {
    "минпромторг": "министерство промышленности и торговли",
    "минэкономразвития": "министерство экономического развития",
    "минсельхоз": "министерство сельского хозяйства",
    "минфин": "министерство финансов",
    "минтранс": "министерство транспорта",
    "минстрой": "министерство строительства",
    "минэнерго": "министерство энергетики",
    "минздрав": "министерство здравоохранения",
    "минобрнауки": "министерство науки и высшего образования",
    "минцифры": "министерство цифрового развития",
    "минприроды": "министерство природных ресурсов",
    "минкультуры": "министерство культуры",
    "минтруд": "министерство труда",
    "минспорт": "министерство спорта",
    "минпросвещения": "министерство просвещения",
    "минвостокразвития": "министерство по развитию дальнего востока",
}

# Lemmas of the word before a quoted name or an ORG span that make it something else than an
# organization: an event, a medium, a product, a document, a venue.
NOT_ORGANIZATION_CONTEXT = {
    # events and programmes
    "форум",
    "выставка",
    "ярмарка",
    "конференция",
    "фестиваль",
    "саммит",
    "конгресс",
    "конкурс",
    "премия",
    "проект",
    "программа",
    "акция",
    "марафон",
    "съезд",
    "сессия",
    "семинар",
    "олимпиада",
    "чемпионат",
    "турнир",
    "стол",
    "мероприятие",
    "площадка",
    "нацпроект",
    # media and publications
    "иа",
    "сми",
    "сайт",
    "портал",
    "газета",
    "журнал",
    "канал",
    "телеграм-канал",
    "телеканал",
    "радио",
    "радиостанция",
    "издание",
    "агентство",
    "статья",
    "материал",
    "передача",
    "рубрика",
    "публикация",
    "интервью",
    # products and brands
    "автобус",
    "грузовик",
    "автомобиль",
    "пикап",
    "модель",
    "марка",
    "бренд",
    "трактор",
    "самолет",
    "вертолет",
    "вагон",
    "станок",
    "продукт",
    "продукция",
    "линейка",
    "серия",
    "товар",
    "изделие",
    "препарат",
    "система",
    "платформа",
    "приложение",
    # documents and places
    "соглашение",
    "договор",
    "закон",
    "указ",
    "стратегия",
    "гостиница",
    "отель",
    "ресторан",
    "стадион",
    "зал",
    "аэропорт",
    "вокзал",
    "улица",
    "проспект",
    "площадь",
}
# Words naming a medium before its quoted name.
MEDIA_WORDS = {
    "иа",
    "сми",
    "газета",
    "журнал",
    "телеканал",
    "канал",
    "телеграм-канал",
    "радио",
    "сайт",
    "портал",
    "издание",
}
# Mass media by the shape of their name.
MEDIA_NAME = re.compile(
    r"^(?:новости|вести|радио|тв\b|телеканал|газета|журнал|агентство новостей|информационное агентство|ИА\b|"
    r"ТАСС|РИА|Интерфакс|РБК|Regnum|Ведомости|Коммерсант|Известия|Российская газета|Комсомольская правда|"
    r"Аргументы и факты|Life|Lenta|Газета\.ru|Дзен|ВКонтакте|Telegram|Телеграм|YouTube|Rutube)",
    re.IGNORECASE,
)
# Places and events the NER takes for organizations by their head word.
NOT_ORGANIZATION_HEADS = {
    "дом",
    "форум",
    "выставка",
    "кремль",
    "зал",
    "конференция",
    "фестиваль",
    "стол",
    "бизнес-миссия",
    "миссия",
    "визит",
    "делегация",
    "встреча",
    "переговоры",
    "пресс-служба",
}
# Officials' titles the NER sometimes tags as ORG (upper-case signature lines).
TITLE_WORDS = {
    "губернатор",
    "министр",
    "глава",
    "директор",
    "председатель",
    "заместитель",
    "мэр",
    "президент",
    "руководитель",
    "начальник",
    "ректор",
    "посол",
}
# Descriptors of places, whose quoted names are venues.
VENUE = re.compile(
    r"(?:торгов\w*|делов\w*|выставочн\w*|конгресс\w*|культурн\w*|спортивн\w*) (?:центр|комплекс)|"
    r"гостиниц|отел|стадион|арен|концертн|ресторан|кафе|парк культуры|сквер",
    re.IGNORECASE,
)
# Generic sector abbreviations the NER tags as ORG.
SECTOR_WORDS = {"IT", "ИТ", "ИИ", "АПК", "ВПК", "ОПК", "ЖКХ", "ТЭК", "МСП", "СВО", "B2B", "B2G", "КДЛ", "НИОКР", "ЧП"}
# Region nouns a body's name ends with ("… Пермского края"), in any case.
AREA_NOUNS = {"область", "край", "округ", "республика", "район", "город", "федерация", "россия", "регион"}


@dataclass
class Found:
    """One organization while it is collected: its name, kind and the places it occurs."""

    name: str
    kind: str
    legal_form: str = ""
    spans: list[Span] = field(default_factory=list)


def _lemma(token) -> str:
    return (token.lemma or token.text).lower().replace("ё", "е")


class _Text:
    """The analysed release's tokens with lookups by character offset."""

    def __init__(self, analysed: Analysed):
        self.analysed = analysed
        self.text = analysed.text
        self.tokens = list(analysed.doc.tokens)
        self.people = analysed.spans_of("PER")

    def index_at(self, char: int) -> int | None:
        for index, token in enumerate(self.tokens):
            if token.start <= char < token.stop:
                return index
        return None

    def range(self, start: int, stop: int) -> list[int]:
        return [i for i, t in enumerate(self.tokens) if t.start >= start and t.stop <= stop]

    def in_person(self, index: int) -> bool:
        token = self.tokens[index]
        return any(span.start <= token.start < span.stop for span in self.people)

    def same_line(self, a: int, b: int) -> bool:
        return "\n" not in self.text[self.tokens[min(a, b)].start : self.tokens[max(a, b)].stop]


def _closing(text: str, opening_at: int) -> int | None:
    """The offset just after the quote closing the one at `opening_at` (nested «…«…»…» counted)."""
    opening = text[opening_at]
    if opening == "«":
        depth = 0
        for index in range(opening_at, min(len(text), opening_at + 200)):
            if text[index] == "«":
                depth += 1
            elif text[index] == "»":
                depth -= 1
                if depth == 0:
                    return index + 1
            elif text[index] == "\n":
                return None
        return None
    close = {"„": "“", "“": "”", '"': '"'}.get(opening, '"')
    end = text.find(close, opening_at + 1)
    if end == -1 or "\n" in text[opening_at:end] or end - opening_at > 200:
        return None
    return end + 1


def _region_tail(t: _Text, index: int) -> int:
    """The index after a region phrase in the genitive starting at `index` ("Пермского края",
    "Республики Коми", "Российской Федерации", "ХМАО"), or `index` when there is none."""
    tokens = t.tokens
    i = index
    while i < len(tokens) and tokens[i].pos == "ADJ" and tokens[i].feats.get("Case") == "Gen":
        i += 1
    if i < len(tokens) and _lemma(tokens[i]) in AREA_NOUNS and tokens[i].feats.get("Case") == "Gen":
        i += 1
        # "Республики Коми", "города Перми": the name after the type word
        if _lemma(tokens[i - 1]) in ("республика", "город"):
            while i < len(tokens) and tokens[i].text[:1].isupper() and tokens[i].pos in ("PROPN", "NOUN", "ADJ"):
                if not t.same_line(index, i) or t.in_person(i):
                    break
                i += 1
        return i if t.same_line(index, i - 1) else index
    if (
        i == index
        and i < len(tokens)
        and re.fullmatch(r"[А-ЯЁ]{2,6}", tokens[i].text)
        and tokens[i].text not in SECTOR_WORDS
    ):
        # an abbreviated region ("ХМАО", "РФ") after a body's name
        return i + 1
    return index


def _genitive_tail(t: _Text, index: int, limit: int = 12) -> int:
    """The index after a genitive complement ("промышленности и торговли Пермского края",
    "развития малого предпринимательства") starting at `index`."""
    tokens = t.tokens
    i = index
    while i < len(tokens) and i - index < limit and t.same_line(index, i):
        token = tokens[i]
        if _lemma(token) in ("республика", "город") and i + 1 < len(tokens) and tokens[i + 1].text[:1].isupper():
            return _region_tail(t, i)  # "… Республики Татарстан": the name after the type word, in any case
        if token.feats.get("Case") == "Gen" and token.pos in ("NOUN", "PROPN", "ADJ"):
            i += 1
            continue
        if _joins_genitives(tokens, i):
            i += 1
            continue
        if token.text == "по" and i == index:  # "агентство по развитию …", "комитет по туризму"
            j = i + 1
            while (
                j < len(tokens) and tokens[j].feats.get("Case") in ("Dat", "Gen") and tokens[j].pos in ("NOUN", "ADJ")
            ):
                j += 1
            if j > i + 1:
                i = j
                continue
        break
    # a trailing region written as an abbreviation
    return _region_tail(t, i) if i > index else i


def _joins_genitives(tokens, i: int) -> bool:
    """Is token `i` the "и" of "промышленности и торговли"?"""
    if tokens[i].text != "и" or i + 1 >= len(tokens):
        return False
    following = tokens[i + 1]
    return (
        following.feats.get("Case") == "Gen"
        and following.pos in ("NOUN", "ADJ")
        and _lemma(following) not in AREA_NOUNS
    )


def kind_of(name: str) -> str:
    """The kind an organization's name says (its descriptor words), company by default."""
    words = name.replace("«", " «").split()
    first = words[0] if words else ""
    before_quote = name.split("«", 1)[0].lower().replace("ё", "е")
    if first in INSTITUTION_ABBREVIATIONS:
        return INSTITUTION_ABBREVIATIONS[first]
    if _is_ministry_abbreviation(first):
        return GOVERNMENT
    lemmas = [_word_lemma(w) for w in re.findall(r"[\w-]+", before_quote)]
    for lemma in lemmas:
        kind = INSTITUTION_HEADS.get(lemma)
        if kind is None:
            continue
        if kind in (GOVERNMENT, MUNICIPALITY) and lemma in ("администрация", "дума", "собрание", "совет"):
            return MUNICIPALITY if any(w in before_quote for w in MUNICIPAL_WORDS) else GOVERNMENT
        if lemma == "агентство" and any(w in before_quote for w in DEVELOPMENT_WORDS):
            return DEVELOPMENT
        if lemma == "институт" and "развити" in before_quote:
            return DEVELOPMENT
        if lemma == "корпорация" and not any(w in before_quote for w in DEVELOPMENT_WORDS):
            return COMPANY
        if lemma in ("парк", "зона") and not re.search(
            r"индустриальн|промышленн|технологическ|экономическ", before_quote
        ):
            continue
        if lemma == "центр" and re.search(r"торгов\w* центр|делов\w* центр|выставочн\w* центр", before_quote):
            continue  # a venue
        if lemma == "отделение" and not re.search(r"союз|ассоциац|палат|объединени", name.lower()):
            continue
        return kind
        # the first descriptor decides
    if "микрокредит" in before_quote:
        return DEVELOPMENT
    return COMPANY


def _is_ministry_abbreviation(word: str) -> bool:
    """ "Минпромторг", "Минэкономразвития": a ministry's short name (not "Минский", a known adjective)."""
    if word.lower() in MINISTRY_ABBREVIATIONS:
        return True
    if not re.fullmatch(r"Мин[а-яё]{4,}", word):
        return False
    parses = models().morph_vocab.parse(word.lower())
    return not any(parse.is_known and parse.pos == "ADJ" for parse in parses)


def _word_lemma(word: str) -> str:
    parses = models().morph_vocab.parse(word.lower())
    nouns = [p for p in parses if p.pos == "NOUN"]
    return (nouns or parses)[0].normal.replace("ё", "е") if parses else word.lower()


def _is_institution(name: str) -> bool:
    return kind_of(name) != COMPANY


def _has_company_head(lemmas: list[str]) -> bool:
    return any(lemma in COMPANY_HEADS for lemma in lemmas)


class _Collector:
    def __init__(self, t: _Text):
        self.t = t
        self.found: list[Found] = []
        self.covered: list[tuple[int, int]] = []

    def is_covered(self, start: int, stop: int) -> bool:
        return any(a < stop and start < b for a, b in self.covered)

    def add(self, name: str, kind: str, start: int, stop: int, legal_form: str = "") -> None:
        name = _clean_name(name)
        if not name or not _acceptable(name):
            return
        self.covered.append((start, stop))
        self.found.append(Found(name, kind, legal_form, [Span(start, stop, self.t.text[start:stop])]))


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    name = re.sub(r"\s*\((?:[^()]*)\)\s*$", "", name)  # a trailing "(Республика Коми)"
    name = name.strip(" ,.;:—–-")
    name = re.sub(r'"([^"]+)"', r"«\1»", name)
    name = re.sub(r"[„“]([^„“”]+)[“”]", r"«\1»", name)
    if name.count("«") > name.count("»"):
        name += "»"
    return name


def _acceptable(name: str) -> bool:
    bare = name.strip('«»" ')
    if not bare or bare in SECTOR_WORDS or len(bare) < 2:
        return False
    if MEDIA_NAME.match(bare):
        return False
    if not re.search(r"[A-Za-zА-Яа-яЁё]", bare):
        return False
    first = _word_lemma(bare.split()[0])
    if first in TITLE_WORDS:
        return False  # "губернатор", "министр": a title yields no organization by itself
    return first not in NOT_ORGANIZATION_HEADS or "«" in name


def _company_name(quoted: str) -> str:
    """A company's bare name from its quoted part: no quotes, no legal form."""
    name = quoted.strip('«»"„“” ')
    words = name.split()
    while words and (words[0] in LEGAL_FORMS or words[0] in COMPANY_ABBREVIATIONS):
        words = words[1:]
    return " ".join(words)


def _prefix_tokens(t: _Text, index: int, limit: int = 6) -> list[int]:
    """Indexes of the words before token `index` on its line, nearest last, up to a punctuation mark."""
    out = []
    i = index - 1
    while i >= 0 and len(out) < limit and t.same_line(i, index):
        token = t.tokens[i]
        if token.pos == "PUNCT" or token.text in (",", ";", ":", "—", "–", "(", ")"):
            break
        out.insert(0, i)
        i -= 1
    return out


def _context_excludes(t: _Text, index: int) -> bool:
    """Does a word just before token `index` make what follows an event, a medium, a product…?"""
    for i in reversed(_prefix_tokens(t, index, limit=3)):
        lemma = _lemma(t.tokens[i])
        if lemma in COMPANY_HEADS or lemma in INSTITUTION_HEADS or t.tokens[i].text in LEGAL_FORMS:
            return False
        if lemma in NOT_ORGANIZATION_CONTEXT:
            return True
        if t.tokens[i].pos not in ("ADJ", "DET"):
            return False
    return False


def _uninflected(token, quoted: str) -> str:
    """A one-word quoted name the sentence inflected ("с «Электроагрегатом»", "на «Уралмаше»") in
    the form it is registered in; a name after a legal form is never inflected, nor one in the
    nominative or the genitive (an indeclinable name stands in either)."""
    if token.feats.get("Case") not in ("Ins", "Dat", "Loc") or not re.search(r"(?:ом|ем|ым|им|у|ю|е)$", token.text):
        return quoted
    lemma = (token.lemma or "").replace("ё", "е")
    if len(lemma) < 3 or not token.text.lower().replace("ё", "е").startswith(lemma) or lemma == token.text.lower():
        return quoted
    return f"«{token.text[: len(lemma)]}»"


def _name_from_tokens(t: _Text, indexes: list[int]) -> tuple[str, str, str]:
    """(name, kind, legal form) of the organization the tokens name, as the gold rules give it."""
    tokens = [t.tokens[i] for i in indexes]
    legal_form = ""
    while tokens and (tokens[0].text in LEGAL_FORMS or tokens[0].text in COMPANY_ABBREVIATIONS):
        legal_form = legal_form or LEGAL_FORMS.get(tokens[0].text, "")
        tokens = tokens[1:]
    if not tokens:
        return "", COMPANY, legal_form
    text = join_tokens(tokens)
    quote_at = next((k for k, tok in enumerate(tokens) if tok.text in OPENING_QUOTES), None)
    if quote_at is not None:
        prefix = tokens[:quote_at]
        quoted = join_tokens(tokens[quote_at:])
        inner = [tok for tok in tokens[quote_at + 1 :] if tok.text not in CLOSING_QUOTES]
        if not legal_form and len(inner) == 1:
            quoted = _uninflected(inner[0], quoted)
        if not prefix:
            return _company_name(quoted), kind_of(_company_name(quoted)), legal_form
        if any(_lemma(token) in MEDIA_WORDS for token in prefix) or re.search(
            r"информационн\w* агентств|новостн\w* агентств", join_tokens(prefix), re.IGNORECASE
        ):
            return "", COMPANY, legal_form  # a medium: «…» after "ИА", "газета", "телеканал"
        head = next((tok for tok in reversed(prefix) if tok.pos == "NOUN"), None)
        if inner and _lemma(inner[0]) in INSTITUTION_HEADS and (head is None or head.feats.get("Number") == "Plur"):
            # "отделениями «Союза машиностроителей России»": the body itself, the quotes its name's
            name = nominative(inner)
            return name[:1].upper() + name[1:], kind_of(name), legal_form
        prefix_name = nominative(prefix)
        prefix_name = prefix_name[:1].upper() + prefix_name[1:]
        if VENUE.search(prefix_name):
            return "", COMPANY, legal_form  # «…» of a shopping centre, a hotel, a stadium: a place
        kind = kind_of(prefix_name)
        if kind == COMPANY:
            return _company_name(quoted), COMPANY, legal_form
        return f"{prefix_name} «{_company_name(quoted)}»", kind, legal_form
    if is_upper_text(text) and len(tokens) > 1:
        text = _nominative_text(recase(text))
        text = text[:1].upper() + text[1:]
        return text, kind_of(text), legal_form
    name = nominative(tokens)
    name = name[:1].upper() + name[1:]
    return name, kind_of(name), legal_form


def _add_ner_spans(c: _Collector) -> None:
    t = c.t
    for span in t.analysed.spans_of("ORG"):
        indexes = t.range(span.start, span.stop)
        if not indexes:
            continue
        first, last = indexes[0], indexes[-1]
        if first > 0 and t.tokens[first - 1].text in OPENING_QUOTES:
            closing = _closing(t.text, t.tokens[first - 1].start)
            if closing and closing >= span.stop:  # «Вектор» of which the NER took the word only
                first -= 1
                indexes = t.range(t.tokens[first].start, closing)
                last = indexes[-1]
        stop = t.tokens[last].stop
        # close a quote the NER left open
        inner = t.text[t.tokens[first].start : stop]
        opening = next((k for k, ch in enumerate(inner) if ch in OPENING_QUOTES), None)
        if opening is not None and _count_quotes_open(inner):
            closing = _closing(t.text, t.tokens[first].start + opening)
            if closing:
                stop = closing
                indexes = t.range(t.tokens[first].start, stop)
                last = indexes[-1]
        if first > 0 and t.tokens[first - 1].text in LEGAL_WORDS:
            first -= 1
            indexes = [first, *indexes]
        if _context_excludes(t, first):
            continue
        head = _word_lemma(t.tokens[first].text)
        if head in NOT_ORGANIZATION_HEADS:
            continue
        # a body's region after its name: "Министерство экономики" + "Пермского края"
        name_so_far = join_tokens([t.tokens[i] for i in indexes])
        if _is_institution(name_so_far) or head in INSTITUTION_HEADS:
            end = _genitive_tail(t, last + 1) if head in INSTITUTION_HEADS else _region_tail(t, last + 1)
            if end > last + 1:
                indexes = indexes + list(range(last + 1, end))
                last = end - 1
        # a company descriptor in front of a quoted name ("завода «Вектор»")
        first = _descriptor_before(t, first)
        indexes = list(range(first, last + 1))
        name, kind, legal_form = _name_from_tokens(t, indexes)
        c.add(name, kind, t.tokens[first].start, t.tokens[last].stop, legal_form)


def _descriptor_before(t: _Text, first: int) -> int:
    """Where a name really begins when a descriptor word precedes a quoted name."""
    if t.tokens[first].text not in OPENING_QUOTES:
        return first
    prefix = _prefix_tokens(t, first, limit=4)
    start = first
    for i in reversed(prefix):
        lemma = _lemma(t.tokens[i])
        if (
            lemma in COMPANY_HEADS
            or lemma in INSTITUTION_HEADS
            or t.tokens[i].text in LEGAL_WORDS
            or t.tokens[i].pos in ("ADJ", "DET")
            and start != first
        ):
            start = i
        elif start != first:
            break
    return start


def _count_quotes_open(text: str) -> bool:
    if text.count("«") > text.count("»"):
        return True
    return text.count('"') % 2 == 1


def _add_quoted_names(c: _Collector) -> None:
    """Quoted names after a legal form or a descriptor, or in a list of organizations."""
    t = c.t
    text = t.text
    for match in re.finditer(r"[«\"„“]", text):
        start = match.start()
        if start and text[start - 1].isalnum():  # a closing straight quote
            continue
        stop = _closing(text, start)
        if not stop or stop - start < 3 or c.is_covered(start, stop):
            continue
        inner = text[start + 1 : stop - 1].strip()
        if not inner or len(inner.split()) > 8 or not inner[:1].isupper() and not inner[:1].isdigit():
            continue
        first = t.index_at(start)
        if first is None:
            continue
        if _context_excludes(t, first):
            continue
        begin = _descriptor_before(t, first)
        in_list = _in_organization_list(t, c, first, stop)
        legal = begin < first and any(
            t.tokens[i].text in LEGAL_FORMS or t.tokens[i].text in COMPANY_ABBREVIATIONS for i in range(begin, first)
        )
        described = begin < first
        if not (described or in_list or legal):
            continue
        indexes = t.range(t.tokens[begin].start, stop)
        name, kind, legal_form = _name_from_tokens(t, indexes)
        c.add(name, kind, t.tokens[begin].start, stop, legal_form)


def _in_organization_list(t: _Text, c: _Collector, first: int, stop: int) -> bool:
    """Is the quoted name at token `first` an item of a comma-separated list of organizations?"""
    before = t.text[max(0, t.tokens[first].start - 3) : t.tokens[first].start]
    after = t.text[stop : stop + 3]
    near_comma = "," in before or "," in after or ":" in before or after.lstrip().startswith("и ")
    if not near_comma:
        return False
    line_start = t.text.rfind("\n", 0, t.tokens[first].start) + 1
    line_end = t.text.find("\n", stop)
    line_end = len(t.text) if line_end == -1 else line_end
    neighbours = sum(1 for a, b in c.covered if line_start <= a and b <= line_end)
    return neighbours >= 2


def _add_descriptor_phrases(c: _Collector) -> None:
    """Bodies named by their descriptor and what they govern, in any case and letter case."""
    t = c.t
    tokens = t.tokens
    for index, token in enumerate(tokens):
        lemma = _lemma(token)
        if lemma not in INSTITUTION_HEADS or c.is_covered(token.start, token.stop):
            continue
        if is_upper_text(t.text[token.start : token.stop + 1]) and len(token.text) > 3:
            continue  # the upper-case titles are read by _add_upper_case_titles
        if _context_excludes(t, index) or _follows_position_word(t, index):
            continue
        plural = token.feats.get("Number") == "Plur"
        end = _genitive_tail(t, index + 1)
        if end == index + 1:
            continue
        tail = [tokens[i] for i in range(index + 1, end)]
        if lemma in SUBDIVISIONS and any(_names_a_body(tok) for tok in tail):
            continue  # "управления … Минпромторга Пермского края": a part of a body named after it
        has_area = any(_lemma(tok) in AREA_NOUNS for tok in tail) or any(
            re.fullmatch(r"[А-ЯЁ]{2,6}", tok.text) for tok in tail
        )
        capitalised = token.text[:1].isupper() and index > 0 and not _sentence_start(t, index)
        if plural:
            _add_plural_bodies(c, index, end)
            continue
        if not (has_area or capitalised or _sentence_start(t, index) and len(tail) >= 2):
            continue
        # an adjective before the head belongs to the name ("Микрокредитная компания", "Торгово-промышленная палата")
        begin = index
        while (
            begin > 0
            and tokens[begin - 1].pos == "ADJ"
            and tokens[begin - 1].feats.get("Case") == token.feats.get("Case")
        ):
            if not t.same_line(begin - 1, index):
                break
            begin -= 1
        if begin < index and not tokens[begin].text[:1].isupper() and not has_area:
            begin = index
        name, kind, legal_form = _name_from_tokens(t, list(range(begin, end)))
        if kind == COMPANY:
            continue
        c.add(name, kind, tokens[begin].start, tokens[end - 1].stop, legal_form)


def _names_a_body(token) -> bool:
    lemma = _lemma(token)
    return lemma in INSTITUTION_HEADS or _is_ministry_abbreviation(token.text)


PLANT_HEADS = {"завод", "автозавод", "комбинат", "фабрика", "верфь", "птицефабрика"}


def _add_named_plants(c: _Collector) -> None:
    """ "Белорусский автомобильный завод", "Курский завод электрооборудования" that the NER missed:
    a capitalised adjective (a place's, at a sentence's start) before a plant noun."""
    t = c.t
    tokens = t.tokens
    for index, token in enumerate(tokens):
        if _lemma(token) not in PLANT_HEADS or c.is_covered(token.start, token.stop):
            continue
        begin = index
        while begin > 0 and tokens[begin - 1].pos == "ADJ" and t.same_line(begin - 1, index):
            begin -= 1
        if begin == index or not tokens[begin].text[:1].isupper():
            continue
        if _sentence_start(t, begin) and not re.search(r"(?:ск|цк)(?:ий|ой|ая|ое|ого|ому|им|ом)$", tokens[begin].text):
            continue  # "Крупный завод …" begins a sentence; "Курский завод …" names one
        end = index + 1
        while (
            end < len(tokens)
            and end - index <= 3
            and tokens[end].pos == "NOUN"
            and tokens[end].feats.get("Case") == "Gen"
        ):
            if tokens[end].text[:1].isupper() or _lemma(tokens[end]) in AREA_NOUNS:
                break
            end += 1
        if end < len(tokens) and tokens[end].text.lower() in ("имени", "им"):
            stop = end + 1 + (tokens[end + 1].text == "." if end + 1 < len(tokens) else 0)
            while stop < len(tokens) and (tokens[stop].text[:1].isupper() or tokens[stop].text == "."):
                stop += 1
            end = stop if stop > end + 1 else end
        if c.is_covered(tokens[begin].start, tokens[end - 1].stop):
            continue
        name, _kind, legal_form = _name_from_tokens(t, list(range(begin, end)))
        c.add(name, COMPANY, tokens[begin].start, tokens[end - 1].stop, legal_form)


def _sentence_start(t: _Text, index: int) -> bool:
    if index == 0:
        return True
    previous = t.tokens[index - 1].text
    return previous in (".", "!", "?", "\n") or "\n" in t.text[t.tokens[index - 1].stop : t.tokens[index].start]


def _follows_position_word(t: _Text, index: int) -> bool:
    """ "министр экономики" is a title, not a body: a position word is no organization."""
    return False


def _add_plural_bodies(c: _Collector, index: int, end: int) -> None:
    """ "правительствами Пермского края и Республики Коми" → two bodies, one a region."""
    t = c.t
    tokens = t.tokens
    head = tokens[index]
    singular = inflect_word(head.text, {"Nom", "Sing"}, head.feats, "NOUN")
    singular = singular[:1].upper() + singular[1:]
    i = index + 1
    limit = min(len(tokens), index + 16)
    while i < limit:
        stop = _region_tail(t, i)
        if stop == i:
            break
        region = join_tokens([tokens[k] for k in range(i, stop)])
        name = f"{singular} {region}"
        c.add(name, kind_of(name), tokens[index].start if not c.found else tokens[i].start, tokens[stop - 1].stop)
        i = stop
        if i < limit and tokens[i].text in ("и", ","):
            i += 1
            continue
        break


def _add_upper_case_titles(c: _Collector) -> None:
    """Bodies inside an upper-case signature line ("ДИРЕКТОР ЦЕНТРА РАЗВИТИЯ ПЕРМСКОГО КРАЯ")."""
    t = c.t
    offset = 0
    for line in t.text.split("\n"):
        start = offset
        offset += len(line) + 1
        stripped = line.strip()
        if not is_upper_text(stripped) or len(stripped.split()) < 3:
            continue
        words = stripped.split()
        for k, word in enumerate(words):
            lemma = _word_lemma(word)
            if lemma in INSTITUTION_HEADS and lemma not in ("управление", "служба", "собрание"):
                begin = k
                while begin > 1 and _is_adjective_word(words[begin - 1]):
                    begin -= 1
                if begin == k and k + 1 == len(words):
                    continue
                word = words[begin]
                phrase = recase(" ".join(words[begin:]))
                phrase = _nominative_text(phrase)
                phrase = phrase[:1].upper() + phrase[1:]
                kind = kind_of(phrase)
                if kind == COMPANY:
                    continue
                at = t.text.find(word, start)
                if not c.is_covered(at, start + len(line)):
                    c.add(phrase, kind, at, start + len(line))
                break


def _is_adjective_word(word: str) -> bool:
    parses = models().morph_vocab.parse(word.lower())
    return bool(parses) and parses[0].pos == "ADJ"


def _nominative_text(phrase: str) -> str:
    """A phrase of its own (not from the release's tokens) with its head in the nominative."""
    m = models()
    doc = Doc(phrase)
    doc.segment(m.segmenter)
    doc.tag_morph(m.morph_tagger)
    return nominative(doc.tokens)


def _add_organization_like_people(c: _Collector) -> None:
    """A one-word PER span the dictionary knows as an organization's name ("… Авиастара")."""
    t = c.t
    for span in t.analysed.spans_of("PER"):
        if " " in span.text.strip() or c.is_covered(span.start, span.stop):
            continue
        parses = models().morph_vocab.parse(span.text.lower())
        if parses and "Orgn" in parses[0].tag:
            name = parses[0].inflect({"Nom"})
            word = name.word if name else span.text
            c.add(word[:1].upper() + word[1:], COMPANY, span.start, span.stop)


def _key(name: str) -> str:
    name = name.lower().replace("ё", "е")
    name = re.sub(r"[«»\"„“”']", "", name)
    return " ".join(re.sub(r"[^\w\s-]", " ", name).split())


def _expanded_key(name: str) -> str:
    key = _key(name)
    first, _, rest = key.partition(" ")
    if first in MINISTRY_ABBREVIATIONS:
        return f"{MINISTRY_ABBREVIATIONS[first]} {rest}".strip()
    return key


def _same_organization(a: str, b: str) -> bool:
    x, y = _expanded_key(a), _expanded_key(b)
    if x == y:
        return True
    short, long = sorted((x.split(), y.split()), key=len)
    return len(short) >= 2 and long[: len(short)] == short


def merge(found: list[Found]) -> list[Found]:
    """One item per organization: the fullest name, all the spans, in the order of first mention."""
    merged: list[Found] = []
    for item in found:
        twin = next((m for m in merged if _same_organization(m.name, item.name)), None)
        if twin is None:
            merged.append(Found(item.name, item.kind, item.legal_form, list(item.spans)))
            continue
        twin.spans.extend(item.spans)
        twin.legal_form = twin.legal_form or item.legal_form
        if _fullness(item.name) > _fullness(twin.name):
            twin.name, twin.kind = item.name, item.kind
    for item in merged:
        item.spans.sort(key=lambda s: s.start)
    return sorted(merged, key=lambda item: item.spans[0].start)


def _fullness(name: str) -> tuple[int, int]:
    abbreviated = 0 if _key(name).split(" ", 1)[0] in MINISTRY_ABBREVIATIONS else 1
    return abbreviated, len(name)


def find_organizations(analysed: Analysed) -> list[OrganizationItem]:
    t = _Text(analysed)
    c = _Collector(t)
    _add_ner_spans(c)
    _add_descriptor_phrases(c)
    _add_named_plants(c)
    _add_quoted_names(c)
    _add_quoted_names(c)  # a list's later names count the earlier ones as neighbours
    _add_upper_case_titles(c)
    _add_organization_like_people(c)
    return [OrganizationItem(name=f.name, kind=f.kind, legal_form=f.legal_form, spans=f.spans) for f in merge(c.found)]


def organization_at(organizations: list[OrganizationItem], start: int, stop: int) -> OrganizationItem | None:
    """The organization one of whose spans lies within [start, stop) (the longest such span)."""
    best, best_length = None, 0
    for organization in organizations:
        for span in organization.spans:
            if start <= span.start and span.end <= stop and span.end - span.start > best_length:
                best, best_length = organization, span.end - span.start
    return best


__all__ = ["CLOSING_QUOTES", "find_organizations", "kind_of", "merge", "organization_at"]
