"""``make demo`` trains on the shipped LLM corpus (not synthetic templates) and then predicts."""

from __future__ import annotations

import json

import pytest

from sentence_emo.files import TRAINING_INFO_FILE


@pytest.mark.slow
def test_demo_trains_on_the_shipped_corpus_then_predicts(tmp_path, minilm_path, capsys, monkeypatch):
    from sentence_emo import demo

    monkeypatch.chdir(tmp_path)
    assert demo.main(["--output", "emo-distill", "--steps", "1"]) == 0
    out = capsys.readouterr().out
    assert "shipped LLM corpus (llm-descriptors: 9335 texts), 1 steps of 64 texts" in out
    assert "single-label" in out and "valence" in out
    info = json.loads((tmp_path / "emo-distill" / TRAINING_INFO_FILE).read_text())
    assert info["config"]["corpus"] == ["llm-descriptors"] and info["config"]["max_steps"] == 1
    assert info["corpus"]["sources"] == ["emobank-train", "goemotions-dev", "semeval-train"]
    assert demo.main(["--output", "emo-distill"]) == 0  # reuses the model
    assert "reusing emo-distill" in capsys.readouterr().out
