"""The :class:`datasets.GeneratorBasedBuilder` of the descriptor corpus and the one-call :func:`build_dataset`."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import datasets

from hub_cards import PAPER_CITATION
from sentence_emo.dataset_builder.config import FEATURES, TRAIN, DescriptorCorpusConfig
from sentence_emo.dataset_builder.corpus_stats import CorpusStatistics
from sentence_emo.dataset_builder.reading import CorpusBuild, collect, fingerprint_inputs

class DescriptorCorpusBuilder(datasets.GeneratorBasedBuilder):
    """Builds the descriptor corpus ``DatasetDict`` from corpus files and annotation directories.

    Keyword arguments other than the :class:`datasets.DatasetBuilder` ones (``cache_dir``...) are
    :class:`DescriptorCorpusConfig` fields. The cache key includes a hash of the input contents,
    so editing an input rebuilds the dataset.
    """

    BUILDER_CONFIG_CLASS = DescriptorCorpusConfig
    VERSION = datasets.Version("1.0.0")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        config = kwargs.pop("config", None)
        if config is not None:
            if not isinstance(config, DescriptorCorpusConfig):
                raise TypeError(f"config must be a DescriptorCorpusConfig, got {type(config).__name__}")
            base = {f for f in datasets.BuilderConfig.__dataclass_fields__}
            kwargs.update({k: getattr(config, k) for k in DescriptorCorpusConfig.__dataclass_fields__
                           if k not in base or k in ("name", "description")})
        inputs = kwargs.get("inputs")
        if kwargs.get("hash") is None and inputs:
            try:
                kwargs["hash"] = fingerprint_inputs([inputs] if isinstance(inputs, (str, os.PathLike)) else inputs)
            except OSError:
                pass  # a missing input: the config validation raises the clear error
        kwargs.setdefault("dataset_name", "emo_descriptors")
        self._build: CorpusBuild | None = None
        super().__init__(*args, **kwargs)

    def _info(self) -> datasets.DatasetInfo:
        return datasets.DatasetInfo(
            description="Texts with free-form emotion descriptors written by an LLM teacher (sentence-emo).",
            features=FEATURES,
            citation=PAPER_CITATION,
        )

    def collect(self) -> CorpusBuild:
        """Read the inputs (once per builder object)."""
        if self._build is None:
            self._build = collect(self.config)
        return self._build

    def _split_generators(self, dl_manager) -> list[datasets.SplitGenerator]:
        build = self.collect()
        return [datasets.SplitGenerator(name=name, gen_kwargs={"split": name}) for name in build.splits]

    def _generate_examples(self, split: str):
        for i, record in enumerate(self.collect().splits[split]):
            yield datasets.builder.Key(0, i), record.to_dict()


def build_dataset(inputs: Sequence[str | os.PathLike[str]] | str | os.PathLike[str], *,
                  cache_dir: str | os.PathLike[str] | None = None, **config_kwargs: Any
                  ) -> tuple[datasets.DatasetDict, CorpusStatistics]:
    """Build (or load from the datasets cache) the corpus ``DatasetDict`` and its statistics."""
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    builder = DescriptorCorpusBuilder(inputs=[str(p) for p in inputs],
                                      cache_dir=str(cache_dir) if cache_dir is not None else None, **config_kwargs)
    builder.download_and_prepare()
    dataset = builder.as_dataset()
    if not isinstance(dataset, datasets.DatasetDict):  # a single split comes back as a DatasetDict too, be sure
        dataset = datasets.DatasetDict({TRAIN: dataset})
    return dataset, builder.collect().statistics()
