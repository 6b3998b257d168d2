"""EmotionZeroShotEvaluator: hand-checkable metrics (scikit-learn/scipy as oracle) and a real training run."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import stats
from sentence_transformers import SentenceTransformer
from sentence_transformers.sentence_transformer.evaluation import SentenceEvaluator
from sklearn import metrics as skm

from sentence_emo.calibration import Calibration
from sentence_emo.evaluation import EmotionZeroShotEvaluator, emotion_metrics
from sentence_emo.files import TRAINING_INFO_FILE
from sentence_emo.training import TrainConfig, build_training
from sentence_emo.zero_shot import EmotionZeroShot

from tests.training.test_training import _config, small_corpus  # noqa: F401  (fixture)

TEXTS = ["we won the game", "i miss my friend", "i hate this", "so nervous about tomorrow", "best day ever",
         "my dog died"]
LABELS = ["joy", "sadness", "anger", "fear"]
SINGLE = np.array([0, 1, 2, 3, 0, 1])
MULTI = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 1], [0, 1, 1, 0]])


@pytest.fixture(scope="module")
def model(tiny_model_dir):
    return SentenceTransformer(str(tiny_model_dir), device="cpu")


def _clf(model, **kw) -> EmotionZeroShot:
    return EmotionZeroShot(model, prototypes=0, show_progress_bar=False, **kw)


def test_is_a_sentence_evaluator_with_prefixed_metrics_and_primary_metric(model):
    evaluator = EmotionZeroShotEvaluator(TEXTS, LABELS, SINGLE, name="toy", prototypes=0, write_csv=False)
    assert isinstance(evaluator, SentenceEvaluator) and evaluator.task == "single_label"
    metrics = evaluator(model)
    assert set(metrics) == {"toy_accuracy", "toy_macro_f1"} and evaluator.primary_metric == "toy_macro_f1"
    sims = _clf(model).similarities(TEXTS, LABELS)
    pred = sims.argmax(axis=1)
    assert metrics["toy_accuracy"] == pytest.approx(skm.accuracy_score(SINGLE, pred))
    assert metrics["toy_macro_f1"] == pytest.approx(skm.f1_score(SINGLE, pred, labels=range(4), average="macro",
                                                                 zero_division=0))


def test_multi_label_top_k_and_lrap_match_sklearn(model):
    evaluator = EmotionZeroShotEvaluator(TEXTS, LABELS, MULTI, top_k=2, prototypes=0, write_csv=False)
    metrics = evaluator(model)
    assert evaluator.primary_metric == "macro_f1" and set(metrics) == {"macro_f1", "lrap"}
    sims = _clf(model).similarities(TEXTS, LABELS)
    top2 = np.zeros_like(MULTI, dtype=bool)
    np.put_along_axis(top2, np.argsort(-sims, axis=1, kind="stable")[:, :2], True, axis=1)
    assert metrics["macro_f1"] == pytest.approx(skm.f1_score(MULTI, top2, average="macro", zero_division=0))
    assert metrics["lrap"] == pytest.approx(skm.label_ranking_average_precision_score(MULTI, sims))
    assert 0.0 <= metrics["macro_f1"] <= 1.0 and 0.0 < metrics["lrap"] <= 1.0


def test_multi_label_threshold_is_predicts_rule(model):
    """threshold=p is the rule of EmotionZeroShot.predict(threshold-free) for a model without label calibration."""
    calibration = Calibration(scale=20.0, bias=-1.0)
    evaluator = EmotionZeroShotEvaluator(TEXTS, LABELS, MULTI, threshold=0.5, calibration=calibration,
                                         prototypes=0, write_csv=False)
    predicted = _clf(model, calibration=calibration).predict(TEXTS, LABELS)
    decisions = np.array([[name in p.labels for name in LABELS] for p in predicted])
    assert decisions.any(axis=1).all()  # never empty
    assert evaluator(model)["macro_f1"] == pytest.approx(skm.f1_score(MULTI, decisions, average="macro",
                                                                      zero_division=0))
    live = EmotionZeroShotEvaluator(TEXTS, LABELS, MULTI, threshold=0.5, calibration=lambda: calibration,
                                    prototypes=0, write_csv=False)
    assert live(model) == evaluator(model)
    with pytest.raises(ValueError, match="needs a trained calibration"):
        EmotionZeroShotEvaluator(TEXTS, LABELS, MULTI, threshold=0.5, prototypes=0)(model)


def test_regression_pearson_of_the_anchor_score(model):
    ratings = np.array([4.5, 1.5, 1.0, 2.0, 5.0, 1.2])
    evaluator = EmotionZeroShotEvaluator(TEXTS, None, ratings, positive=["happy"], negative=["sad", "angry"],
                                         name="valence", prototypes=0, write_csv=False)
    metrics = evaluator(model)
    assert evaluator.primary_metric == "valence_pearson" and set(metrics) == {"valence_pearson", "valence_spearman"}
    score = _clf(model).score(TEXTS, ["happy"], ["sad", "angry"])
    assert metrics["valence_pearson"] == pytest.approx(stats.pearsonr(ratings, score)[0])
    assert metrics["valence_spearman"] == pytest.approx(stats.spearmanr(ratings, score)[0])


def test_takes_an_emotion_zero_shot_and_writes_csv(model, tmp_path):
    evaluator = EmotionZeroShotEvaluator(TEXTS, LABELS, SINGLE, name="toy", prototypes=0)
    first = evaluator(_clf(model), output_path=str(tmp_path), epoch=1, steps=2)
    assert first == evaluator(model, output_path=str(tmp_path), epoch=2, steps=4)  # same scoring code
    rows = (tmp_path / "toy_emotion_zero_shot_results.csv").read_text().splitlines()
    assert rows[0] == "epoch,steps,accuracy,macro_f1" and rows[1].startswith("1,2,") and rows[2].startswith("2,4,")
    assert evaluator.get_config_dict() == {"task": "single_label", "labels": LABELS}


def test_hand_computed_metrics():
    assert emotion_metrics("single_label", np.array([0, 0, 1]), np.array([[0.9, 0.1], [0.2, 0.8], [0.3, 0.7]])) \
        == {"accuracy": pytest.approx(2 / 3), "macro_f1": pytest.approx(2 / 3)}
    assert emotion_metrics("regression", np.array([1.0, 2.0, 3.0]), np.array([0.1, 0.3, 0.2])) \
        == {"pearson": pytest.approx(0.5), "spearman": pytest.approx(0.5)}
    perfect = emotion_metrics("multi_label", MULTI, MULTI * 0.9, MULTI.astype(bool))
    assert perfect == {"macro_f1": 1.0, "lrap": 1.0}


def test_bad_inputs_name_the_problem():
    with pytest.raises(ValueError, match="6 texts but 5 targets"):
        EmotionZeroShotEvaluator(TEXTS, LABELS, SINGLE[:5])
    with pytest.raises(ValueError, match="3 columns but the label set has 4"):
        EmotionZeroShotEvaluator(TEXTS, LABELS, MULTI[:, :3])
    with pytest.raises(ValueError, match=r"class ids in \[0, 3\]"):
        EmotionZeroShotEvaluator(TEXTS, LABELS, SINGLE + 1)
    with pytest.raises(ValueError, match="positive=\\[...\\]"):
        EmotionZeroShotEvaluator(TEXTS, None, np.linspace(1.0, 2.0, 6) + 0.5)
    with pytest.raises(ValueError, match="not both"):
        EmotionZeroShotEvaluator(TEXTS, LABELS, np.ones(6), positive=["happy"])
    with pytest.raises(ValueError, match="top_k must be"):
        EmotionZeroShotEvaluator(TEXTS, LABELS, MULTI, top_k=5)
    with pytest.raises(ValueError, match="threshold is a probability"):
        EmotionZeroShotEvaluator(TEXTS, LABELS, MULTI, threshold=1.5)
    with pytest.raises(TypeError, match="evaluator must be a sentence-transformers evaluator"):
        TrainConfig(evaluator={"labels": LABELS})
    with pytest.raises(ValueError, match="eval_steps must be a positive"):
        TrainConfig(eval_steps=0)


def test_trainer_runs_the_evaluator_during_training(tmp_path, tiny_model_dir, small_corpus):  # noqa: F811
    single = EmotionZeroShotEvaluator(TEXTS, LABELS, SINGLE, name="emo", prototypes=0)
    multi = EmotionZeroShotEvaluator(TEXTS, LABELS, MULTI, name="emo-multi", threshold=0.5, prototypes=0)
    config = _config(tmp_path, tiny_model_dir, small_corpus, max_steps=2, eval_steps=1, evaluator=[single, multi],
                     label_calibration=False, wise_ft_alpha=1.0)
    run = build_training(config)
    assert run.trainer.evaluator is not None and run.trainer.args.eval_strategy == "steps"
    assert multi.calibration == run.loss.calibration  # the threshold rule reads the loss's learnt calibration
    out = run.train()
    evals = [log for log in run.trainer.state.log_history if "eval_emo_macro_f1" in log]
    assert [log["step"] for log in evals] == [1, 2]
    for log in evals:
        assert 0.0 <= log["eval_emo_accuracy"] <= 1.0 and 0.0 <= log["eval_emo_macro_f1"] <= 1.0
        assert 0.0 <= log["eval_emo-multi_macro_f1"] <= 1.0 and 0.0 < log["eval_emo-multi_lrap"] <= 1.0
    assert (tmp_path / "ckpt" / "eval" / "emo_emotion_zero_shot_results.csv").is_file()
    info = json.loads((out / TRAINING_INFO_FILE).read_text())
    assert set(info["final_eval"]) == {"emo_accuracy", "emo_macro_f1", "emo-multi_macro_f1", "emo-multi_lrap"}
    assert info["config"]["evaluator"][0] == {"class": "EmotionZeroShotEvaluator", "name": "emo",
                                              "task": "single_label", "labels": LABELS}
    assert info["config"]["eval_steps"] == 1


def test_default_train_has_no_evaluation(tmp_path, tiny_model_dir, small_corpus):  # noqa: F811
    run = build_training(_config(tmp_path, tiny_model_dir, small_corpus))
    assert run.trainer.evaluator is None and run.trainer.args.eval_strategy == "no"
    assert run.heldout_evaluator is None
