"""What an import is: its columns, its target (a mission, an agreement, or none), who may run it,
and how one row is written through the services. The registry finds an import by its kind (the
Celery task gets only the job's id)."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from ..exceptions import PortalError
from ..roles import can_edit
from .columns import Column, header_key
from .reader import cell_text, parse_date, parse_time

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


class RowError(Exception):
    """A row cannot be imported: the column (its key) and the reason, in Russian."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column, self.message = column, str(message)


@dataclass
class Context:
    """What the rows of one run share: the target, the user, and what earlier rows found or made."""

    target: object
    by: object
    cache: dict = field(default_factory=dict)


class Importer:
    kind: str = ""
    title: str = ""
    target_model = None  # Mission, Agreement, or None for an import into the directory
    columns: tuple[Column, ...] = ()
    # Model fields → column key, so a service's error on a field names the file's column.
    field_columns: dict[str, str] = {}
    # A service's refusal of the whole row, by its code → the column it is about.
    code_columns: dict[str, str] = {}

    def check_target(self, *, by, target) -> None:
        """Refuse a user who may not import into this target (companies.roles.can_edit)."""
        if not can_edit(by, target):
            if target is None:
                raise PortalError(_("You may not import records."), code="import_forbidden")
            raise PortalError(
                _("Your organization does not keep “%(target)s”: you may not import into it.") % {"target": target},
                code="import_forbidden",
            )

    def import_row(self, context: Context, cells: dict) -> tuple[str, str]:
        """Write one row through the services; return (CREATED/UPDATED/UNCHANGED, what it is)."""
        raise NotImplementedError

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)

    def header(self, key: str) -> str:
        return str(self.column(key).header) if any(c.key == key for c in self.columns) else ""

    def error_column(self, exc: ValidationError) -> list[tuple[str, str]]:
        """(column key, message) pairs for a service's refusal; "" for a refusal of the whole row."""
        if hasattr(exc, "error_dict"):
            pairs = []
            for name, errors in exc.message_dict.items():
                key = self.field_columns.get(name, "")
                pairs.extend((key, message) for message in errors)
            return pairs
        pairs = []
        for error in exc.error_list:
            pairs.extend((self.code_columns.get(error.code, ""), message) for message in error.messages)
        return pairs


# --- Reading cells --------------------------------------------------------------------------------


def text(cells: dict, key: str) -> str:
    return cell_text(cells.get(key, ""))


def date_cell(cells: dict, key: str) -> datetime.date | None:
    try:
        return parse_date(cells.get(key, ""))
    except ValueError:
        raise RowError(
            key, _("“%(value)s” is not a date: write it as 25.03.2026.") % {"value": text(cells, key)}
        ) from None


def time_cell(cells: dict, key: str, value=None) -> datetime.time | None:
    try:
        return parse_time(cells.get(key, "") if value is None else value)
    except ValueError:
        raise RowError(
            key, _("“%(value)s” is not a time: write it as 10:30.") % {"value": value or text(cells, key)}
        ) from None


def _choice_key(value: str) -> str:
    """A choice's label folded, its words' gender and number endings too: «запланировано» is «запланирована»."""
    words = header_key(value).split()
    return " ".join(word[:-1] if len(word) > 4 and word[-1] in "аоыи" else word for word in words)


def choice_cell(cells: dict, key: str, choices, default: str, synonyms: dict | None = None) -> str:
    """A choice as people write it: its value, its label in Russian or English, or one of `synonyms`."""
    value = text(cells, key)
    if not value:
        return default
    wanted = _choice_key(value)
    for synonym, choice in (synonyms or {}).items():
        if _choice_key(synonym) == wanted:
            return choice
    for choice, label in choices:
        with translation.override("ru"):
            russian = str(label)
        with translation.override("en"):
            english = str(label)
        if wanted in (_choice_key(choice), _choice_key(russian), _choice_key(english)):
            return choice
    labels = ", ".join(f"«{label}»" for _choice, label in choices)
    raise RowError(key, _("“%(value)s” is not one of %(labels)s.") % {"value": value, "labels": labels})


REGISTRY: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    REGISTRY[importer.kind] = importer
    return importer


def importer_for(kind: str) -> Importer:
    return REGISTRY[kind]
