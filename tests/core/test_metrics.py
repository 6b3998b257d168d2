"""The metric wrappers keep scikit-learn / scipy's numbers and the project's conventions on the edge cases."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from scipy import stats
from sklearn import metrics as skm

from sentence_emo import metrics as F


def _random_multilabel(seed: int, n: int = 60, labels: int = 7, p: float = 0.25):
    rng = np.random.default_rng(seed)
    y_true = (rng.random((n, labels)) < p).astype(int)
    y_pred = (rng.random((n, labels)) < p).astype(int)
    scores = rng.random((n, labels))
    return y_true, y_pred, scores


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_multilabel_scores_match_sklearn(seed):
    y_true, y_pred, _ = _random_multilabel(seed)
    y_true[:, 3] = 0  # a label without gold support
    y_pred[:, 3] = 0  # ... and never predicted: F1 = zero_division = 0
    y_true[:5] = 0
    y_pred[:5] = 0  # texts with nothing on either side: Jaccard 1 (SemEval's official convention)
    got = F.multilabel_scores(y_true, y_pred)
    assert got["macro_f1"] == pytest.approx(skm.f1_score(y_true, y_pred, average="macro", zero_division=0))
    assert got["micro_f1"] == pytest.approx(skm.f1_score(y_true, y_pred, average="micro", zero_division=0))
    assert got["weighted_f1"] == pytest.approx(skm.f1_score(y_true, y_pred, average="weighted", zero_division=0))
    assert got["jaccard"] == pytest.approx(skm.jaccard_score(y_true, y_pred, average="samples", zero_division=1))
    assert got["subset_accuracy"] == pytest.approx(skm.accuracy_score(y_true, y_pred))
    np.testing.assert_allclose(F.per_label_f1(y_true, y_pred),
                               skm.f1_score(y_true, y_pred, average=None, zero_division=0))


def test_sample_jaccard_by_hand():
    y_true = [[1, 1, 0], [0, 0, 0], [0, 1, 0]]
    y_pred = [[1, 0, 1], [0, 0, 0], [1, 0, 0]]
    # 1/3, empty/empty = 1, 0/2 = 0
    assert F.sample_jaccard(y_true, y_pred) == pytest.approx((1 / 3 + 1 + 0) / 3)


@pytest.mark.parametrize("seed", [0, 3])
def test_multiclass_scores_match_sklearn(seed):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 5, size=80)
    y_pred = rng.integers(0, 6, size=80)  # class 5 predicted but never gold
    got = F.multiclass_scores(y_true, y_pred)
    assert got["accuracy"] == pytest.approx(skm.accuracy_score(y_true, y_pred))
    assert got["macro_f1"] == pytest.approx(skm.f1_score(y_true, y_pred, average="macro", zero_division=0))
    assert got["weighted_f1"] == pytest.approx(skm.f1_score(y_true, y_pred, average="weighted", zero_division=0))
    # with an explicit label space, an unseen class 6 counts as F1 0 in the macro mean
    got7 = F.multiclass_scores(y_true, y_pred, n_labels=7)
    assert got7["macro_f1"] == pytest.approx(
        skm.f1_score(y_true, y_pred, labels=list(range(7)), average="macro", zero_division=0))
    np.testing.assert_array_equal(F.confusion_matrix(y_true, y_pred, 7),
                                  skm.confusion_matrix(y_true, y_pred, labels=list(range(7))))


def test_regression_scores_match_scipy_with_ties():
    rng = np.random.default_rng(0)
    gold = np.round(rng.uniform(1, 5, size=50), 1)  # many ties, like EmoBank ratings
    pred = np.round(gold * 0.3 + rng.normal(size=50), 1)
    got = F.regression_scores(gold, pred)
    assert got["pearson"] == pytest.approx(stats.pearsonr(gold, pred)[0])
    assert got["spearman"] == pytest.approx(stats.spearmanr(gold, pred)[0])


def test_pearson_of_constant_predictions_is_nan_not_an_error():
    assert np.isnan(F.pearson([1.0, 2.0, 3.0], [0.5, 0.5, 0.5]))


@pytest.mark.parametrize("seed", [0, 1])
def test_lrap_and_macro_auc_match_sklearn(seed):
    y_true, _, scores = _random_multilabel(seed)
    y_true[0] = 0  # a text without gold labels
    scores[1, :3] = 0.5  # ties
    y_true[1, :3] = [1, 0, 1]
    y_true[:2, 0] = [1, 0]  # ensure both classes in column 0
    assert F.label_ranking_average_precision(y_true, scores) == pytest.approx(
        skm.label_ranking_average_precision_score(y_true, scores))
    valid = [j for j in range(y_true.shape[1]) if 0 < y_true[:, j].sum() < len(y_true)]
    assert F.macro_roc_auc(y_true, scores) == pytest.approx(
        skm.roc_auc_score(y_true[:, valid], scores[:, valid], average="macro"))


def test_macro_auc_skips_labels_with_one_class():
    y_true = np.array([[1, 0], [0, 0], [1, 0]])
    scores = np.array([[0.9, 0.1], [0.1, 0.5], [0.8, 0.2]])
    assert F.macro_roc_auc(y_true, scores) == pytest.approx(skm.roc_auc_score(y_true[:, 0], scores[:, 0]))


def test_tune_threshold_finds_the_best_candidate():
    y_true, _, scores = _random_multilabel(5, n=80, labels=5, p=0.3)
    candidates = np.linspace(0.05, 0.95, 19)
    best_t, best_f1 = F.tune_threshold(y_true, scores, candidates=candidates)
    brute = [skm.f1_score(y_true, (scores >= t).astype(int), average="macro", zero_division=0) for t in candidates]
    assert best_f1 == pytest.approx(max(brute))
    assert best_t == pytest.approx(candidates[int(np.argmax(brute))])  # first (smallest) best threshold


def test_tune_threshold_with_fallback_scores_the_fallback_decisions():
    y_true = np.array([[1, 0], [0, 1]])
    scores = np.array([[0.2, 0.1], [0.1, 0.3]])  # every score below 0.5
    t, f1 = F.tune_threshold(y_true, scores, candidates=[0.5], at_least_one=True)
    assert (t, f1) == (0.5, 1.0)  # argmax fallback recovers both gold labels
    _, f1_plain = F.tune_threshold(y_true, scores, candidates=[0.5])
    assert f1_plain == 0.0


def test_tune_thresholds_per_label_matches_a_brute_force_sklearn_search():
    y_true, _, scores = _random_multilabel(7, n=80, labels=5, p=0.3)
    y_true[:, 4] = 0  # no positive in the tuning data: gets the fallback threshold
    candidates = np.linspace(0.05, 0.95, 19)
    got = F.tune_thresholds_per_label(y_true, scores, candidates=candidates[::-1], fallback=0.42)
    for j in range(4):
        brute = [skm.f1_score(y_true[:, j], (scores[:, j] >= t).astype(int), zero_division=0) for t in candidates]
        assert got[j] == pytest.approx(candidates[int(np.argmax(brute))])  # first (smallest) best threshold
    assert got[4] == 0.42
    # the default fallback is the global macro-F1 threshold over the same candidates
    global_t, global_f1 = F.tune_threshold(y_true, scores, candidates=candidates)
    default = F.tune_thresholds_per_label(y_true, scores, candidates=candidates)
    assert default[4] == global_t and np.array_equal(default[:4], got[:4])
    # tuned independently, the labels reach at least the macro-F1 of the best single threshold
    per_label_f1 = skm.f1_score(y_true, (scores >= got).astype(int), average="macro", zero_division=0)
    assert per_label_f1 >= global_f1


def test_tune_thresholds_per_label_default_grid_uses_each_labels_own_scores():
    y_true = np.array([[1, 0], [0, 1], [1, 0], [0, 1]])
    scores = np.array([[0.91, 0.10], [0.90, 0.12], [0.92, 0.11], [0.89, 0.13]])  # very different score ranges
    got = F.tune_thresholds_per_label(y_true, scores)
    assert F.per_label_f1(y_true, scores >= got).tolist() == [1.0, 1.0]
    with pytest.raises(ValueError, match="at least one candidate"):
        F.tune_thresholds_per_label(y_true, scores, candidates=[])


@pytest.mark.parametrize("call, message", [
    (lambda: F.multilabel_scores([[1, 2]], [[1, 0]]), "0/1"),
    (lambda: F.multilabel_scores([[1, 0]], [[1, 0, 0]]), "same shape"),
    (lambda: F.multilabel_scores([1, 0], [1, 0]), "2-D"),
    (lambda: F.multiclass_scores([0, 3], [0, 1], n_labels=3), "only 3 labels"),
    (lambda: F.pearson([1.0], [2.0]), "at least 2"),
    (lambda: F.label_ranking_average_precision([[1, 0]], [[np.nan, 0.1]]), "NaN"),
])
def test_bad_inputs_raise_value_errors_naming_the_problem(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_functional_module_doctests_pass():
    result = doctest.testmod(F)
    assert result.attempted > 0 and result.failed == 0
