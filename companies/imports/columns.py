"""Columns of an import and their headers as people write them: case, ё/е, punctuation and extra
spaces do not matter, and each column has its synonyms («Организация», «Компания», «Наименование»)."""

import re
from dataclasses import dataclass

from django.utils.functional import Promise


def header_key(text: str) -> str:
    """«Эл. почта » → «эл почта»: lower case, ё as е, punctuation and repeated spaces folded."""
    text = str(text or "").lower().replace("ё", "е").replace("\xa0", " ")
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Column:
    """One column of an import: its key (what the importer reads), the header of the template and its
    synonyms, whether a row needs it, the example cell and the explanation on the template's second sheet."""

    key: str
    header: str | Promise
    synonyms: tuple[str, ...] = ()
    required: bool = False
    example: object = ""
    help: str | Promise = ""

    def header_keys(self) -> set[str]:
        return {header_key(self.header), *(header_key(s) for s in self.synonyms)}


@dataclass
class HeaderMatch:
    """Which column of the file is which: key → index, the headers left over, the required ones missing."""

    positions: dict[str, int]
    ignored: list[str]
    missing: list[Column]


def match_headers(headers: list[str], columns: tuple[Column, ...]) -> HeaderMatch:
    by_key = {}
    for column in columns:
        for key in column.header_keys():
            by_key.setdefault(key, column)
    positions, ignored = {}, []
    for index, header in enumerate(headers):
        column = by_key.get(header_key(header))
        if column is None or column.key in positions:
            if str(header).strip():
                ignored.append(str(header).strip())
            continue
        positions[column.key] = index
    missing = [column for column in columns if column.required and column.key not in positions]
    return HeaderMatch(positions=positions, ignored=ignored, missing=missing)
