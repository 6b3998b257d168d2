"""The descriptor-corpus builder: features, de-duplication, deterministic split, failures, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sentence_emo.corpus import CorpusError
from sentence_emo.dataset_builder import (
    FEATURES,
    DescriptorCorpusBuilder,
    DescriptorCorpusConfig,
    build_dataset,
    collect,
    normalise_text,
    split_of,
    write_dataset_dir,
)


def _jsonl(path: Path, rows) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


def _rows(n: int, prefix: str = "t", **extra):
    return [{"id": f"{prefix}{i}", "text": f"{prefix} text number {i}", "descriptors": ["Joy", " mild  amusement"]
             if i % 2 else ["sadness"], **extra} for i in range(n)]


def _annotation_dir(tmp_path: Path, ok=None, failed=None, summary=None) -> Path:
    directory = tmp_path / "annotated"
    directory.mkdir(exist_ok=True)
    _jsonl(directory / "corpus.jsonl", ok if ok is not None else [
        {"id": "a1", "text": "I passed!", "descriptors": ["relief"], "teacher": "gpt-y", "prompt_version": "p@2"}])
    if failed is not None:
        _jsonl(directory / "failed.jsonl", failed)
    if summary is not None:
        (directory / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    return directory


def test_builds_features_dedupes_and_splits_deterministically(tmp_path):
    corpus = _jsonl(tmp_path / "c.jsonl", _rows(60) + [{"id": "dup", "text": "  T TEXT number 3 ", "descriptors": ["x"]}])
    dataset, stats = build_dataset([corpus], cache_dir=tmp_path / "cache", validation_fraction=0.3)
    assert set(dataset) == {"train", "validation"}
    for split in dataset.values():
        assert split.features == FEATURES
    rows = {split: ds.to_list() for split, ds in dataset.items()}
    assert len(rows["train"]) + len(rows["validation"]) == 60, "the duplicate is dropped"
    assert stats.duplicates_removed == 1 and stats.texts == 60
    assert all(r["id"] != "dup" for split in rows.values() for r in split)
    for split, split_rows in rows.items():
        assert all(split_of(r["id"], 0.3) == split for r in split_rows)
    assert 5 < len(rows["validation"]) < 35
    assert rows["train"][1]["descriptors"] == ["joy", "mild amusement"], "descriptors are normalised"
    assert list(stats.descriptor_frequency.items()) == [("joy", 30), ("mild amusement", 30), ("sadness", 30)]
    assert stats.descriptors_per_text_histogram == {1: 30, 2: 30}
    assert stats.descriptors_per_text["mean"] == 1.5

    # adding texts never moves an existing text to another split
    bigger = _jsonl(tmp_path / "c2.jsonl", _rows(60) + _rows(40, prefix="new"))
    dataset2, _ = build_dataset([bigger], cache_dir=tmp_path / "cache", validation_fraction=0.3)
    old_validation = {r["id"] for r in rows["validation"]}
    new_validation = {r["id"] for r in dataset2["validation"].to_list()}
    assert old_validation == {i for i in new_validation if not i.startswith("new")}


def test_first_duplicate_wins_across_inputs_and_order_matters(tmp_path):
    a = _jsonl(tmp_path / "a.jsonl", [{"id": "a", "text": "Same text", "descriptors": ["joy"]}])
    b = _jsonl(tmp_path / "b.jsonl", [{"id": "b", "text": "same   TEXT", "descriptors": ["anger"]}])
    build = collect(DescriptorCorpusConfig(inputs=[str(a), str(b)], validation_fraction=0.0))
    assert [r.id for r in build.splits["train"]] == ["a"] and build.duplicates == 1
    assert build.duplicate_examples == [("b", "a")]
    build = collect(DescriptorCorpusConfig(inputs=[str(b), str(a)], validation_fraction=0.0))
    assert [r.id for r in build.splits["train"]] == ["b"]
    build = collect(DescriptorCorpusConfig(inputs=[str(a), str(b)], validation_fraction=0.0, deduplicate=False))
    assert [r.id for r in build.splits["train"]] == ["a", "b"]


def test_annotation_dir_failed_rows_excluded_or_split(tmp_path):
    directory = _annotation_dir(
        tmp_path,
        failed=[{"row": 4, "id": "f1", "reason": "refusal", "detail": None, "text": "Refused text"},
                {"row": 5, "id": "f2", "reason": "empty_text", "detail": None, "text": None},
                {"row": 6, "id": "f3", "reason": "refusal", "detail": None, "text": "i PASSED!"}],  # ok elsewhere
        summary={"model": "gpt-y", "prompt_version": "p@2", "source": "forum"})
    dataset, stats = build_dataset([directory], cache_dir=tmp_path / "c1", validation_fraction=0.0)
    assert set(dataset) == {"train"} and dataset["train"]["id"] == ["a1"]
    assert stats.failed_total == 3 and stats.failed_by_reason == {"refusal": 2, "empty_text": 1}

    dataset, stats = build_dataset([directory], cache_dir=tmp_path / "c2", validation_fraction=0.0, failed="split")
    assert set(dataset) == {"train", "failed"} and dataset["failed"].features == FEATURES
    assert dataset["failed"].to_list() == [
        {"id": "f1", "text": "Refused text", "descriptors": [], "source": "forum", "teacher": "gpt-y",
         "prompt_version": "p@2"},
        {"id": "f2", "text": "", "descriptors": [], "source": "forum", "teacher": "gpt-y", "prompt_version": "p@2"},
    ]
    assert stats.splits == {"train": 1, "failed": 2} and stats.texts == 1


def test_raw_annotation_store_is_read_when_there_is_no_corpus_file(tmp_path):
    directory = tmp_path / "store-only"
    directory.mkdir()
    _jsonl(directory / "annotations.jsonl", [
        {"model": "m", "prompt_version": "p@1", "text_sha256": "aa", "id": "r1", "text": "Good day", "status": "ok",
         "descriptors": ["Joy"]},
        {"model": "m", "prompt_version": "p@1", "text_sha256": "bb", "id": "r2", "text": "No", "status": "failed",
         "descriptors": [], "reason": "refusal"},
        {"model": "m", "prompt_version": "p@1", "text_sha256": "bb", "id": "r2", "text": "No", "status": "ok",
         "descriptors": ["defiance"]},  # a retry: the last record per key wins
    ])
    dataset, stats = build_dataset([directory], cache_dir=tmp_path / "c", validation_fraction=0.0)
    assert dataset["train"].to_list() == [
        {"id": "r1", "text": "Good day", "descriptors": ["joy"], "source": None, "teacher": "m", "prompt_version": "p@1"},
        {"id": "r2", "text": "No", "descriptors": ["defiance"], "source": None, "teacher": "m", "prompt_version": "p@1"},
    ]
    assert stats.teachers == {"m": 2} and stats.failed_total == 0


@pytest.mark.parametrize("where, lines, message", [
    ("corpus", ['{"id": "1", "text": "ok", "descriptors": ["joy"]}', '{"id": "2", "text": '],
     r"corpus\.jsonl, line 2: invalid JSON"),
    ("corpus", ['{"id": "1", "text": "ok", "descriptors": ["joy"]}', '{"id": "2", "descriptors": ["joy"]}'],
     r"corpus\.jsonl, line 2: missing field 'text'"),
    ("corpus", ['{"id": "1", "text": "ok", "descriptors": [" ", ""]}'],
     r"corpus\.jsonl, line 1: field 'descriptors' is empty"),
    ("failed", ['{"id": "f", "reason": "refusal", "text": "x"}', "not json"],
     r"failed\.jsonl, line 2: invalid JSON"),
    ("failed", ['{"id": "f", "reason": "refusal"}'], r"failed\.jsonl, line 1: missing field 'text'"),
    ("failed", ['{"reason": "refusal", "text": "x"}'], r"failed\.jsonl, line 1: missing field 'id'"),
    ("store", ['{"model": "m", "prompt_version": "p", "text": "x", "descriptors": ["joy"]}'],
     r"annotations\.jsonl, line 1: missing field 'status'"),
    ("store", ['{"model": "m", "prompt_version": "p", "text": "x", "status": "ok", "descriptors": []}'],
     r"annotations\.jsonl, line 1: field 'descriptors' is empty"),
    ("store", ['{"model": "m", "prompt_version": "p", "text": "x", "status": "ok", "descriptors": ["a"]}', "{oops"],
     r"annotations\.jsonl, line 2: invalid JSON"),
])
def test_malformed_stores_name_file_and_line(tmp_path, where, lines, message):
    directory = tmp_path / "annotated"
    directory.mkdir()
    if where == "corpus":
        _jsonl(directory / "corpus.jsonl", lines)
    elif where == "failed":
        _jsonl(directory / "corpus.jsonl", ['{"id": "ok", "text": "fine", "descriptors": ["joy"]}'])
        _jsonl(directory / "failed.jsonl", lines)
    else:
        _jsonl(directory / "annotations.jsonl", lines)
    with pytest.raises(CorpusError, match=message):
        collect(DescriptorCorpusConfig(inputs=[str(directory)]))
    with pytest.raises(CorpusError, match=message):  # the same error through the builder
        DescriptorCorpusBuilder(inputs=[str(directory)], cache_dir=str(tmp_path / "cache")).download_and_prepare()


@pytest.mark.parametrize("kwargs, error, message", [
    ({"inputs": []}, ValueError, "no inputs"),
    ({"inputs": ["missing.jsonl"]}, FileNotFoundError, "input not found: missing.jsonl"),
    ({"validation_fraction": 0.7}, ValueError, r"validation_fraction must be a number in \[0, 0.5\]"),
    ({"validation_fraction": True}, ValueError, "validation_fraction"),
    ({"failed": "keep"}, ValueError, r"failed must be one of \('exclude', 'split'\)"),
    ({"deduplicate": "yes"}, TypeError, "deduplicate must be True or False"),
    ({"sep": ""}, ValueError, "sep must be a non-empty string"),
])
def test_config_is_validated(tmp_path, kwargs, error, message):
    corpus = _jsonl(tmp_path / "c.jsonl", _rows(3))
    kwargs = {"inputs": [str(corpus)], **kwargs}
    with pytest.raises(error, match=message):
        DescriptorCorpusConfig(**kwargs)


def test_directory_without_annotation_files_and_unknown_suffix_are_rejected(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="without corpus.jsonl or annotations.jsonl"):
        DescriptorCorpusConfig(inputs=[str(tmp_path / "empty")])
    (tmp_path / "c.xlsx").write_text("x")
    with pytest.raises(ValueError, match="unknown corpus format '.xlsx'"):
        DescriptorCorpusConfig(inputs=[str(tmp_path / "c.xlsx")])


def test_duplicate_ids_with_different_texts_are_an_error(tmp_path):
    a = _jsonl(tmp_path / "a.jsonl", [{"id": "x", "text": "one", "descriptors": ["joy"]}])
    b = _jsonl(tmp_path / "b.jsonl", [{"id": "x", "text": "two", "descriptors": ["joy"]}])
    with pytest.raises(CorpusError, match="duplicate id 'x'.*rename one"):
        collect(DescriptorCorpusConfig(inputs=[str(a), str(b)]))


def test_editing_an_input_rebuilds_instead_of_serving_the_stale_cache(tmp_path):
    corpus = _jsonl(tmp_path / "c.jsonl", _rows(4))
    first, _ = build_dataset([corpus], cache_dir=tmp_path / "cache", validation_fraction=0.0)
    _jsonl(corpus, _rows(6))
    second, _ = build_dataset([corpus], cache_dir=tmp_path / "cache", validation_fraction=0.0)
    assert len(first["train"]) == 4 and len(second["train"]) == 6


def test_write_dataset_dir_loads_with_plain_load_dataset(tmp_path):
    from datasets import load_dataset
    from huggingface_hub import DatasetCard

    corpus = _jsonl(tmp_path / "c.jsonl", _rows(20, teacher="gpt-x"))
    dataset, stats = build_dataset([corpus], cache_dir=tmp_path / "cache", validation_fraction=0.2)
    out = tmp_path / "out"
    (out / "data").mkdir(parents=True)
    (out / "data" / "failed-00000-of-00001.parquet").write_bytes(b"stale")
    (out / "build_report.json").write_text("{}")  # an earlier build-dataset output: its stale split goes
    write_dataset_dir(dataset, out, stats, card_kwargs={"repo_id": "org/emo", "license": "mit"})
    assert sorted(p.name for p in (out / "data").iterdir()) == [
        "train-00000-of-00001.parquet", "validation-00000-of-00001.parquet"]
    loaded = load_dataset(str(out), cache_dir=str(tmp_path / "load-cache"))
    for split in dataset:
        assert loaded[split].to_list() == dataset[split].to_list()
        assert loaded[split].features == FEATURES
    card = DatasetCard.load(out / "README.md")
    assert card.data.license == "mit" and card.data.pretty_name == "Emotion descriptors"
    assert f"| `train` | {len(dataset['train'])} |" in card.text
    assert "| gpt-x | 20 |" in card.text
    report = json.loads((out / "build_report.json").read_text())
    assert report["texts"] == 20 and report["splits"] == {k: len(v) for k, v in dataset.items()}


def test_build_dataset_cli(tmp_path, capsys):
    from sentence_emo.cli import main

    corpus = _jsonl(tmp_path / "c.jsonl", _rows(10))
    directory = _annotation_dir(tmp_path, failed=[{"row": 1, "id": "f", "reason": "refusal", "text": "no"}])
    out = tmp_path / "out"
    code = main(["build-dataset", str(corpus), str(directory), "--out", str(out), "--validation-fraction", "0",
                 "--failed", "split", "--cache-dir", str(tmp_path / "cache")])
    assert code == 0
    printed = capsys.readouterr().out
    assert "11 texts (train: 11, failed: 1)" in printed and "1 failed annotations (split)" in printed
    assert (out / "data" / "failed-00000-of-00001.parquet").is_file()

    code = main(["build-dataset", str(tmp_path / "nope.jsonl"), "--out", str(out)])
    assert code == 2
    assert "input not found" in capsys.readouterr().err


def test_normalise_text_and_split_of_are_stable():
    assert normalise_text("Ｆｕｌｌ\u00a0WIDTH  text") == "full width text"
    assert split_of("abc", 0.5, salt="s1") == split_of("abc", 0.5, salt="s1")
    moved = sum(split_of(f"id{i}", 0.5, "a") != split_of(f"id{i}", 0.5, "b") for i in range(200))
    assert 50 < moved < 150, "the salt reshuffles the split"
