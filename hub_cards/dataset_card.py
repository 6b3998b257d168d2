"""The dataset card: :class:`DatasetCardInfo` (what the card shows) and :func:`render_dataset_card`."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hub_cards.formatting import PAPER_CITATION, PAPER_TITLE, format_number

DATASET_CARD_TEMPLATE = Path(__file__).resolve().parent / "dataset_card.md.j2"


@dataclass
class DatasetCardInfo:
    """Everything the dataset card shows; :meth:`from_statistics` fills it from a build."""

    repo_id: str | None = None
    pretty_name: str = "Emotion descriptors"
    texts: int = 0
    splits: dict[str, int] = field(default_factory=dict)
    descriptor_vocabulary: int = 0
    top_descriptors: list[tuple[str, int]] = field(default_factory=list)
    descriptors_per_text: dict[str, float] = field(default_factory=dict)
    descriptors_per_text_histogram: dict[int, int] = field(default_factory=dict)
    text_chars: dict[str, float] = field(default_factory=dict)
    teachers: dict[str, int] = field(default_factory=dict)
    prompt_versions: dict[str, int] = field(default_factory=dict)
    sources: dict[str, int] = field(default_factory=dict)
    duplicates_removed: int = 0
    failed_total: int = 0
    failed_by_reason: dict[str, int] = field(default_factory=dict)
    failed_mode: str = "exclude"
    validation_fraction: float | None = None
    split_salt: str = ""
    language: list[str] = field(default_factory=lambda: ["en"])
    license: str | None = None
    tags: list[str] = field(default_factory=lambda: ["emotion", "emotion-descriptors", "llm-annotation",
                                                     "distillation", "sentence-emo"])
    #: extra ``(title, markdown)`` sections shown after the introduction (sources and licences, how it was made...)
    sections: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def from_statistics(cls, statistics: Any, top_n: int = 25, **overrides: Any) -> DatasetCardInfo:
        """From a :class:`sentence_emo.dataset_builder.CorpusStatistics` (or its ``to_dict()``)."""
        stats = statistics.to_dict() if hasattr(statistics, "to_dict") else dict(statistics)
        frequency = stats.get("descriptor_frequency") or {}
        data = {k: dict(v) if isinstance(v, dict) else v for k, v in stats.items()
                if k in cls.__dataclass_fields__ and v is not None}
        data.update(top_descriptors=list(frequency.items())[:top_n],
                    descriptor_vocabulary=stats.get("descriptor_vocabulary", len(frequency)),
                    descriptors_per_text_histogram={int(k): v for k, v in
                                                    (stats.get("descriptors_per_text_histogram") or {}).items()})
        unknown = sorted(set(overrides) - set(cls.__dataclass_fields__))
        if unknown:
            raise TypeError(f"unknown dataset card field(s) {unknown}; known: {sorted(cls.__dataclass_fields__)}")
        data.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**data)

    @property
    def size_category(self) -> str:
        n = sum(self.splits.values()) or self.texts
        for limit, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                             (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M")):
            if n < limit:
                return label
        return "n>10M"

    def to_card_data(self):
        from huggingface_hub import DatasetCardData

        return DatasetCardData(
            language=list(self.language) or None, license=self.license, pretty_name=self.pretty_name,
            size_categories=[self.size_category], task_categories=["text-classification", "zero-shot-classification"],
            task_ids=["multi-label-classification"], annotations_creators=["machine-generated"],
            language_creators=["found"], multilinguality=["monolingual"], tags=list(self.tags),
        )

    def template_context(self) -> dict[str, Any]:
        mean = self.descriptors_per_text
        return {
            "info": self,
            "usage_id": self.repo_id or "path/to/dataset-dir",
            "split_rows": [(name, n) for name, n in self.splits.items()],
            "per_text_line": (f"mean {format_number(mean.get('mean'))}, median {format_number(mean.get('median'))}, "
                              f"min {format_number(mean.get('min'))}, max {format_number(mean.get('max'))}")
            if mean else None,
            "histogram_rows": sorted(self.descriptors_per_text_histogram.items()),
            "chars_line": (f"mean {format_number(self.text_chars.get('mean'), 1)}, "
                           f"median {format_number(self.text_chars.get('median'), 1)}, "
                           f"max {format_number(self.text_chars.get('max'))}") if self.text_chars else None,
            "top_rows": [(d, n, format_number(100.0 * n / self.texts, 1) if self.texts else "-")
                         for d, n in self.top_descriptors],
            "teacher_rows": list(self.teachers.items()),
            "prompt_rows": list(self.prompt_versions.items()),
            "source_rows": list(self.sources.items()),
            "failed_rows": list(self.failed_by_reason.items()),
            "fraction_text": format_number(self.validation_fraction) if self.validation_fraction is not None else None,
            "citation": PAPER_CITATION,
            "paper_title": PAPER_TITLE,
        }


def render_dataset_card(info: DatasetCardInfo, *, configs: Any = None, dataset_infos: Any = None,
                        template_path: str | os.PathLike[str] | None = None):
    """Render a ``huggingface_hub.DatasetCard``.

    ``configs`` (``datasets.utils.metadata.MetadataConfigs``) and ``dataset_infos``
    (``datasets.info.DatasetInfosDict``) add the YAML ``configs``/``dataset_info`` that let
    ``load_dataset`` read the Parquet files without custom code.
    """
    from huggingface_hub import DatasetCard

    if not isinstance(info, DatasetCardInfo):
        raise TypeError(f"info must be DatasetCardInfo, got {type(info).__name__}")
    card_data = info.to_card_data()
    if configs is not None:
        configs.to_dataset_card_data(card_data)
    if dataset_infos is not None:
        dataset_infos.to_dataset_card_data(card_data)
    return DatasetCard.from_template(card_data, template_path=str(template_path or DATASET_CARD_TEMPLATE),
                                     **info.template_context())

