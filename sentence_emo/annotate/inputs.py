"""Read the texts to annotate from CSV/TSV/JSONL/Parquet (via :func:`sentence_emo.corpus.iter_rows`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sentence_emo.corpus import iter_rows

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class InputRow:
    """One input row: its position (1-based line/row number in the file), id and text.

    ``text`` is ``None`` or blank for rows that will be recorded as ``empty_text`` failures.
    """

    row: int
    id: str
    text: str | None


def read_input(
    path: str | Path,
    *,
    text_column: str = "text",
    id_column: str | None = None,
    limit: int | None = None,
) -> list[InputRow]:
    """Read rows from ``path``; ids default to ``"<file stem>:<line>"`` like :func:`load_corpus`.

    Raises ``ValueError`` for an unknown column (listing the available ones), a non-string text,
    or a missing/duplicate id; empty texts are kept (they become ``empty_text`` failures).
    """
    path = Path(path)
    if limit is not None and limit < 1:
        raise ValueError(f"--limit must be >= 1, got {limit}")
    rows: list[InputRow] = []
    columns: dict[str, None] = {}
    seen_ids: dict[str, int] = {}
    for lineno, raw in iter_rows(path):
        if not isinstance(raw, dict):
            raise ValueError(f"{path}, line {lineno}: expected an object per line, got {type(raw).__name__}")
        columns.update(dict.fromkeys(raw))
        if text_column not in raw:
            raise ValueError(
                f"{path}: no text column {text_column!r} (line {lineno}); available columns: "
                f"{', '.join(map(repr, columns))}. Pass the right one with --text-column"
            )
        text = raw[text_column]
        if text is not None and not isinstance(text, str):
            raise ValueError(
                f"{path}, line {lineno}: column {text_column!r} holds {type(text).__name__} {text!r}, not text; "
                f"convert the column to strings"
            )
        if id_column is not None:
            if id_column not in raw:
                raise ValueError(
                    f"{path}: no id column {id_column!r} (line {lineno}); available columns: "
                    f"{', '.join(map(repr, columns))}. Pass the right one with --id-column or omit it"
                )
            rid = raw[id_column]
            if rid is None or not str(rid).strip():
                raise ValueError(f"{path}, line {lineno}: empty id in column {id_column!r}; give every row an id")
            rid = str(rid)
        else:
            rid = f"{path.stem}:{lineno}"
        if rid in seen_ids:
            raise ValueError(
                f"{path}, line {lineno}: duplicate id {rid!r} (first on line {seen_ids[rid]}); ids must be unique"
            )
        seen_ids[rid] = lineno
        rows.append(InputRow(row=lineno, id=rid, text=text))
        if limit is not None and len(rows) >= limit:
            break
    if not rows:
        raise ValueError(f"{path}: no rows to annotate; the file is empty")
    return rows
