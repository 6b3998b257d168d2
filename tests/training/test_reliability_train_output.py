"""Issue 11 items 2, 9, 12, 15: ``train`` never replaces a model silently and fails before training."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sentence_emo.cli import main
from sentence_emo.files import CALIBRATION_FILE
from sentence_emo.training import TrainConfig, train


def _corpus(path: Path, rows: int = 12, same_descriptor: bool = False) -> Path:
    emotions = ["joy", "anger", "sadness", "fear"]
    path.write_text("".join(
        json.dumps({"id": f"r{i}", "text": f"text {i} happy sad angry",
                    "descriptors": ["joy" if same_descriptor else emotions[i % 4]]}) + "\n" for i in range(rows)))
    return path


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _argv(tmp_path: Path, base: Path, corpus: Path, out: Path, *extra: str) -> list[str]:
    return ["train", "--corpus", str(corpus), "--base-model", str(base), "--output", str(out), "--batch-size", "4",
            "--max-steps", "1", "--save-steps", "1", "--checkpoint-dir", str(tmp_path / "ckpt"), "--no-progress",
            *extra]


def test_train_refuses_existing_model_before_training(tmp_path, tiny_model_dir, capsys):
    corpus = _corpus(tmp_path / "c.jsonl")
    existing = tmp_path / "model"
    existing.mkdir()
    for name, data in (("modules.json", b"[]"), ("model.safetensors", b"weights"),
                       (CALIBRATION_FILE, b'{"scale": 3, "bias": 1}')):
        (existing / name).write_bytes(data)
    before = _snapshot(existing)
    code = main(_argv(tmp_path, tiny_model_dir, corpus, existing))
    err = capsys.readouterr().err
    assert code == 2 and "already holds a trained model" in err and "--overwrite" in err
    assert _snapshot(existing) == before  # byte-identical
    assert not (tmp_path / "ckpt").exists(), "refused before any training step"

    assert main(_argv(tmp_path, tiny_model_dir, corpus, existing, "--overwrite")) == 0
    assert (existing / "config_sentence_transformers.json").is_file()


def test_train_output_that_is_a_file_fails_at_once(tmp_path, tiny_model_dir, capsys):
    corpus = _corpus(tmp_path / "c.jsonl")
    target = tmp_path / "notes.txt"
    target.write_text("mine")
    code = main(_argv(tmp_path, tiny_model_dir, corpus, target))
    err = capsys.readouterr().err
    assert code == 2 and "is a file" in err and "Traceback" not in err
    assert target.read_text() == "mine" and not (tmp_path / "ckpt").exists()
    code = main(_argv(tmp_path, tiny_model_dir, corpus, target / "model"))
    assert code == 2 and "is a file" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["-5", "0"])
def test_max_seq_length_must_be_positive(tmp_path, tiny_model_dir, capsys, value):
    code = main(_argv(tmp_path, tiny_model_dir, _corpus(tmp_path / "c.jsonl"), tmp_path / "m",
                      "--max-seq-length", value))
    err = capsys.readouterr().err
    assert code == 2 and f"max_seq_length must be a positive number of tokens (e.g. 128), got {value}" in err


def test_corpus_without_negatives_is_refused(tmp_path, tiny_model_dir):
    with pytest.raises(ValueError, match="1 training text"):
        train(TrainConfig(corpus=[str(_corpus(tmp_path / "one.jsonl", rows=1))], base_model=str(tiny_model_dir),
                          output=str(tmp_path / "m1"), batch_size=2, max_steps=1))
    with pytest.raises(ValueError, match="same descriptor"):
        train(TrainConfig(corpus=[str(_corpus(tmp_path / "same.jsonl", same_descriptor=True))],
                          base_model=str(tiny_model_dir), output=str(tmp_path / "m2"), batch_size=2, max_steps=1))
    assert not (tmp_path / "m1").exists() and not (tmp_path / "m2").exists()


def test_missing_relative_base_model_is_one_line(tmp_path, tiny_model_dir, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = main(_argv(tmp_path, Path("models/minilm"), _corpus(tmp_path / "c.jsonl"), tmp_path / "m"))
    err = capsys.readouterr().err
    assert code == 2 and "base model 'models/minilm': no such local path" in err and "Traceback" not in err


def test_resume_from_a_damaged_checkpoint_is_one_line(tmp_path, tiny_model_dir, capsys):
    corpus = _corpus(tmp_path / "c.jsonl")
    assert main(_argv(tmp_path, tiny_model_dir, corpus, tmp_path / "m")) == 0
    ckpt = tmp_path / "ckpt" / "checkpoint-1" / "model.safetensors"
    ckpt.write_bytes(ckpt.read_bytes()[:100])  # an interrupted copy
    code = main(_argv(tmp_path, tiny_model_dir, corpus, tmp_path / "m", "--resume", "auto", "--max-steps", "2"))
    err = capsys.readouterr().err
    assert code == 2 and "damaged" in err and "Traceback" not in err
