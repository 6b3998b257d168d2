"""Label-membership calibration: fitting on teacher texts, the default decision rule, centering."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from sentence_emo.cli import main
from sentence_emo.files import CALIBRATION_FILE, CENTERING_FILE, LABEL_CALIBRATION_FILE
from sentence_emo.label_calibration import (
    LabelCalibration,
    RuleSearch,
    candidate_labels,
    expected_calibration_error,
    fit_decision_rule,
    fit_platt,
    teacher_targets,
)
from sentence_emo.labels import label_templates
from sentence_emo.zero_shot import EmotionZeroShot

from tests.conftest import write_jsonl

TEXTS = ["I love my dog so much", "I hate this awful day", "we won the game", "the train leaves at 7"]
WORDS = ["joy", "anger", "sadness", "fear", "love", "surprise", "disgust", "trust", "gratitude", "relief", "pride",
         "shame", "guilt", "excitement", "neutral"]


@pytest.fixture()
def clf(tiny_model):
    return EmotionZeroShot(tiny_model, label_calibration=LabelCalibration(scale=8.0, bias=-4.0, threshold=0.6,
                                                                          margin=0.02, min_probability=0.0))


@pytest.fixture(scope="module")
def word_corpus(tmp_path_factory):
    """Teacher texts made of their own descriptor words, so even a random encoder ranks them first."""
    rows = []
    for i, word in enumerate(WORDS):
        other = WORDS[(i + 3) % len(WORDS)]
        for j, pattern in enumerate(["{}", "{} !", "so {}", "{} .", "really {}", "{} , {}"]):
            descriptors = [word] + ([other] if j == 5 else [])
            rows.append({"id": f"{word}-{j}", "text": pattern.format(word, other), "descriptors": descriptors})
    return write_jsonl(tmp_path_factory.mktemp("teacher") / "heldout.jsonl", rows)


def test_fit_platt_recovers_slope_and_rejects_one_class():
    rng = np.random.default_rng(1)
    x = rng.uniform(-1, 1, 20000)
    y = rng.random(20000) < 1 / (1 + np.exp(-(6 * x - 2)))
    a, c = fit_platt(x, y)
    assert a == pytest.approx(6, abs=0.4) and c == pytest.approx(-2, abs=0.2)
    with pytest.raises(ValueError, match="positive and negative"):
        fit_platt(x, np.zeros_like(x))


def test_probability_of_a_label_does_not_depend_on_the_other_labels(clf):
    a = clf.predict_proba(TEXTS, ["joy", "anger"])
    b = clf.predict_proba(TEXTS, ["sadness", "joy", "fear", "love"])
    assert np.allclose(a[:, 0], b[:, 1])
    sims = clf.similarities(TEXTS, ["joy", "anger"])
    assert np.allclose(a, 1 / (1 + np.exp(-(8.0 * sims - 4.0))))  # the label calibration, not the training one


def test_default_call_never_returns_an_empty_list(tiny_model):
    strict = EmotionZeroShot(tiny_model, label_calibration=LabelCalibration(scale=1.0, bias=-10.0, threshold=0.9))
    labels = ["joy", "anger", "fear"]
    sims = strict.similarities(TEXTS, labels)
    preds = strict.predict(TEXTS, labels)
    assert [p.labels for p in preds] == [[labels[int(j)]] for j in sims.argmax(axis=1)]
    assert all(p.low_confidence for p in preds)
    with_neutral = strict.predict(TEXTS, labels + ["Neutral"])
    assert all(p.labels == ["Neutral"] and not p.low_confidence for p in with_neutral)
    # an explicit threshold is literal: nothing passes, nothing is returned
    assert all(p.labels == [] for p in strict.predict(TEXTS, labels, threshold=0.9))
    assert strict.predict(TEXTS[:1], labels)[0].to_dict()["low_confidence"] is True


def test_default_rule_keeps_labels_close_to_the_best_one():
    cal = LabelCalibration(scale=10.0, bias=-8.0, threshold=0.8, margin=0.05, min_probability=0.02)
    sims = np.array([[0.50, 0.47, 0.30, 0.10],    # best 0.50; 0.47 within the margin
                     [0.95, 0.93, 0.80, 0.10],    # 0.95 passes the threshold, 0.93 is close to it; 0.80 neither
                     [0.05, 0.04, 0.0, -0.1]])    # nothing above min_probability -> fallback to the best
    keep, low = cal.decide(sims, ["a", "b", "c", "d"])
    assert keep.astype(int).tolist() == [[1, 1, 0, 0], [1, 1, 0, 0], [1, 0, 0, 0]]
    assert low.tolist() == [False, False, True]  # only the forced fallback is flagged
    with pytest.raises(ValueError, match="texts x 3 labels"):
        cal.decide(sims, ["a", "b", "c"])


def test_single_label_scores_are_a_softmax_over_the_label_set(tiny_model):
    from sentence_emo.calibration import Calibration

    clf = EmotionZeroShot(tiny_model, Calibration(scale=12.0, bias=-9.0))
    labels = ["joy", "anger", "sadness"]
    preds = clf.predict(TEXTS, labels, multi_label=False)
    sims = clf.similarities(TEXTS, labels)
    expected = np.exp(12.0 * sims) / np.exp(12.0 * sims).sum(axis=1, keepdims=True)
    for p, row in zip(preds, expected):
        assert sum(p.scores.values()) == pytest.approx(1.0)
        assert list(p.scores.values()) == pytest.approx(row.tolist(), abs=1e-5)
        assert p.labels == [labels[int(row.argmax())]]


def test_teacher_targets_use_head_words_and_families():
    taxonomy = {"mild amusement": ["joy"], "frustration": ["anger"]}
    labels = candidate_labels([["amusement", "joy"], ["amusement"], ["amusement", "frustration"]], taxonomy,
                              min_count=1)
    assert labels[0] == "amusement" and "anger" in labels and "joy" in labels
    gold = teacher_targets([["mild amusement"], ["frustration"]], ["amusement", "joy", "anger", "frustration"], taxonomy)
    assert gold.astype(int).tolist() == [[1, 1, 0, 0], [0, 0, 1, 1]]


def test_rule_search_prefers_the_margin_when_texts_differ_in_strength():
    """Two teacher labels per text, texts of very different overall similarity: no single probability
    threshold separates them, "close to the text's best label" does."""
    rng = np.random.default_rng(0)
    n, L = 400, 30
    gold = np.zeros((n, L), dtype=bool)
    for i in range(n):
        gold[i, rng.choice(L, 2, replace=False)] = True
    sims = rng.normal(0.2, 0.03, (n, L)) + 0.15 * gold + rng.normal(0, 0.15, (n, 1))  # text-level offsets
    a, c = fit_platt(sims, gold)
    rule, report = fit_decision_rule(sims, gold, [f"l{j}" for j in range(L)], a, c, RuleSearch(episodes=12))
    assert rule["margin"] >= 0
    assert report["teacher_macro_f1"] > report["best_threshold_only_rule"]["teacher_macro_f1"] + 0.05
    assert report["teacher_macro_f1"] > report["p_0_5_rule"]["teacher_macro_f1"] + 0.05


def test_ece_of_perfect_and_overconfident_probabilities():
    gold = np.array([0, 0, 1, 1])
    assert expected_calibration_error(np.array([0.0, 0.0, 1.0, 1.0]), gold)[0] == pytest.approx(0.0)
    assert expected_calibration_error(np.array([1.0, 1.0, 1.0, 1.0]), gold)[0] == pytest.approx(0.5)


def test_calibrate_cli_fits_saves_and_is_used_by_default(tmp_path, tiny_model_dir, word_corpus, capsys):
    model = tmp_path / "model"
    shutil.copytree(tiny_model_dir, model)
    assert main(["calibrate", str(model), "--corpus", str(word_corpus), "--taxonomy", "none"]) == 0
    assert "teacher macro-F1" in capsys.readouterr().out
    data = json.loads((model / LABEL_CALIBRATION_FILE).read_text())
    prov = data["provenance"]
    assert prov["texts"] == 6 * len(WORDS) and prov["human_labels_used"] is False and len(prov["corpus_sha256"]) == 64
    assert "neutral" in prov["candidate_labels"] and data["method"] == "platt"
    assert data["probability"]["scale"] > 0 and 0 <= data["fit_quality"]["heldout_ece"] <= 1
    assert (model / CALIBRATION_FILE).exists()  # beside, not instead of, the training calibration

    clf = EmotionZeroShot.from_pretrained(str(model))
    assert clf.label_calibration is not None and clf.label_calibration.threshold == data["decision_rule"]["threshold"]
    preds = clf.predict(["so joy", "really anger"], ["joy", "anger", "fear"])
    assert preds[0].labels[0] == "joy" and preds[1].labels[0] == "anger"

    # refuses to overwrite without --force; --force keeps a .bak
    assert main(["calibrate", str(model), "--corpus", str(word_corpus), "--taxonomy", "none"]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["calibrate", str(model), "--corpus", str(word_corpus), "--taxonomy", "none", "--force",
                 "--centering"]) == 0
    assert (model / (LABEL_CALIBRATION_FILE + ".bak")).exists() and (model / CENTERING_FILE).exists()
    centred = EmotionZeroShot.from_pretrained(str(model))
    assert centred.centering  # follows the setting the calibration was fitted with

    # several templates (a prompt ensemble) are recorded as one label side, and the classifier follows it
    assert main(["calibrate", str(model), "--corpus", str(word_corpus), "--taxonomy", "none", "--force",
                 "--template", "{}", "I feel {}."]) == 0
    assert json.loads((model / LABEL_CALIBRATION_FILE).read_text())["similarity"]["template"] == ["{}", "I feel {}."]
    assert label_templates(EmotionZeroShot.from_pretrained(str(model)).template) == ("{}", "I feel {}.")
    assert main(["calibrate", str(model), "--corpus", str(word_corpus), "--taxonomy", "none", "--force",
                 "--template", "I feel {}."]) == 0
    assert EmotionZeroShot.from_pretrained(str(model)).template == "I feel {}."


def test_centering_subtracts_the_stored_mean(tiny_model):
    mean = np.full(32, 0.05, dtype=np.float32)
    plain = EmotionZeroShot(tiny_model, centering=False)
    centred = EmotionZeroShot(tiny_model, centering=True, centering_vector=mean)
    raw = plain.encode_texts(TEXTS)
    expected = (raw - mean) / np.linalg.norm(raw - mean, axis=1, keepdims=True)
    assert np.allclose(centred.encode_texts(TEXTS), expected, atol=1e-6)
    with pytest.raises(ValueError, match=CENTERING_FILE):
        EmotionZeroShot(tiny_model, centering=True)


def test_label_template_is_the_template_option(tiny_model):
    clf = EmotionZeroShot(tiny_model, label_template="this text expresses {}")
    assert clf.template == clf.label_template == "this text expresses {}"
    with pytest.raises(ValueError, match="label_template"):
        EmotionZeroShot(tiny_model, template="a {}", label_template="b {}")


def test_bad_label_calibration_files(tmp_path, tiny_model_dir):
    with pytest.raises(ValueError, match="lacks field"):
        LabelCalibration.from_dict({"format": "sentence-emo/label-calibration", "probability": {"scale": 1.0}})
    with pytest.raises(ValueError, match="scale must be > 0"):
        LabelCalibration(scale=-1.0, bias=0.0)
    model = tmp_path / "m"
    shutil.copytree(tiny_model_dir, model)
    (model / LABEL_CALIBRATION_FILE).write_text("{not json")
    with pytest.raises(ValueError, match="invalid JSON"):
        EmotionZeroShot.from_pretrained(str(model))
    with pytest.raises(ValueError, match="exists; pass --force"):
        from sentence_emo.label_calibration import CalibrateConfig, calibrate_model

        calibrate_model(CalibrateConfig(model=str(model)))
