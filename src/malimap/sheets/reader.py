"""One hardened reader of spreadsheets (CSV in any of Excel's encodings and separators, XLSX) for everything the app
takes in: 3W/5W sheets and need layers. Sizes are checked before parsing (the file, the decompressed workbook, every
zip part against its declared size, rows counted in the XML, named columns), so one hostile file cannot keep the shared
server busy; Excel is read in streaming mode and never past the row limit. Cells come back as text, as written."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pandas as pd

from malimap.i18n import plain, t

MAX_BYTES = 20_000_000  # the file as uploaded
MAX_UNZIPPED = 100_000_000  # an Excel workbook once decompressed (a small file can hide gigabytes)
MAX_COLUMNS = 500  # named columns in a sheet's header; more is refused before the rows are parsed
MAX_WIDTH = 2_000  # cells read per row: blank columns beyond a header's end (exported sheets have ~1,000) are not read
HEADER_ROWS = 10  # a header (and its hashtag row) is looked for in a sheet's first rows: titles and notes can sit above


class UploadError(ValueError):
    """The file as a whole cannot be read (not CSV/Excel, no header, too large); says why in either language."""

    def __init__(self, key: str, **values):
        self.key, self.values = key, values
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        return t(f"upload.err.{self.key}", lang, **self.values)

    def markdown(self, lang: str) -> str:
        """The message for a page: the file's name, its headers and values escaped (shown as written, never rendered:
        a header like ![x](http://host/p.png) must not make every viewer's browser fetch that address)."""
        return t(f"upload.err.{self.key}", lang, **{k: plain(v) for k, v in self.values.items()})

    def __reduce__(self):  # raised in the upload worker, re-raised in the server: key and values travel, not the text
        return (_upload_error, (self.key, self.values))


def _upload_error(key: str, values: dict) -> UploadError:
    return UploadError(key, **values)


def read_raw(name: str, data: bytes, max_rows: int, score: Callable[[list[list[str]]], int] = lambda rows: 0) -> pd.DataFrame:
    """Every cell as text, no row taken as the header yet; `score` picks a workbook's data sheet from its first rows
    (the first sheet when no score is given)."""
    if len(data) > MAX_BYTES:
        raise UploadError("file_size", name=name, mb=MAX_BYTES // 1_000_000)
    try:
        if name.lower().endswith((".xlsx", ".xlsm")):
            raw = _read_excel(name, data, max_rows, score)
        elif name.lower().endswith((".csv", ".txt")):
            raw = _read_csv(name, data, max_rows)
        else:
            raise UploadError("file_type", name=name)
    except UploadError:
        raise
    except Exception as exc:
        raise UploadError("unreadable", name=name, error=str(exc)) from exc
    if raw.empty:
        raise UploadError("empty", name=name)
    return raw


def _too_many(name: str, rows: int | None, max_rows: int) -> UploadError:
    """`rows` None: counting stopped at the limit (a sheet that does not declare its size)."""
    if rows is None:
        return UploadError("rows_stopped", name=name, limit=f"{max_rows:,}")
    return UploadError("rows", name=name, rows=f"{rows:,}", limit=f"{max_rows:,}")


def _read_csv(name: str, data: bytes, max_rows: int) -> pd.DataFrame:
    text = _decode(data)
    lines = text.count("\n")
    if lines > max_rows + 6:  # header, hashtag row and a few notes above them
        raise _too_many(name, lines, max_rows)
    sample = text[:4096]
    # French Excel writes ';', Excel's "Unicode text" (UTF-16) tabs
    delimiter = max((",", ";", "\t"), key=lambda d: (sample.count(d), d == ","))
    rows: list[list[str]] = []
    for r in csv.reader(io.StringIO(text), delimiter=delimiter):
        if len(rows) < HEADER_ROWS:
            _check_width(name, r)
        rows.append(r[:MAX_WIDTH])
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows])


def _decode(data: bytes) -> str:
    """UTF-8 (with or without its mark), UTF-16 with its byte-order mark (Excel's "Unicode text"), else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    return data.decode("utf-8-sig") if _is_utf8(data) else data.decode("cp1252")


def _check_width(name: str, header: list[str]) -> None:
    """Refused before parsing: more named columns than any 3W or 5W has (a 400,000-column sheet cost 87 s of CPU)."""
    named = sum(1 for h in header if str(h).strip())
    if named > MAX_COLUMNS:
        raise UploadError("columns", name=name, n=f"{named:,}", limit=f"{MAX_COLUMNS:,}")


def _read_excel(name: str, data: bytes, max_rows: int, score: Callable[[list[list[str]]], int]) -> pd.DataFrame:
    """The workbook's data sheet (found by its header, whatever sheets follow it: pivots, summaries, lists), cached
    values only (formulas as last computed, pivot caches never read), rows counted in the XML before parsing."""
    import zipfile

    from openpyxl import load_workbook

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        unzipped = sum(i.file_size for i in z.infolist())
        if unzipped > MAX_UNZIPPED:
            raise UploadError("unzipped", name=name, mb=f"{unzipped / 1e6:,.0f}", limit=MAX_UNZIPPED // 1_000_000)
        _check_sizes(name, z)
        counted = {title: _count_rows(z, path) for title, path in _sheet_paths(z)}
    if counted and min(counted.values()) > max_rows + 6:  # whichever sheet holds the data, it is too long
        raise _too_many(name, min(counted.values()), max_rows)
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet, others = _data_sheet(book, score)
        rows_in_xml = counted.get(sheet.title, 0)
        if rows_in_xml > max_rows + 6:
            raise _too_many(name, rows_in_xml, max_rows)
        declared = sheet.max_row or 0  # the sheet's own dimension tag, when its XML could not be counted
        if not rows_in_xml and declared > max_rows + 6:
            raise _too_many(name, declared, max_rows)
        for first in sheet.iter_rows(max_row=HEADER_ROWS, max_col=MAX_COLUMNS * 4, values_only=True):
            _check_width(name, ["" if v is None else str(v) for v in first])
        rows: list[list[str]] = []
        for values in sheet.iter_rows(max_col=MAX_WIDTH, values_only=True):
            if len(rows) > max_rows + 6:
                raise _too_many(name, None, max_rows)
            rows.append(["" if v is None else _cell_text(v) for v in values])
    finally:
        book.close()
    width = max((len(r) for r in rows), default=0)
    out = pd.DataFrame([r + [""] * (width - len(r)) for r in rows])
    out.attrs["sheet"], out.attrs["other_sheets"] = sheet.title, tuple(others)
    return out


def _data_sheet(book, score: Callable[[list[list[str]]], int]):
    """(the sheet whose first rows score highest as a header, the other sheets' titles); the first sheet on a tie."""
    scored = []
    for ws in book.worksheets:
        first = [["" if v is None else str(v).strip() for v in r] for r in ws.iter_rows(max_row=HEADER_ROWS, values_only=True)]
        scored.append((score(first), ws))
    best = max(scored, key=lambda sw: sw[0])[1] if scored else book.worksheets[0]
    return best, [ws.title for _, ws in scored if ws is not best]


def _check_sizes(name: str, z) -> None:
    """Every part decompressed (never past the workbook limit) and measured against the size its zip index declares:
    an index that lies made openpyxl read a truncated sheet as 0 rows without a word."""
    import zlib

    budget = MAX_UNZIPPED
    for info in z.infolist():
        if info.compress_type != 8:  # stored parts are read as they are
            continue
        with z.open(info) as raw_check:  # zipfile validates names and headers; the data is read raw below
            raw_check.read(0)
        z.fp.seek(info.header_offset + 26)
        skip = int.from_bytes(z.fp.read(2), "little") + int.from_bytes(z.fp.read(2), "little")
        z.fp.seek(info.header_offset + 30 + skip)
        inflate, size, left = zlib.decompressobj(-15), 0, info.compress_size
        while left > 0 and budget > 0:
            chunk = z.fp.read(min(1 << 20, left))
            left -= len(chunk)
            out = inflate.decompress(chunk, min(budget, 1 << 22))  # 4 MB at a time, counted then let go
            size, budget = size + len(out), budget - len(out)
            while inflate.unconsumed_tail and budget > 0:
                out = inflate.decompress(inflate.unconsumed_tail, min(budget, 1 << 22))
                size, budget = size + len(out), budget - len(out)
        if budget <= 0:
            raise UploadError("unzipped", name=name, mb=f"more than {MAX_UNZIPPED / 1e6:,.0f}", limit=MAX_UNZIPPED // 1_000_000)
        if size != info.file_size:
            raise UploadError("zip_sizes", name=name, part=info.filename)


def _sheet_paths(z) -> list[tuple[str, str]]:
    """(title, zip path) of every sheet, in the workbook's order (workbook.xml, then its relationships)."""
    import posixpath
    import xml.etree.ElementTree as ET

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    try:
        sheets = ET.fromstring(z.read("xl/workbook.xml")).findall(f"{main}sheets/{main}sheet")
        targets = {r.get("Id"): r.get("Target", "") for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
    except (KeyError, ET.ParseError):
        return []
    out = []
    for sh in sheets:
        target = targets.get(sh.get(rel), "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        out.append((sh.get("name", ""), path))
    return out


def _count_rows(z, path: str) -> int:
    """Rows the sheet's XML holds, counted in the decompressed stream before any cell is parsed (a sheet's dimension
    tag is optional and can lie): refusing a 200,000-row sheet costs a byte scan, not a parse."""
    try:
        fh = z.open(path)
    except KeyError:
        return 0
    n, tail = 0, b""
    with fh:
        while chunk := fh.read(1 << 20):
            block = tail + chunk
            n += block.count(b"<row ") + block.count(b"<row>")
            tail = block[-5:]
            n -= tail.count(b"<row ") + tail.count(b"<row>")  # counted again with the next chunk
    return n + tail.count(b"<row ") + tail.count(b"<row>")


def _cell_text(value) -> str:
    """Excel cells as text: dates as ISO days, whole numbers without '.0'."""
    import datetime as dt

    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False
