"""The Batch API path against the local server's /v1/files and /v1/batches endpoints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fake_openai_server import Fault, default_reply

from sentence_emo.annotate import AnnotateError, annotate_file
from sentence_emo.annotate.annotator import BATCH_STATE_FILE

TEXTS = ["I am so happy", "The bus is late", "I miss home", "Leave me alone", "Broken one", "", "I am so happy"]


def _input(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps({"id": f"r{i}", "text": t}) + "\n" for i, t in enumerate(TEXTS)))
    return path


def test_batch_submit_poll_ingest_with_followups_and_errors(fake_server, config_for, tmp_path: Path) -> None:
    s = fake_server
    s.script_text("Leave me alone", Fault.reply("I'm sorry, I cannot help with that."))  # fixed by a live follow-up
    s.script_text("Broken one", Fault.status(500))  # a per-request error in the batch error file
    out = tmp_path / "out"
    config = config_for(s, batch=True, poll_interval=0.01)
    summary = annotate_file(_input(tmp_path), out, config, id_column="id")

    assert len(s.batches) == 1
    batch = next(iter(s.batches.values()))
    uploaded = s.files[batch["input_file_id"]].decode().splitlines()
    assert len(uploaded) == 5  # unique, non-empty texts only
    first = json.loads(uploaded[0])
    assert first["url"] == "/v1/chat/completions" and first["body"]["model"] == "fake-model"
    assert first["body"]["messages"][1]["content"] == "I am so happy"
    assert summary.batch_id == batch["id"]

    failed = {json.loads(line)["id"]: json.loads(line)["reason"] for line in (out / "failed.jsonl").open()}
    assert failed == {"r4": "batch_error", "r5": "empty_text"}
    corpus = {json.loads(line)["id"]: json.loads(line)["descriptors"] for line in (out / "corpus.jsonl").open()}
    assert corpus == {"r0": ["joy"], "r1": ["frustration"], "r2": ["longing"],
                      "r3": [default_reply("Leave me alone", [])], "r6": ["joy"]}
    followup = [e for e in s.requests_for("Leave me alone") if e.path == "/v1/chat/completions"]
    assert len(followup) == 1 and followup[0].followup  # only the follow-up went live
    store = [json.loads(line) for line in (out / "annotations.jsonl").open()]
    assert {r["via"] for r in store} == {"batch"}
    assert not (out / BATCH_STATE_FILE).exists()

    # re-run live: only the batch error is asked again
    before = len(s.log)
    summary = annotate_file(_input(tmp_path), out, config_for(s), id_column="id")
    assert [e.text for e in s.log[before:]] == ["Broken one"]
    assert summary.failed_by_reason == {"empty_text": 1}


def test_killed_batch_run_resumes_the_same_batch(make_server, config_for, tmp_path: Path) -> None:
    from fake_openai_server import TEST_API_KEY as API_KEY

    s = make_server(api_key=API_KEY, batch_polls=1000)  # never finishes during the first run
    out = tmp_path / "out"
    with pytest.raises(AnnotateError, match="still in_progress.*re-run the same command"):
        annotate_file(_input(tmp_path), out, config_for(s, batch=True, poll_interval=0.01, batch_timeout=0.1))
    state = json.loads((out / BATCH_STATE_FILE).read_text())
    assert state["batch_id"] in s.batches and len(state["requests"]) == 5
    # live mode refuses to pay twice while a batch is pending
    with pytest.raises(AnnotateError, match="re-run\\s+with --batch"):
        annotate_file(_input(tmp_path), out, config_for(s))
    s.batch_polls = 0  # the provider finishes the batch
    summary = annotate_file(_input(tmp_path), out, config_for(s, batch=True, poll_interval=0.01))
    assert len(s.batches) == 1 and summary.batch_id == state["batch_id"]  # no second batch submitted
    assert summary.ok == 6 and summary.failed_by_reason == {"empty_text": 1}
    assert not (out / BATCH_STATE_FILE).exists()


def test_batch_api_errors_are_retried_or_reported(fake_server, config_for, tmp_path: Path) -> None:
    s = fake_server
    s.script_path("POST", "/files", Fault.status(503))
    s.script_path("GET", "/batches/batch_2", Fault.status(429, retry_after="0.01"))  # ids: file-1, batch_2
    s.script_path("GET", "/content", Fault.status(502))
    summary = annotate_file(_input(tmp_path), tmp_path / "out", config_for(s, batch=True, poll_interval=0.01))
    assert summary.ok == 6 and summary.retries >= 3  # upload, poll and download were each retried once

    # creating a batch is not idempotent: a 5xx there is reported, not blindly retried
    s.script_path("POST", "/batches", Fault.status(500))
    with pytest.raises(AnnotateError, match="could not create the batch.*may have been created anyway"):
        annotate_file(_input(tmp_path), tmp_path / "out2", config_for(s, batch=True, poll_interval=0.01))
    assert len(s.batches) == 1
    failed = [json.loads(line)["reason"] for line in (tmp_path / "out2" / "failed.jsonl").open()]
    assert sorted(failed) == ["aborted"] * 6 + ["empty_text"]  # every row is still accounted for
