"""Teacher corpora for the benchmark model, built from ``../shared/data`` (read in place).

* ``descriptors``: the free-form LLM descriptor corpus (``llm_descriptors/descriptors.jsonl``);
* ``gpt4-labels``: GPT-4's zero-shot GoEmotions labels for GoEmotions *dev*
  (``gpt4_goemotions_chailab/goemotions_complete_val_annotations.csv``), label names as descriptors,
  ``FAILED_*`` rows dropped;
* ``both``: the union; a GoEmotions dev text present in both gets the union of its descriptors.

No human label is read. Output: JSONL in the trainer's format, written under ``--out``.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

from sentence_emo.corpus import DescriptorRecord, load_corpus, normalise_descriptors, write_corpus_jsonl

KINDS = ("descriptors", "gpt4-labels", "both")


def descriptor_records(data_dir: Path) -> list[DescriptorRecord]:
    records = load_corpus(data_dir / "llm_descriptors" / "descriptors.jsonl")
    for r in records:
        r.teacher = r.teacher or "llm-descriptors (Claude-family, paper prompt)"
        r.prompt_version = r.prompt_version or "paper-descriptors-v1"
    return records


def gpt4_label_records(data_dir: Path) -> list[DescriptorRecord]:
    path = data_dir / "gpt4_goemotions_chailab" / "goemotions_complete_val_annotations.csv"
    if not path.is_file():
        raise FileNotFoundError(f"GPT-4's GoEmotions labels not found at {path}; pass --data-dir pointing at the "
                                f"benchmark data (the folder holding gpt4_goemotions_chailab/)")
    records = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            label = (row["gpt_label"] or "").strip()
            if not label or label.startswith("FAILED"):
                continue
            records.append(DescriptorRecord(
                id=f"goemotions-dev:{row['id']}", text=row["text"],
                descriptors=normalise_descriptors(label.split(",")), source="goemotions-dev",
                teacher="gpt-4 (chailab, GoEmotions label space)", prompt_version="chailab-labels"))
    return records


def build(kind: str, data_dir: Path) -> list[DescriptorRecord]:
    if kind == "descriptors":
        return descriptor_records(data_dir)
    if kind == "gpt4-labels":
        return gpt4_label_records(data_dir)
    if kind == "both":
        merged = {r.id: r for r in descriptor_records(data_dir)}
        for r in gpt4_label_records(data_dir):
            if r.id in merged:
                base = merged[r.id]
                base.descriptors = normalise_descriptors(base.descriptors + r.descriptors)
                base.teacher = f"{base.teacher} + {r.teacher}"
            else:
                merged[r.id] = r
        return list(merged.values())
    raise ValueError(f"unknown teacher corpus {kind!r}; choose from {KINDS}")


def gpt4_mix_train_split(data_dir: Path, out_dir: Path) -> Path:
    """The shipped corpus's ``train`` split with GPT-4's GoEmotions labels of the same texts added to their
    descriptors (issue #9's "corpus mix"). Texts of the ``validation`` split (the recipe selection's GoEmotions dev
    texts and the label calibration's held-out texts) get nothing, and no new text is added."""
    path = out_dir / "teacher-gpt4-mix-train.jsonl"
    if not path.exists():
        gpt4 = {r.id: r.descriptors for r in gpt4_label_records(data_dir)}
        records = load_corpus("llm-descriptors")
        for r in records:
            if r.id in gpt4:
                r.descriptors = normalise_descriptors(r.descriptors + gpt4[r.id])
        out_dir.mkdir(parents=True, exist_ok=True)
        write_corpus_jsonl(records, path)
    return path


def write(kind: str, data_dir: Path, out_dir: Path) -> Path:
    path = out_dir / f"teacher-{kind}.jsonl"
    if not path.exists():
        write_corpus_jsonl(build(kind, data_dir), path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", default="../shared/data")
    parser.add_argument("--out", default="runs/benchmark")
    parser.add_argument("--kind", choices=KINDS, nargs="+", default=list(KINDS))
    args = parser.parse_args(argv)
    for kind in args.kind:
        path = write(kind, Path(args.data_dir), Path(args.out))
        n = sum(1 for _ in path.open())
        print(json.dumps({"kind": kind, "path": str(path), "records": n}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
