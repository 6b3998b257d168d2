"""evaluate_dataset on a tiny real encoder: metrics equal the functional metrics of its similarities."""

from __future__ import annotations

import numpy as np
import pytest

from eval_suite.data import EvalDataset, ReferencePredictions
from eval_suite.evaluation import (
    DatasetSpec,
    EmbeddingCache,
    evaluate_dataset,
    evaluate_reference,
    model_fingerprint,
)
from eval_suite.metrics import functional as F
from eval_suite.rules import parse_rules
from sentence_emo.calibration import Calibration

LABELS = ["joy", "anger", "fear", "sadness"]
TEXTS = ["I love this day", "so angry at you", "afraid of the dark", "I miss my dog", "happy and excited",
         "I hate waiting", "worried about work", "sad and tired"]
MULTI = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 0], [0, 1, 0, 0],
                  [0, 0, 1, 1], [0, 0, 0, 1]])
TUNE_TEXTS = ["great good day", "so mad", "scared of the game", "lonely night", "thanks friend", "awful terrible"]
TUNE = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 0], [0, 1, 0, 1]])


@pytest.fixture()
def clf(tiny_model):
    from sentence_emo.zero_shot import EmotionZeroShot

    return EmotionZeroShot(tiny_model, Calibration(scale=10.0, bias=-2.0), show_progress_bar=False)


def _multi(tuning=True):
    ds = EvalDataset(name="toy", task="multi_label", texts=TEXTS, labels=LABELS, targets=MULTI, split="test",
                     ids=[f"id{i}" for i in range(len(TEXTS))])
    tune = EvalDataset(name="toy", task="multi_label", texts=TUNE_TEXTS, labels=LABELS, targets=TUNE, split="dev",
                       label_source="teacher labels") if tuning else None
    return DatasetSpec(ds, tuning=tune)


def test_multilabel_metrics_follow_from_similarities(clf):
    spec = _multi()
    result = evaluate_dataset(clf, spec, parse_rules("top-1,calibrated,dev-tuned,dev-tuned+fallback"))
    sims = clf.similarities(TEXTS, LABELS)
    assert result.metrics["threshold-free"] == pytest.approx(F.ranking_scores(MULTI, sims), abs=1e-6)
    top1 = np.zeros_like(MULTI)
    top1[np.arange(len(TEXTS)), sims.argmax(axis=1)] = 1
    assert result.metrics["top-1"]["macro_f1"] == pytest.approx(F.multilabel_scores(MULTI, top1)["macro_f1"])
    calibrated = (clf.predict_proba(TEXTS, LABELS) >= 0.5).astype(int)
    assert result.metrics["calibrated"]["jaccard"] == pytest.approx(F.sample_jaccard(MULTI, calibrated))
    # the dev-tuned threshold comes from the tuning split, never from the test labels
    t, tuned_f1 = F.tune_threshold(TUNE, clf.similarities(TUNE_TEXTS, LABELS))
    expected = F.multilabel_scores(MULTI, (sims >= t).astype(int))
    assert result.metrics["dev-tuned"]["macro_f1"] == pytest.approx(expected["macro_f1"])
    assert f"cos >= {t:.4f}" in result.rule_notes["dev-tuned"] and "teacher labels" in result.rule_notes["dev-tuned"]
    assert result.metrics["dev-tuned+fallback"]["labels_per_text"] >= 1.0
    assert result.primary_rule == "dev-tuned"
    assert set(result.per_label_f1["top-1"]) == set(LABELS)


def test_dev_tuned_per_label_thresholds_come_from_the_tuning_split(clf):
    spec = _multi()
    spec.tuning.targets[:, 2] = 0  # "fear" has no positive in the tuning split: global dev-tuned threshold
    result = evaluate_dataset(clf, spec, parse_rules("dev-tuned,dev-tuned-per-label,dev-tuned-per-label+fallback"),
                              primary_rule="dev-tuned-per-label")
    sims, tune_sims = clf.similarities(TEXTS, LABELS), clf.similarities(TUNE_TEXTS, LABELS)
    global_t, _ = F.tune_threshold(spec.tuning.targets, tune_sims)
    thresholds = F.tune_thresholds_per_label(spec.tuning.targets, tune_sims)
    assert thresholds[2] == global_t
    assert list(result.thresholds["dev-tuned-per-label"].values()) == pytest.approx(thresholds.tolist())
    assert list(result.thresholds["dev-tuned-per-label"]) == LABELS
    expected = F.multilabel_scores(MULTI, (sims >= thresholds).astype(int))
    assert result.metrics["dev-tuned-per-label"]["macro_f1"] == pytest.approx(expected["macro_f1"])
    assert result.metrics["dev-tuned-per-label+fallback"]["labels_per_text"] >= 1.0
    note = result.rule_notes["dev-tuned-per-label"]
    assert "one threshold per label" in note and "teacher labels" in note
    assert f"(fear) use the global dev-tuned cos >= {global_t:.4f}" in note
    assert "argmax fallback" in result.rule_notes["dev-tuned-per-label+fallback"]
    assert result.primary_rule == "dev-tuned-per-label"
    # without a tuning split the rule is skipped and the headline falls back to top-1
    skipped = evaluate_dataset(clf, _multi(tuning=False), parse_rules("top-1,dev-tuned-per-label"),
                               primary_rule="dev-tuned-per-label")
    assert "no tuning split" in skipped.skipped_rules["dev-tuned-per-label"] and skipped.primary_rule == "top-1"


def test_rules_that_cannot_run_are_reported_not_fatal(tiny_model):
    from sentence_emo.zero_shot import EmotionZeroShot

    uncalibrated = EmotionZeroShot(tiny_model, Calibration.uncalibrated(), show_progress_bar=False)
    result = evaluate_dataset(uncalibrated, _multi(tuning=False), parse_rules("top-1,calibrated,dev-tuned"))
    assert set(result.metrics) == {"threshold-free", "top-1"}
    assert "uncalibrated" in result.skipped_rules["calibrated"]
    assert "no tuning split" in result.skipped_rules["dev-tuned"]
    assert result.primary_rule == "top-1"  # dev-tuned and calibrated fell through


def test_single_label_argmax_confusion_and_regression_anchors(clf):
    targets = np.array([0, 1, 2, 3, 0, 1, 2, 3])
    ds = EvalDataset(name="single", task="single_label", texts=TEXTS, labels=LABELS, targets=targets)
    result = evaluate_dataset(clf, ds, parse_rules("dev-tuned"))
    pred = clf.similarities(TEXTS, LABELS).argmax(axis=1)
    assert result.metrics["top-1"]["accuracy"] == pytest.approx(float((pred == targets).mean()))
    assert np.array(result.confusion).sum() == len(TEXTS) and result.primary_rule == "top-1"

    values = np.array([4.5, 1.5, 2.0, 1.8, 4.8, 1.2, 2.2, 1.9])
    reg = EvalDataset(name="reg", task="regression", texts=TEXTS, labels=[], targets=values, dimension="valence")
    result = evaluate_dataset(clf, DatasetSpec(reg, anchors=(["happy", "pleased"], ["sad"])))
    score = clf.score(TEXTS, positive=["happy", "pleased"], negative=["sad"])
    assert result.metrics["anchors"]["valence_pearson"] == pytest.approx(F.pearson(values, score), abs=1e-6)
    assert "(happy, pleased) minus mean cos to (sad)" in result.rule_notes["anchors"]



@pytest.mark.parametrize("dimension", ["valence", "arousal", None])
def test_anchor_sides_left_out_keep_the_dimension_defaults(dimension):
    """One rule for ``eval --suite`` and ``eval --data``: a given side replaces that side only."""
    from sentence_emo.labels import DEFAULT_ANCHORS

    pos, neg = (list(side) for side in DEFAULT_ANCHORS[dimension or "valence"])
    reg = EvalDataset(name="reg", task="regression", texts=TEXTS, labels=[], targets=np.ones(len(TEXTS)),
                      dimension=dimension)
    assert DatasetSpec(reg).resolved_anchors() == (pos, neg)
    assert DatasetSpec(reg, anchors=(["glad"], None)).resolved_anchors() == (["glad"], neg)
    assert DatasetSpec(reg, anchors=(None, ["gloomy"])).resolved_anchors() == (pos, ["gloomy"])
    assert DatasetSpec(reg, anchors=(["glad"], [])).resolved_anchors() == (["glad"], [])
    with pytest.raises(ValueError, match="at least one positive anchor"):
        DatasetSpec(reg, anchors=([], None)).resolved_anchors()

def test_reference_row_on_the_subsampled_rows():
    spec = _multi()
    ref = ReferencePredictions(name="GPT-4 zero-shot", ids=[f"id{i}" for i in range(len(TEXTS))][::-1],
                               predictions=MULTI[::-1].copy(), failed=np.zeros(len(TEXTS), bool), rule="released")
    sub = spec.dataset.subsample(5, seed=1)
    result = evaluate_reference(DatasetSpec(sub, reference=ref))
    assert result.role == "reference" and result.n_rows == 5 and result.n_total == len(TEXTS)
    assert result.metrics["released labels"]["macro_f1"] == pytest.approx(
        F.multilabel_scores(sub.targets, sub.targets)["macro_f1"])  # aligned by id despite reversed order


def test_embedding_cache_resumes_without_encoding(clf, tmp_path, tiny_model_dir):
    cache = EmbeddingCache(tmp_path / "cache", model_fingerprint(tiny_model_dir))
    first = evaluate_dataset(clf, _multi(), parse_rules("top-1,dev-tuned"), cache=cache)
    assert len(list((tmp_path / "cache").rglob("*.npy"))) == 2  # test texts and tuning texts

    def boom(texts):
        raise AssertionError("should have been served from the cache")

    clf.encode_texts = boom
    second = evaluate_dataset(clf, _multi(), parse_rules("top-1,dev-tuned"), cache=cache)
    assert second.metrics == first.metrics
    assert model_fingerprint(tiny_model_dir) == model_fingerprint(str(tiny_model_dir))


def test_tuning_set_must_share_the_label_set():
    spec = _multi()
    other = EvalDataset(name="t", task="multi_label", texts=["a"], labels=["x"], targets=np.array([[1]]))
    with pytest.raises(ValueError, match="same labels"):
        DatasetSpec(spec.dataset, tuning=other)
