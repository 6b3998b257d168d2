"""The user's own labelled data as an :class:`~eval_suite.data.EvalDataset`.

:func:`load_user_dataset` reads CSV/TSV/JSONL/JSON/Parquet, a ``datasets`` Dataset(Dict), a
``save_to_disk`` folder or a Hub dataset id (:func:`read_table`), takes gold labels from one column
(single, joined multi-label, list-valued or numeric) or from one-hot columns, and names every bad
cell with its row and the flag that fixes it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.preprocessing import MultiLabelBinarizer

from eval_suite.data import DataFormatError, EvalDataset, truthy
from sentence_emo.labels import split_list
from sentence_emo.textfiles import read_json

logger = logging.getLogger(__name__)


def read_table(source: Any, *, split: str | None = None):
    """A pandas DataFrame from CSV/TSV/JSONL/JSON/Parquet, a ``datasets`` Dataset(Dict), a
    ``save_to_disk`` folder, or a Hub dataset id (needs network or the local HF cache)."""
    import pandas as pd

    if isinstance(source, pd.DataFrame):
        return source.reset_index(drop=True)
    if hasattr(source, "to_pandas") and hasattr(source, "column_names"):
        return source.to_pandas()
    if hasattr(source, "keys") and hasattr(source, "column_names"):  # DatasetDict
        return _pick_split(source, split, "the given DatasetDict").to_pandas()
    path = Path(str(source)).expanduser()
    if path.is_dir():
        import datasets

        loaded = datasets.load_from_disk(str(path))
        if isinstance(loaded, datasets.DatasetDict):
            loaded = _pick_split(loaded, split, str(path))
        return loaded.to_pandas()
    if path.is_file():
        suffix = path.suffix.lower()
        from sentence_emo.textfiles import read_delimited, read_json, read_jsonl

        if suffix in (".csv", ".tsv", ".tab"):
            # strict quoting: an unclosed quote is an error naming its line, never rows merged silently
            header, rows = read_delimited(path)
            return pd.DataFrame([row for _, row in rows], columns=header, dtype=object)
        if suffix in (".jsonl", ".ndjson"):
            return _records_frame(path, read_jsonl(path), "line")
        if suffix == ".json":
            data = read_json(path)
            if isinstance(data, list):
                return _records_frame(path, list(enumerate(data, start=1)), "item")
            if isinstance(data, dict) and all(isinstance(v, (list, dict)) for v in data.values()):
                return pd.DataFrame(data)
            raise DataFormatError(f"{path}: expected a JSON array of row objects or an object of columns")
        if suffix in (".parquet", ".pq"):
            return pd.read_parquet(path)
        raise DataFormatError(f"{path}: unknown file type {suffix!r}; use .csv, .tsv, .jsonl, .json or .parquet "
                              f"(or a datasets folder saved with save_to_disk)")
    if "/" in str(source) and not str(source).startswith((".", "/")):
        import datasets

        from sentence_emo.errors import is_connection_error, not_local_nor_hub

        try:
            loaded = datasets.load_dataset(str(source), split=split or "test")
        except Exception as exc:
            if is_connection_error(exc) or isinstance(exc, OSError) or type(exc).__name__ == "DatasetNotFoundError":
                raise not_local_nor_hub(str(source), exc, what="data") from exc
            raise
        return loaded.to_pandas()
    raise FileNotFoundError(f"data not found: {source}; give a .csv/.tsv/.jsonl/.parquet file, a datasets "
                            f"folder or a Hub dataset id")


def _records_frame(path: Path, items: list[tuple[int, Any]], unit: str):
    import pandas as pd

    for n, item in items:
        if not isinstance(item, dict):
            raise DataFormatError(f"{path}, {unit} {n}: expected a JSON object (one row), got {type(item).__name__}")
    return pd.DataFrame([item for _, item in items])


def _pick_split(dataset_dict: Any, split: str | None, where: str):
    splits = list(dataset_dict.keys())
    if split is None:
        if len(splits) == 1:
            return dataset_dict[splits[0]]
        raise DataFormatError(f"{where} has several splits ({', '.join(splits)}); choose one with --split")
    if split not in dataset_dict:
        raise DataFormatError(f"{where} has no split {split!r} (splits: {', '.join(splits)}); fix --split")
    return dataset_dict[split]


def _require_columns(df: Any, columns: Sequence[str], where: str, flag: str) -> None:
    available = [str(c) for c in df.columns]
    for column in columns:
        if column not in available:
            raise DataFormatError(f"{where}: no column {column!r} (available columns: {', '.join(available)}); "
                                  f"pick one with {flag}")


def _label_list(value: Any, multi_label: bool, sep: str) -> list[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    if isinstance(value, (list, tuple, np.ndarray)):
        return split_list(value)
    return split_list(str(value), sep) if multi_label else split_list([value])


#: gold cells that are a missing value written out, not a label
MISSING_VALUE_WORDS = ("nan", "none", "null", "n/a", "na", "<na>")
_SEPARATORS = (",", ";", "|")


def _check_gold_cells(gold: Sequence[Sequence[str]], keep: Sequence[int], where: str, column: str,
                      multi_label: bool, sep: str, *, inferred: bool) -> None:
    """Refuse gold labels that are missing values (``NaN``, ``None``...) or several labels joined by
    another separator than ``sep`` (e.g. ``joy,excitement`` with ``--sep ';'``)."""
    for i, row in zip(keep, gold):
        for label in row:
            if label.strip().lower() in MISSING_VALUE_WORDS:
                raise DataFormatError(f"{where}, row {i + 1}: gold label {label!r} in {column!r} looks like a missing "
                                      f"value, not a label; fill the cell with a label or drop the row")
    if not inferred:
        return  # an explicit --labels catches unknown labels itself (with the rows)
    for i, row in zip(keep, gold):
        for label in row:
            other = next((s for s in _SEPARATORS if (s != sep or not multi_label) and s in label), None)
            if other is not None:
                fix = (f"--sep {other!r}" if multi_label else f"--multi-label --sep {other!r}")
                raise DataFormatError(f"{where}, row {i + 1}: gold label {label!r} contains {other!r}; if the cell "
                                      f"holds several labels, pass {fix} (or name the label set with --labels)")
    distinct = {x for row in gold for x in row}
    if len(gold) >= 20 and len(distinct) > len(gold) / 2:
        raise DataFormatError(f"{where}: {len(distinct)} distinct gold labels in {len(gold)} rows in {column!r} - that "
                              f"looks like text, ids or a wrong --sep rather than labels; check --label-column/--sep, "
                              f"or name the label set with --labels")


def load_label_descriptions(path: str | os.PathLike[str] | Mapping[str, str] | None) -> dict[str, str] | None:
    """``{label name: description}`` from a JSON file (or a mapping, passed through after checks)."""
    if path is None:
        return None
    if isinstance(path, Mapping):
        data: Any = dict(path)
        where = "label descriptions"
    else:
        file = Path(path)
        if not file.is_file():
            raise FileNotFoundError(f"label descriptions file not found: {file}")
        data, where = read_json(file), str(file)  # a syntax error names the file, line and column
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise DataFormatError(f"{where}: expected a JSON object mapping label names to description strings")
    return {k.strip(): v.strip() for k, v in data.items()}


def load_user_dataset(
    source: Any,
    *,
    text_column: str = "text",
    label_column: str | None = None,
    label_columns: Sequence[str] | None = None,
    multi_label: bool = False,
    sep: str = ",",
    labels: Sequence[str] | None = None,
    label_ids: bool = False,
    label_descriptions: str | os.PathLike[str] | Mapping[str, str] | None = None,
    regression: bool = False,
    split: str | None = None,
    name: str | None = None,
) -> EvalDataset:
    """Turn the user's table into an :class:`EvalDataset`.

    Gold labels come from ``label_column`` (one label per row, or several joined by ``sep`` with
    ``multi_label``; list-valued cells work too), from one-hot ``label_columns``, or, with
    ``regression``, ``label_column`` holds a number. The label set is ``labels`` when given (gold
    labels outside it raise an error that lists the rows), else the sorted distinct gold labels.
    With ``label_ids`` the gold labels are 0-based indices into ``labels``.
    """
    df = read_table(source, split=split)
    where = str(source) if isinstance(source, (str, os.PathLike)) else (name or "the dataset")
    if len(df) == 0:
        raise DataFormatError(f"{where}: no rows")
    _require_columns(df, [text_column], where, "--text-column")
    if regression and label_columns:
        raise ValueError("--regression takes one numeric --label-column, not --label-columns")
    if label_column is None and not label_columns:
        raise ValueError(f"{where}: say where the gold labels are: --label-column COL (single/multi-label or "
                         f"numeric with --regression) or --label-columns a,b,c (one-hot)")
    if label_column is not None and label_columns:
        raise ValueError("give either --label-column or --label-columns, not both")

    texts_raw = df[text_column].tolist()
    keep: list[int] = []
    for i, text in enumerate(texts_raw):
        if isinstance(text, str) and text.strip():
            keep.append(i)
    dropped = len(df) - len(keep)
    if not keep:
        raise DataFormatError(f"{where}: column {text_column!r} holds no non-empty text")
    texts = [" ".join(str(texts_raw[i]).split()) for i in keep]
    notes = [f"{dropped} rows with empty text skipped"] if dropped else []
    if dropped:
        logger.warning("%s: %d rows with empty %r skipped", where, dropped, text_column)
    descriptions = load_label_descriptions(label_descriptions)
    label_names = [str(x).strip() for x in labels] if labels is not None else None
    if label_names is not None and (not label_names or any(not x for x in label_names)):
        raise ValueError(f"--labels must be non-empty names, got {labels!r}")
    if label_names is not None and len(set(label_names)) != len(label_names):
        raise ValueError(f"--labels has duplicates: {label_names}")

    if regression:
        _require_columns(df, [label_column], where, "--label-column")
        values = []
        for i in keep:
            raw = df[label_column].iloc[i]
            try:
                values.append(float(raw))
            except (TypeError, ValueError):
                raise DataFormatError(f"{where}, row {i + 1}: --regression needs a number in {label_column!r}, "
                                      f"got {raw!r}") from None
        if not np.isfinite(values).all():
            bad = int(np.flatnonzero(~np.isfinite(values))[0])
            raise DataFormatError(f"{where}, row {keep[bad] + 1}: {label_column!r} is not a finite number")
        return EvalDataset(name=name or Path(str(source)).stem, task="regression", texts=texts, labels=[],
                           targets=np.array(values, dtype=np.float64), split=split, source=str(source),
                           dimension=label_column, notes=notes)

    if label_columns:
        columns = [str(c).strip() for c in label_columns]
        _require_columns(df, columns, where, "--label-columns")
        names = columns if label_names is None else label_names
        if len(names) != len(columns):
            raise ValueError(f"--labels gives {len(names)} names for {len(columns)} --label-columns; "
                             f"give one name per column (in the same order) or drop --labels")
        targets = np.array([[truthy(df[c].iloc[i], f"{where}, row {i + 1}, column {c!r}") for c in columns]
                            for i in keep], dtype=np.int8)
        return _finish_user(name, source, split, "multi_label", texts, names, targets, descriptions, notes)

    _require_columns(df, [label_column], where, "--label-column")
    gold = [_label_list(df[label_column].iloc[i], multi_label, sep) for i in keep]
    if label_ids:
        if label_names is None:
            raise ValueError("--label-ids needs --labels (the names, in id order)")
        converted = []
        for row_no, row in zip(keep, gold):
            try:
                ids = [int(float(x)) for x in row]
            except ValueError:
                raise DataFormatError(f"{where}, row {row_no + 1}: --label-ids expects integer ids, got {row}") from None
            bad = [x for x in ids if not 0 <= x < len(label_names)]
            if bad:
                raise DataFormatError(f"{where}, row {row_no + 1}: label id {bad[0]} outside 0..{len(label_names) - 1} "
                                      f"(--labels has {len(label_names)} names)")
            converted.append([label_names[x] for x in ids])
        gold = converted
    _check_gold_cells(gold, keep, where, label_column, multi_label, sep, inferred=label_names is None)
    if label_names is None:
        label_names = sorted({x for row in gold for x in row})
        if not label_names:
            raise DataFormatError(f"{where}: column {label_column!r} holds no labels")
        if len(label_names) < 2:
            raise DataFormatError(
                f"{where}: every row has the gold label {label_names[0]!r} and no --labels was given, so the label "
                f"set would be just that label and every score a trivial 1.000; name the full label set with "
                f"--labels {label_names[0]},other,labels")
    if len(texts) < 2:
        message = (f"{where}: only {len(texts)} row with text; scores from one row are 0 or 1 and mean nothing "
                   f"(evaluate on more rows)")
        logger.warning(message)
        notes.append(f"WARNING: {len(texts)} row only; the scores are not meaningful")
    index = {x: j for j, x in enumerate(label_names)}
    unknown: dict[str, list[int]] = {}
    for row_no, row in zip(keep, gold):
        for x in row:
            if x not in index:
                unknown.setdefault(x, []).append(row_no + 1)
    if unknown:
        parts = [f"{x!r} (rows {', '.join(map(str, rows[:5]))}{', ...' if len(rows) > 5 else ''})"
                 for x, rows in sorted(unknown.items())]
        raise DataFormatError(f"{where}: gold labels not in --labels: {'; '.join(parts)}; add them to --labels "
                              f"or fix those rows" + ("" if multi_label else
                                                      " (several labels per cell? use --multi-label --sep)"))
    if multi_label:
        targets = MultiLabelBinarizer(classes=range(len(label_names))).fit_transform(
            [[index[x] for x in row] for row in gold]).astype(np.int8)
        task = "multi_label"
    else:
        empty = [keep[i] + 1 for i, row in enumerate(gold) if not row]
        if empty:
            raise DataFormatError(f"{where}: rows {empty[:5]} have no gold label in {label_column!r}; a single-label "
                                  f"set needs exactly one per row (fill them or drop those rows)")
        several = [(keep[i] + 1, row) for i, row in enumerate(gold) if len(row) > 1]
        if several:
            row_no, row = several[0]
            raise DataFormatError(f"{where}: row {row_no} has {len(row)} gold labels {row} in {label_column!r} "
                                  f"({len(several)} such rows); a single-label set needs exactly one per row "
                                  f"(use --multi-label for label lists)")
        targets = np.array([index[row[0]] for row in gold], dtype=np.int64)
        task = "single_label"
    return _finish_user(name, source, split, task, texts, label_names, targets, descriptions, notes)


def _finish_user(name: str | None, source: Any, split: str | None, task: str, texts: list[str], labels: list[str],
                 targets: np.ndarray, descriptions: dict[str, str] | None, notes: list[str]) -> EvalDataset:
    if descriptions:
        extra = [k for k in descriptions if k not in labels]
        if extra:
            raise DataFormatError(f"label descriptions name labels that are not in the label set: {extra}; "
                                  f"labels are {labels}")
    display = name or (Path(str(source)).stem if isinstance(source, (str, os.PathLike)) else "user data")
    return EvalDataset(name=display, task=task, texts=texts, labels=list(labels), targets=targets, split=split,
                       source=str(source) if isinstance(source, (str, os.PathLike)) else type(source).__name__,
                       label_descriptions=descriptions, notes=notes)
