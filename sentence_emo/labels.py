"""Label lists from the command line and from data cells: one parser for every ``--labels``-style value.

>>> split_list(" joy, anger ,, fear"), split_list(["a ", ""]), split_list(None)
(['joy', 'anger', 'fear'], ['a'], None)
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

__all__ = ["read_label_file", "read_labels", "split_list"]


def split_list(value: str | Iterable[object] | None, sep: str = ",") -> list[str] | None:
    """``"a, b,,c"`` -> ``["a", "b", "c"]`` (split on ``sep``, stripped, empties dropped); a sequence is
    stripped the same way; ``None`` stays ``None``."""
    if value is None:
        return None
    items = value.split(sep) if isinstance(value, str) else value
    return [text for text in (str(v).strip() for v in items) if text]


def read_label_file(path: str | os.PathLike[str]) -> list[str] | dict[str, str]:
    """Labels from a file: ``.json`` holds a list of names or ``{name: description}``; any other file has
    one label per line (blank lines and ``#`` comments skipped)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"label file not found: {path}")
    from sentence_emo.textfiles import read_json, read_text

    if path.suffix.lower() == ".json":
        data = read_json(path)  # errors name the file and line
        if not isinstance(data, (dict, list)):
            raise ValueError(f"{path}: expected a JSON list of names or an object {{name: description}}")
        return data
    lines = (line.strip() for line in read_text(path).splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def read_labels(value: str | None) -> list[str] | dict[str, str] | None:
    """A ``--labels`` value: the path of a label file (:func:`read_label_file`) or a comma-separated list.

    Raises ValueError when the value gives no label at all.
    """
    if value is None:
        return None
    labels = read_label_file(value) if Path(value).is_file() else split_list(value)
    if isinstance(labels, list):
        labels = [label for label in labels if not label.startswith("#")]
    if not labels:
        raise ValueError(f"--labels {value!r} gives no labels; pass e.g. --labels joy,anger,sadness")
    return labels
