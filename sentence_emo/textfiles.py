"""Strict readers for the user's text files: every error names the file and the line.

Used by ``predict --file``, ``eval --data`` and the corpus readers, so that the same file reads
the same way everywhere:

* the text must be UTF-8 (a leading byte-order mark is accepted); anything else is an
  :class:`InputFileError` naming the byte and line;
* CSV/TSV are read with ``strict`` quoting: a field that opens a quote and never closes it (or
  closes it mid-field) is refused with the line where the quote opens, instead of silently merging
  the following rows into one; in a TSV file a quoted field that spans lines *and* holds a tab is
  refused for the same reason (it is several rows glued together);
* a row with more fields than the header is refused;
* JSONL/JSON errors give the file and the real line number.

>>> import tempfile, os
>>> p = os.path.join(tempfile.mkdtemp(), "t.tsv")
>>> _ = open(p, "w").write('text\\tlabel\\n"Best day ever\\tjoy\\nI hate this\\tanger\\n')
>>> read_delimited(p)
Traceback (most recent call last):
...
sentence_emo.textfiles.InputFileError: ...t.tsv, line 2: a field opens a quote (") that is never closed ...
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

#: formats of ``read_texts_file`` (``predict --file``)
TEXT_FORMATS = ("lines", "csv", "tsv", "jsonl", "json")
_SUFFIX_FORMAT = {".txt": "lines", ".text": "lines", ".csv": "csv", ".tsv": "tsv", ".tab": "tsv",
                  ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}


class InputFileError(ValueError):
    """An input file cannot be read as it is; the message names the file, the line and the fix."""


def read_text(path: str | os.PathLike[str]) -> str:
    """The file's text (UTF-8, optional BOM), or an :class:`InputFileError` naming the bad byte's line."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"file not found: {path}")
    if path.is_dir():
        raise InputFileError(f"{path} is a directory; give a file")
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputFileError(
            f"{path}, line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            f"re-save the file as UTF-8"
        ) from None


def delimiter_for(path: str | os.PathLike[str]) -> str:
    return "\t" if Path(path).suffix.lower() in (".tsv", ".tab") else ","


def read_delimited(path: str | os.PathLike[str], delimiter: str | None = None
                   ) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """``(header, [(line where the row starts, {column: value})])`` of a CSV/TSV file with a header row.

    Missing trailing fields read as ``""``. Raises :class:`InputFileError` (see the module docstring).
    """
    path = Path(path)
    delimiter = delimiter or delimiter_for(path)
    text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputFileError(_quote_error(path, start, reader.line_num, str(exc))) from None
        if not fields or fields == [""]:
            continue  # blank line
        end = reader.line_num
        if header is None:
            header = [h.strip() for h in fields]
            continue
        if end > start and delimiter == "\t" and any("\t" in f and "\n" in f for f in fields):
            raise InputFileError(
                f"{path}, line {start}: a field opens a quote (\") that closes only on line {end}, gluing "
                f"{end - start + 1} lines into one row; if the quote belongs to the text, write it as \"\" or "
                f"quote the whole field"
            )
        if len(fields) > len(header):
            raise InputFileError(
                f"{path}, line {start}: {len(fields)} fields but the header has {len(header)} "
                f"({', '.join(map(repr, header))}); quote fields that contain {_name(delimiter)}"
            )
        rows.append((start, {name: (fields[i] if i < len(fields) else "") for i, name in enumerate(header)}))
    if header is None:
        raise InputFileError(f"{path}: the file is empty; expected a header row and data rows")
    return header, rows


def _name(delimiter: str) -> str:
    return {"\t": "tabs", ",": "commas", ";": "semicolons"}.get(delimiter, repr(delimiter))


def _quote_error(path: Path, start: int, now: int, detail: str) -> str:
    if "unexpected end of data" in detail or "EOF" in detail:
        return (f"{path}, line {start}: a field opens a quote (\") that is never closed (read to the end of the file); "
                f"close it, or write a quote inside text as \"\"")
    return (f"{path}, line {start}: a field opens a quote (\") that closes in the middle of a field (line {now}: "
            f"{detail}); quote the whole field and write inner quotes as \"\", or remove the opening quote")


def read_jsonl(path: str | os.PathLike[str]) -> list[tuple[int, Any]]:
    """``[(line number, value)]`` of a JSON-lines file (blank lines skipped)."""
    path = Path(path)
    out = []
    for lineno, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append((lineno, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise InputFileError(f"{path}, line {lineno}: invalid JSON ({exc.msg} at column {exc.colno}); "
                                 f"fix or delete that line") from None
    return out


def read_json(path: str | os.PathLike[str], *, fix: str = "") -> Any:
    """One JSON document; a syntax error names the file, line and column (and ``fix``, when given)."""
    path = Path(path)
    try:
        return json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise InputFileError(f"{path}, line {exc.lineno}: invalid JSON ({exc.msg} at column {exc.colno})"
                             + (f"; {fix}" if fix else "")) from None


def text_format(path: str | os.PathLike[str], file_format: str | None = None) -> str:
    """The format of a texts file: ``file_format`` when given, else from the extension (unknown = error)."""
    path = Path(path)
    if file_format not in (None, "auto"):
        if file_format not in TEXT_FORMATS:
            raise ValueError(f"unknown file format {file_format!r}; use one of {', '.join(TEXT_FORMATS)}")
        return file_format
    fmt = _SUFFIX_FORMAT.get(path.suffix.lower())
    if fmt is None:
        raise InputFileError(
            f"{path}: unknown extension {path.suffix or '(none)'!r}; use .txt (one text per line), .csv, .tsv, "
            f".jsonl or .json, or say how to read it with --file-format lines|csv|tsv|jsonl|json"
        )
    return fmt


def read_texts_file(path: str | os.PathLike[str], *, text_column: str = "text",
                    file_format: str | None = None) -> list[str]:
    """The texts of a file: one per line (``lines``), a column of CSV/TSV/JSONL, or a JSON array
    (of strings, or of objects with ``text_column``)."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"text file not found: {path}")
    fmt = text_format(path, file_format)
    if fmt == "lines":
        return [line for line in read_text(path).splitlines() if line.strip()]
    if fmt in ("csv", "tsv"):
        header, rows = read_delimited(path, "\t" if fmt == "tsv" else ",")
        if text_column not in header:
            raise InputFileError(f"{path}: no column {text_column!r} (columns: {', '.join(map(repr, header))}); "
                                 f"pick one with --text-column")
        return [row[text_column] for _, row in rows]
    if fmt == "jsonl":
        items = read_jsonl(path)
    else:
        data = read_json(path)
        if not isinstance(data, list):
            raise InputFileError(f"{path}: expected a JSON array of texts (or of objects with {text_column!r}), "
                                 f"got a {type(data).__name__}")
        items = [(i, item) for i, item in enumerate(data, start=1)]
    unit = "line" if fmt == "jsonl" else "item"
    texts = []
    for n, item in items:
        if isinstance(item, dict):
            if text_column not in item:
                raise InputFileError(f"{path}, {unit} {n}: no field {text_column!r} (fields: {sorted(item)}); "
                                     f"pick one with --text-column")
            item = item[text_column]
        if not isinstance(item, str):
            raise InputFileError(f"{path}, {unit} {n}: expected a text string, got {type(item).__name__} {item!r}")
        texts.append(item)
    return texts
