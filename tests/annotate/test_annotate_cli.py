"""``sentence-emo annotate``: inputs, outputs in the trainer's format, user errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fake_openai_server import TEST_API_KEY as API_KEY
from fake_openai_server import Fault

from sentence_emo.cli import main
from sentence_emo.corpus import load_corpus


def _write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


ROWS = [
    {"uid": "a1", "body": "I am so happy for you!"},
    {"uid": "a2", "body": "The train was late, again."},
    {"uid": "a3", "body": ""},
    {"uid": "a4", "body": "Thank you so much, I love it"},
    {"uid": "a5", "body": "Please leave me alone."},
]


@pytest.fixture
def env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", API_KEY)


def test_cli_writes_store_corpus_failed_and_summary(fake_server, env_key, tmp_path: Path, capsys) -> None:
    fake_server.script_text("leave me alone", *[Fault.reply("I'm sorry, I can't help with that.")] * 3)
    data = _write_csv(tmp_path / "posts.csv", ROWS)
    out = tmp_path / "out"
    argv = ["annotate", str(data), "--text-column", "body", "--id-column", "uid", "--model", "fake-model",
            "--base-url", fake_server.base_url, "--out", str(out), "--concurrency", "3", "--reply-retries", "2",
            "--price-in", "0.5", "--price-out", "1.5", "--no-progress", "--timeout", "2"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "annotated 3/5 rows" in printed and "estimated cost $" in printed

    corpus = load_corpus(out / "corpus.jsonl")  # the trainer's loader accepts it
    assert [r.id for r in corpus] == ["a1", "a2", "a4"]
    assert corpus[0].descriptors == ["joy"]
    assert corpus[1].descriptors == ["frustration"]
    assert set(corpus[2].descriptors) == {"gratitude", "love"}
    assert {(r.teacher, r.prompt_version, r.source) for r in corpus} == {
        ("fake-model", "descriptors@paper-v1", "posts")}

    failed = [json.loads(line) for line in (out / "failed.jsonl").read_text().splitlines()]
    assert {(f["id"], f["reason"]) for f in failed} == {("a3", "empty_text"), ("a5", "refusal")}
    assert next(f for f in failed if f["id"] == "a3")["row"] == 4  # line number in the CSV

    summary = json.loads((out / "summary.json").read_text())
    assert summary["rows"] == 5 and summary["ok"] == 3 and summary["failed"] == 2
    assert summary["failed_by_reason"] == {"empty_text": 1, "refusal": 1}
    assert summary["http_requests"] == 3 + 3  # 3 good texts + refusal thrice
    assert summary["prompt_tokens"] > 0 and summary["completion_tokens"] > 0
    expected_cost = summary["prompt_tokens"] * 0.5e-6 + summary["completion_tokens"] * 1.5e-6
    assert summary["estimated_cost_usd"] == pytest.approx(expected_cost, rel=1e-6)

    store = [json.loads(line) for line in (out / "annotations.jsonl").read_text().splitlines()]
    assert len(store) == 4 and all(r["prompt_version"] == "descriptors@paper-v1" for r in store)
    assert next(r for r in store if r["id"] == "a5")["replies"][0].startswith("I'm sorry")

    # same command again: nothing is requested, outputs are identical
    before = len(fake_server.chat_requests())
    assert main(argv) == 0
    assert len(fake_server.chat_requests()) == before
    again = json.loads((out / "summary.json").read_text())
    assert again["ok"] == 3 and again["cached"] == 3 and again["annotated_now"] == 0
    assert [r.id for r in load_corpus(out / "corpus.jsonl")] == ["a1", "a2", "a4"]


def test_cli_label_mode_and_parquet_and_limit(make_server, env_key, tmp_path: Path) -> None:
    server = make_server(api_key=API_KEY, reply_fn=lambda text, messages: "Anger." if "hate" in text else "joy")
    table = pa.table({"text": ["I hate this", "I love this", "third", "fourth"]})
    pq.write_table(table, tmp_path / "in.parquet")
    labels = tmp_path / "labels.txt"
    labels.write_text("joy\nanger\n# comment\nsadness\n")
    out = tmp_path / "out"
    assert main(["annotate", str(tmp_path / "in.parquet"), "--model", "m", "--base-url", server.base_url,
                 "--out", str(out), "--labels", str(labels), "--limit", "2", "--no-progress"]) == 0
    corpus = load_corpus(out / "corpus.jsonl")
    assert [(r.id, r.descriptors) for r in corpus] == [("in:1", ["anger"]), ("in:2", ["joy"])]
    assert corpus[0].prompt_version.startswith("labels-")
    assert len(server.chat_requests()) == 2


@pytest.mark.parametrize(
    ("extra", "setup", "message"),
    [
        (["--text-column", "content"], None, "no text column 'content'.*'uid', 'body'.*--text-column"),
        (["--text-column", "body", "--id-column", "nope"], None, "no id column 'nope'"),
        (["--text-column", "body", "--mode", "labels"], None, "--mode labels needs"),
        (["--text-column", "body", "--mode", "descriptors", "--labels", "a,b"], None, "--labels only applies"),
        (["--text-column", "body"], "no-key", "no API key: set the OPENAI_API_KEY"),
        (["--text-column", "body"], "no-server", "cannot reach the server"),
    ],
)
def test_cli_user_errors(fake_server, monkeypatch, tmp_path: Path, capsys, extra, setup, message) -> None:
    import re

    data = _write_csv(tmp_path / "posts.csv", ROWS)
    base_url = fake_server.base_url
    if setup != "no-key":
        monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
    if setup == "no-server":
        fake_server.stop()
    code = main(["annotate", str(data), "--model", "m", "--base-url", base_url, "--out", str(tmp_path / "o"),
                 "--no-progress", *extra])
    err = capsys.readouterr().err
    assert code == 2
    assert re.search(message, err), err
    assert err.startswith("sentence-emo: error:")


def test_python_dash_m_entry_point(fake_server, env_key, tmp_path: Path, capsys) -> None:
    from sentence_emo.annotate.cli import main as module_main

    data = tmp_path / "in.jsonl"
    data.write_text("\n".join(json.dumps({"text": t}) for t in ["so happy", "so sad"]) + "\n")
    assert module_main([str(data), "--model", "m", "--base-url", fake_server.base_url, "--out",
                        str(tmp_path / "o"), "--no-progress"]) == 0
    assert "annotated 2/2 rows" in capsys.readouterr().out
    assert module_main([str(data), "--model", "m", "--base-url", fake_server.base_url, "--out",
                        str(tmp_path / "o"), "--text-column", "body"]) == 2
    assert "available columns: 'text'" in capsys.readouterr().err
