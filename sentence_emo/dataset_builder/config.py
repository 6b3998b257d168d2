"""What the descriptor corpus holds and how a build is configured: features, file names, the
de-duplication key (:func:`normalise_text`), the split rule (:func:`split_of`) and the validated
:class:`DescriptorCorpusConfig`."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, fields
from pathlib import Path

import datasets
from datasets import Features, List, Value
from transformers.hf_argparser import HfArg

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
#: the :class:`datasets.BuilderConfig` fields of :class:`DescriptorCorpusConfig`: Python only, no command-line flag
PYTHON_ONLY = tuple(f.name for f in fields(datasets.BuilderConfig))

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


@dataclass
class DescriptorCorpusConfig(datasets.BuilderConfig):
    """What to build and how (validated on creation); its own fields are the arguments of ``sentence-emo
    build-dataset`` and ``push-dataset`` (:class:`~sentence_emo.cli.ConfigArgumentParser`), those of
    :class:`datasets.BuilderConfig` (:data:`PYTHON_ONLY`) are not."""

    inputs: tuple[str, ...] = HfArg(default=(), metadata={"positional": True, "nargs": "+", "metavar": "INPUT",
                                                          "type": str}, help=(
        "corpus files (JSONL/CSV/TSV/Parquet) and/or annotation directories, read in order (the order decides "
        "which duplicate is kept)"))
    validation_fraction: float = HfArg(default=0.1, help=(
        "expected share of texts in the validation split, chosen by a hash of the id, in [0, 0.5] (0 = train only)"))
    split_salt: str = HfArg(default="", help="changes which texts go to validation (same salt = same split)")
    failed: str = HfArg(default="exclude", metadata={"choices": FAILED_MODES},
                        help="annotation failures: drop them or keep them in a 'failed' split with empty descriptors")
    deduplicate: bool = HfArg(default=True, help=(
        "drop texts whose normalised form was already seen (--no-deduplicate or --keep-duplicates keeps them)"))
    text_field: str = HfArg(default="text", help="text column of corpus files")
    descriptors_field: str = HfArg(default="descriptors", help="descriptor column of corpus files")
    id_field: str = HfArg(default="id", help="id column of corpus files")
    sep: str = HfArg(default=",", help="descriptor separator in CSV/TSV cells")

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
