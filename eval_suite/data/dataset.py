"""What every loader returns: :class:`EvalDataset` (texts, label set, gold targets) and
:class:`ReferencePredictions` (another system's fixed decisions), plus :class:`DataFormatError`.

>>> ds = EvalDataset(name="toy", task="single_label", texts=["a", "b", "c"], labels=["x", "y"],
...                  targets=np.array([0, 1, 1]))
>>> sub = ds.subsample(2, seed=0)
>>> (len(sub), sub.n_total, sub.is_subsample)
(2, 3, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

TASKS = ("multi_label", "single_label", "regression")


class DataFormatError(ValueError):
    """A benchmark or user file does not have the expected format; the message names the fix."""


@dataclass
class EvalDataset:
    """One evaluation (or threshold-tuning) set."""

    name: str
    task: str
    texts: list[str]
    labels: list[str]
    targets: np.ndarray
    ids: list[str] | None = None
    split: str | None = None
    source: str | None = None
    label_descriptions: dict[str, str] | None = None
    #: who produced the gold targets: "human", "GPT-4 (teacher)", ... (shown in reports for tuning sets)
    label_source: str = "human"
    dimension: str | None = None
    n_total: int | None = None
    subsample_seed: int | None = None
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.task not in TASKS:
            raise ValueError(f"task must be one of {TASKS}, got {self.task!r}")
        self.targets = np.asarray(self.targets)
        if len(self.texts) != len(self.targets):
            raise ValueError(f"{self.name}: {len(self.texts)} texts but {len(self.targets)} targets")
        if self.ids is not None and len(self.ids) != len(self.texts):
            raise ValueError(f"{self.name}: {len(self.texts)} texts but {len(self.ids)} ids")
        if self.task == "multi_label" and (self.targets.ndim != 2 or self.targets.shape[1] != len(self.labels)):
            raise ValueError(f"{self.name}: multi-label targets must be (texts x {len(self.labels)} labels), "
                             f"got shape {self.targets.shape}")
        if self.n_total is None:
            self.n_total = len(self.texts)

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def is_subsample(self) -> bool:
        return len(self) < (self.n_total or 0)

    @property
    def display_name(self) -> str:
        return f"{self.name} ({self.split})" if self.split else self.name

    def label_set(self) -> list[str] | dict[str, str]:
        """What the classifier embeds: names, or ``{name: description}`` when descriptions exist."""
        if self.label_descriptions:
            return {name: self.label_descriptions.get(name, name) for name in self.labels}
        return list(self.labels)

    def take(self, indices: Sequence[int] | np.ndarray) -> EvalDataset:
        idx = np.asarray(indices, dtype=np.int64)
        return replace(
            self,
            texts=[self.texts[i] for i in idx],
            targets=self.targets[idx],
            ids=None if self.ids is None else [self.ids[i] for i in idx],
            notes=list(self.notes),
        )

    def subsample(self, max_rows: int | None, seed: int = 0) -> EvalDataset:
        """A random subset of ``max_rows`` rows (original order kept), fixed by ``seed``."""
        if max_rows is None or max_rows >= len(self):
            return self
        if max_rows < 1:
            raise ValueError(f"max_rows must be a positive number of rows, got {max_rows}")
        rng = np.random.default_rng(seed)
        idx = np.sort(rng.choice(len(self), size=max_rows, replace=False))
        out = self.take(idx)
        out.n_total = self.n_total
        out.subsample_seed = seed
        return out

    def describe(self) -> str:
        if self.is_subsample:
            return f"{len(self):,} of {self.n_total:,} rows (random subsample, seed {self.subsample_seed})"
        return f"{len(self):,} rows"


@dataclass
class ReferencePredictions:
    """Fixed label decisions of another system on a dataset (e.g. GPT-4's zero-shot labels)."""

    name: str
    ids: list[str]
    predictions: np.ndarray  # (n, L) 0/1
    failed: np.ndarray  # (n,) bool: no usable output (counted as no label)
    rule: str
    source: str | None = None

    def align(self, ids: Sequence[str]) -> ReferencePredictions:
        """Rows in the order of ``ids`` (e.g. a subsample of the gold set)."""
        where = {i: k for k, i in enumerate(self.ids)}
        missing = [i for i in ids if i not in where]
        if missing:
            raise DataFormatError(f"{self.name}: no prediction for ids {missing[:5]} "
                                  f"({len(missing)} missing); the files are not aligned")
        idx = np.array([where[i] for i in ids], dtype=np.int64)
        return replace(self, ids=list(ids), predictions=self.predictions[idx], failed=self.failed[idx])



def truthy(value: Any, where: str) -> int:
    """0/1 from a one-hot cell (bool, 0/1, true/false, yes/no; empty = 0)."""
    if isinstance(value, (bool, np.bool_)):
        return int(value)
    text = str(value).strip().lower()
    if text in ("1", "1.0", "true", "yes"):
        return 1
    if text in ("0", "0.0", "false", "no", ""):
        return 0
    raise DataFormatError(f"{where}: one-hot label columns must hold 0/1 (or true/false), got {value!r}")
