"""The LLM descriptor corpus shipped in the package: loading, taxonomy config, card, rebuild script."""

from __future__ import annotations

import configparser
import fnmatch
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sentence_emo.corpus import (
    LLM_DESCRIPTORS,
    CorpusError,
    load_corpus,
    load_taxonomy,
    shipped_dataset_dir,
)

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "sentence_emo" / "data" / "llm_descriptors"
SHARED = ROOT.parent / "shared" / "data"
SCRIPT = ROOT / "scripts" / "build_llm_corpus.py"
needs_shared = pytest.mark.skipif(not (SHARED / "llm_descriptors" / "descriptors.jsonl").is_file(),
                                  reason=f"needs {SHARED}/llm_descriptors (the teacher data is not in this checkout)")


def _script():
    spec = importlib.util.spec_from_file_location("build_llm_corpus", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_load_corpus_by_name_gives_the_shipped_splits():
    train, dev = load_corpus(LLM_DESCRIPTORS), load_corpus(f"{LLM_DESCRIPTORS}:validation")
    assert (len(train), len(dev)) == (9335, 1073)
    assert not {r.id for r in train} & {r.id for r in dev}
    assert {r.source for r in train} == {"goemotions-dev", "semeval-train", "emobank-train"}
    assert all(r.text.strip() and r.descriptors for r in train)
    assert load_corpus(f"{LLM_DESCRIPTORS}:train") == train
    assert shipped_dataset_dir() == SHIPPED
    with pytest.raises(ValueError, match=r"no split 'test'; use one of \['llm-descriptors:train', "
                                         r"'llm-descriptors:validation'\]"):
        load_corpus(f"{LLM_DESCRIPTORS}:test")


def test_plain_load_dataset_reads_both_configs():
    from datasets import load_dataset

    corpus = load_dataset(str(SHIPPED))
    assert {k: len(v) for k, v in corpus.items()} == {"train": 9335, "validation": 1073}
    taxonomy = load_dataset(str(SHIPPED), "taxonomy")["train"]
    assert len(taxonomy) == 832 and taxonomy.column_names == ["descriptor", "families", "valence", "arousal"]
    vocabulary = {d for split in corpus.values() for row in split["descriptors"] for d in row}
    assert vocabulary == set(taxonomy["descriptor"])  # every corpus descriptor has a taxonomy row


def test_load_taxonomy_defaults_to_the_shipped_one_and_reads_files(tmp_path):
    taxonomy = load_taxonomy()
    assert len(taxonomy) == 832
    assert taxonomy["neutral"] == {"descriptor": "neutral", "families": [], "valence": "neutral", "arousal": "low"}
    assert taxonomy["contempt"]["families"] == ["disgust", "anger"]
    assert load_taxonomy(SHIPPED) == taxonomy
    jsonl = tmp_path / "taxonomy.jsonl"
    jsonl.write_text('{"descriptor": " Mild  Joy", "families": ["joy"], "valence": "pleasant", "arousal": "low"}\n')
    assert load_taxonomy(jsonl) == {"mild joy": {"descriptor": "mild joy", "families": ["joy"],
                                                 "valence": "pleasant", "arousal": "low"}}
    jsonl.write_text('{"families": ["joy"]}\n')
    with pytest.raises(ValueError, match=r"taxonomy.jsonl, line 1: not a taxonomy row with a 'descriptor'"):
        load_taxonomy(jsonl)
    jsonl.write_text('{"descriptor": "x", "families": "joy"\n')
    with pytest.raises(CorpusError, match="line 1: invalid JSON"):
        load_taxonomy(jsonl)
    with pytest.raises(FileNotFoundError, match="taxonomy file not found"):
        load_taxonomy(tmp_path / "missing.jsonl")


def test_card_names_every_source_with_its_licence_and_the_taxonomy_config():
    text = (SHIPPED / "README.md").read_text(encoding="utf-8")
    assert "config_name: taxonomy" in text and "path: taxonomy/train-*" in text
    for source, licence in (("goemotions-dev", "Apache-2.0"), ("semeval-train", "research use"),
                            ("emobank-train", "CC-BY-SA 4.0")):
        line = next(line for line in text.splitlines() if line.startswith(f"| `{source}` |"))
        assert licence in line, line
    assert "## How it was made" in text and "scripts/build_llm_corpus.py" in text
    assert 'load_corpus("llm-descriptors")' in text
    report = json.loads((SHIPPED / "build_report.json").read_text())
    assert report["inputs"] == ["../shared/data/llm_descriptors/descriptors.jsonl"]


def test_package_data_globs_cover_every_shipped_file():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    globs = [g.strip() for g in cfg["options.package_data"]["sentence_emo"].split(",")]
    files = [p.relative_to(ROOT / "sentence_emo").as_posix() for p in SHIPPED.rglob("*") if p.is_file()]
    assert files and all(any(fnmatch.fnmatch(f, g) and f.count("/") == g.count("/") for g in globs) for f in files), \
        (files, globs)


def _tiny_shared(tmp_path: Path) -> Path:
    data = tmp_path / "shared" / "llm_descriptors"
    data.mkdir(parents=True)
    rows = [{"id": f"goemotions-dev:{i}", "source": "goemotions-dev", "text": f"text number {i}",
             "descriptors": ["joy", "relief"] if i % 2 else ["anger"]} for i in range(40)]
    rows.append({"id": "emobank-train:x", "source": "emobank-train", "text": "Text number 3", "descriptors": ["joy"]})
    (data / "descriptors.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    tax = [{"descriptor": "joy", "families": ["joy"], "valence": "pleasant", "arousal": "medium"},
           {"descriptor": "relief", "families": ["joy"], "valence": "pleasant", "arousal": "low"},
           {"descriptor": "anger", "families": ["anger"], "valence": "unpleasant", "arousal": "high"}]
    (data / "taxonomy.jsonl").write_text("".join(json.dumps(r) + "\n" for r in tax))
    return data.parent


def test_build_script_writes_a_loadable_folder_and_check_detects_drift(tmp_path, capsys):
    from datasets import load_dataset

    script = _script()
    shared, out = _tiny_shared(tmp_path), tmp_path / "out"
    assert script.main(["--data-dir", str(shared), "--out", str(out)]) == 0
    corpus = load_dataset(str(out), cache_dir=str(tmp_path / "cache"))
    assert sum(len(s) for s in corpus.values()) == 40  # "Text number 3" is a duplicate of "text number 3"
    taxonomy = load_dataset(str(out), "taxonomy", cache_dir=str(tmp_path / "cache"))["train"]
    assert taxonomy.to_list()[2] == {"descriptor": "anger", "families": ["anger"], "valence": "unpleasant",
                                     "arousal": "high"}
    assert "| `goemotions-dev` | 40 |" in (out / "README.md").read_text()
    assert script.main(["--data-dir", str(shared), "--out", str(out), "--check"]) == 0
    (out / "taxonomy" / "train-00000-of-00001.parquet").write_bytes(b"stale")
    (out / "data" / "old-00000-of-00001.parquet").write_bytes(b"stale")
    capsys.readouterr()
    assert script.main(["--data-dir", str(shared), "--out", str(out), "--check"]) == 1
    err = capsys.readouterr().err
    assert "differs: taxonomy/train-00000-of-00001.parquet" in err
    assert "not produced by the build: data/old-00000-of-00001.parquet" in err
    (shared / "llm_descriptors" / "taxonomy.jsonl").write_text('{"descriptor": "joy", "families": []}\n')
    assert script.main(["--data-dir", str(shared), "--out", str(tmp_path / "o2")]) == 2
    assert "lacks 2 descriptors of the corpus" in capsys.readouterr().err


@needs_shared
def test_shipped_folder_matches_a_fresh_build_from_shared_data():
    proc = subprocess.run([sys.executable, str(SCRIPT), "--check"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.slow
def test_the_wheel_installs_the_shipped_dataset(tmp_path):
    import zipfile

    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    wheel = next(tmp_path.glob("sentence_emo-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"sentence_emo/{p.relative_to(ROOT / 'sentence_emo').as_posix()}" for p in SHIPPED.rglob("*")
               if p.is_file()}
    assert shipped and shipped <= names, sorted(shipped - names)
