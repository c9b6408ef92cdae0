"""Workbooks the imports hand out: the template of an import (its headers, an example row, and a
sheet «Пояснения» explaining each column), and the same layout filled with rows, which the import
reads back (a delegation or schedule taken from one mission into another)."""

import io

from django.utils.translation import gettext as _

from .base import Importer


def _workbook(importer: Importer, rows: list[dict]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(importer.title)[:31]
    sheet.append([str(column.header) for column in importer.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.get(column.key, "") for column in importer.columns])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # text beginning with "=" is kept as text, never a formula
                cell.data_type = "s"
    for index, column in enumerate(importer.columns, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(14, len(str(column.header)) + 4)
    notes = workbook.create_sheet(_("Notes"))
    notes.append([_("Column"), _("Required"), _("What to write")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in importer.columns:
        synonyms = ", ".join(f"«{synonym}»" for synonym in column.synonyms)
        explanation = str(column.help)
        if synonyms:
            explanation += " " + _("The column may also be headed %(synonyms)s.") % {"synonyms": synonyms}
        notes.append([str(column.header), _("yes") if column.required else _("no"), explanation.strip()])
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["C"].width = 100
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def template_workbook(importer: Importer) -> bytes:
    return _workbook(importer, [{column.key: column.example for column in importer.columns}])


def rows_workbook(importer: Importer, rows: list[dict]) -> bytes:
    return _workbook(importer, rows)
