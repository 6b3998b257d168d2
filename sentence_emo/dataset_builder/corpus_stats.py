"""Counts that describe a built corpus (:class:`CorpusStatistics`, what the dataset card shows)."""

from __future__ import annotations

import statistics as _stats
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sentence_emo.corpus import by_frequency
from sentence_emo.dataset_builder.config import FAILED

@dataclass
class CorpusStatistics:
    """Counts that describe a built corpus (what the dataset card shows)."""

    texts: int
    splits: dict[str, int]
    descriptor_vocabulary: int
    descriptor_frequency: dict[str, int]
    descriptors_per_text: dict[str, float]
    descriptors_per_text_histogram: dict[int, int]
    teachers: dict[str, int]
    prompt_versions: dict[str, int]
    sources: dict[str, int]
    text_chars: dict[str, float]
    duplicates_removed: int = 0
    failed_total: int = 0
    failed_by_reason: dict[str, int] = field(default_factory=dict)
    validation_fraction: float | None = None
    split_salt: str = ""
    failed_mode: str = "exclude"
    inputs: list[str] = field(default_factory=list)

    def top_descriptors(self, n: int = 20) -> list[tuple[str, int]]:
        return list(self.descriptor_frequency.items())[:n]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["descriptors_per_text_histogram"] = {str(k): v for k, v in self.descriptors_per_text_histogram.items()}
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CorpusStatistics:
        data = dict(data)
        data["descriptors_per_text_histogram"] = {int(k): v for k, v in
                                                  data.get("descriptors_per_text_histogram", {}).items()}
        return cls(**data)


def _counts(values: Iterable[str | None]) -> dict[str, int]:
    return by_frequency(Counter(v or "unknown" for v in values))


def _summary_numbers(values: Sequence[int]) -> dict[str, float]:
    if not values:
        return {"mean": 0.0, "median": 0.0, "min": 0, "max": 0}
    return {"mean": round(_stats.fmean(values), 4), "median": float(_stats.median(values)),
            "min": min(values), "max": max(values)}


def compute_statistics(rows_by_split: Mapping[str, Iterable[Mapping[str, Any]]], *, duplicates_removed: int = 0,
                       failed_total: int | None = None, failed_by_reason: Mapping[str, int] | None = None,
                       validation_fraction: float | None = None, split_salt: str = "",
                       failed_mode: str = "exclude", inputs: Sequence[str] = ()) -> CorpusStatistics:
    """Statistics of rows ``{id, text, descriptors, source, teacher, prompt_version}`` per split.

    Rows of the ``failed`` split count as failures, not as texts.

    >>> s = compute_statistics({"train": [{"text": "a", "descriptors": ["joy", "relief"]},
    ...                                   {"text": "b", "descriptors": ["joy"]}]})
    >>> s.texts, s.descriptor_frequency, s.descriptors_per_text["mean"]
    (2, {'joy': 2, 'relief': 1}, 1.5)
    """
    rows: list[Mapping[str, Any]] = []
    splits: dict[str, int] = {}
    failed_rows = 0
    for name, split_rows in rows_by_split.items():
        split_rows = list(split_rows)
        splits[name] = len(split_rows)
        if name == FAILED:
            failed_rows += len(split_rows)
        else:
            rows.extend(split_rows)
    frequency = Counter(d for row in rows for d in row["descriptors"])
    per_text = [len(row["descriptors"]) for row in rows]
    chars = [len(row["text"]) for row in rows]
    return CorpusStatistics(
        texts=len(rows),
        splits=splits,
        descriptor_vocabulary=len(frequency),
        descriptor_frequency=by_frequency(frequency),
        descriptors_per_text=_summary_numbers(per_text),
        descriptors_per_text_histogram=dict(sorted(Counter(per_text).items())),
        teachers=_counts(row.get("teacher") for row in rows),
        prompt_versions=_counts(row.get("prompt_version") for row in rows),
        sources=_counts(row.get("source") for row in rows),
        text_chars=_summary_numbers(chars),
        duplicates_removed=duplicates_removed,
        failed_total=failed_rows if failed_total is None else failed_total,
        failed_by_reason=dict(failed_by_reason or {}),
        validation_fraction=validation_fraction,
        split_salt=split_salt,
        failed_mode=failed_mode,
        inputs=list(inputs),
    )
