"""The API key never reaches logs, stores, summaries, outputs or error messages."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from fake_openai_server import Fault

from sentence_emo.annotate import AnnotateConfig
from sentence_emo.cli import main

SECRET = "QX-distinctive-Fake-Key-7d41e9b2c0"  # not sk-shaped: only exact-key redaction can hide it


def _grep_tree(root: Path, needle: str) -> list[str]:
    return [str(p) for p in root.rglob("*") if p.is_file() and needle.encode() in p.read_bytes()]


def test_api_key_never_leaks(make_server, monkeypatch, tmp_path: Path, capsys, caplog) -> None:
    caplog.set_level(logging.DEBUG)  # everything, including openai/httpx debug logs
    server = make_server(api_key=SECRET)
    server.script_text("limited", Fault.status(429, retry_after="0.01"))
    server.script_text("broken", *[Fault.status(500)] * 3)
    server.script_text("refused", *[Fault.reply("I'm sorry, I cannot help.")] * 3)
    data = tmp_path / "in.jsonl"
    data.write_text("".join(json.dumps({"text": t}) + "\n" for t in ["limited", "broken", "refused", "", "fine"]))
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    common = ["--model", "m", "--base-url", server.base_url, "--no-progress", "--max-retries", "2"]
    assert main(["-v", "annotate", str(data), "--out", str(tmp_path / "live"), *common]) == 0
    assert main(["-v", "annotate", str(data), "--out", str(tmp_path / "batch"), "--batch", "--poll-interval",
                 "0.01", *common]) == 0
    assert json.loads((tmp_path / "live" / "summary.json").read_text())["failed_by_reason"] == {
        "server_error": 1, "refusal": 1, "empty_text": 1}

    # a server that expects another key echoes the presented one in its 401 message
    other = make_server(api_key="the-right-key-000")
    code = main(["annotate", str(data), "--out", str(tmp_path / "denied"), "--model", "m", "--base-url",
                 other.base_url, "--no-progress"])
    assert code == 2
    captured = capsys.readouterr()
    assert "rejected the API key" in captured.err
    assert other.unauthorized >= 1

    assert SECRET not in captured.out
    assert SECRET not in captured.err
    assert SECRET not in caplog.text
    assert all(SECRET not in str(record.args) for record in caplog.records)
    assert _grep_tree(tmp_path, SECRET) == []
    assert SECRET not in repr(AnnotateConfig(model="m", api_key=SECRET))
    assert len(caplog.records) > 20  # the logs were really captured (HTTP lines, retries, warnings)
