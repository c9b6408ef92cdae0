"""Regions (origin and destination) and cities named in a release, resolved to the region directory.

Every name form of a region is data in the directory: its name, the parts of a double name ("Кемеровская
область — Кузбасс"), the short form of a "Республика X" country, and the staff-editable `Region.aliases`
(colloquial names, abbreviations, the adjective). A text matches a form by lemmas, word by word, so the
forms are stored in the nominative and "в Башкирии", "башкирской делегации", "на Южном Урале" resolve;
"Ульяновской и Тульской областей" gives both regions.

The roles come from general rules of the genre, scored per mention:
- origin: "делегация / бизнес-миссия + region" (genitive or right after), "башкирская делегация",
  "из + region" next to delegation words, the organiser of the mission ("Министерство … области
  организовало бизнес-миссию"), the subject of a verb of motion;
- destination: the object of "посетить", "в/на + region" after a mission noun or a verb of motion
  ("миссия в ХМАО", "визит в Казахстан"), "в + region" where the mission or an event of it opens or
  takes place, the host ("принимающая сторона");
- sentences about earlier visits ("Напомним", "ранее", "прошлого визита") are no evidence;
- when only one side is found, the other is the most mentioned other region (two mentions at least):
  a release about a mission between two regions names both, the passing ones once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from companies.models import FederalDistrict, Place, Region
from releases.draft import CityItem, RegionItem, Span
from releases.extraction.morph import inflect_word
from releases.extraction.nlp import Analysed, models

# Dashes inside a double name ("ХМАО — Югра") and hyphens standing alone are not words of a name.
_DASHES = {"-", "–", "—", "‒", "―"}


def _plain(word: str) -> str:
    return word.lower().replace("ё", "е")


@lru_cache(maxsize=20000)
def _keys(word: str) -> frozenset[str]:
    """The lemmas a word may have (pymorphy2's parses), lower-cased, ё as е, and the word itself."""
    forms = {_plain(word)}
    forms.update(_plain(parse.normal_form) for parse in models().morph_vocab.parse(word))
    return frozenset(forms)


def _token_keys(token) -> frozenset[str]:
    return _keys(token.text) | {_plain(token.lemma or token.text)}


@dataclass(frozen=True)
class RegionForm:
    region_id: int
    name: str
    kind: str
    words: tuple[frozenset[str], ...]
    adjective: bool  # a lower-case one-word form: "башкирский"
    proper: tuple[bool, ...]  # the word is capitalised in the form: the text's word must be too


def _name_forms(region: Region) -> list[str]:
    """Every form of the region's name the directory gives, the stored aliases included."""
    forms = [region.name]
    bare = re.sub(r"\s*\([^)]*\)", "", region.name).strip()
    forms.append(bare)
    forms += re.findall(r"\(([^)]+)\)", region.name)
    parts = [part.strip() for part in re.split(r"\s+[—–-]\s+", bare) if part.strip()]
    if len(parts) > 1:
        forms += parts
    if region.kind != Region.Kind.FEDERAL_SUBJECT:
        short = re.fullmatch(r"Республика\s+(\S+)", bare)
        if short:
            forms.append(short.group(1))
    forms += region.alias_list
    seen, unique = set(), []
    for form in forms:
        if form and form not in seen:
            seen.add(form)
            unique.append(form)
    return unique


def _form_words(form: str) -> tuple[frozenset[str], ...]:
    return tuple(_keys(word) for word in form.split() if word not in _DASHES)


def region_forms() -> list[RegionForm]:
    """Every name form of every region in the directory (one query; the lemmas are cached)."""
    forms = []
    for region in Region.objects.only("pk", "name", "kind", "aliases"):
        for form in _name_forms(region):
            words = _form_words(form)
            if words:
                adjective = len(words) == 1 and form[:1].islower()
                proper = tuple(word[:1].isupper() for word in form.split() if word not in _DASHES)
                forms.append(RegionForm(region.pk, region.name, region.kind, words, adjective, proper))
    return forms


@dataclass
class Mention:
    """A region named in the text: tokens [first, last] of the document."""

    form: RegionForm
    first: int
    last: int
    head: int  # the token whose case tells the role (the first word of the name)
    sentence: int
    case: str | None = None  # the head's grammatical case (Universal Dependencies: "Gen", "Loc", …)

    @property
    def region_id(self) -> int:
        return self.form.region_id


class _Index:
    """The name forms by the lemmas of their first word."""

    def __init__(self, forms: list[RegionForm]):
        self.by_first: dict[str, list[RegionForm]] = {}
        for form in forms:
            for key in form.words[0]:
                self.by_first.setdefault(key, []).append(form)

    def candidates(self, keys: frozenset[str]) -> list[RegionForm]:
        seen, found = set(), []
        for key in keys:
            for form in self.by_first.get(key, ()):
                if id(form) not in seen:
                    seen.add(id(form))
                    found.append(form)
        return found


# Words that are never a region's name, whatever a lemma shares ("того" is no Togo).
_FUNCTION_POS = {"PRON", "DET", "ADP", "CCONJ", "SCONJ", "PART", "VERB", "AUX", "ADV", "NUM", "PUNCT"}


def _words_at(tokens, keys, start: int, words, proper=()) -> int | None:
    """The index of the last token if `words` match the tokens from `start` (dashes skipped)."""
    position = start
    for number, word in enumerate(words):
        if number:
            position += 1
            while position < len(tokens) and tokens[position].text in _DASHES:
                position += 1
        if position >= len(tokens) or not (keys[position] & word):
            return None
        token = tokens[position]
        if token.pos in _FUNCTION_POS or (number < len(proper) and proper[number] and not token.text[:1].isupper()):
            return None
    return position


_COORDINATION = {"и", ",", "а", "также", "или"}


def find_mentions(analysed: Analysed) -> list[Mention]:
    """Every region mention, the longest name form first; "Ульяновской и Тульской областей" gives two.
    Read once per analysed text (the regions and the cities both need them)."""
    cached = getattr(analysed, "_region_mentions", None)
    if cached is None:
        cached = analysed._region_mentions = _find_mentions(analysed, region_forms())
    return list(cached)


def _find_mentions(analysed: Analysed, forms: list[RegionForm]) -> list[Mention]:
    tokens = analysed.doc.tokens
    keys = [_token_keys(token) for token in tokens]
    index = _Index(forms)
    sentence_of = _sentence_numbers(analysed)
    mentions: list[Mention] = []
    position = 0
    while position < len(tokens):
        best: tuple[int, int, RegionForm] | None = None  # (words matched, last token, form)
        shared = False  # the first adjective of "Ульяновской и Тульской областей": the head is shared
        for form in index.candidates(keys[position]):
            last, coordinated = _words_at(tokens, keys, position, form.words, form.proper), False
            if (
                last is None
                and len(form.words) > 1
                and tokens[position].pos == "ADJ"
                and _words_at(tokens, keys, position, form.words[:1], form.proper[:1]) is not None
            ):
                last, coordinated = _coordinated(tokens, keys, position, form.words), True
            if last is not None and (best is None or len(form.words) > best[0]):
                best, shared = (len(form.words), last, form), coordinated
        if best is None:
            position += 1
            continue
        _words, last, form = best
        if shared:
            last = position
        case = (tokens[position].feats or {}).get("Case")
        mentions.append(Mention(form, position, last, position, sentence_of[position], case))
        position = last + 1
    mentions.sort(key=lambda mention: mention.first)
    return mentions


def _coordinated(tokens, keys, start: int, words) -> int | None:
    """The last token of the shared head when `words[0]` at `start` is followed by "и <adjective>…"."""
    position = start + 1
    while position < len(tokens) and position <= start + 8:
        token = tokens[position]
        if token.text.lower() in _COORDINATION:
            position += 1
            continue
        if token.pos == "ADJ":
            last = _words_at(tokens, keys, position + 1, words[1:])
            if last is not None:
                return last
            last = _words_at(tokens, keys, position, words[1:])
            if last is not None:
                return last
            position += 1
            continue
        return None
    return None


def clauses(analysed: Analysed) -> list[tuple[int, int]]:
    """Token ranges [start, end) of the sentences, a line break ending one too: headlines, bylines and
    page furniture have no full stop, and Natasha's segmenter runs them into the next sentence."""
    tokens = analysed.doc.tokens
    text = analysed.text
    ranges = []
    start = 0
    for sentence in analysed.sentences:
        end = start + len(sentence.tokens)
        piece = start
        for index in range(start + 1, end):
            if "\n" in text[tokens[index - 1].stop : tokens[index].start]:
                ranges.append((piece, index))
                piece = index
        ranges.append((piece, end))
        start = end
    return ranges


def _sentence_numbers(analysed: Analysed) -> list[int]:
    numbers = []
    for number, (start, end) in enumerate(clauses(analysed)):
        numbers += [number] * (end - start)
    return numbers


# --- roles ----------------------------------------------------------------------------------------

DELEGATION_NOUNS = {"делегация", "бизнес-делегация", "миссия", "бизнес-миссия", "бизнес-тур", "экспедиция"}
MISSION_NOUNS = DELEGATION_NOUNS | {"визит", "поездка", "командировка"}
EVENT_NOUNS = MISSION_NOUNS | {
    "форум", "встреча", "стол", "переговоры", "выставка", "заседание", "конференция", "сессия", "презентация",
}  # fmt: skip
VISIT_VERBS = {"посетить", "посещать", "объехать"}
MOTION_VERBS = VISIT_VERBS | {
    "прибыть", "прибывать", "приехать", "приезжать", "отправиться", "направиться", "побывать", "съездить",
    "выехать", "вылететь", "прилететь",
}  # fmt: skip
OPENING_VERBS = {
    "открыться", "пройти", "проходить", "состояться", "работать", "стартовать", "начаться", "начать",
    "продолжиться", "завершиться",
}  # fmt: skip
ORGANISING_VERBS = {"организовать", "организовывать", "провести", "направить", "сформировать"}
GUEST_NOUNS = {
    "делегация", "бизнес-делегация", "гость", "представитель", "предприниматель", "компания", "предприятие",
    "бизнесмен", "промышленник", "производитель", "экспортер", "участник", "миссия", "бизнес-миссия",
}  # fmt: skip
HOST_WORDS = {"принимающий", "принимать"}
# An earlier visit or event: a sentence with one of these lemmas is no evidence of this mission's sides.
PAST_MARKERS = {"напомнить", "ранее", "прошлый", "спустя", "прошлогодний", "предыдущий"}
# Another mission to come: "Следующая бизнес-миссия запланирована в Узбекистан".
OTHER_MISSION_MARKERS = {"следующий"}
NOT_THIS_MISSION = PAST_MARKERS | OTHER_MISSION_MARKERS
DIRECTION_PREPOSITIONS = {"в", "во", "на"}
SOURCE_PREPOSITIONS = {"из", "от"}


def lemma(token) -> str:
    """A token's lemma as the rules compare it: lower case, ё as е."""
    return _plain(token.lemma or token.text)


def _finite(token) -> bool:
    """A verb that is a predicate (not a participle: "посещённых регионах" is no visit)."""
    return token.pos in {"VERB", "AUX"} and (token.feats or {}).get("VerbForm") != "Part"


# "в рамках визита", "в составе делегации", "в ходе встречи": no place is governed by these prepositions.
_IDIOMS = {"рамка", "состав", "ход", "число", "течение", "целое", "связь", "качество", "итог", "результат"}


def _preposition_before(tokens, mention: Mention, *, through_nouns: bool, reach: int = 6) -> tuple[int, str] | None:
    """The preposition governing the mention: directly before it or before a coordinated list of
    names ("в новые территории и Крым"); `through_nouns` also before a noun group ("в Центре развития
    промышленности Ульяновской области")."""
    position = mention.first - 1
    passing = {"ADJ", "PROPN", "CCONJ", "DET"} | ({"NOUN"} if through_nouns else set())
    while position >= 0 and mention.first - position <= reach:
        token = tokens[position]
        if token.pos == "ADP":
            following = tokens[position + 1] if position + 1 < len(tokens) else None
            if following is not None and lemma(following) in _IDIOMS:
                return None
            return position, lemma(token)
        if token.pos in passing or token.text == ",":
            position -= 1
            continue
        return None
    return None


def _score(analysed: Analysed, mentions: list[Mention]) -> dict[int, list[int]]:
    """region id → [origin score, destination score]."""
    tokens = analysed.doc.tokens
    ranges = clauses(analysed)
    scores: dict[int, list[int]] = {}
    for mention in mentions:
        start, end = ranges[mention.sentence]
        lemmas = [lemma(token) for token in tokens[start:end]]
        verbs = {lemma(token) for token in tokens[start:end] if _finite(token)}
        if NOT_THIS_MISSION & set(lemmas):
            continue
        score = scores.setdefault(mention.region_id, [0, 0])
        head = tokens[mention.head]
        case = head.feats.get("Case") if head.feats else None
        preposition = _preposition_before(tokens, mention, through_nouns=False)
        prep = preposition[1] if preposition else None
        far = _preposition_before(tokens, mention, through_nouns=True)
        near_before = [lemma(token) for token in tokens[max(start, mention.first - 5) : mention.first]]
        # "делегация Челябинской области", "бизнес-миссия Самарской области", "делегации: Челябинский завод"
        window = tokens[max(start, mention.first - 8) : mention.first]
        delegation_at = None
        for offset, token in enumerate(window):
            if lemma(token) in DELEGATION_NOUNS:
                delegation_at = offset
        if delegation_at is not None and prep not in DIRECTION_PREPOSITIONS:
            between = window[delegation_at + 1 :]
            led = {"глава"} & {lemma(token) for token in between}  # "делегация во главе с губернатором …"
            # "делегация Свердловской области и предприятия Татарстана": another noun group begins
            another = any(
                first.pos == "CCONJ" and second.pos == "NOUN"
                for first, second in zip(between, between[1:], strict=False)
            )
            if (
                not another
                and not any(token.pos in {"VERB", "AUX"} for token in between)
                and not any(
                    token.pos == "ADP" and lemma(token) not in ({"из", "в", "с", "во"} if led else {"из", "в"})
                    for token in between
                )
            ):
                direct = all(token.pos in {"ADJ", "PUNCT"} for token in between) and case == "Gen"
                score[0] += 3 if direct else 2
        # "башкирская делегация"
        if mention.form.adjective and mention.last + 1 < end:
            following = tokens[mention.last + 1 : min(end, mention.last + 3)]
            if any(lemma(token) in DELEGATION_NOUNS for token in following):
                score[0] += 3
        # "из Татарстана" next to delegation or guest words, or with a verb of motion
        if prep in SOURCE_PREPOSITIONS and preposition is not None:
            governing = [lemma(token) for token in tokens[max(start, preposition[0] - 3) : preposition[0]]]
            if GUEST_NOUNS & set(governing):
                score[0] += 3
            elif MOTION_VERBS & verbs:
                score[0] += 2
        # the organiser: "Министерство … Самарской области организовало бизнес-миссию"
        after = [lemma(token) for token in tokens[mention.last + 1 : end]]
        if prep is None and ORGANISING_VERBS & set(after[:4]) and MISSION_NOUNS & set(after[:8]):
            score[0] += 2
        # the subject of a verb of motion: "представители … челябинских предприятий … приехали"
        motion_after = [lemma(t) for t in tokens[mention.last + 1 : end] if _finite(t) and lemma(t) in MOTION_VERBS]
        verbs_before = {lemma(t) for t in tokens[start : mention.first] if _finite(t)}
        if prep is None and motion_after and not (MOTION_VERBS & verbs_before):
            score[0] += 1
        # "посетила Луганскую и Донецкую Народные Республики", "посетил ряд ульяновских предприятий"
        if VISIT_VERBS & verbs_before and case not in {"Loc", "Ins", "Dat"} and prep not in SOURCE_PREPOSITIONS:
            score[1] += 3
        # "бизнес-миссия в ХМАО", "визит в Казахстан", "приехали в Тульскую область"
        if prep in DIRECTION_PREPOSITIONS and preposition is not None:
            ahead = [lemma(token) for token in tokens[max(start, preposition[0] - 4) : preposition[0]]]
            if (MISSION_NOUNS | MOTION_VERBS) & set(ahead) and case != "Gen":
                score[1] += 3
            elif case == "Loc" and OPENING_VERBS & verbs and EVENT_NOUNS & set(lemmas):
                # "В Ханты-Мансийском автономном округе открылась бизнес-миссия"
                score[1] += 2
        elif (
            far is not None
            and far[1] in DIRECTION_PREPOSITIONS
            and case == "Gen"
            and OPENING_VERBS & verbs
            and EVENT_NOUNS & set(lemmas)
        ):
            # "круглый стол прошёл в Центре развития промышленности Ульяновской области"
            score[1] += 1
        # the host: "принимающая сторона — Республика Татарстан", "Татарстан принимает делегацию"
        # (not "принимает участие")
        if (HOST_WORDS & set(near_before) and "участие" not in near_before) or (
            HOST_WORDS & set(after[:2]) and GUEST_NOUNS & set(after[:5])
        ):
            score[1] += 3
    return scores


def _items(
    mentions: list[Mention], region_ids: list[int], analysed: Analysed, by_city, foreign=None
) -> list[RegionItem]:
    items = []
    text = analysed.text
    tokens = analysed.doc.tokens
    for region_id in region_ids:
        own = [mention for mention in mentions if mention.region_id == region_id]
        spans = [
            Span(tokens[m.first].start, tokens[m.last].stop, text[tokens[m.first].start : tokens[m.last].stop])
            for m in own
        ]
        name = own[0].form.name if own else by_city[region_id][0]
        if region_id in by_city:
            spans += by_city[region_id][1]
        spans = sorted(spans, key=lambda span: span.start)
        if foreign and region_id in foreign:
            items.append(RegionItem(name=name, region_id=None, spans=spans, country=foreign[region_id].country))
            continue
        items.append(RegionItem(name=name, region_id=region_id, spans=spans))
    return items


# Type words of a foreign country's sub-national unit followed by its name: "провинция Ляонин",
# "штат Техас", "округ Колумбия", "префектура Тоттори".
FOREIGN_TYPES = {"провинция", "штат", "префектура", "воеводство", "кантон", "уезд", "аймак", "округ", "земля"}
# "Гродненская область (Беларусь)": a Russian-shaped name of a foreign region, known by the country after it.
_AREA_TYPES = {"область", "край", "район"}


@dataclass(frozen=True)
class _Foreign:
    """A foreign region the directory does not have: its mentions stand under a negative id."""

    region_id: int
    name: str
    country: str | None
    country_id: int | None


def _foreign_mentions(analysed: Analysed, mentions: list[Mention]) -> tuple[list[Mention], dict[int, _Foreign]]:
    """Mentions of foreign regions that no directory form covers, with their names and countries."""
    tokens = analysed.doc.tokens
    covered = {k for mention in mentions for k in range(mention.first, mention.last + 1)}
    countries = [m for m in mentions if m.form.kind == Region.Kind.FOREIGN_COUNTRY]
    country_ids = {m.region_id for m in countries}
    only_country = countries[0] if len(country_ids) == 1 else None
    sentence_of = _sentence_numbers(analysed)
    people = [(span.start, span.stop) for span in analysed.spans_of("PER")]
    by_name: dict[str, _Foreign] = {}
    found: list[Mention] = []

    def country_near(first: int, last: int) -> Mention | None:
        before = [m for m in countries if m.last == first - 1]  # "китайской провинции"
        if before:
            return before[0]
        if last + 2 < len(tokens) and tokens[last + 1].text == "(":  # "… (Беларусь)"
            inside = [m for m in countries if m.first == last + 2]
            if inside:
                return inside[0]
        return None

    position = 0
    while position < len(tokens):
        token = tokens[position]
        word = lemma(token)
        first = last = None
        previous = tokens[position - 1] if position else None
        qualified = (
            previous is not None
            and previous.pos == "ADJ"
            and previous.text[:1].islower()
            and not any(m.last == position - 1 for m in countries)
        )  # "федеральном округе", "городской округ": no foreign region ("китайской провинции" is one)
        if word in FOREIGN_TYPES and position not in covered and token.text[:1].islower() and not qualified:
            # "провинции Ляонин": the capitalised words after the type word
            end = position + 1
            while end < len(tokens) and end not in covered and tokens[end].text[:1].isupper() and tokens[end].pos in {
                "PROPN", "NOUN", "ADJ", "X"
            }:  # fmt: skip
                end += 1
            person = any(low < tokens[end - 1].stop and tokens[position + 1].start < high for low, high in people)
            if end > position + 1 and not person:  # "… в округе Иван Петров": a person, not a place
                first, last = position, end - 1
                type_word = inflect_word(token.text, {"Nom", "Sing"}, token.feats, "NOUN").lower()
                name = f"{type_word} {' '.join(t.text for t in tokens[position + 1 : end])}"
        elif (
            word in _AREA_TYPES
            and position not in covered
            and position
            and tokens[position - 1].pos == "ADJ"
            and tokens[position - 1].text[:1].isupper()
            and position - 1 not in covered
        ):
            # "Гродненская область (Беларусь)": only with its country next to it
            first, last = position - 1, position
            name = None
        if first is None:
            position += 1
            continue
        country = country_near(first, last)
        if name is None:
            if country is None:
                position += 1
                continue
            noun = inflect_word(tokens[last].text, {"Nom", "Sing"}, tokens[last].feats, "NOUN").lower()
            adjective = _nominative_adjective(tokens[first], noun)
            name = f"{adjective} {noun}"
        if country is None and word in FOREIGN_TYPES:
            country = only_country
        key = name.lower().replace("ё", "е")
        if key not in by_name:
            by_name[key] = _Foreign(
                -(len(by_name) + 1),
                name,
                country.form.name if country else None,
                country.region_id if country else None,
            )
        foreign = by_name[key]
        form = RegionForm(foreign.region_id, name, Region.Kind.FOREIGN_REGION, (), False, ())
        case = (tokens[first].feats or {}).get("Case")
        found.append(Mention(form, first, last, first, sentence_of[first], case))
        position = last + 1
    return found, {foreign.region_id: foreign for foreign in by_name.values()}


def _nominative_adjective(token, noun: str) -> str:
    """ "Гродненской" before "область" → "Гродненская" (the noun's gender, nominative singular)."""
    gender = "Fem" if noun == "область" else "Masc"
    return inflect_word(token.text, {"Nom", "Sing", gender}, token.feats, "ADJ")


def find_regions(analysed: Analysed) -> tuple[list[RegionItem], list[RegionItem]]:
    """(origin regions, destination regions) of the mission the release is about; a foreign region
    the directory does not have is proposed with no id (and its country), instead of its country in
    the same role."""
    mentions = find_mentions(analysed)
    foreign_mentions, foreign = _foreign_mentions(analysed, mentions)
    mentions = sorted([*mentions, *foreign_mentions], key=lambda mention: mention.first)
    scores = _score(analysed, mentions)
    order = list(dict.fromkeys(mention.region_id for mention in mentions))
    # "прибыла в Казань", "делегация из Казани": the city's region, when the directory knows it
    by_city = _city_evidence(analysed, find_cities(analysed))
    for region_id, (_name, _spans, origin_score, destination_score) in by_city.items():
        score = scores.setdefault(region_id, [0, 0])
        score[0] += origin_score
        score[1] += destination_score
        if region_id not in order:
            order.append(region_id)
    dateline = _dateline_region(analysed)
    if dateline is not None and dateline in scores:
        scores[dateline][1] += 1  # the news is from where the delegation is
    origin = [rid for rid in order if rid in scores and scores[rid][0] > 0 and scores[rid][0] > scores[rid][1]]
    destination = [rid for rid in order if rid in scores and scores[rid][1] > 0 and scores[rid][1] > scores[rid][0]]
    if bool(origin) != bool(destination):
        # One side found: the other is the most mentioned other region (a passing one is named once).
        found = set(origin) | set(destination)
        past = _past_sentences(analysed)
        counts: dict[int, int] = {}
        for mention in mentions:
            if mention.region_id not in found and mention.sentence not in past:
                counts[mention.region_id] = counts.get(mention.region_id, 0) + 1
        if counts:
            top = max(counts.values())
            if top >= 2:
                others = [rid for rid in order if counts.get(rid) == top]
                if len(others) == 1:
                    (destination if origin else origin).extend(others)
    for side in (origin, destination):
        # "делегация провинции Ляонин" and "китайская делегация": the province, not China too
        for region_id in [rid for rid in side if rid in foreign and foreign[rid].country_id in side]:
            side.remove(foreign[region_id].country_id)
    origin_items = _items(mentions, origin, analysed, by_city, foreign)
    return origin_items, _items(mentions, destination, analysed, by_city, foreign)


_DATELINE = re.compile(r"^\s*([А-ЯЁ][А-ЯЁ\- ]{2,40}),\s*\d{1,2}\s+[а-яё]+")


def _dateline_region(analysed: Analysed) -> int | None:
    """The region of a dateline's city ("КАЗАНЬ, 15 октября — …"): a place of the directory or a capital."""
    match = _DATELINE.match(analysed.text)
    if not match:
        return None
    name = "-".join(part.capitalize() for part in match.group(1).strip().split("-"))
    name = " ".join(word[:1].upper() + word[1:] for word in name.split())
    place = Place.objects.filter(name__iexact=name).order_by("pk").values_list("region_id", flat=True).first()
    if place is not None:
        return place
    return Region.objects.filter(capital__iexact=name).order_by("pk").values_list("pk", flat=True).first()


def _city_evidence(analysed: Analysed, cities: list[CityItem]) -> dict[int, tuple[str, list[Span], int, int]]:
    """region id → (its name, the cities' spans, origin score, destination score) for the cities whose
    region is known, by the same rules as a region's name: "в + city" after a mission noun or a verb of
    motion, "из + city" after delegation or guest words."""
    known = [city for city in cities if city.region_name]
    if not known:
        return {}
    ids = dict(Region.objects.filter(name__in={city.region_name for city in known}).values_list("name", "pk"))
    tokens = analysed.doc.tokens
    token_at = {token.start: index for index, token in enumerate(tokens)}
    ranges = clauses(analysed)
    sentence_of = _sentence_numbers(analysed)
    evidence: dict[int, tuple[str, list[Span], int, int]] = {}
    for city in known:
        region_id = ids.get(city.region_name)
        if region_id is None:
            continue
        for span in city.spans:
            index = token_at.get(span.start)
            if index is None or index == 0:
                continue
            start, end = ranges[sentence_of[index]]
            lemmas = {lemma(token) for token in tokens[start:end]}
            if NOT_THIS_MISSION & lemmas:
                continue
            preposition = lemma(tokens[index - 1])
            ahead = tokens[max(start, index - 6) : index - 1]
            ahead_lemmas = {lemma(token) for token in ahead}
            origin_score = destination_score = 0
            if preposition in DIRECTION_PREPOSITIONS and (
                MISSION_NOUNS & ahead_lemmas or any(_finite(t) and lemma(t) in MOTION_VERBS for t in ahead)
            ):
                destination_score = 2
            elif preposition in SOURCE_PREPOSITIONS and GUEST_NOUNS & ahead_lemmas:
                origin_score = 3
            name, spans, origin_total, destination_total = evidence.get(region_id, (city.region_name, [], 0, 0))
            if origin_score or destination_score:
                spans = [*spans, span]
            evidence[region_id] = (name, spans, origin_total + origin_score, destination_total + destination_score)
    return {region_id: item for region_id, item in evidence.items() if item[2] or item[3]}


def _past_sentences(analysed: Analysed) -> set[int]:
    tokens = analysed.doc.tokens
    return {
        number
        for number, (start, end) in enumerate(clauses(analysed))
        if NOT_THIS_MISSION & {lemma(token) for token in tokens[start:end]}
    }


# --- cities ---------------------------------------------------------------------------------------

# Russia itself and the large areas a text names that are neither a region of the directory nor a city.
NOT_CITIES = {
    "россия", "российская федерация", "рф", "европа", "азия", "африка", "америка", "евразия", "сибирь",
    "урал", "поволжье", "дальний восток", "кавказ", "северный кавказ", "арктика", "черноземье",
    "снг", "ближний восток", "юго-восточная азия", "средняя азия", "центральная азия", "латинская америка",
    "новые территории", "новые регионы",
}  # fmt: skip
# A place whose name ends with, or follows, one of these is a region (of a foreign country, say), not a city.
REGION_TYPE_WORDS = {
    "область", "край", "округ", "республика", "провинция", "штат", "губерния", "автономия", "регион",
    "федерация", "королевство", "эмират", "префектура", "воеводство", "кантон", "земля",
}  # fmt: skip
CITY_WORDS = {"г", "город", "гор", "пгт", "поселок", "посёлок", "село", "станица", "деревня"}
# A name in quotes ("«Новости Ульяновска 73»", "АО «Тула»"), not a quoted statement.
_QUOTED = re.compile(r"«[^«»\n]{1,60}»|\"[^\"\n]{1,60}\"|„[^„“\n]{1,60}“")


def quoted_ranges(text: str) -> list[tuple[int, int]]:
    return [(match.start(), match.end()) for match in _QUOTED.finditer(text)]


def _inside(start: int, stop: int, ranges) -> bool:
    return any(low <= start and stop <= high for low, high in ranges)


def _capitalised(lemma: str, like: str) -> str:
    """A lemma spelled like the word it came from: "тольятти" → "Тольятти", "улан-удэ" → "Улан-Удэ"."""
    if not like[:1].isupper():
        return lemma
    return "-".join(part[:1].upper() + part[1:] for part in lemma.split("-"))


def find_cities(analysed: Analysed) -> list[CityItem]:
    """Every city, town or district named (not inside an organization's or an outlet's name), in the
    nominative, matched to companies.Place when the directory has it. Read once per analysed text (the
    regions' sides read them too); each call gets its own copies to edit."""
    cached = getattr(analysed, "_cities", None)
    if cached is None:
        cached = analysed._cities = _find_cities(analysed)
    return [replace(city, spans=list(city.spans)) for city in cached]


def _find_cities(analysed: Analysed) -> list[CityItem]:
    text = analysed.text
    tokens = analysed.doc.tokens
    mentions = find_mentions(analysed)
    region_tokens = {index for mention in mentions for index in range(mention.first, mention.last + 1)}
    quoted = quoted_ranges(text)
    organizations = [(span.start, span.stop) for span in analysed.spans_of("ORG")]
    excluded = {_plain(name) for name in FederalDistrict.objects.values_list("name", flat=True)}
    excluded |= {_plain(abbr) for abbr in FederalDistrict.objects.values_list("abbreviation", flat=True)}
    token_at = {token.start: index for index, token in enumerate(tokens)}
    found: dict[str, CityItem] = {}
    candidates: list[tuple[int, int, str]] = []  # token range and the name in the nominative
    for span in analysed.spans_of("LOC"):
        first = token_at.get(span.start)
        if first is None:
            continue
        last = first
        while last + 1 < len(tokens) and tokens[last + 1].stop <= span.stop:
            last += 1
        if first == last:
            name = _capitalised(tokens[first].lemma or tokens[first].text, tokens[first].text)
        else:
            name = span.normal or span.text
        candidates.append((first, last, name))
    for index, token in enumerate(tokens[:-1]):
        if _plain(token.text) in CITY_WORDS or lemma(token) in CITY_WORDS:
            following = index + 1
            if following < len(tokens) and tokens[following].text == ".":
                following += 1
            if (
                following < len(tokens)
                and tokens[following].text[:1].isupper()
                and not any(first <= following <= last for first, last, _name in candidates)
            ):
                word = tokens[following]
                candidates.append((following, following, _capitalised(word.lemma or word.text, word.text)))
    candidates.sort()
    for first, last, name in candidates:
        group = tokens[first : last + 1]
        if any(index in region_tokens for index in range(first, last + 1)):
            continue
        if group[-1].pos not in {"PROPN", "NOUN"} or not group[0].text[:1].isupper():
            continue
        if lemma(group[-1]) in REGION_TYPE_WORDS or (first > 0 and lemma(tokens[first - 1]) in REGION_TYPE_WORDS):
            continue
        start, stop = group[0].start, group[-1].stop
        if _inside(start, stop, quoted) or _inside(start, stop, organizations):
            continue
        if _plain(name) in NOT_CITIES or _plain(name) in excluded:
            continue
        span = Span(start, stop, text[start:stop])
        item = found.get(_plain(name))
        if item is None:
            item = found[_plain(name)] = CityItem(name=name)
            region = _region_after(mentions, last, tokens)
            _resolve_city(item, region)
        item.spans.append(span)
    return list(found.values())


def _region_after(mentions: list[Mention], last: int, tokens) -> Mention | None:
    """The region named right after the city: "г. Тольятти Самарской области", "Ереван (Армения)"."""
    for mention in mentions:
        genitive = last < mention.first <= last + 2 and mention.case == "Gen"
        bracketed = mention.first == last + 2 and tokens[last + 1].text == "("
        if genitive or bracketed:
            return mention
    return None


def _resolve_city(item: CityItem, region_mention: Mention | None) -> None:
    places = Place.objects.filter(name__iexact=item.name).select_related("region")
    if region_mention is not None:
        places = places.filter(region_id=region_mention.region_id)
    place = places.order_by("pk").first()
    if place is not None:
        item.place_id = place.pk
        item.region_name = place.region.name
        return
    if region_mention is not None:
        item.region_name = region_mention.form.name
        return
    capital_of = Region.objects.filter(capital__iexact=item.name).order_by("pk").first()
    if capital_of is not None:
        item.region_name = capital_of.name
