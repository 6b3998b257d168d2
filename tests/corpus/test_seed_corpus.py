"""The embedded synthetic seed corpus: shape, diversity, card consistency and reproducibility."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from sentence_emo.corpus import DescriptorRecord, load_corpus, load_seed_corpus, normalise_descriptors, seed_corpus_path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "make_seed_corpus.py"
CARD = seed_corpus_path().with_name("SEED_CORPUS.md")

GOEMOTIONS = (
    "admiration amusement anger annoyance approval caring confusion curiosity desire disappointment disapproval "
    "disgust embarrassment excitement fear gratitude grief joy love nervousness optimism pride realization relief "
    "remorse sadness surprise neutral"
).split()
ISEAR = ["joy", "fear", "anger", "sadness", "disgust", "shame", "guilt"]


@pytest.fixture(scope="module")
def records() -> list[DescriptorRecord]:
    return load_seed_corpus()


@pytest.fixture(scope="module")
def generator():
    """The generator script imported as a module (it lives outside the package)."""
    spec = importlib.util.spec_from_file_location("make_seed_corpus", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module through sys.modules
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9']+", text.lower().replace("-", " ")))


def test_loads_through_the_package_api(records):
    assert len(records) >= 1500
    assert all(isinstance(r, DescriptorRecord) for r in records)
    assert load_corpus("seed")[0] == records[0]
    assert {(r.source, r.teacher, r.prompt_version) for r in records} == {
        ("synthetic-seed", "template-generator", "seed-v1")
    }
    assert all(re.fullmatch(r"seed-\d{5}", r.id) for r in records)


def test_ids_and_texts_are_unique(records):
    assert len({r.id for r in records}) == len(records)
    assert len({r.text for r in records}) == len(records)
    assert len({r.text.strip().lower() for r in records}) == len(records)


def test_descriptors_are_normalised_and_one_to_four(records):
    for r in records:
        assert r.descriptors == normalise_descriptors(r.descriptors), r.id
        assert 1 <= len(r.descriptors) <= 4, r.id
    # several descriptors per text are common, like an LLM teacher's answers
    assert sum(len(r.descriptors) > 1 for r in records) / len(records) > 0.4


def test_vocabulary_is_broad(records):
    vocab = Counter(d for r in records for d in r.descriptors)
    assert len(vocab) >= 60
    # no single emotion descriptor swamps the corpus
    top, count = next((d, c) for d, c in vocab.most_common() if d != "neutral")
    assert count / len(records) < 0.15, top
    multiword = [d for d in vocab if " " in d]
    assert len(multiword) >= 10  # phrases such as "mild amusement" stay whole


def test_neutral_share_and_neutral_stands_alone(records):
    neutral = [r for r in records if "neutral" in r.descriptors]
    assert 0.05 <= len(neutral) / len(records) <= 0.20
    assert all(r.descriptors == ["neutral"] for r in neutral)


def test_sarcastic_and_mixed_texts_present(records):
    sarcastic = [r for r in records if "sarcasm" in r.descriptors]
    assert len(sarcastic) >= 50
    assert all(len(r.descriptors) >= 2 for r in sarcastic)  # sarcasm plus the real emotion
    assert sum("mixed feelings" in r.descriptors for r in records) >= 10


def test_text_lengths(records):
    lengths = [len(r.text.split()) for r in records]
    assert min(lengths) >= 5
    assert max(lengths) <= 40


def test_at_least_half_the_texts_do_not_name_their_descriptors(records):
    implicit = [
        r for r in records
        if not _words(r.text) & {w for d in r.descriptors for w in re.findall(r"[a-z0-9']+", d)}
    ]
    assert len(implicit) / len(records) >= 0.5
    # ... but the explicit case exists too
    assert len(implicit) < len(records)


def test_few_near_duplicates(records):
    prefixes = Counter(" ".join(re.findall(r"[a-z0-9']+", r.text.lower())[:8]) for r in records)
    shared = sum(c for c in prefixes.values() if c > 1)
    assert shared / len(records) <= 0.03


def test_benchmark_label_names_are_covered(records):
    vocab = {d for r in records for d in r.descriptors}
    assert not [label for label in GOEMOTIONS + ISEAR if label not in vocab]


def test_card_numbers_match_the_shipped_corpus(records):
    card = CARD.read_text(encoding="utf-8")
    data = seed_corpus_path().read_bytes()
    assert f"`{hashlib.sha256(data).hexdigest()}`" in card
    assert f"| records | {len(records):,} |" in card
    n_distinct = len({d for r in records for d in r.descriptors})
    assert f"| distinct descriptors | {n_distinct} |" in card
    n_neutral = sum(r.descriptors == ["neutral"] for r in records)
    assert f"| {n_neutral:,} ({100 * n_neutral / len(records):.1f}%) |" in card
    assert card.startswith("---\nlicense: apache-2.0\n")


def test_regeneration_is_byte_identical(generator, tmp_path):
    out, card = tmp_path / "seed_corpus.jsonl", tmp_path / "SEED_CORPUS.md"
    stats = generator.main(out, card)
    assert out.read_bytes() == seed_corpus_path().read_bytes()
    assert card.read_bytes() == CARD.read_bytes()
    assert stats["records"] == len(out.read_bytes().splitlines())
    # every written line is a complete record with exactly the documented fields
    first = json.loads(out.read_bytes().splitlines()[0])
    assert list(first) == ["id", "text", "descriptors", "source", "teacher", "prompt_version"]


def test_check_flag_detects_a_stale_copy(generator, tmp_path, capsys):
    out, card = tmp_path / "seed_corpus.jsonl", tmp_path / "SEED_CORPUS.md"
    args = ["--out", str(out), "--card", str(card)]
    assert generator.cli(["--check", *args]) == 1  # nothing written yet
    generator.main(out, card)
    assert generator.cli(["--check", *args]) == 0
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text("".join(lines[:-1]), encoding="utf-8")  # drop one record
    assert generator.cli(["--check", *args]) == 1
    assert "stale" in capsys.readouterr().err


def test_requirement_check_refuses_a_bad_corpus(generator):
    records, drafts, rejected = generator.generate()
    stats = generator.corpus_stats(records[:800], drafts[:800], rejected)
    with pytest.raises(ValueError, match="records"):
        generator.check_requirements(stats)


@pytest.mark.slow
def test_script_runs_from_the_command_line(tmp_path):
    out, card = tmp_path / "c.jsonl", tmp_path / "c.md"
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out), "--card", str(card)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == seed_corpus_path().read_bytes()
    assert "`c.jsonl`" in card.read_text(encoding="utf-8")  # the card names the file it describes
