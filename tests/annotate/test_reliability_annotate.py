"""Issue 11 items 3 and 10: ``corpus.jsonl`` keeps every paid-for answer across runs into one ``--out``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from fake_openai_server import TEST_API_KEY as API_KEY

from sentence_emo.cli import main
from sentence_emo.corpus import load_corpus


def _write_csv(path: Path, texts: list[str]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["text"])
        writer.writerows([t] for t in texts)
    return path


@pytest.fixture
def run(fake_server, monkeypatch, tmp_path):
    monkeypatch.setenv("OPENAI_API_KEY", API_KEY)

    def annotate(data: Path, out: Path, *extra: str) -> int:
        return main(["annotate", str(data), "--model", "m", "--base-url", fake_server.base_url, "--out", str(out),
                     "--no-progress", *extra])

    return annotate


def test_corpus_never_shrinks_across_runs(run, fake_server, tmp_path):
    out = tmp_path / "out"
    first = _write_csv(tmp_path / "first.csv", ["I am so happy for you!", "I hate this so much", "Thank you, I love it"])
    second = _write_csv(tmp_path / "second.csv", ["The train was late again", "I miss my dog"])
    assert run(first, out) == 0
    after_first = load_corpus(out / "corpus.jsonl")
    assert len(after_first) == 3
    first_bytes = (out / "corpus.jsonl").read_bytes()

    assert run(second, out) == 0  # another file into the same --out
    ids = [r.id for r in load_corpus(out / "corpus.jsonl")]
    assert ids == ["first:2", "first:3", "first:4", "second:2", "second:3"]
    assert (out / "corpus.jsonl").read_bytes().startswith(first_bytes), "earlier rows unchanged, in order"

    requests = len(fake_server.chat_requests())
    assert run(first, out, "--limit", "2") == 0  # a re-run with --limit: nothing paid twice, nothing dropped
    assert len(fake_server.chat_requests()) == requests
    assert [r.id for r in load_corpus(out / "corpus.jsonl")] == ids

    # build-dataset on that folder sees every answer
    assert main(["build-dataset", str(out), "--out", str(tmp_path / "ds"), "--validation-fraction", "0",
                 "--cache-dir", str(tmp_path / "cache")]) == 0
    report = json.loads((tmp_path / "ds" / "build_report.json").read_text())
    assert report["texts"] == 5


def test_damaged_earlier_corpus_stops_before_paying(run, fake_server, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "corpus.jsonl").write_text('{"id": "x", "text": "hi", "descriptors": ["joy"]}\n{"id": broken\n')
    before = (out / "corpus.jsonl").read_bytes()
    assert run(_write_csv(tmp_path / "in.csv", ["I am so happy"]), out) == 2
    err = capsys.readouterr().err
    assert "corpus.jsonl, line 2: invalid JSON" in err
    assert fake_server.chat_requests() == [] and (out / "corpus.jsonl").read_bytes() == before


def test_out_that_is_a_file(run, tmp_path, capsys):
    target = tmp_path / "out.txt"
    target.write_text("mine")
    assert run(_write_csv(tmp_path / "in.csv", ["I am so happy"]), target) == 2
    err = capsys.readouterr().err
    assert "is a file" in err and "Traceback" not in err and target.read_text() == "mine"
