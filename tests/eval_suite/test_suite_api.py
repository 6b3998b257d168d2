"""The Python API the benchmark runner calls: run_suite / evaluate_user_data / load_results."""

from __future__ import annotations

import doctest
import importlib

import numpy as np
import pytest

import eval_suite
from eval_suite.data import EvalDataset
from eval_suite.suite import SuiteConfig, load_results


def test_run_suite_api_headline_values_and_reload(tmp_path, tiny_model_dir, fake_data_dir):
    result = eval_suite.run_suite(str(tiny_model_dir), out_dir=tmp_path / "out", data_dir=fake_data_dir,
                                  baseline_model=None, plots=False, show_progress=False)
    values = result.headline_values()
    assert set(values) == {"goemotions.macro_f1", "goemotions.lrap", "semeval.macro_f1", "semeval.jaccard",
                           "isear.macro_f1", "isear.accuracy", "emobank.valence_pearson"}
    assert all(v is not None for v in values.values())
    assert result.headline_values("reference")["goemotions.macro_f1"] == pytest.approx(
        result.get("goemotions", "reference").metrics["released labels"]["macro_f1"])
    assert result.meta["max_rows"] is None and result.meta["complete"] is True
    again = load_results(tmp_path / "out")
    assert again.headline_values() == pytest.approx(values)
    assert again.get("isear").confusion == result.get("isear").confusion


def test_primary_rule_dev_tuned_per_label_headlines_multi_label_sets_only(tmp_path, tiny_model_dir, fake_data_dir):
    result = eval_suite.run_suite(str(tiny_model_dir), out_dir=tmp_path / "out", data_dir=fake_data_dir,
                                  datasets="goemotions,isear,emobank", primary_rule="dev_tuned_per_label",
                                  baseline_model=None, plots=False, show_progress=False)
    rules = {(h["key"], h["metric"]): h["values"]["model"] for h in result.headline}
    assert rules[("goemotions", "macro_f1")]["rule"] == "dev-tuned-per-label"
    assert rules[("goemotions", "macro_f1")]["tuned_on"] == "GoEmotions (dev): GPT-4 teacher labels, label-free"
    assert rules[("isear", "accuracy")]["rule"] == "top-1"  # single-label: argmax
    assert rules[("emobank", "valence_pearson")]["rule"] == "anchors"  # regression: anchor words
    goemotions = result.get("goemotions")
    assert set(goemotions.thresholds) == {"dev-tuned-per-label", "dev-tuned-per-label+fallback"}
    # the miniature GPT-4 dev labels have no "grief": it gets the global dev-tuned threshold
    assert goemotions.thresholds["dev-tuned-per-label"]["grief"] == pytest.approx(
        float(goemotions.rule_notes["dev-tuned"].split("cos >= ")[1].split()[0]), abs=1e-4)
    report = (tmp_path / "out" / "report.md").read_text()
    assert "dev-tuned-per-label **(primary)**" in report and "each maximising that label's F1" in report
    assert load_results(tmp_path / "out").get("goemotions").thresholds == goemotions.thresholds


def test_evaluate_user_data_accepts_an_in_memory_classifier(tiny_model):
    from sentence_emo.calibration import Calibration
    from sentence_emo.zero_shot import EmotionZeroShot

    clf = EmotionZeroShot(tiny_model, Calibration(10.0, -2.0), show_progress_bar=False)
    ds = EvalDataset(name="mine", task="single_label", texts=["so happy", "so angry", "so sad", "great day"],
                     labels=["joy", "anger", "sadness"], targets=np.array([0, 1, 2, 0]))
    result = eval_suite.evaluate_user_data(clf, ds, baseline_model=None, model_name="tiny in memory",
                                           max_rows=3, show_progress=False)
    assert result.meta["model"] == "tiny in memory" and result.get("mine").n_rows == 3
    assert set(result.headline_values()) == {"mine.accuracy", "mine.macro_f1"}


def test_suite_config_validation():
    with pytest.raises(ValueError, match="--max-rows"):
        SuiteConfig(model="m", max_rows=0)
    with pytest.raises(ValueError, match="goemotions_tuning"):
        SuiteConfig(model="m", goemotions_tuning="teacher")
    assert SuiteConfig(model="m", baseline_model="none").baseline_model is None
    assert SuiteConfig(model="m", datasets="ISEAR, emobank").datasets == ["isear", "emobank"]
    assert SuiteConfig(model="m", primary_rule="Dev-Tuned-Per-Label").primary_rule == "dev-tuned-per-label"
    with pytest.raises(ValueError, match="--primary-rule 'best'.*dev-tuned-per-label"):
        SuiteConfig(model="m", primary_rule="best")


@pytest.mark.parametrize("name", ["eval_suite.data.dataset", "eval_suite.rules", "sentence_emo.metrics"])
def test_library_doctests(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0


def test_lazy_exports_resolve():
    for name in eval_suite.__all__:
        assert getattr(eval_suite, name) is not None
    with pytest.raises(AttributeError):
        eval_suite.not_there  # noqa: B018
