"""Streaming CSV and XLSX exports with constant memory.

CSV: PostgreSQL writes the CSV itself (`COPY (SELECT …) TO STDOUT`), and the blocks are passed to
the client as they arrive, so memory does not grow with the row count and Python does no per-row
work. XLSX: rows come from a server-side cursor in batches and are written into a zip stream
that is flushed to the client as it grows (`XlsxStream`), again without holding the file.
Both neutralise spreadsheet formulas in text cells (CSV injection).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape

from django.db import connection
from django.utils import timezone

from .reports import ROW_COLUMNS, Filters, rows_sql

HEADERS = {
    "ru": (
        "ID назначения",
        "E-mail",
        "Фамилия",
        "Имя",
        "Табельный номер",
        "Подразделение",
        "Руководитель",
        "Код курса",
        "Курс",
        "Цикл",
        "Обязательный",
        "Назначен",
        "Срок",
        "Статус",
        "Прогресс, %",
        "Завершён",
    ),
    "en": (
        "Assignment ID",
        "E-mail",
        "Last name",
        "First name",
        "Employee ID",
        "Department",
        "Manager",
        "Course code",
        "Course",
        "Cycle",
        "Required",
        "Assigned at",
        "Due at",
        "Status",
        "Progress, %",
        "Completed at",
    ),
}
assert all(len(h) == len(ROW_COLUMNS) for h in HEADERS.values())


def _header(language: str) -> tuple[str, ...]:
    return HEADERS.get(language, HEADERS["ru"])


def csv_stream(query: Any, *, language: str = "ru") -> Iterator[bytes]:
    """UTF-8 with a BOM (so Excel opens Cyrillic correctly), header in the reader's language."""
    f = Filters.parse(query)
    head = io.StringIO()
    csv.writer(head).writerow(_header(language))
    yield b"\xef\xbb\xbf" + head.getvalue().encode()
    statement = f"COPY ({rows_sql(f, safe=True)}) TO STDOUT WITH (FORMAT csv)"
    with connection.cursor() as cursor, cursor.cursor.copy(statement, f.params) as copy:
        for block in copy:
            yield bytes(block)


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f"<c><v>{value}</v></c>"
    if isinstance(value, datetime):
        value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    elif isinstance(value, date):
        value = value.isoformat()
    text = "".join(ch for ch in str(value) if ch in "\t\n\r" or ord(ch) >= 32)  # XML 1.0 forbids the rest
    return f'<c t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


class _Sink(io.RawIOBase):
    """A write-only, non-seekable buffer the zip writer fills and the generator drains."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.parts.append(chunk)
        return len(chunk)

    def drain(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


def xlsx_stream(rows: Iterator[tuple[Any, ...]], header: tuple[str, ...], *, sheet: str = "Report") -> Iterator[bytes]:
    """A minimal SpreadsheetML workbook (one sheet, inline strings) streamed as it is written."""
    sink = _Sink()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK.format(name=escape(sheet[:31])))
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", mode="w", force_zip64=True) as part:
            part.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            part.write(("<row>" + "".join(_cell(h) for h in header) + "</row>").encode())
            buffered = 0
            for row in rows:
                line = ("<row>" + "".join(_cell(v) for v in row) + "</row>").encode()
                part.write(line)
                buffered += len(line)
                if buffered > 256 * 1024:
                    buffered = 0
                    yield sink.drain()
            part.write(b"</sheetData></worksheet>")
        yield sink.drain()
    yield sink.drain()


def assignment_xlsx(query: Any, *, language: str = "ru") -> Iterator[bytes]:
    f = Filters.parse(query)

    def rows() -> Iterator[tuple[Any, ...]]:
        # a server-side (named) cursor: rows arrive in batches, never all at once
        with connection.chunked_cursor() as cursor:
            cursor.execute(rows_sql(f, safe=True), f.params)
            while batch := cursor.fetchmany(2000):
                yield from batch

    return xlsx_stream(rows(), _header(language), sheet="Assignments" if language == "en" else "Назначения")
