"""Reading the inputs (corpus files, annotation directories, raw answer stores), then de-duplicating
and splitting them into a :class:`CorpusBuild` (rules in :mod:`sentence_emo.dataset_builder`)."""

from __future__ import annotations

import hashlib
import logging
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sentence_emo.corpus import CorpusError, DescriptorRecord, _text_rows, load_corpus, make_record, optional_str
from sentence_emo.dataset_builder.config import (ANNOTATION_CORPUS_FILE, ANNOTATION_FAILED_FILE, ANNOTATION_STORE_FILE,
                                                 ANNOTATION_SUMMARY_FILE, FAILED, TRAIN, VALIDATION,
                                                 DescriptorCorpusConfig, describe_input, normalise_text, split_of)
from sentence_emo.dataset_builder.corpus_stats import CorpusStatistics, compute_statistics
from sentence_emo.files import sha256_file
from sentence_emo.textfiles import read_json

logger = logging.getLogger(__name__)

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
    for lineno, row in _text_rows(path):
        if not isinstance(row, dict):
            raise CorpusError(f"{path}, line {lineno}: expected a JSON object, got {type(row).__name__}")
        yield lineno, row


def _summary(directory: Path) -> dict[str, Any]:
    path = directory / ANNOTATION_SUMMARY_FILE
    if not path.is_file():
        return {}
    data = read_json(path, fix="re-run sentence-emo annotate to rewrite it")
    return data if isinstance(data, dict) else {}


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
            source=optional_str(row, "source", where) or source,
            teacher=optional_str(row, "teacher", where) or optional_str(row, "model", where) or teacher,
            prompt_version=optional_str(row, "prompt_version", where) or prompt_version,
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
            h.update(str(f.resolve()).encode() + b"\0" + (sha256_file(f).encode() if f.is_file() else b""))
    return h.hexdigest()[:16]
