from __future__ import annotations

from pathlib import Path

import pytest

from tests.hub.training_run import trained_model_dir as _train


@pytest.fixture(scope="session")
def trained_model_dir(minilm_path, tmp_path_factory) -> Path:
    """MiniLM after a real 2-step sentence-emo training run (trained once per session, shared with tests/hub)."""
    return _train("all-MiniLM-L6-v2", tmp_path_factory.mktemp("trained"))  # minilm_path: skip when absent
