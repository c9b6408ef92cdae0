"""People of a release who take part or speak as officials, with their positions and organizations.

A person is a PER span with a first name and a surname (a surname alone, "Текслера", or a first
name with a patronymic, "Алексеем Леонидовичем", joins a person named in full elsewhere). Bylines,
photo credits and names in honorary titles ("завод имени …") are left out. Forms of one name become
one person with the fullest form ("Иван Петрович Сомов" over "Иван Сомов" over "И. Сомов").

The position is the title written just before the name ("Губернатор Пермского края Иван Сомов",
"по поручению губернатора Ивана Сомова", "заявил директор по развитию УК «Вектор» Иван Сомов") or on
the upper-case line after it (a quote's signature), in the nominative; the fullest title found for
the person anywhere in the text is kept. The organization is a found organization the title names,
or the ministry a minister's title governs; heads of regions get none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from natasha import Doc

from releases.draft import OrganizationItem, PersonItem, Span
from releases.extraction.morph import is_upper_text, join_tokens, lower_first, match_case, nominative, recase
from releases.extraction.nlp import Analysed, models
from releases.extraction.organizations import organization_at

# Head words of a position (lemmas). A title begins at the first of them before the name.
POSITION_WORDS = {
    "губернатор",
    "вице-губернатор",
    "врио",
    "министр",
    "замминистра",
    "заместитель",
    "зам",
    "первый",
    "глава",
    "председатель",
    "зампред",
    "вице-премьер",
    "премьер-министр",
    "президент",
    "вице-президент",
    "директор",
    "гендиректор",
    "генеральный",
    "исполнительный",
    "коммерческий",
    "технический",
    "руководитель",
    "начальник",
    "управляющий",
    "мэр",
    "сити-менеджер",
    "полпред",
    "представитель",
    "уполномоченный",
    "советник",
    "помощник",
    "посол",
    "консул",
    "генконсул",
    "ректор",
    "проректор",
    "декан",
    "сенатор",
    "депутат",
    "спикер",
    "секретарь",
    "основатель",
    "сооснователь",
    "владелец",
    "совладелец",
    "собственник",
    "учредитель",
    "партнер",
    "эксперт",
    "менеджер",
    "специалист",
    "инженер",
    "главный",
    "заведующий",
    "атташе",
    "член",
    "лидер",
    "координатор",
    "куратор",
    "сопредседатель",
    "акционер",
    "head",
    "ceo",
}
# Titles of a region's head: they tie the person to no organization.
REGION_HEAD = re.compile(
    r"^(?:врио |временно исполняющий обязанности )?(?:губернатор|глава (?:республики|региона|субъекта)|"
    r"глава [А-ЯЁ]|президент республики|мэр москвы|глава региона)",
    re.IGNORECASE,
)
BYLINE = re.compile(r"^\s*(?:фото|автор|текст|источник|фотограф|видео|корреспондент|редактор)\b", re.IGNORECASE)
SPEECH_MARKERS = ("по словам", "как отметил", "как сообщил", "как заявил", "как рассказал")


@dataclass
class _Person:
    first: str
    last: str
    patronymic: str = ""
    positions: list[tuple[str, int, int]] = field(default_factory=list)  # (title, start, stop)
    spans: list[Span] = field(default_factory=list)

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first, self.patronymic, self.last) if part)


def _title_case(word: str) -> str:
    if word.isupper() and len(word) > 1:
        return "-".join(part[:1] + part[1:].lower() for part in word.split("-"))
    return word


def _name_parts(span) -> tuple[str, str, str] | None:
    """(first name, patronymic, surname) in the nominative of a PER span; None for a single word."""
    words = [_title_case(w) for w in _with_yo(span.normal or span.text, span.text).split()]
    if len(words) == 1:
        return None
    morph = models().morph_vocab
    first, *middle, last = words
    if len(words) == 2:
        parses = morph.parse(last.lower())
        if any("Patr" in p.tag for p in parses[:2]) and not any("Surn" in p.tag for p in parses[:1]):
            return first, last, ""  # "Алексей Леонидович": no surname
    patronymic = middle[0] if middle else ""
    if re.fullmatch(r"[А-ЯЁ]\.?", first):
        first = first.rstrip(".") + "."
    return first, patronymic, last


def _with_yo(normal: str, text: str) -> str:
    """The normal form with the "ё" the text writes ("Руднёвым" → "Руднёв", not "Руднев")."""
    out = []
    for word, written in zip(normal.split(), text.split() + [""] * len(normal.split()), strict=False):
        chars = list(word)
        for index, char in enumerate(written[: len(chars)]):
            if char in "ёЁ" and chars[index] in "еЕ":
                chars[index] = char
        out.append("".join(chars))
    return " ".join(out)


def _byline(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line = text[line_start : start + 1]
    return bool(BYLINE.match(line)) or bool(re.search(r"(?:фото|автор)\s*[:—-]?\s*$", line, re.IGNORECASE))


def _honorary(text: str, start: int) -> bool:
    """ "завод имени Иванова", "премия им. Петрова": a name inside another name."""
    return bool(re.search(r"(?:имени|им\.)\s*$", text[max(0, start - 8) : start]))


class _Reader:
    def __init__(self, analysed: Analysed, organizations: list[OrganizationItem]):
        self.analysed = analysed
        self.text = analysed.text
        self.tokens = list(analysed.doc.tokens)
        self.organizations = organizations
        self.people: list[_Person] = []
        self.per_spans = analysed.spans_of("PER")

    def index_at(self, char: int) -> int | None:
        for index, token in enumerate(self.tokens):
            if token.start <= char < token.stop:
                return index
        return None

    def title_before(self, start: int) -> tuple[str, int, int] | None:
        """The title written just before the name starting at char `start` (nominative)."""
        index = self.index_at(start)
        if index is None:
            return None
        tokens = self.tokens
        region = []
        depth = 0
        i = index - 1
        while i >= 0 and len(region) < 25:
            token = tokens[i]
            if "\n" in self.text[token.stop : tokens[i + 1].start]:
                break
            if token.text in ")»":
                depth += 1
            elif token.text in "(«":
                depth -= 1
            elif depth <= 0 and token.text in ("—", "–") and region and self._position_word(tokens[region[0]]):
                pass  # "заместитель губернатора … — министр …": one title of two posts
            elif depth <= 0 and (
                token.text in (".", "!", "?", ";", ":", ",", "—", "–") or token.pos in ("VERB", "AUX")
            ):
                break
            if depth <= 0 and any(p.start <= token.start < p.stop for p in self.per_spans):
                break
            if depth <= 0 and region and _looks_like_a_name(token, tokens[i + 1]):
                break  # another person the NER did not tag: "глава города … Иван Петров и мэр …"
            region.insert(0, i)
            i -= 1
        # "во главе с заместителем министра …": the title begins after "во главе с"
        for k in list(region):
            if tokens[k].text.lower() == "во" and k + 2 < len(tokens) and _lemma_of(tokens[k + 1]) == "глава":
                region = [n for n in region if n > k + 2]
        first = next((k for k in region if self._position_word(tokens[k])), None)
        if first is None:
            return None
        indexes = [k for k in region if k >= first]
        # a parenthesis at the end says where the organization is ("(Республика Коми)"): not the title
        words = [tokens[k] for k in indexes]
        while words and words[-1].text == ")":
            opening = max(n for n, w in enumerate(words) if w.text == "(")
            words = words[:opening]
        if not words:
            return None
        title = lower_first(nominative(words))
        title = re.sub(r'"([^"]+)"', r"«\1»", title)
        return title, words[0].start, words[-1].stop

    def _position_word(self, token) -> bool:
        lemma = (token.lemma or token.text).lower()
        return lemma in POSITION_WORDS or token.text.lower() in POSITION_WORDS

    def title_after(self, stop: int) -> tuple[str, int, int] | None:
        """The upper-case line after a name's line ("ГУБЕРНАТОР ПЕРМСКОГО КРАЯ"), as a sentence writes it."""
        line_end = self.text.find("\n", stop)
        if line_end == -1 or self.text[stop:line_end].strip():
            return None
        next_end = self.text.find("\n", line_end + 1)
        next_end = len(self.text) if next_end == -1 else next_end
        line = self.text[line_end + 1 : next_end]
        stripped = line.strip()
        if not is_upper_text(stripped) or len(stripped.split()) > 20:
            return None
        first_word = stripped.split()[0].lower()
        parses = models().morph_vocab.parse(first_word)
        if not any(p.normal in POSITION_WORDS for p in parses) and first_word not in POSITION_WORDS:
            return None
        at = line_end + 1 + line.index(stripped)
        return _nominative_phrase(recase(stripped)), at, at + len(stripped)

    def read(self) -> list[_Person]:
        pending: list[tuple[object, tuple[str, str, str] | None]] = []
        for span in self.per_spans:
            if _byline(self.text, span.start) or _honorary(self.text, span.start):
                continue
            if any(organization_at(self.organizations, span.start, span.stop) for _ in (0,)):
                continue  # the NER's PER that an organization took ("… Авиастара")
            pending.append((span, _name_parts(span)))
        # full names first, then the short forms join them
        for span, parts in pending:
            if parts and parts[2]:
                self._add(span, parts)
        for span, parts in pending:
            if not parts or not parts[2]:
                self._join(span, parts)
        self._other_mentions()
        self._untagged_officials()
        return self.people

    def _untagged_officials(self) -> None:
        """ "Глава города … Наиль Магдеев": a first name and a surname after a title, untagged by the NER."""
        tokens = self.tokens
        tagged = [span for span in self.analysed.doc.spans if span.type != "LOC"]  # a LOC may swallow a name
        for i in range(len(tokens) - 1):
            first, last = tokens[i], tokens[i + 1]
            if not _looks_like_a_name(first, last) or any(s.start <= first.start < s.stop for s in tagged):
                continue
            if any(sp.start <= first.start < sp.end for person in self.people for sp in person.spans):
                continue
            title = self.title_before(first.start)
            if title is None:
                continue
            names = [_nominative_word(token) for token in (first, last)]
            person = _Person(names[0], names[1])
            person.spans.append(Span(first.start, last.stop, self.text[first.start : last.stop]))
            person.positions.append(title)
            self.people.append(person)

    def _other_mentions(self) -> None:
        """Forms of a known name the NER did not tag ("Губернатора Ивана Сомова" beside "Иван Сомов")."""
        tokens = self.tokens
        for person in self.people:
            if person.first.endswith("."):
                continue
            stem = person.last.lower()[: max(3, len(person.last) - 2)]
            first = person.first.lower().replace("ё", "е")
            for i in range(len(tokens) - 1):
                if (tokens[i].lemma or "").replace("ё", "е") != first:
                    continue
                surname = tokens[i + 1]
                if not surname.text.lower().startswith(stem) or surname.text[:1].islower():
                    continue
                if any(s.start <= tokens[i].start < s.end for s in person.spans):
                    continue
                if any(p.start <= tokens[i].start < p.stop for p in self.per_spans):
                    continue
                person.spans.append(Span(tokens[i].start, surname.stop, self.text[tokens[i].start : surname.stop]))
                title = self.title_before(tokens[i].start)
                if title:
                    person.positions.append(title)

    def _titles(self, span) -> list[tuple[str, int, int]]:
        return [title for title in (self.title_before(span.start), self.title_after(span.stop)) if title]

    def _add(self, span, parts: tuple[str, str, str]) -> None:
        first, patronymic, last = parts
        person = self._find(first, last)
        if person is None:
            person = _Person(first, last, patronymic)
            self.people.append(person)
        elif patronymic and not person.patronymic:
            person.patronymic = patronymic
        if len(first) > len(person.first):
            person.first = first
        person.spans.append(Span(span.start, span.stop, span.text))
        person.positions.extend(self._titles(span))

    def _find(self, first: str, last: str) -> _Person | None:
        for person in self.people:
            if _same_word(person.last, last) and _first_names_agree(person.first, first):
                return person
        return None

    def _join(self, span, parts: tuple[str, str, str] | None) -> None:
        """A surname alone or a first name with a patronymic joins the one person it can be."""
        if parts is None:
            word = _title_case(span.normal or span.text)
            matches = [p for p in self.people if _same_word(p.last, word)]
        else:
            first, patronymic, _last = parts
            matches = [
                p
                for p in self.people
                if _same_word(p.first, first) and (not p.patronymic or _same_word(p.patronymic, patronymic))
            ]
        if len(matches) != 1:
            if parts is not None and not matches:
                # no one else has this first name: "Андрей Жданович" is a surname after all
                self._add(span, (parts[0], "", parts[1]))
            return
        person = matches[0]
        if parts and parts[1] and not person.patronymic:
            person.patronymic = parts[1]
        person.spans.append(Span(span.start, span.stop, span.text))
        person.positions.extend(self._titles(span))


def _looks_like_a_name(token, following) -> bool:
    """A surname after a first name: "… Наиль Магдеев и мэр …" seen from the surname."""
    if not (following.text[:1].isupper() and token.text[:1].isupper()) or len(following.text) < 3:
        return False
    parses = models().morph_vocab.parse(following.text.lower())
    first = models().morph_vocab.parse(token.text.lower())
    is_surname = any("Surn" in p.tag for p in parses[:3]) or not any(p.is_known for p in parses)
    return bool(first) and "Name" in first[0].tag and is_surname


def _nominative_word(token) -> str:
    if token.feats.get("Case") in (None, "Nom"):
        return _title_case(token.text)
    lemma = token.lemma or token.text
    return lemma[:1].upper() + lemma[1:]


def _lemma_of(token) -> str:
    return (token.lemma or token.text).lower()


def _same_word(a: str, b: str) -> bool:
    return a.lower().replace("ё", "е") == b.lower().replace("ё", "е")


def _first_names_agree(a: str, b: str) -> bool:
    if a.endswith(".") or b.endswith("."):
        return a[:1].lower() == b[:1].lower()
    return _same_word(a, b)


def _nominative_phrase(phrase: str) -> str:
    m = models()
    doc = Doc(phrase)
    doc.segment(m.segmenter)
    doc.tag_morph(m.morph_tagger)
    return lower_first(nominative(doc.tokens))


def _best_title(titles: list[tuple[str, int, int]]) -> tuple[str, int, int] | None:
    """The fullest title (the most words; a title from a signature line on a tie)."""
    if not titles:
        return None
    return max(titles, key=lambda title: len(title[0].split()))


def _organization_of(title: tuple[str, int, int], organizations: list[OrganizationItem], text: str) -> str | None:
    words, start, stop = title
    if REGION_HEAD.match(words):
        return None
    found = organization_at(organizations, start, stop)
    if found:
        return found.name
    # "министр экономики Пермского края" works for "Министерство экономики Пермского края"
    minister = re.search(r"\bминистра?\s+(.+)$", words)
    if minister:
        body = "министерство " + minister.group(1)
        for organization in organizations:
            if organization.name.lower().replace("ё", "е") == body.lower().replace("ё", "е"):
                return organization.name
    return None


def find_people(analysed: Analysed, organizations: list[OrganizationItem]) -> list[PersonItem]:
    reader = _Reader(analysed, organizations)
    out = []
    for person in sorted(reader.read(), key=lambda p: min(s.start for s in p.spans)):
        title = _best_title(person.positions)
        out.append(
            PersonItem(
                name=person.name,
                position=title[0] if title else None,
                organization=_organization_of(title, organizations, analysed.text) if title else None,
                spans=sorted(person.spans, key=lambda s: s.start),
            )
        )
    return out


__all__ = ["find_people", "join_tokens", "match_case"]
