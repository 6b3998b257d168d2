"""Fixtures for the Hub round trip: a local Hub-compatible server and client subprocesses.

``huggingface_hub``, ``datasets`` and ``transformers`` read ``HF_ENDPOINT``, ``HF_HUB_OFFLINE``
and ``HF_HUB_DISABLE_XET`` when they are imported, and the test session has already imported them
in offline mode (tests/conftest.py). Every client call that talks to the server therefore runs in
a subprocess with the environment of :meth:`HubServer.client_env` and a fresh ``HF_HOME``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hub.hub_server import HubServer
from tests.hub.training_run import trained_model_dir as _train

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "hf_test_0123456789abcdefghijklmnopqrstuv"  # dummy; the tests check it is never printed
CLIENT_TIMEOUT = 600

#: inherited variables that would point a client at another cache or token
_CLEARED = ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_DATASETS_CACHE", "TRANSFORMERS_CACHE", "HF_TOKEN_PATH",
            "SENTENCE_TRANSFORMERS_HOME", "HF_ASSETS_CACHE", "HF_XET_CACHE", "HUGGING_FACE_HUB_TOKEN")


@pytest.fixture(scope="module")
def hub() -> Iterator[HubServer]:
    """A Hub-compatible server on 127.0.0.1 (daemon thread), stopped after the module."""
    server = HubServer(token=TOKEN).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def trained_model_dir(minilm_path, tmp_path_factory) -> Path:
    """MiniLM after a real 2-step sentence-emo training run (shared with tests/hub_cards)."""
    return _train("all-MiniLM-L6-v2", tmp_path_factory.mktemp("trained"))  # minilm_path: skip when absent


class Client:
    """Runs the CLI or a Python snippet against the hub in a subprocess with a fresh ``HF_HOME``."""

    def __init__(self, hub: HubServer, tmp_path: Path) -> None:
        self.hub, self.tmp_path, self._homes = hub, tmp_path, 0

    def env(self, *, token: str | None = TOKEN, hf_home: Path | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
        self._homes += 1
        home = hf_home or self.tmp_path / f"hf-home-{self._homes}"
        env.update(self.hub.client_env(str(home)))
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        env["TOKENIZERS_PARALLELISM"] = "false"
        if token is None:
            env.pop("HF_TOKEN", None)
        else:
            env["HF_TOKEN"] = token
        return env

    def cli(self, *args: str, **env_kwargs) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "sentence_emo.cli", *args], cwd=ROOT, env=self.env(**env_kwargs),
                              capture_output=True, text=True, timeout=CLIENT_TIMEOUT)

    def python(self, code: str, **env_kwargs) -> dict:
        """Run ``code`` (which must print one JSON object on its last stdout line) and return that object."""
        proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=self.env(**env_kwargs),
                              capture_output=True, text=True, timeout=CLIENT_TIMEOUT)
        assert proc.returncode == 0, f"client failed:\nSTDOUT:\n{proc.stdout[-3000:]}\nSTDERR:\n{proc.stderr[-5000:]}"
        return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture()
def client(hub, tmp_path) -> Client:
    return Client(hub, tmp_path)
