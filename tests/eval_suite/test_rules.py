"""Decision rules: parsing, threshold semantics, and agreement with EmotionZeroShot.predict."""

from __future__ import annotations

import numpy as np
import pytest

from eval_suite.rules import DecisionRule, RuleNotApplicable, parse_rules, with_fallback
from sentence_emo.calibration import Calibration

SIMS = np.array([[0.9, 0.5, 0.1], [0.2, 0.3, 0.25], [0.6, 0.7, 0.65]])
CAL = Calibration(scale=10.0, bias=-5.0)  # p = 0.5 at cos 0.5


def test_parse_rules_names_and_dedup():
    rules = parse_rules("argmax,top1,Top-3,calibrated,CALIBRATED+fallback,dev_tuned,tuned+fallback,threshold=0.25")
    assert [r.name for r in rules] == ["top-1", "top-3", "calibrated", "calibrated+fallback", "dev-tuned",
                                       "dev-tuned+fallback", "threshold=0.25"]


@pytest.mark.parametrize("spec, message", [
    ("best", "unknown decision rule"),
    ("threshold=1.5", "strictly between 0 and 1"),
    ("top-0", "k >= 1"),
    ("top-2+fallback", "only applies to threshold rules"),
    ("", "no decision rules"),
])
def test_bad_rule_specs(spec, message):
    with pytest.raises(ValueError, match=message):
        parse_rules(spec)


def test_top_k_and_threshold_decisions():
    top2 = DecisionRule.parse("top-2").decide(SIMS, CAL)
    assert top2.astype(int).tolist() == [[1, 1, 0], [0, 1, 1], [0, 1, 1]]
    calibrated = DecisionRule.parse("calibrated").decide(SIMS, CAL)
    assert calibrated.astype(int).tolist() == [[1, 1, 0], [0, 0, 0], [1, 1, 1]]
    fixed = DecisionRule.parse("threshold=0.88").decide(SIMS, CAL)  # logit(0.88) ≈ 1.99 -> cos ≈ 0.699
    assert fixed.astype(int).tolist() == [[1, 0, 0], [0, 0, 0], [0, 1, 0]]
    fallback = DecisionRule.parse("calibrated+fallback").decide(SIMS, CAL)
    assert fallback.astype(int).tolist() == [[1, 1, 0], [0, 1, 0], [1, 1, 1]]


def test_dev_tuned_uses_the_given_threshold_and_needs_one():
    rule = DecisionRule.parse("dev-tuned")
    assert rule.decide(SIMS, Calibration.uncalibrated(), tuned=0.62).astype(int).tolist() == \
        [[1, 0, 0], [0, 0, 0], [0, 1, 1]]
    with pytest.raises(RuleNotApplicable, match="tuning split"):
        rule.decide(SIMS, CAL)


def test_dev_tuned_per_label_applies_one_threshold_per_label():
    rules = parse_rules("dev_tuned_per_label,Dev-Tuned-Per-Label+fallback,per-label")
    assert [r.name for r in rules] == ["dev-tuned-per-label", "dev-tuned-per-label+fallback"]
    assert all(r.needs_tuning and not r.needs_calibration for r in rules)
    plain, fallback = rules
    thresholds = np.array([0.95, 0.3, 0.62])
    assert plain.decide(SIMS, Calibration.uncalibrated(), tuned=thresholds).astype(int).tolist() == \
        [[0, 1, 0], [0, 1, 0], [0, 1, 1]]
    assert fallback.decide(SIMS, CAL, tuned=np.array([0.95, 0.8, 0.8])).astype(int).tolist() == \
        [[1, 0, 0], [0, 1, 0], [0, 1, 0]]  # nothing passes: each text gets its best label
    with pytest.raises(RuleNotApplicable, match="per-label thresholds"):
        plain.decide(SIMS, CAL)
    with pytest.raises(ValueError, match="2 thresholds for 3 labels"):
        plain.decide(SIMS, CAL, tuned=np.array([0.5, 0.5]))


def test_calibrated_rules_refuse_uncalibrated_encoders():
    for spec in ("calibrated", "threshold=0.3"):
        with pytest.raises(RuleNotApplicable, match="uncalibrated"):
            DecisionRule.parse(spec).decide(SIMS, Calibration.uncalibrated())


def test_with_fallback_only_touches_empty_rows():
    out = with_fallback(np.array([[True, False], [False, False]]), np.array([[0.1, 0.9], [0.3, 0.2]]))
    assert out.tolist() == [[True, False], [True, False]]


def test_calibrated_rule_matches_emotion_zero_shot_predict(tiny_model):
    from sentence_emo.zero_shot import EmotionZeroShot

    cal = Calibration(scale=8.0, bias=-1.5)
    clf = EmotionZeroShot(tiny_model, cal, show_progress_bar=False)
    texts = ["I love my dog", "so angry at work", "a calm night", "thank you friend"]
    labels = ["joy", "anger", "fear", "gratitude", "neutral"]
    sims = clf.similarities(texts, labels)
    for p in (0.5, 0.3, 0.7):
        rule = DecisionRule.parse("calibrated" if p == 0.5 else f"threshold={p}")
        ours = rule.decide(sims, cal)
        theirs = [set(pred.labels) for pred in clf.predict(texts, labels, threshold=p)]
        assert [{labels[j] for j in np.flatnonzero(row)} for row in ours] == theirs
