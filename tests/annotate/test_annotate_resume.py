"""Killing an annotation run with SIGKILL loses at most the in-flight requests."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from fake_openai_server import TEST_API_KEY as API_KEY
from fake_openai_server import default_reply

from sentence_emo.annotate.store import text_sha256
from sentence_emo.cli import main

REPO = Path(__file__).resolve().parents[2]
N_TEXTS = 120
CONCURRENCY = 4
#: generous: a subprocess importing the package on a loaded machine can take long to start
STARTUP_DEADLINE = 120


class ReplyGate:
    """A ``reply_fn`` that answers the first ``open_for`` requests and holds the rest until :meth:`release`.

    It puts the kill/interrupt in the middle of the run by events, not by timing: with a fixed latency,
    a loaded machine could let the subprocess finish every text before the signal arrives (a flaky test).
    """

    def __init__(self, open_for: int) -> None:
        self.open_for = open_for
        self._n = 0
        self._lock = threading.Lock()
        self._open = threading.Event()

    def __call__(self, text: str, messages: list) -> str:
        with self._lock:
            self._n += 1
            n = self._n
        if n > self.open_for:
            self._open.wait(300)
        return default_reply(text, messages)

    def release(self) -> None:
        self._open.set()


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")
def test_sigkill_mid_run_then_rerun_stores_every_text_once(make_server, tmp_path: Path, monkeypatch) -> None:
    gate = ReplyGate(open_for=20)  # the kill lands mid-run however slow the machine is
    server = make_server(api_key=API_KEY, reply_fn=gate)
    texts = [f"message {i}: the weather is {'great' if i % 3 else 'sad'} today ({i})" for i in range(N_TEXTS)]
    data = tmp_path / "texts.csv"
    with data.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "text"])
        writer.writerows([[f"t{i}", t] for i, t in enumerate(texts)])
    out = tmp_path / "out"
    store = out / "annotations.jsonl"
    args = [str(data), "--id-column", "id", "--model", "fake-model", "--base-url", server.base_url,
            "--out", str(out), "--concurrency", str(CONCURRENCY), "--no-progress", "--timeout", "5"]
    env = {**os.environ, "OPENAI_API_KEY": API_KEY,
           "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    stderr = (tmp_path / "stderr.txt").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "sentence_emo.annotate", *args], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        deadline = time.monotonic() + STARTUP_DEADLINE
        while time.monotonic() < deadline:
            if store.exists() and store.read_bytes().count(b"\n") >= 10:
                break
            assert proc.poll() is None, (tmp_path / "stderr.txt").read_text()
            time.sleep(0.01)
        else:
            pytest.fail(f"the annotation subprocess wrote nothing within {STARTUP_DEADLINE} s")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    finally:
        gate.release()
        if proc.poll() is None:
            proc.kill()
        stderr.close()
    assert proc.returncode == -signal.SIGKILL

    raw = store.read_bytes()
    complete = raw[: raw.rfind(b"\n") + 1]
    stored_before = {json.loads(line)["text_sha256"] for line in complete.splitlines()}
    assert 10 <= len(stored_before) < N_TEXTS, "the run must be killed mid-way"
    assert not (out / "summary.json").exists()  # it really died before finishing
    with store.open("ab") as f:  # a record torn by the kill (if the kill itself did not leave one)
        f.write(b'{"model":"fake-model","prompt_version":"descr')
    requests_before_rerun = len(server.chat_requests())

    monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
    assert main(["annotate", *args]) == 0  # the same command again

    lines = store.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]  # every line is valid JSON: the torn one was repaired
    shas = [r["text_sha256"] for r in records]
    assert sorted(shas) == sorted(text_sha256(t) for t in texts)  # every text exactly once
    assert all(r["status"] == "ok" for r in records)
    for text in texts:
        if text_sha256(text) in stored_before:
            assert len(server.requests_for(text)) == 1, f"{text!r} was stored yet requested again"
    re_requested = {e.text for e in server.chat_requests()[requests_before_rerun:]}
    assert not re_requested & {t for t in texts if text_sha256(t) in stored_before}
    in_flight_lost = len(server.chat_requests()) - N_TEXTS
    # paid twice at most: requests in flight plus answers queued for the next group commit (the writer
    # thread fsyncs one batch while workers keep receiving), plus the torn line
    assert 0 <= in_flight_lost <= 2 * CONCURRENCY + 1
    summary = json.loads((out / "summary.json").read_text())
    assert summary["ok"] == N_TEXTS and summary["cached"] == len(stored_before)
    corpus = [json.loads(line) for line in (out / "corpus.jsonl").read_text().splitlines()]
    assert [c["id"] for c in corpus] == [f"t{i}" for i in range(N_TEXTS)]


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGINT") or sys.platform == "win32", reason="needs POSIX signals")
def test_ctrl_c_drains_in_flight_requests_and_writes_outputs(make_server, tmp_path: Path) -> None:
    gate = ReplyGate(open_for=12)  # SIGINT lands mid-run however slow the machine is
    server = make_server(api_key=API_KEY, reply_fn=gate)
    data = tmp_path / "texts.jsonl"
    data.write_text("".join(json.dumps({"text": f"text {i}"}) + "\n" for i in range(80)))
    out = tmp_path / "out"
    env = {**os.environ, "OPENAI_API_KEY": API_KEY,
           "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "sentence_emo.annotate", str(data), "--model", "m", "--base-url", server.base_url,
         "--out", str(out), "--concurrency", str(CONCURRENCY), "--no-progress"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    store = out / "annotations.jsonl"
    try:
        deadline = time.monotonic() + STARTUP_DEADLINE
        while not (store.exists() and store.read_bytes().count(b"\n") >= 5):
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read().decode()
            time.sleep(0.01)
        proc.send_signal(signal.SIGINT)
        gate.release()  # the held requests are in flight: Ctrl-C must drain them
        _, err = proc.communicate(timeout=120)
    finally:
        gate.release()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err.decode()
    assert b"finished work is kept" in err
    answered = [e for e in server.chat_requests() if e.status == 200]
    stored = store.read_text().splitlines()
    assert 5 <= len(stored) < 80
    assert len(stored) == len(answered)  # every answer the server sent was kept: in-flight ones drained
    summary = json.loads((out / "summary.json").read_text())
    assert summary["aborted"] == "interrupted by the user"
    assert summary["ok"] == len(stored) and summary["failed_by_reason"] == {"interrupted": 80 - len(stored)}
