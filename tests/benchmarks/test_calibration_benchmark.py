"""benchmarks/calibration_benchmark.py end to end on a small subsample (needs the shared data folder)."""

from __future__ import annotations

import json
import shutil

from benchmarks import calibration_benchmark as cb
from sentence_emo.cli import main as cli_main

from tests.conftest import write_jsonl

WORDS = ["joy", "anger", "sadness", "fear", "love", "surprise", "disgust", "trust", "gratitude", "relief", "neutral"]


def test_calibration_benchmark_writes_json_md_png(tmp_path, tiny_model_dir, shared_data_dir, capsys):
    model = tmp_path / "model"
    shutil.copytree(tiny_model_dir, model)
    heldout = write_jsonl(tmp_path / "heldout.jsonl", [{"id": f"{w}{j}", "text": p.format(w), "descriptors": [w]}
                                                      for w in WORDS for j, p in enumerate(["{}", "so {}", "{} !",
                                                                                            "really {}", "{} ."])])
    assert cli_main(["calibrate", str(model), "--corpus", str(heldout), "--taxonomy", "none"]) == 0
    out = tmp_path / "results"
    argv = ["--model", str(model), "--data-dir", str(shared_data_dir), "--max-rows", "60", "--out-dir", str(out),
            "--cache-dir", str(tmp_path / "cache")]
    assert cb.main(argv) == 0
    data = json.loads((out / "calibration_benchmark.json").read_text())
    assert data["benchmark"] == "calibration" and data["git"]["commit"]
    go = data["results"]["goemotions"]
    assert set(go["systems"]) == {"default", "dev-tuned-per-label", "GPT-4 released labels"}
    default = go["systems"]["default"]
    assert default["texts_with_label"] == 1.0  # the default call never leaves a text without a label
    assert 0.0 <= default["ece"] <= 1.0 and go["rows"] == 60
    assert (out / "calibration_benchmark.png").stat().st_size > 1000
    md = (out / "calibration_benchmark.md").read_text()
    assert "| GoEmotions (test) | default |" in md and "Targets (GoEmotions)" in md
    assert cb.main(argv) == 0  # a re-run reads the embedding cache
    assert any((tmp_path / "cache").rglob("*.npy"))
