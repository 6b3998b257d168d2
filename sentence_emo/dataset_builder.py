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
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import statistics as _stats
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import datasets
from datasets import Features, List, Value

from sentence_emo.atomic import atomic_path, atomic_write
from sentence_emo.corpus import CorpusError, DescriptorRecord, load_corpus, make_record

logger = logging.getLogger(__name__)

FEATURES = Features({
    "id": Value("string"),
    "text": Value("string"),
    "descriptors": List(Value("string")),
    "source": Value("string"),
    "teacher": Value("string"),
    "prompt_version": Value("string"),
})

#: files of an annotation directory (see ``sentence_emo.annotate.annotator``)
ANNOTATION_CORPUS_FILE = "corpus.jsonl"
ANNOTATION_FAILED_FILE = "failed.jsonl"
ANNOTATION_STORE_FILE = "annotations.jsonl"
ANNOTATION_SUMMARY_FILE = "summary.json"

#: features of the ``taxonomy`` config (descriptor -> families, valence, arousal)
TAXONOMY_FEATURES = Features({
    "descriptor": Value("string"),
    "families": List(Value("string")),
    "valence": Value("string"),
    "arousal": Value("string"),
})

FAILED_MODES = ("exclude", "split")
TRAIN, VALIDATION, FAILED = "train", "validation", "failed"
CORPUS_SUFFIXES = (".jsonl", ".json", ".ndjson", ".csv", ".tsv", ".tab", ".parquet")
BUILD_REPORT_FILE = "build_report.json"

_WS = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """The de-duplication key of a text: NFKC, case-folded, white space collapsed.

    >>> normalise_text("  I  LOVE\\tthis ") == normalise_text("i love this")
    True
    """
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def split_of(record_id: str, validation_fraction: float, salt: str = "") -> str:
    """``"validation"`` or ``"train"`` from a hash of the id (stable across corpus changes).

    >>> split_of("goemotions:42", 0.0)
    'train'
    >>> split_of("goemotions:42", 1.0)
    'validation'
    """
    digest = hashlib.sha256(f"{salt}\0{record_id}".encode("utf-8")).digest()
    unit = int.from_bytes(digest[:8], "big") / 2.0**64
    return VALIDATION if unit < validation_fraction else TRAIN


# -- configuration ---------------------------------------------------------------------------------
@dataclass
class DescriptorCorpusConfig(datasets.BuilderConfig):
    """What to build and how (validated on creation).

    Args:
        inputs: corpus files (JSONL/CSV/TSV/Parquet) and/or annotation directories, read in order
            (the order decides which duplicate is kept).
        validation_fraction: expected share of texts in the ``validation`` split, in [0, 0.5];
            0 gives a ``train`` split only.
        split_salt: changes which texts land in ``validation`` (same salt = same split).
        failed: ``"exclude"`` (default) drops annotation failures; ``"split"`` keeps them in a
            ``failed`` split with empty descriptors.
        deduplicate: drop texts whose normalised form was already seen (default True).
        text_field, descriptors_field, id_field, sep: column names of corpus files and the
            descriptor separator of CSV/TSV cells (as in :func:`sentence_emo.corpus.load_corpus`).
    """

    inputs: tuple[str, ...] = ()
    validation_fraction: float = 0.1
    split_salt: str = ""
    failed: str = "exclude"
    deduplicate: bool = True
    text_field: str = "text"
    descriptors_field: str = "descriptors"
    id_field: str = "id"
    sep: str = ","

    def __post_init__(self) -> None:
        super().__post_init__()
        if isinstance(self.inputs, (str, os.PathLike)):
            self.inputs = (self.inputs,)
        if not isinstance(self.inputs, (list, tuple)):
            raise TypeError(f"inputs must be a list of corpus files or annotation directories, got {self.inputs!r}")
        self.inputs = tuple(str(p) for p in self.inputs)
        if not self.inputs:
            raise ValueError("no inputs: give at least one corpus file (JSONL/CSV/TSV/Parquet) or annotation directory")
        for item in self.inputs:
            describe_input(item)  # raises for a missing path or an unknown layout
        if isinstance(self.validation_fraction, bool) or not isinstance(self.validation_fraction, (int, float)) \
                or not 0.0 <= self.validation_fraction <= 0.5:
            raise ValueError(f"validation_fraction must be a number in [0, 0.5], got {self.validation_fraction!r}; "
                             f"use e.g. 0.1 (or 0 for no validation split)")
        self.validation_fraction = float(self.validation_fraction)
        if self.failed not in FAILED_MODES:
            raise ValueError(f"failed must be one of {FAILED_MODES}, got {self.failed!r}")
        if not isinstance(self.split_salt, str):
            raise TypeError(f"split_salt must be a string, got {type(self.split_salt).__name__}")
        if not isinstance(self.deduplicate, bool):
            raise TypeError(f"deduplicate must be True or False, got {self.deduplicate!r}")
        for name in ("text_field", "descriptors_field", "id_field", "sep"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value:
                raise ValueError(f"{name} must be a non-empty string, got {value!r}")


def describe_input(path: str | os.PathLike[str]) -> str:
    """``"corpus"``, ``"annotations"`` (a directory with corpus.jsonl) or ``"store"`` (only annotations.jsonl)."""
    p = Path(path)
    if p.is_dir():
        if (p / ANNOTATION_CORPUS_FILE).is_file():
            return "annotations"
        if (p / ANNOTATION_STORE_FILE).is_file():
            return "store"
        raise ValueError(
            f"{p} is a directory without {ANNOTATION_CORPUS_FILE} or {ANNOTATION_STORE_FILE}; give an annotation "
            f"output directory (sentence-emo annotate --out DIR) or corpus files"
        )
    if not p.exists():
        raise FileNotFoundError(f"input not found: {p}; give existing corpus files or annotation directories")
    if p.suffix.lower() not in CORPUS_SUFFIXES:
        raise ValueError(f"{p}: unknown corpus format {p.suffix!r}; use one of {', '.join(CORPUS_SUFFIXES)}")
    return "corpus"


# -- reading ---------------------------------------------------------------------------------------
@dataclass
class CorpusBuild:
    """The rows after reading, de-duplication and splitting (before writing Arrow/Parquet)."""

    config: DescriptorCorpusConfig
    splits: dict[str, list[DescriptorRecord]]
    duplicates: int = 0
    duplicate_examples: list[tuple[str, str]] = field(default_factory=list)  # (dropped id, kept id)
    failed_total: int = 0
    failed_by_reason: dict[str, int] = field(default_factory=dict)
    rows_per_input: dict[str, int] = field(default_factory=dict)

    def statistics(self) -> CorpusStatistics:
        return compute_statistics(
            {name: [r.to_dict() for r in rows] for name, rows in self.splits.items()},
            duplicates_removed=self.duplicates, failed_total=self.failed_total,
            failed_by_reason=self.failed_by_reason, validation_fraction=self.config.validation_fraction,
            split_salt=self.config.split_salt, failed_mode=self.config.failed, inputs=list(self.config.inputs),
        )


def _read_jsonl(path: Path) -> Iterable[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{path}, line {lineno}: invalid JSON ({exc.msg}); fix or delete that line") from exc
            if not isinstance(row, dict):
                raise CorpusError(f"{path}, line {lineno}: expected a JSON object, got {type(row).__name__}")
            yield lineno, row


def _summary(directory: Path) -> dict[str, Any]:
    path = directory / ANNOTATION_SUMMARY_FILE
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CorpusError(f"{path}: invalid JSON ({exc.msg}); re-run sentence-emo annotate to rewrite it") from exc
    return data if isinstance(data, dict) else {}


def _optional_str(row: dict[str, Any], name: str, where: str) -> str | None:
    value = row.get(name)
    if value is not None and not isinstance(value, str):
        raise CorpusError(f"{where}: field {name!r} must be a string, got {type(value).__name__}")
    return value or None


def read_failed(path: str | os.PathLike[str], *, teacher: str | None = None, prompt_version: str | None = None,
                source: str | None = None) -> list[tuple[DescriptorRecord, str]]:
    """Rows of a ``failed.jsonl`` as ``(record with descriptors [], reason)``; errors name file and line."""
    path = Path(path)
    out = []
    for lineno, row in _read_jsonl(path):
        where = f"{path}, line {lineno}"
        if "text" not in row:
            raise CorpusError(f"{where}: missing field 'text' (fields present: {sorted(row)})")
        text = row["text"]
        if text is not None and not isinstance(text, str):
            raise CorpusError(f"{where}: field 'text' must be a string or null, got {type(text).__name__}")
        rid = row.get("id")
        if rid is None or (isinstance(rid, str) and not rid.strip()):
            raise CorpusError(f"{where}: missing field 'id'; every failed row needs the id of its input row")
        reason = row.get("reason") or "unknown"
        record = DescriptorRecord(
            id=str(rid), text=text or "", descriptors=[],
            source=_optional_str(row, "source", where) or source,
            teacher=_optional_str(row, "teacher", where) or _optional_str(row, "model", where) or teacher,
            prompt_version=_optional_str(row, "prompt_version", where) or prompt_version,
        )
        out.append((record, str(reason)))
    return out


def read_store(path: str | os.PathLike[str], *, source: str | None = None
               ) -> tuple[list[DescriptorRecord], list[tuple[DescriptorRecord, str]]]:
    """Ok and failed rows of a raw ``annotations.jsonl`` answer store (the last record per key wins)."""
    path = Path(path)
    latest: dict[tuple[Any, ...], tuple[int, dict[str, Any]]] = {}
    for lineno, row in _read_jsonl(path):
        where = f"{path}, line {lineno}"
        for name in ("status", "text"):
            if name not in row:
                raise CorpusError(f"{where}: missing field {name!r} (fields present: {sorted(row)}); "
                                  f"is this an annotation store written by sentence-emo annotate?")
        if row["status"] not in ("ok", "failed"):
            raise CorpusError(f"{where}: field 'status' must be 'ok' or 'failed', got {row['status']!r}")
        key = (row.get("model"), row.get("prompt_version"), row.get("text_sha256") or row.get("text"))
        latest[key] = (lineno, row)
    ok, failed = [], []
    for lineno, row in sorted(latest.values(), key=lambda item: item[0]):
        where = f"{path}, line {lineno}"
        base = {"source": row.get("source") or source, "teacher": row.get("teacher") or row.get("model"),
                "prompt_version": row.get("prompt_version")}
        default_id = row.get("text_sha256") and f"sha256:{row['text_sha256'][:16]}"
        if row["status"] == "ok":
            ok.append(make_record({**row, **base}, path=str(path), line=lineno,
                                  default_id=default_id or f"{path.stem}:{lineno}"))
        else:
            for name in ("source", "teacher", "prompt_version"):
                if base[name] is not None and not isinstance(base[name], str):
                    raise CorpusError(f"{where}: field {name!r} must be a string")
            failed.append((DescriptorRecord(id=str(row.get("id") or default_id or f"{path.stem}:{lineno}"),
                                            text=row.get("text") or "", descriptors=[], **base),
                           str(row.get("reason") or "unknown")))
    return ok, failed


def read_input(path: str | os.PathLike[str], config: DescriptorCorpusConfig
               ) -> tuple[list[DescriptorRecord], list[tuple[DescriptorRecord, str]]]:
    """``(records, failed rows with reasons)`` of one corpus file or annotation directory."""
    path = Path(path)
    kind = describe_input(path)
    fields = dict(text_field=config.text_field, descriptors_field=config.descriptors_field,
                  id_field=config.id_field, sep=config.sep)
    if kind == "corpus":
        return load_corpus(path, **fields), []
    summary = _summary(path)
    if kind == "store":
        return read_store(path / ANNOTATION_STORE_FILE, source=summary.get("source"))
    corpus_file = path / ANNOTATION_CORPUS_FILE
    records = load_corpus(corpus_file, **fields) if corpus_file.stat().st_size else []
    failed_file = path / ANNOTATION_FAILED_FILE
    failed = read_failed(failed_file, teacher=summary.get("model"), prompt_version=summary.get("prompt_version"),
                         source=summary.get("source")) if failed_file.is_file() else []
    return records, failed


def collect(config: DescriptorCorpusConfig) -> CorpusBuild:
    """Read all inputs, de-duplicate and split (see the module docstring for the rules)."""
    kept: list[DescriptorRecord] = []
    failed_rows: list[tuple[DescriptorRecord, str]] = []
    seen_text: dict[str, str] = {}
    seen_id: dict[str, str] = {}
    duplicates = 0
    examples: list[tuple[str, str]] = []
    rows_per_input: dict[str, int] = {}
    for item in config.inputs:
        records, failed = read_input(item, config)
        rows_per_input[item] = len(records) + len(failed)
        for record in records:
            key = normalise_text(record.text)
            if config.deduplicate and key in seen_text:
                duplicates += 1
                if len(examples) < 20:
                    examples.append((record.id, seen_text[key]))
                continue
            if record.id in seen_id:
                raise CorpusError(
                    f"duplicate id {record.id!r} with different texts in {seen_id[record.id]} and {item}; ids must be "
                    f"unique across inputs (they decide the train/validation split) - rename one of them"
                )
            seen_text.setdefault(key, record.id)
            seen_id[record.id] = item
            kept.append(record)
        failed_rows.extend(failed)
    failed_by_reason = Counter(reason for _, reason in failed_rows)
    splits: dict[str, list[DescriptorRecord]] = {TRAIN: [], VALIDATION: []}
    for record in kept:
        splits[split_of(record.id, config.validation_fraction, config.split_salt)].append(record)
    if kept and not splits[TRAIN]:
        raise ValueError(f"all {len(kept)} texts fell into the validation split; lower validation_fraction "
                         f"(now {config.validation_fraction}) or add texts")
    if not splits[VALIDATION]:
        if config.validation_fraction > 0:
            logger.warning("no text fell into the validation split (%d texts, fraction %.3f); writing train only",
                           len(kept), config.validation_fraction)
        del splits[VALIDATION]
    if config.failed == "split":
        failed_split = []
        failed_seen: set[str] = set()
        for record, _ in failed_rows:
            key = normalise_text(record.text)
            if key in seen_text or (key and key in failed_seen) or record.id in seen_id:
                continue  # annotated elsewhere, or the same failure twice
            failed_seen.add(key)
            failed_split.append(record)
        if failed_split:
            splits[FAILED] = failed_split
    if not kept:
        raise ValueError(f"no annotated texts in {', '.join(config.inputs)}: every row failed or the inputs are empty")
    if duplicates:
        logger.info("dropped %d duplicate texts (same normalised text; first occurrence kept)", duplicates)
    return CorpusBuild(config=config, splits=splits, duplicates=duplicates, duplicate_examples=examples,
                       failed_total=len(failed_rows), failed_by_reason=dict(failed_by_reason),
                       rows_per_input=rows_per_input)


def fingerprint_inputs(inputs: Sequence[str | os.PathLike[str]]) -> str:
    """A hash of the inputs' paths and contents (the builder's cache key changes when a file does)."""
    h = hashlib.sha256()
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            files = [p / name for name in (ANNOTATION_CORPUS_FILE, ANNOTATION_FAILED_FILE, ANNOTATION_STORE_FILE,
                                           ANNOTATION_SUMMARY_FILE)]
        else:
            files = [p]
        for f in files:
            h.update(str(f.resolve()).encode() + b"\0")
            if f.is_file():
                with f.open("rb") as fh:
                    for chunk in iter(lambda: fh.read(1 << 20), b""):
                        h.update(chunk)
    return h.hexdigest()[:16]


# -- the builder -----------------------------------------------------------------------------------
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


PAPER_CITATION = """@inproceedings{niu2025contrastive,
  title     = {Contrastive Distillation of Emotion Knowledge from LLMs for Zero-Shot Emotion Recognition},
  author    = {Niu, Minxue and Mower Provost, Emily},
  year      = {2025}
}"""


# -- statistics ------------------------------------------------------------------------------------
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
    counts = Counter(v or "unknown" for v in values)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


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
        descriptor_frequency=dict(sorted(frequency.items(), key=lambda kv: (-kv[1], kv[0]))),
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


# -- one-call API ----------------------------------------------------------------------------------
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


def parquet_name(split: str, shard: int = 0, num_shards: int = 1) -> str:
    """``data/<split>-00000-of-00001.parquet``, the names ``DatasetDict.push_to_hub`` uses."""
    return f"data/{split}-{shard:05d}-of-{num_shards:05d}.parquet"


def metadata_configs(splits: Iterable[str], extra_configs: Iterable[str] = ()) -> dict[str, Any]:
    """The YAML ``configs`` entries that point ``load_dataset`` at the Parquet files of each split.

    Each extra config ``name`` has one ``train`` split in ``<name>/train-*.parquet``
    (``load_dataset(path, name)``).
    """
    configs = {"default": {"data_files": [{"split": s, "path": f"data/{s}-*"} for s in splits]}}
    for name in extra_configs:
        configs[name] = {"data_files": [{"split": TRAIN, "path": f"{name}/{TRAIN}-*"}]}
    return configs


def taxonomy_dataset(taxonomy: Mapping[str, Mapping[str, Any]] | Iterable[Mapping[str, Any]]) -> datasets.Dataset:
    """The ``taxonomy`` config as a :class:`datasets.Dataset` (rows in the given order)."""
    rows = list(taxonomy.values()) if isinstance(taxonomy, Mapping) else list(taxonomy)
    return datasets.Dataset.from_dict(
        {name: [row.get(name) if name != "families" else list(row.get(name) or []) for row in rows]
         for name in TAXONOMY_FEATURES},
        features=TAXONOMY_FEATURES,
    )


_OUR_PARQUET = re.compile(r"^[A-Za-z0-9_.-]+-\d{5}-of-\d{5}\.parquet$")


def check_dataset_out(out_dir: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Refuse an ``out_dir`` that would lose the user's files.

    Allowed: a missing or empty folder, a folder an earlier ``build-dataset`` wrote (it holds
    ``build_report.json``), or anything with ``overwrite=True``. A path that is a file is refused
    even then.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"--out {out} is a file, not a folder; give a new folder name")
    if overwrite or not out.exists() or (out / BUILD_REPORT_FILE).is_file():
        return out
    contents = sorted(p.name for p in out.iterdir())
    if contents:
        shown = ", ".join(contents[:5]) + (", ..." if len(contents) > 5 else "")
        raise FileExistsError(
            f"--out {out} is not empty ({shown}) and was not written by build-dataset (no {BUILD_REPORT_FILE}); "
            f"its README.md and data/*.parquet would be replaced - give a new folder, or pass --overwrite"
        )
    return out


def write_dataset_dir(dataset: datasets.DatasetDict, out_dir: str | os.PathLike[str],
                      statistics: CorpusStatistics, *, card_kwargs: Mapping[str, Any] | None = None,
                      overwrite: bool = False, extra_configs: Mapping[str, datasets.Dataset] | None = None) -> Path:
    """Write the Hub layout into ``out_dir``: Parquet per split, ``README.md`` card, ``build_report.json``.

    ``out_dir`` must be new, empty or an earlier build (see :func:`check_dataset_out`) unless
    ``overwrite``. ``extra_configs`` (name -> dataset, e.g. ``{"taxonomy": taxonomy_dataset(...)}``)
    become further configs with one ``train`` split in ``<name>/train-00000-of-00001.parquet``.
    Every file is written under a temporary name and renamed into place, so an interrupted run
    leaves the previous build intact. Parquet files of splits that no longer exist are removed
    (only files named like the ones this function writes).
    """
    check_dataset_out(out_dir, overwrite=overwrite)
    from datasets.info import DatasetInfo, DatasetInfosDict
    from datasets.splits import SplitDict, SplitInfo
    from datasets.utils.metadata import MetadataConfigs

    from hub_cards import DatasetCardInfo, render_dataset_card

    out = Path(out_dir)
    (out / "data").mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    split_infos = SplitDict()
    download_size = 0
    for split, ds in dataset.items():
        target = out / parquet_name(split)
        with atomic_path(target) as tmp:
            ds.to_parquet(str(tmp))
        written.append(target)
        download_size += target.stat().st_size
        split_infos.add(SplitInfo(name=split, num_bytes=ds.data.nbytes, num_examples=len(ds)))
    for stale in (out / "data").glob("*.parquet"):
        if stale not in written and _OUR_PARQUET.match(stale.name):
            logger.info("removing %s (split no longer built)", stale)
            stale.unlink()

    info = DatasetInfo(features=FEATURES, splits=split_infos, download_size=download_size,
                       dataset_size=sum(s.num_bytes for s in split_infos.values()))
    infos = {"default": info}
    for name, extra in (extra_configs or {}).items():
        if name in ("default", "data"):
            raise ValueError(f"extra config name {name!r} is reserved; pick another name such as 'taxonomy'")
        target = out / name / parquet_name(TRAIN).split("/", 1)[1]
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(target) as tmp:
            extra.to_parquet(str(tmp))
        size = target.stat().st_size
        infos[name] = DatasetInfo(features=extra.features, download_size=size, dataset_size=extra.data.nbytes,
                                  splits=SplitDict({TRAIN: SplitInfo(name=TRAIN, num_bytes=extra.data.nbytes,
                                                                     num_examples=len(extra))}))
    card = render_dataset_card(
        DatasetCardInfo.from_statistics(statistics, **dict(card_kwargs or {})),
        configs=MetadataConfigs(metadata_configs(dataset.keys(), (extra_configs or {}).keys())),
        dataset_infos=DatasetInfosDict(infos))
    atomic_write(out / "README.md", str(card))
    atomic_write(out / BUILD_REPORT_FILE, json.dumps(statistics.to_dict(), indent=2, ensure_ascii=False) + "\n")
    return out

