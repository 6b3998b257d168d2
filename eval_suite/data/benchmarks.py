"""The benchmark adapters (GoEmotions, SemEval-2018 E-c, ISEAR, EmoBank, ...), from a local mirror or
the public sources (layout in :mod:`eval_suite.data`)."""

from __future__ import annotations

import csv
import logging
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.preprocessing import MultiLabelBinarizer

from eval_suite import hub_sources as HS
from eval_suite.data.dataset import DataFormatError, EvalDataset, ReferencePredictions, truthy
from eval_suite.hub_sources import DATA_DIR_ENV
from sentence_emo.labels import split_list

logger = logging.getLogger(__name__)

GOEMOTIONS_DIR = "goemotions"
GPT4_DIR = "gpt4_goemotions_chailab"
SEMEVAL_DIR = "semeval2018_ec"
SEMEVAL_LABELS = ["anger", "anticipation", "disgust", "fear", "joy", "love", "optimism", "pessimism",
                  "sadness", "surprise", "trust"]
ISEAR_FILE = "isear/isear_parsed.csv"
ISEAR_LABELS = ["joy", "fear", "anger", "sadness", "disgust", "shame", "guilt"]
EMOBANK_FILE = "emobank/emobank.csv"
#: validation sets for label sets the teacher never saw (recipe selection only; never trained on)
EMPATHETIC_FILE = "empathetic_dialogues/test.csv"
EMPATHETIC_LABELS = ["surprised", "excited", "annoyed", "proud", "angry", "sad", "grateful", "lonely", "impressed",
                     "afraid", "disgusted", "confident", "terrified", "hopeful", "anxious", "disappointed", "joyful",
                     "prepared", "guilty", "furious", "nostalgic", "jealous", "anticipating", "embarrassed", "content",
                     "devastated", "sentimental", "caring", "trusting", "ashamed", "apprehensive", "faithful"]
AFFECTIVE_TEXT_FILE = "semeval2007_affective_text/test.csv"
AFFECTIVE_TEXT_LABELS = ["anger", "disgust", "fear", "joy", "sadness", "surprise"]
EMOBANK_DIMENSIONS = {"V": "valence", "A": "arousal", "D": "dominance"}


# -- data directory -------------------------------------------------------------------------------
def resolve_data_dir(data_dir: str | os.PathLike[str] | None = None, *, must_exist: bool = True) -> Path | None:
    """``data_dir`` if given, else ``$SENTENCE_EMO_DATA_DIR``, else ``None``: the public sources."""
    chosen = data_dir if data_dir is not None else os.environ.get(DATA_DIR_ENV) or None
    if chosen is None:
        return None
    path = Path(chosen).expanduser()
    if must_exist and not path.is_dir():
        raise FileNotFoundError(
            f"benchmark data directory not found: {path.resolve()}; pass --data-dir DIR or set "
            f"{DATA_DIR_ENV} to the folder holding goemotions/, semeval2018_ec/, isear/, emobank/"
        )
    return path


def _csv_rows(path: Path, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line number, row)`` of a CSV file with a header; a missing required column is a DataFormatError."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise DataFormatError(f"{path}: no column {missing[0]!r} (columns: {reader.fieldnames})")
        yield from enumerate(reader, start=2)


def _mirror_root(data_dir: str | os.PathLike[str] | None, key: str) -> Path:
    """The data dir of a benchmark that only a local mirror has (no public source)."""
    root = resolve_data_dir(data_dir)
    if root is None:
        raise HS.mirror_only(key)
    return root


def _need(path: Path, what: str) -> Path:
    if not path.is_file():
        raise FileNotFoundError(f"{what} not found at {path}; check --data-dir / {DATA_DIR_ENV} "
                                f"(expected the layout of the shared benchmark folder)")
    return path


# -- GoEmotions -----------------------------------------------------------------------------------
def read_goemotions_labels(data_dir: str | os.PathLike[str] | None = None) -> list[str]:
    root = resolve_data_dir(data_dir)
    if root is None:
        return _class_names(HS.load_split("goemotions", "test"), "labels")
    path = _need(root / GOEMOTIONS_DIR / "labels.txt", "GoEmotions labels.txt")
    labels = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if len(labels) != 28:
        logger.warning("%s lists %d labels, GoEmotions has 28", path, len(labels))
    return labels


def load_goemotions(data_dir: str | os.PathLike[str] | None = None, split: str = "test") -> EvalDataset:
    """GoEmotions ``split`` (train/dev/test): 28 labels, multi-label, human gold labels."""
    if split not in ("train", "dev", "test"):
        raise ValueError(f"GoEmotions split must be train, dev or test, got {split!r}")
    root = resolve_data_dir(data_dir)
    if root is None:
        hub, source = HS.load_split("goemotions", split), HS.SOURCES["goemotions"]
        _require_hub_columns(hub, ("text", "labels", "id"), "goemotions")
        return _goemotions(_class_names(hub, "labels"), hub["text"], [str(i) for i in hub["id"]], hub["labels"],
                           split, f"{source.describe()}, split {source.splits[split]}")
    labels = read_goemotions_labels(root)
    path = _need(root / GOEMOTIONS_DIR / f"{split}.tsv", f"GoEmotions {split}.tsv")
    texts, ids, rows = [], [], []
    with path.open(encoding="utf-8", newline="") as f:
        for lineno, row in enumerate(csv.reader(f, delimiter="\t"), start=1):
            if len(row) != 3:
                raise DataFormatError(f"{path}, line {lineno}: expected 3 tab-separated fields "
                                      f"(text, label ids, comment id), got {len(row)}")
            text, label_ids, comment_id = row
            try:
                idx = [int(x) for x in label_ids.split(",") if x.strip()]
            except ValueError as exc:
                raise DataFormatError(f"{path}, line {lineno}: label ids must be integers, got {label_ids!r}") from exc
            texts.append(text)
            ids.append(comment_id)
            rows.append(idx)
    return _goemotions(labels, texts, ids, rows, split, str(path))


def _goemotions(labels: list[str], texts: list[str], ids: list[str], rows: Sequence[Sequence[int]], split: str,
                source: str) -> EvalDataset:
    targets = np.zeros((len(texts), len(labels)), dtype=np.int8)
    for i, idx in enumerate(rows):
        bad = [j for j in idx if not 0 <= j < len(labels)]
        if bad:
            raise DataFormatError(f"{source}, row {i + 1}: label id {bad[0]} outside 0..{len(labels) - 1}")
        targets[i, list(idx)] = 1
    return EvalDataset(name="GoEmotions", task="multi_label", texts=list(texts), labels=labels, targets=targets,
                       ids=ids, split=split, source=source)


def _class_names(dataset: Any, column: str) -> list[str]:
    """The ClassLabel names of ``column`` (a label or a list of labels) of a Hub dataset."""
    feature = dataset.features.get(column)
    names = getattr(getattr(feature, "feature", feature), "names", None)
    if not names:
        raise DataFormatError(f"Hub dataset column {column!r} is {feature!r}, not a ClassLabel (list) with names; "
                              f"the repo layout changed - pass --data-dir to a local mirror")
    return list(names)


def _require_hub_columns(dataset: Any, columns: Sequence[str], key: str) -> None:
    missing = [c for c in columns if c not in dataset.column_names]
    if missing:
        raise DataFormatError(f"{HS.SOURCES[key].describe()}: no column {missing[0]!r} (columns: "
                              f"{', '.join(dataset.column_names)}); the repo layout changed - pass --data-dir to a "
                              f"local mirror")


def load_goemotions_gpt4(data_dir: str | os.PathLike[str] | None = None, split: str = "test") -> ReferencePredictions:
    """GPT-4's zero-shot GoEmotions labels (chailab); ``FAILED_*`` rows are flagged and get no label."""
    file_split = {"dev": "val", "val": "val", "test": "test"}.get(split)
    if file_split is None:
        raise ValueError(f"GPT-4 GoEmotions annotations exist for dev and test, got split {split!r}")
    root = resolve_data_dir(data_dir)
    labels = read_goemotions_labels(root)
    index = {name: j for j, name in enumerate(labels)}
    if root is None:
        path = Path(HS.download("gpt4-dev" if file_split == "val" else "gpt4-test"))
    else:
        path = _need(root / GPT4_DIR / f"goemotions_complete_{file_split}_annotations.csv",
                     f"GPT-4 GoEmotions {split} annotations")
    ids: list[str] = []
    preds: list[list[int]] = []
    failed: list[bool] = []
    for lineno, row in _csv_rows(path, ("id", "gpt_label")):
        value = (row["gpt_label"] or "").strip()
        ids.append(row["id"])
        if value.startswith("FAILED"):
            failed.append(True)
            preds.append([])
            continue
        names = split_list(value)
        unknown = [n for n in names if n not in index]
        if unknown:
            raise DataFormatError(f"{path}, line {lineno}: gpt_label {unknown[0]!r} is not a GoEmotions label")
        failed.append(False)
        preds.append([index[n] for n in names])
    matrix = MultiLabelBinarizer(classes=range(len(labels))).fit_transform(preds).astype(np.int8)
    return ReferencePredictions(name="GPT-4 zero-shot", ids=ids, predictions=matrix,
                                failed=np.array(failed, dtype=bool),
                                rule="GPT-4's released labels (FAILED_* rows = no label)", source=str(path))


def load_goemotions_teacher_dev(data_dir: str | os.PathLike[str] | None = None) -> EvalDataset:
    """GoEmotions dev texts with GPT-4 teacher labels (no human labels): the label-free tuning set.

    Rows whose GPT-4 annotation failed are dropped.
    """
    dev = load_goemotions(data_dir, "dev")
    gpt = load_goemotions_gpt4(data_dir, "dev").align(dev.ids or [])
    keep = np.flatnonzero(~gpt.failed)
    out = dev.take(keep)
    out.targets = gpt.predictions[keep]
    out.n_total = len(out)
    out.label_source = "GPT-4 teacher labels, label-free"
    out.source = gpt.source
    out.notes.append(f"{int(gpt.failed.sum())} FAILED_* GPT-4 rows dropped")
    return out


# -- SemEval-2018 E-c -----------------------------------------------------------------------------
def load_semeval(data_dir: str | os.PathLike[str] | None = None, split: str = "dev",
                 path: str | os.PathLike[str] | None = None) -> EvalDataset:
    """SemEval-2018 Task 1 E-c English (11 labels, multi-label): ``train``/``dev`` from the data dir
    (or the Hub), or any file of the same format (e.g. the test gold) via ``path``."""
    if path is None:
        if split not in ("train", "dev", "test"):
            raise ValueError(f"SemEval split must be train, dev or test, got {split!r}")
        root = resolve_data_dir(data_dir)
        if root is None:
            return _semeval_hub(split)
        path = root / SEMEVAL_DIR / f"2018-E-c-En-{split}.txt"
        if split == "test" and not Path(path).is_file():
            raise FileNotFoundError(f"SemEval-2018 E-c test gold not found at {path}; pass its path "
                                    f"(--semeval-test FILE) — it is not part of the shared data folder")
    path = _need(Path(path), f"SemEval-2018 E-c {split} file")
    texts, ids, rows = [], [], []
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        expected = ["ID", "Tweet", *SEMEVAL_LABELS]
        if header is None or [h.strip() for h in header] != expected:
            raise DataFormatError(f"{path}: expected the header {' '.join(expected)!r}, got {header!r}")
        for lineno, row in enumerate(reader, start=2):
            if not row:
                continue
            if len(row) != len(expected):
                raise DataFormatError(f"{path}, line {lineno}: expected {len(expected)} tab-separated fields, "
                                      f"got {len(row)}")
            try:
                values = [int(v) for v in row[2:]]
            except ValueError as exc:
                raise DataFormatError(f"{path}, line {lineno}: emotion columns must be 0 or 1") from exc
            if any(v not in (0, 1) for v in values):
                raise DataFormatError(f"{path}, line {lineno}: emotion columns must be 0 or 1, got {values}")
            ids.append(row[0])
            texts.append(row[1])
            rows.append(values)
    targets = np.array(rows, dtype=np.int8).reshape(len(rows), len(SEMEVAL_LABELS))
    return EvalDataset(name="SemEval-2018 E-c", task="multi_label", texts=texts, labels=list(SEMEVAL_LABELS),
                       targets=targets, ids=ids, split=split, source=str(path))


def _semeval_hub(split: str) -> EvalDataset:
    hub = HS.load_split("semeval", split)
    _require_hub_columns(hub, ("ID", "Tweet", *SEMEVAL_LABELS), "semeval")
    source = f"{HS.SOURCES['semeval'].describe()}, split {HS.SOURCES['semeval'].splits[split]}"
    columns = [[truthy(v, f"{source}, column {label!r}") for v in hub[label]] for label in SEMEVAL_LABELS]
    targets = np.array(columns, dtype=np.int8).T.reshape(len(hub), len(SEMEVAL_LABELS))
    return EvalDataset(name="SemEval-2018 E-c", task="multi_label", texts=list(hub["Tweet"]),
                       labels=list(SEMEVAL_LABELS), targets=targets, ids=[str(i) for i in hub["ID"]], split=split,
                       source=source)


# -- single-label text,label CSVs (ISEAR; validation sets for unseen label sets) ------------------
def load_isear(data_dir: str | os.PathLike[str] | None = None) -> EvalDataset:
    """ISEAR (7 labels, single-label, 7,666 situations; no official split). Local mirror only."""
    path = _need(_mirror_root(data_dir, "isear") / ISEAR_FILE, "ISEAR isear_parsed.csv")
    return _load_text_label_csv(path, "ISEAR", ISEAR_LABELS, "all", text="SIT", label="Field1", row_id="MYKEY")


def _load_text_label_csv(path: Path, name: str, labels: Sequence[str], split: str, *, text: str = "text",
                         label: str = "label", row_id: str | None = None) -> EvalDataset:
    """Rows of a CSV with a ``text`` and a ``label`` column (ids from ``row_id``, else the line number)."""
    index = {name: j for j, name in enumerate(labels)}
    texts, ids, targets = [], [], []
    for lineno, row in _csv_rows(path, (label, text)):
        value = (row[label] or "").strip().lower()
        if value not in index:
            raise DataFormatError(f"{path}, line {lineno}: {label} {value!r} is not one of {name}'s {len(labels)} "
                                  f"labels ({', '.join(labels)})")
        cleaned = " ".join((row[text] or "").split())
        if not cleaned:
            logger.warning("%s, line %d: empty %s text skipped", path, lineno, text)
            continue
        texts.append(cleaned)
        ids.append(row.get(row_id) or str(lineno))
        targets.append(index[value])
    return EvalDataset(name=name, task="single_label", texts=texts, labels=list(labels),
                       targets=np.array(targets, dtype=np.int64), ids=ids, split=split, source=str(path))


def load_empathetic_dialogues(data_dir: str | os.PathLike[str] | None = None) -> EvalDataset:
    """EmpatheticDialogues test situations (32 labels, single-label, 2,547 rows)."""
    path = _need(_mirror_root(data_dir, "empathetic") / EMPATHETIC_FILE, "EmpatheticDialogues test.csv")
    return _load_text_label_csv(path, "EmpatheticDialogues", EMPATHETIC_LABELS, "test")


def load_affective_text(data_dir: str | os.PathLike[str] | None = None) -> EvalDataset:
    """SemEval-2007 Affective Text headlines, dominant emotion (6 labels, single-label, 350 rows)."""
    path = _need(_mirror_root(data_dir, "affective") / AFFECTIVE_TEXT_FILE, "SemEval-2007 Affective Text test.csv")
    return _load_text_label_csv(path, "AffectiveText", AFFECTIVE_TEXT_LABELS, "test")


# -- EmoBank --------------------------------------------------------------------------------------
def load_emobank(data_dir: str | os.PathLike[str] | None = None, split: str = "test",
                 dimension: str = "V") -> EvalDataset:
    """EmoBank ``split`` with the gold ``dimension`` (V = valence, A = arousal, D = dominance; 1-5)."""
    dim = dimension.upper()[:1] if dimension.lower() in ("valence", "arousal", "dominance") else dimension.upper()
    if dim not in EMOBANK_DIMENSIONS:
        raise ValueError(f"EmoBank dimension must be V, A or D (valence/arousal/dominance), got {dimension!r}")
    root = resolve_data_dir(data_dir)
    path = Path(HS.download("emobank")) if root is None else _need(root / EMOBANK_FILE, "EmoBank emobank.csv")
    texts, ids, values = [], [], []
    for lineno, row in _csv_rows(path, ("id", "split", dim, "text")):
        if row["split"] != split:
            continue
        text = (row["text"] or "").strip()
        if not text:
            continue
        try:
            values.append(float(row[dim]))
        except ValueError as exc:
            raise DataFormatError(f"{path}, line {lineno}: {dim} must be a number, got {row[dim]!r}") from exc
        texts.append(text)
        ids.append(row["id"])
    if not texts:
        raise DataFormatError(f"{path}: no rows with split == {split!r} (splits are train, dev, test)")
    return EvalDataset(name="EmoBank", task="regression", texts=texts, labels=[], targets=np.array(values),
                       ids=ids, split=split, source=str(path), dimension=EMOBANK_DIMENSIONS[dim])
