"""CSV as the office's spreadsheet programs read it: UTF-8 with a byte-order mark, or GB18030."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Sequence
from typing import BinaryIO

from core.errors import Refused

UTF8 = "utf-8"
GB18030 = "gb18030"
# Excel and WPS take a CSV file for UTF-8 only when it starts with a byte-order mark; without one
# they read it in the machine's code page and show Chinese headers garbled. Older office software
# that knows no UTF-8 at all reads GB18030, which holds every Unicode character.
CSV_ENCODINGS = (UTF8, GB18030)
_BYTE_ORDER_MARK = {UTF8: codecs.BOM_UTF8, GB18030: b""}


def csv_encoding(name: str) -> str:
    """The accepted CSV encoding ``name`` stands for (any spelling Python knows), or a refusal."""
    try:
        known = codecs.lookup(name).name
    except LookupError:
        known = ""
    # utf-8-sig is what waiwen writes for utf-8 anyway: the BOM comes with it.
    known = UTF8 if known == "utf-8-sig" else known
    if known not in CSV_ENCODINGS:
        raise Refused(
            f"--encoding {name}",
            "",
            f"not accepted: CSV is written in {UTF8} (with a byte-order mark, the default, "
            f"for Excel and WPS) or {GB18030} (for older office software)",
        )
    return known


# A text cell starting with one of these is taken for a formula by Excel, WPS and LibreOffice
# (=HYPERLINK(...) can send data away). A title is the editors' text, so such a cell gets a
# leading apostrophe, which the spreadsheet shows as text and does not display.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: object) -> object:
    """A cell as a spreadsheet must read it: text that would start a formula gets an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


class EncodedCsv:
    """CSV rows written to a binary file in one accepted encoding, the byte-order mark first.

    A character the encoding cannot hold (in UTF-8 and GB18030 only a lone surrogate) is refused
    naming the file, the row (as a spreadsheet numbers it, the header is row 1), the field and the
    character.
    """

    def __init__(self, out: BinaryIO, encoding: str, name: str, headers: Sequence[str]) -> None:
        self.out, self.encoding, self.name = out, csv_encoding(encoding), name
        self.headers = tuple(headers)
        self.rows = 0  # rows written, the header included
        self._text = io.StringIO()
        self._writer = csv.writer(self._text, lineterminator="\n")
        out.write(_BYTE_ORDER_MARK[self.encoding])
        self.writerow(self.headers)

    def writerow(self, row: Sequence[object]) -> None:
        """Write one row, encoded; a row that cannot be encoded is refused, nothing of it written."""
        self._text.seek(0)
        self._text.truncate()
        self._writer.writerow([inert(value) for value in row])
        try:
            data = self._text.getvalue().encode(self.encoding)
        except UnicodeEncodeError:
            raise self._refusal(row) from None
        self.out.write(data)
        self.rows += 1

    def writerows(self, rows: Iterable[Sequence[object]]) -> None:
        """Write every row of ``rows``."""
        for row in rows:
            self.writerow(row)

    def _refusal(self, row: Sequence[object]) -> Refused:
        number = self.rows + 1
        for position, value in enumerate(row):
            text = "" if value is None else str(value)
            try:
                text.encode(self.encoding)
            except UnicodeEncodeError as error:
                character = text[error.start]
                field = self.headers[position] if position < len(self.headers) else position + 1
                shown = f" {character!r}" if character.isprintable() else ""
                return Refused(
                    self.name,
                    f"row {number}, field {field}",
                    f"the character U+{ord(character):04X}{shown} cannot be written in "
                    f"{self.encoding}; correct it where it is stored",
                )
        return Refused(self.name, f"row {number}", f"cannot be written in {self.encoding}")
