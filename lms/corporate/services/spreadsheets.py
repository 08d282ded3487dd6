"""Reading uploaded CSV/XLSX files into rows of strings, with file-level errors a person can act on.

Defensive on purpose: HR exports come from Excel (cp1251 and `;` in Russian locales), from
1C, from Google Sheets; some are broken. Anything this module cannot read safely is refused with
a `FileProblem` naming what is wrong, and nothing is imported.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

MAX_ROWS = 50_000
MAX_BLANK_RUN = 1_000


class FileProblem(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass
class Sheet:
    file_format: str
    encoding: str
    header: list[str]
    rows: list[list[Any]]  # cells: str, or date/datetime/number from XLSX
    lines: list[int]  # the file's own line (CSV) or row number (XLSX) of each row, for the report


def read(content: bytes, filename: str = "") -> Sheet:
    if not content.strip():
        raise FileProblem("empty_file", "The file is empty.")
    if content[:4] == b"PK\x03\x04":
        return _read_xlsx(content)
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileProblem("unsupported_format", "Old Excel (.xls) files are not supported: save as .xlsx or CSV.")
    if filename.lower().endswith(".xlsx"):
        raise FileProblem("broken_xlsx", "The file is named .xlsx but is not a valid Excel workbook.")
    return _read_csv(content)


def _decode(content: bytes) -> tuple[str, str]:
    if content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return content.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    if b"\x00" in content:
        raise FileProblem("bad_encoding", "The file contains binary data: upload a CSV (UTF-8) or XLSX file.")
    try:
        return content.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = content.decode("cp1251")
    except UnicodeDecodeError:
        raise FileProblem("bad_encoding", "The file is neither UTF-8 nor Windows-1251 text.") from None
    # Windows-1251 decodes almost any byte string; accept it only if the non-ASCII characters are
    # overwhelmingly Cyrillic letters (a real Russian Excel export), not random symbols.
    extended = [ch for ch in text if ord(ch) > 127]
    cyrillic = sum(1 for ch in extended if "\u0400" <= ch <= "\u04ff")
    if extended and cyrillic / len(extended) < 0.9:
        raise FileProblem("bad_encoding", "Cannot tell the file's encoding: save it as CSV UTF-8.")
    return text, "cp1251"


def _read_csv(content: bytes) -> Sheet:
    text, encoding = _decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(_limited(reader))
    except csv.Error as exc:
        raise FileProblem("malformed_csv", f"The CSV cannot be parsed: {exc}.") from exc
    if not rows:
        raise FileProblem("empty_file", "The file has no header row.")
    return Sheet(
        file_format="csv",
        encoding=encoding,
        header=[str(c) for c in rows[0]],
        rows=rows[1:],
        lines=list(range(2, len(rows) + 1)),
    )


def _limited(rows: Iterator[list[Any]] | Any) -> Iterator[list[Any]]:
    for index, row in enumerate(rows):
        if index > MAX_ROWS:
            raise FileProblem("too_many_rows", f"At most {MAX_ROWS:,} rows per file.")
        yield list(row)


def _read_xlsx(content: bytes) -> Sheet:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # read_only streams the sheet; data_only=False keeps formulas visible so they can be refused
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise FileProblem("broken_xlsx", "The Excel file is damaged or not a workbook.") from exc
    except Exception as exc:  # any parser failure on a hostile file is a broken file
        raise FileProblem("broken_xlsx", f"The Excel file cannot be read ({type(exc).__name__}).") from exc
    rows: list[list[Any]] = []
    lines: list[int] = []
    try:
        sheet = workbook.worksheets[0]
        blank_run = 0
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if not any(cell not in (None, "") for cell in row):
                # formatting can stretch a sheet to a million empty rows: stop after a long gap
                blank_run += 1
                if blank_run > MAX_BLANK_RUN:
                    break
                continue
            blank_run = 0
            rows.append(list(row))
            lines.append(number)
            if len(rows) > MAX_ROWS + 1:
                raise FileProblem("too_many_rows", f"At most {MAX_ROWS:,} rows per file.")
    except FileProblem:
        raise
    except Exception as exc:
        raise FileProblem("broken_xlsx", f"The Excel file cannot be read ({type(exc).__name__}).") from exc
    finally:
        workbook.close()
    if not rows:
        raise FileProblem("empty_file", "The first sheet is empty.")
    header = ["" if c is None else str(c) for c in rows[0]]
    return Sheet(file_format="xlsx", encoding="", header=header, rows=rows[1:], lines=lines[1:])


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("use YYYY-MM-DD or DD.MM.YYYY")
