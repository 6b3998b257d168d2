"""Issue 11 item 13: pushing with the Hub unreachable or offline mode on is one line naming the endpoint."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "hf_test_0123456789abcdefghijklmnopqrstuv"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


def _cli(tmp_path: Path, *args: str, offline: bool) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    env.update(HF_HOME=str(tmp_path / "hf-home"), HF_TOKEN=TOKEN, HF_HUB_OFFLINE="1" if offline else "0",
               HF_ENDPOINT=f"http://127.0.0.1:{_closed_port()}", HF_HUB_DISABLE_XET="1",
               PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "sentence_emo.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("offline", [False, True], ids=["unreachable", "HF_HUB_OFFLINE"])
def test_push_model_and_dataset_without_a_hub(tmp_path, tiny_model_dir, offline):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"t{i}", "text": f"text {i}", "descriptors": ["joy"]}) + "\n"
                              for i in range(4)))
    for args in (["push-model", str(tiny_model_dir), "org/emo"],
                 ["push-dataset", str(corpus), "org/emo-data", "--cache-dir", str(tmp_path / "cache")]):
        proc = _cli(tmp_path, *args, offline=offline)
        err = proc.stderr
        assert proc.returncode == 2, err
        assert "Traceback" not in err
        line = next(line for line in err.splitlines() if "error:" in line)
        assert "http://127.0.0.1:" in line  # names the endpoint
        assert ("HF_HUB_OFFLINE=1 is set" in line) if offline else ("could not reach" in line and "HF_ENDPOINT" in line)
        assert TOKEN not in err
