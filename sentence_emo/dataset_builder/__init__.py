"""The descriptor corpus as a Hugging Face dataset.

``datasets`` 5 runs no loading scripts, so the corpus is built by a builder class used directly,
:class:`DescriptorCorpusBuilder` (a :class:`datasets.GeneratorBasedBuilder`), configured by a
validated :class:`DescriptorCorpusConfig`. It reads

* corpus files (JSONL/CSV/TSV/Parquet) through :func:`sentence_emo.corpus.load_corpus`;
* annotation directories written by ``sentence-emo annotate``: ``corpus.jsonl`` (kept rows) and
  ``failed.jsonl`` (texts without descriptors), with teacher and prompt version of the failures
  taken from ``summary.json``; a directory with only ``annotations.jsonl`` (the raw answer store)
  is read from that store instead,

and turns them into a :class:`datasets.DatasetDict` with explicit :data:`FEATURES`:

* **de-duplication**: texts are compared after NFKC normalisation, case folding and white-space
  collapsing; the first occurrence (in input order) is kept, the others are counted
  (:attr:`CorpusBuild.duplicates`);
* **deterministic split**: a text goes to ``validation`` when
  ``sha256(split_salt + "\\0" + id)`` mapped to [0, 1) is below ``validation_fraction``, else to
  ``train``; the assignment of a text never changes when other texts are added or removed;
* **failed rows** (annotation failures) are excluded by default (``failed="exclude"``); with
  ``failed="split"`` they form a third split ``failed`` with the same features and
  ``descriptors == []`` (their reasons stay in ``failed.jsonl`` and in
  :attr:`CorpusStatistics.failed_by_reason`);
* **statistics** (:class:`CorpusStatistics`): descriptor frequency, descriptors per text,
  teachers, prompt versions, sources.

>>> builder = DescriptorCorpusBuilder(inputs=["corpus.jsonl"], validation_fraction=0.1)  # doctest: +SKIP
>>> builder.download_and_prepare()                                                          # doctest: +SKIP
>>> dataset = builder.as_dataset()           # DatasetDict({'train': ..., 'validation': ...})  # doctest: +SKIP

or in one call, with the statistics: ``dataset, stats = build_dataset(["corpus.jsonl"])``.
:func:`write_dataset_dir` writes the Hub layout (``data/<split>-00000-of-00001.parquet`` and a
``README.md`` dataset card whose YAML ``configs`` make ``load_dataset(DIR)`` and, once pushed,
``load_dataset("org/emo-descriptors")`` work without custom code).

Modules: :mod:`.config` (features, split rule, config), :mod:`.reading` (inputs, de-duplication,
split), :mod:`.corpus_stats`, :mod:`.builder` (the builder, :func:`build_dataset`) and
:mod:`.hub_layout` (Parquet files and card on disk).
"""

from __future__ import annotations

from sentence_emo.dataset_builder.builder import PAPER_CITATION, DescriptorCorpusBuilder, build_dataset
from sentence_emo.dataset_builder.config import (
    ANNOTATION_CORPUS_FILE, ANNOTATION_FAILED_FILE, ANNOTATION_STORE_FILE, ANNOTATION_SUMMARY_FILE, BUILD_REPORT_FILE,
    CORPUS_SUFFIXES, FAILED, FAILED_MODES, FEATURES, TAXONOMY_FEATURES, TRAIN, VALIDATION, DescriptorCorpusConfig,
    describe_input, normalise_text, split_of)
from sentence_emo.dataset_builder.corpus_stats import CorpusStatistics, compute_statistics
from sentence_emo.dataset_builder.hub_layout import (check_dataset_out, metadata_configs, parquet_name,
                                                     taxonomy_dataset, write_dataset_dir)
from sentence_emo.dataset_builder.reading import (CorpusBuild, collect, fingerprint_inputs, read_failed, read_input,
                                                  read_store)

__all__ = ["ANNOTATION_CORPUS_FILE", "ANNOTATION_FAILED_FILE", "ANNOTATION_STORE_FILE", "ANNOTATION_SUMMARY_FILE",
           "BUILD_REPORT_FILE", "CORPUS_SUFFIXES", "FAILED", "FAILED_MODES", "FEATURES", "PAPER_CITATION",
           "TAXONOMY_FEATURES", "TRAIN", "VALIDATION", "CorpusBuild", "CorpusStatistics", "DescriptorCorpusBuilder",
           "DescriptorCorpusConfig", "build_dataset", "check_dataset_out", "collect", "compute_statistics",
           "describe_input", "fingerprint_inputs", "metadata_configs", "normalise_text", "parquet_name",
           "read_failed", "read_input", "read_store", "split_of", "taxonomy_dataset", "write_dataset_dir"]
