"""train() ends by fitting the label calibration (unless --no-label-calibration)."""

from __future__ import annotations

import json

from sentence_emo.cli import main
from sentence_emo.files import CALIBRATION_FILE, LABEL_CALIBRATION_FILE, TRAINING_INFO_FILE
from sentence_emo.training import TrainConfig, train
from sentence_emo.zero_shot import EmotionZeroShot

from tests.conftest import write_jsonl

WORDS = ["joy", "anger", "sadness", "fear", "love", "surprise", "disgust", "trust", "gratitude", "relief", "pride",
         "shame", "guilt", "excitement", "neutral"]


def _corpora(tmp_path):
    train_rows = [{"id": f"t{i}", "text": f"i feel {w} today", "descriptors": [w]} for i, w in enumerate(WORDS * 2)]
    heldout = [{"id": f"h{w}{j}", "text": p.format(w), "descriptors": [w]}
               for w in WORDS for j, p in enumerate(["{}", "so {}", "{} !", "really {}"])]
    return write_jsonl(tmp_path / "train.jsonl", train_rows), write_jsonl(tmp_path / "heldout.jsonl", heldout)


def _config(tmp_path, base, corpus, **kw):
    return TrainConfig(corpus=[str(corpus)], base_model=str(base), output=str(tmp_path / "out"),
                       checkpoint_dir=str(tmp_path / "ckpt"), batch_size=8, max_steps=2, save_steps=2,
                       disable_tqdm=True, **kw)


def test_train_fits_label_calibration_on_heldout_teacher_texts(tmp_path, tiny_model_dir):
    corpus, heldout = _corpora(tmp_path)
    out = train(_config(tmp_path, tiny_model_dir, corpus, label_calibration_corpus=str(heldout)))
    data = json.loads((out / LABEL_CALIBRATION_FILE).read_text())
    assert data["provenance"]["texts"] == 4 * len(WORDS) and data["provenance"]["human_labels_used"] is False
    info = json.loads((out / TRAINING_INFO_FILE).read_text())
    assert info["label_calibration"]["threshold"] == data["decision_rule"]["threshold"]
    clf = EmotionZeroShot.from_pretrained(str(out))
    assert clf.label_calibration is not None
    assert all(p.labels for p in clf.predict(["so joy", "really fear"], ["joy", "fear", "anger"]))


def test_label_template_is_the_saved_models_label_side(tmp_path, tiny_model_dir, capsys):
    corpus, heldout = _corpora(tmp_path)
    assert main(["train", "--corpus", str(corpus), "--base-model", str(tiny_model_dir), "--output",
                 str(tmp_path / "out"), "--checkpoint-dir", str(tmp_path / "ckpt"), "--batch-size", "8",
                 "--max-steps", "1", "--no-progress", "--label-calibration-corpus", str(heldout),
                 "--label-template", "{}", "I feel {}."]) == 0
    data = json.loads((tmp_path / "out" / LABEL_CALIBRATION_FILE).read_text())
    assert data["similarity"]["template"] == ["{}", "I feel {}."]
    assert EmotionZeroShot.from_pretrained(str(tmp_path / "out")).template == ("{}", "I feel {}.")
    assert main(["train", "--corpus", str(corpus), "--base-model", str(tiny_model_dir), "--output",
                 str(tmp_path / "bad"), "--max-steps", "1", "--label-template", "I feel"]) == 2
    assert "exactly one '{}'" in capsys.readouterr().err
    assert not (tmp_path / "bad").exists()  # refused before training


def test_no_label_calibration_switch(tmp_path, tiny_model_dir, capsys):
    corpus, _ = _corpora(tmp_path)
    assert main(["train", "--corpus", str(corpus), "--base-model", str(tiny_model_dir), "--output",
                 str(tmp_path / "out"), "--checkpoint-dir", str(tmp_path / "ckpt"), "--batch-size", "8",
                 "--max-steps", "1", "--no-progress", "--no-label-calibration"]) == 0
    assert (tmp_path / "out" / CALIBRATION_FILE).exists()
    assert not (tmp_path / "out" / LABEL_CALIBRATION_FILE).exists()
    assert "label_calibration" not in json.loads((tmp_path / "out" / TRAINING_INFO_FILE).read_text())
