"""Agreements a release names: documents signed, to be signed, or underlying the cooperation.

An agreement is a document noun ("соглашение", "меморандум", "договор", "контракт", "протокол",
"план мероприятий", "дорожная карта") with what the text says about it: its title is the phrase
from the noun to the end of its clause ("соглашение о сотрудничестве в сфере …", "план мероприятий
по реализации Соглашения между …"), in the nominative. A document inside another one's title is an
agreement of its own (a plan and the agreement it implements are two).

Not agreements: oral arrangements ("договорённости" is another word), counted batches ("подписано 5
соглашений", "более 50 контрактов": figures), a bare "в рамках соглашения" repeating one already found.

Parties: the bodies of its "между A и B" clause (found organizations, or regions); else the
organizations of the sentence before the noun ("компания «Вектор» с «Сигналом» реализуют
соглашение"); heads of regions signing ("Губернаторы Пермского края и Республики Коми подписали",
"Главы регионов подписали") make the regions the parties. Parties that the text does not name
("между региональными отделениями …") leave the list empty.
"""

from __future__ import annotations

import re

from releases.draft import AgreementItem, OrganizationItem, PersonItem, RegionItem, Span
from releases.extraction.morph import inflect_word, join_tokens, nominative
from releases.extraction.nlp import Analysed
from releases.extraction.organizations import COMPANY, DEVELOPMENT, GOVERNMENT, MUNICIPALITY
from releases.extraction.people import REGION_HEAD

DOCUMENT_NOUNS = {"соглашение", "меморандум", "договор", "контракт", "протокол", "план", "карта", "хартия"}
# Words before the noun that make it a count (a figure) rather than one document.
COUNT_WORDS = {
    "ряд",
    "несколько",
    "пакет",
    "серия",
    "десяток",
    "сотня",
    "много",
    "множество",
    "более",
    "свыше",
    "около",
}
# The beginnings of party phrases that do not identify the party.
UNIDENTIFIED = re.compile(
    r"^(?:региональн\w+ |местн\w+ |территориальн\w+ )?(?:отделени|филиал|подразделени|представител|участник|сторон|"
    r"предприяти|компани|организаци|орган)",
    re.IGNORECASE,
)
NOT_SIGNED = re.compile(
    r"планиру|будет подписан|будут подписан|предстоит|намерен|готов(?:ят|ит)ся|"
    r"проект\w* (?:соглашени|договор|меморандум)|подготов|к подписанию|подпишут|подписать|разработк|договорил",
    re.IGNORECASE,
)
SIGNED = re.compile(r"подписал|подписан|подписание|заключил|заключен|заключение|реализу", re.IGNORECASE)
HEADS_SIGN = re.compile(
    r"\b(?:губернатор\w*|глав\w* (?:регион|республик|субъект|област|кра)\w*|глав\w* [А-ЯЁ]\w+|"
    r"руководител\w* регион\w*)",
    re.IGNORECASE,
)
CLAUSE_BREAK = {"который", "где", "что", "когда", "чтобы", "а", "но", "однако", "позволять", "это"}
# Stands in the mentioned organizations for "the heads of the regions sign".
HEADS = OrganizationItem(name="", kind=GOVERNMENT)
AREA = re.compile(r"^(област|кра|округ|республик)", re.IGNORECASE)


def _lemma(token) -> str:
    return (token.lemma or token.text).lower().replace("ё", "е")


def _is_document(tokens, i: int) -> bool:
    lemma = _lemma(tokens[i])
    if lemma not in DOCUMENT_NOUNS:
        return False
    nxt = _lemma(tokens[i + 1]) if i + 1 < len(tokens) else ""
    prev = _lemma(tokens[i - 1]) if i else ""
    if lemma == "план":
        return nxt in ("мероприятие", "действие", "реализация", "совместный", "сотрудничество")
    if lemma == "карта":
        return prev == "дорожный"
    if lemma == "протокол":
        return nxt in ("о", "намерение", "сотрудничество", "между")
    return True


def _counted(tokens, i: int) -> bool:
    """ "5 соглашений", "более 50 контрактов", "ряд договоров": a figure, not a document."""
    for k in range(max(0, i - 3), i):
        token = tokens[k]
        if token.pos == "NUM" or re.fullmatch(r"\d[\d\s,.]*", token.text) or _lemma(token) in COUNT_WORDS:
            return True
    return False


def _clause_end(analysed: Analysed, tokens, i: int, limit: int = 45) -> int:
    """The index after the last token of the document noun's clause."""
    text = analysed.text
    depth = 0
    k = i + 1
    while k < len(tokens) and k - i < limit:
        token = tokens[k]
        if "\n" in text[tokens[k - 1].stop : token.start]:
            break
        if token.text in ("«", "("):
            depth += 1
        elif token.text in ("»", ")"):
            depth -= 1
        elif depth <= 0 and token.text in (".", ";", "!", "?", "—", "–", ":"):
            break
        elif depth <= 0 and token.text == "," and k + 1 < len(tokens):
            nxt = tokens[k + 1]
            also_between = [t.text.lower() for t in tokens[k + 1 : k + 4]] == ["а", "также", "между"]
            if not also_between and (
                _lemma(nxt) in CLAUSE_BREAK or nxt.pos in ("VERB", "AUX") or nxt.text in ("«", "-", "—")
            ):
                break
        elif depth <= 0 and token.pos == "VERB" and token.feats.get("VerbForm") == "Fin":
            break
        k += 1
    return k


def _documents(analysed: Analysed) -> list[tuple[int, int]]:
    """(first token, end) of every document mention, nouns inside another's clause included."""
    tokens = analysed.doc.tokens
    found = []
    for i in range(len(tokens)):
        if not _is_document(tokens, i) or _counted(tokens, i):
            continue
        begin = i
        while (
            begin > 0
            and tokens[begin - 1].pos == "ADJ"
            and tokens[begin - 1].feats.get("Case") == tokens[i].feats.get("Case")
        ):
            begin -= 1
        found.append((begin, _clause_end(analysed, tokens, i)))
    return found


def _sentence_of(analysed: Analysed, char: int):
    for sentence in analysed.doc.sents:
        if sentence.start <= char < sentence.stop:
            return sentence
    return None


def _between_clause(tokens, begin: int, end: int, documents: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The "между …" clauses of the document [begin, end) up to the next document noun, each as token
    ranges of its party phrases; "…, а также между …" gives another clause."""
    own_end = end
    for other_begin, _other_end in documents:
        if begin < other_begin < own_end:
            own_end = other_begin
    clauses = []
    k = begin
    while k < own_end:
        if tokens[k].text.lower() == "между":
            clauses.append(k + 1)
        k += 1
    return [(start, own_end) for start in clauses]


def _split_parties(tokens, start: int, end: int) -> list[tuple[int, int]]:
    """Party phrases of "A и B" / "A, B и C" at the top level (not inside quotes or parentheses)."""
    phrases = []
    depth = 0
    current = start
    for k in range(start, end):
        text = tokens[k].text
        if text in ("«", "("):
            depth += 1
        elif text in ("»", ")"):
            depth -= 1
        elif depth <= 0 and (text == "," or text == "и") and k > current:
            if text == "и" and k + 1 < end and tokens[k + 1].pos == "NOUN" and tokens[k + 1].feats.get("Case") == "Gen":
                continue  # "промышленности и торговли": one name
            if text == "и" and k + 1 < end and tokens[k - 1].pos == "ADJ" and tokens[k + 1].pos == "ADJ":
                continue  # "Омской и Павлодарской областями": one phrase, two regions
            phrases.append((current, k))
            current = k + 1
        elif depth <= 0 and text.lower() in ("о", "об", "на", "по", "в") and k > current:
            phrases.append((current, k))
            return phrases
    if current < end:
        phrases.append((current, end))
    return phrases


def _alike(a: str, b: str) -> bool:
    """Two forms of one proper word ("Омской" and "Омская", "Югры" and "Югра")."""
    a, b = a.lower().replace("ё", "е"), b.lower().replace("ё", "е")
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    shortest = min(len(a), len(b))
    needed = 3 if shortest <= 5 else max(4, shortest - 3)
    return common >= needed


GENERIC_REGION_WORDS = {"республика", "народная", "автономный", "автономная", "область", "край", "округ", "город"}


def _region_names_in(text: str, regions: list[RegionItem]) -> list[str]:
    """Regions of the mission that `text` names ("Пермского края", "Республикой Коми", "Югры")."""
    words = re.findall(r"[А-ЯЁA-Z][\w-]+", text)
    out = []
    for region in regions:
        own = [
            w for w in re.findall(r"[\w-]+", region.name) if w.lower() not in GENERIC_REGION_WORDS and w[:1].isupper()
        ]
        if own and any(_alike(w, theirs) for w in words for theirs in own) and region.name not in out:
            out.append(region.name)
    return out


def _regions_of_phrase(tokens, start: int, end: int) -> list[str]:
    """Region names a phrase builds without the directory: "Ульяновской и Тульской областей" →
    "Ульяновская область", "Тульская область"; "Республики Коми" → "Республика Коми"."""
    out = []
    adjectives = []
    for k in range(start, end):
        token = tokens[k]
        if token.pos == "ADJ" and token.text[:1].isupper():
            adjectives.append(token)
        elif AREA.match(token.text) and adjectives:
            noun = inflect_word(token.text, {"Nom", "Sing"}, token.feats, "NOUN")
            for adjective in adjectives:
                parse = inflect_word(adjective.text, {"Nom", "Sing", _gender(noun)}, adjective.feats, "ADJ")
                out.append(f"{parse} {noun}")
            adjectives = []
        elif AREA.match(token.text) and k + 1 < end and tokens[k + 1].text[:1].isupper():
            noun = inflect_word(token.text, {"Nom", "Sing"}, token.feats, "NOUN")
            out.append(f"{noun[:1].upper()}{noun[1:]} {tokens[k + 1].text}")
    return out


def _gender(noun: str) -> str:
    lower = noun.lower()
    if lower.startswith(("област", "республик")):
        return "Fem"
    return "Masc"


def _parties(
    analysed: Analysed,
    begin: int,
    end: int,
    documents: list[tuple[int, int]],
    organizations: list[OrganizationItem],
    regions: list[RegionItem],
    people: list[PersonItem],
) -> tuple[list[list[str]], list[list[OrganizationItem]], list[tuple[int, int]]]:
    """For each "между" clause (or the subject when there is none): (party names, organizations
    mentioned, the clause's token range)."""
    tokens = analysed.doc.tokens
    text = analysed.text
    clauses = _between_clause(tokens, begin, end, documents)
    results_names, results_orgs, ranges = [], [], []
    for start, stop in clauses:
        names, mentioned, identified = [], [], True
        for a, b in _split_parties(tokens, start, stop):
            phrase = join_tokens(tokens[a:b])
            inside = _organizations_within(organizations, tokens[a].start, tokens[b - 1].stop)
            mentioned.extend(inside)
            if UNIDENTIFIED.match(phrase):
                identified = False
                continue
            if inside:
                names.extend(o.name for o in inside if o.name not in names)
                continue
            region_names = _region_names_in(phrase, regions)
            for built in _regions_of_phrase(tokens, a, b):
                if not _region_names_in(built, regions):
                    region_names.append(built)
            if region_names:
                names.extend(n for n in region_names if n not in names)
            else:
                identified = False
        results_names.append(names if identified and len(names) >= 2 else [])
        results_orgs.append(mentioned)
        ranges.append((start, stop))
    if clauses:
        return results_names, results_orgs, ranges
    # no "между": who signs or implements it, in the sentence before the noun
    sentence = _sentence_of(analysed, tokens[begin].start)
    if sentence is None:
        return [[]], [[]], [(begin, end)]
    before = text[sentence.start : tokens[begin].start]
    heads = HEADS_SIGN.search(before)
    inside = _organizations_within(organizations, sentence.start, tokens[begin].start)
    if heads and not inside:
        subject = before[heads.start() :]
        names = _region_names_in(subject, regions)
        if not names:
            subject_tokens = [
                i for i, t in enumerate(tokens) if sentence.start + heads.start() <= t.start < tokens[begin].start
            ]
            names = _regions_of_phrase(tokens, subject_tokens[0], subject_tokens[-1] + 1) if subject_tokens else []
        if not names:
            names = [r.name for r in regions]
        return [names if len(names) >= 2 else []], [[HEADS]], [(begin, end)]
    signing_heads = [
        person
        for person in people
        if person.position
        and REGION_HEAD.match(person.position)
        and any(sentence.start <= span.start < tokens[begin].start for span in person.spans)
    ]
    if len(signing_heads) >= 2 and not inside:
        # "Роман Старовойт и Владимир Уйба подписали соглашение": the regions they head
        names = []
        for person in signing_heads:
            own = _region_names_in(person.position, regions) or _position_region(person.position)
            names.extend(name for name in own if name not in names)
        return [names if len(names) >= 2 else []], [[HEADS]], [(begin, end)]
    if not inside and end < len(tokens):
        # "Меморандум о сотрудничестве подписали АО «Вектор» и ООО «Сигнал»": the signers after it
        after = analysed.text[tokens[end - 1].stop : sentence.stop]
        if re.match(r"\W*(?:подписал|заключил)\w*", after, re.IGNORECASE):
            inside = _organizations_within(organizations, tokens[end - 1].stop, sentence.stop)
    names = [o.name for o in inside]
    return [names if len(names) >= 2 else []], [inside], [(begin, end)]


def _position_region(position: str) -> list[str]:
    """The region a head's title names, without the directory: "губернатор Курской области" →
    "Курская область", "глава Республики Коми" → "Республика Коми"."""
    match = re.search(r"([А-ЯЁ][а-яё-]+) (области|края|округа)$", position)
    if match:
        adjective, noun = match.groups()
        noun = inflect_word(noun, {"Nom", "Sing"}, {"Case": "Gen"}, "NOUN")
        return [f"{inflect_word(adjective, {'Nom', 'Sing', _gender(noun)}, {'Case': 'Gen'}, 'ADJ')} {noun}"]
    republic = re.search(r"Республики ([А-ЯЁ][\w-]+(?: [А-ЯЁ][\w-]+)?)$", position)
    return [f"Республика {republic.group(1)}"] if republic else []


def _organizations_within(organizations: list[OrganizationItem], start: int, stop: int) -> list[OrganizationItem]:
    found = []
    for organization in organizations:
        spans = [s for s in organization.spans if start <= s.start and s.end <= stop]
        if spans:
            found.append((spans[0].start, organization))
    return [o for _, o in sorted(found, key=lambda pair: pair[0])]


def _kind(
    noun: str, title: str, parties: list[str], mentioned: list[OrganizationItem], regions: list[RegionItem]
) -> str:
    if noun in ("меморандум",) or re.search(r"протокол\w* о намерени", title, re.IGNORECASE):
        return "memorandum"
    if HEADS in mentioned:
        return "intergovernmental"  # signed by the heads of the regions
    region_names = {r.name for r in regions}
    kinds = [o.kind for o in mentioned]
    if parties and all(p in region_names or AREA.search(p.split(" ")[-1]) for p in parties) and not kinds:
        return "intergovernmental"
    if kinds:
        if all(k in (GOVERNMENT, MUNICIPALITY) for k in kinds):
            names = [o.name.lower() for o in mentioned]
            if all(n.startswith(("правительство", "администрация", "мэрия")) for n in names):
                return "intergovernmental"
            return "interagency"
        if all(k == COMPANY for k in kinds):
            return "commercial_contract"
        return "institutional"
    if parties:
        return "intergovernmental"
    if noun in ("контракт",) or re.search(r"договор\w* (?:поставк|подряд|купл|аренд)", title, re.IGNORECASE):
        return "commercial_contract"
    return "unknown"


def _title(tokens, begin: int, end: int) -> str:
    words = tokens[begin:end]
    return nominative(words, keep_number=False)


def find_agreements(
    analysed: Analysed,
    organizations: list[OrganizationItem],
    regions: list[RegionItem],
    people: list[PersonItem] = (),
) -> list[AgreementItem]:
    tokens = analysed.doc.tokens
    documents = _documents(analysed)
    found: list[AgreementItem] = []
    for begin, end in documents:
        noun_index = next(k for k in range(begin, end) if _lemma(tokens[k]) in DOCUMENT_NOUNS)
        noun = _lemma(tokens[noun_index])
        sentence = _sentence_of(analysed, tokens[begin].start)
        context = analysed.text[sentence.start : tokens[end - 1].stop] if sentence else ""
        party_lists, mentioned_lists, ranges = _parties(
            analysed, begin, end, documents, organizations, regions, list(people)
        )
        signed = not NOT_SIGNED.search(context)
        for index, (parties, mentioned, (start, stop)) in enumerate(
            zip(party_lists, mentioned_lists, ranges, strict=True)
        ):
            if index == 0:
                title = _title(tokens, begin, end)
                if len(ranges) > 1:
                    title = _title(tokens, begin, ranges[1][0] - 1).rstrip(" ,") if ranges[1][0] - 1 > begin else title
                    title = re.sub(r",?\s*а также$", "", title)
            else:
                head = inflect_word(tokens[noun_index].text, {"Nom", "Sing"}, tokens[noun_index].feats, "NOUN").lower()
                title = f"{head} между {join_tokens(tokens[start:stop])}"
            if len(title.split()) < 2 and (found or not SIGNED.search(context)):
                continue  # a bare "соглашения" repeating a document already found
            if not signed:
                title += " (не подписано)"
            item = AgreementItem(
                title=title,
                parties=parties,
                kind=_kind(noun, title, parties, mentioned, regions),
                signed=signed,
                spans=[
                    Span(
                        tokens[begin].start,
                        tokens[end - 1].stop,
                        analysed.text[tokens[begin].start : tokens[end - 1].stop],
                    )
                ],
            )
            if any(_same_title(item.title, other.title) for other in found):
                continue
            found.append(item)
    return found


def _same_title(a: str, b: str) -> bool:
    return a.lower().replace("ё", "е") == b.lower().replace("ё", "е")


__all__ = ["DEVELOPMENT", "find_agreements"]
