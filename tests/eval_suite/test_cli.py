"""``sentence-emo eval`` end to end on a tiny random encoder: own data, the paper suite, interruption."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from eval_suite.metrics import functional as F
from sentence_emo.cli import main
from tests.conftest import write_jsonl

OWN_TEXTS = ["I love this day", "so angry at you", "afraid of the dark", "I miss my dog", "happy and excited",
             "I hate waiting", "worried about work", "sad and tired", "great game", "so lonely tonight"]
OWN_SINGLE = ["joy", "anger", "fear", "sadness", "joy", "anger", "fear", "sadness", "joy", "sadness"]
OWN_MULTI = ["joy", "anger", "fear", "sadness", "joy;surprise", "anger;disgust", "fear", "sadness", "joy", "sadness"]


def _run(capsys, *argv):
    code = main(["eval", *map(str, argv)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_own_single_label_csv_with_baseline_and_plots(tmp_path, tiny_model_dir, capsys):
    data = tmp_path / "mine.csv"
    pd.DataFrame({"sentence": OWN_TEXTS, "emotion": OWN_SINGLE}).to_csv(data, index=False)
    desc = tmp_path / "desc.json"
    desc.write_text(json.dumps({"joy": "happy and glad", "sadness": "sad and lonely"}))
    out = tmp_path / "out"
    code, stdout, err = _run(capsys, "--model", tiny_model_dir, "--data", data, "--text-column", "sentence",
                             "--label-column", "emotion", "--label-descriptions", desc,
                             "--baseline-model", tiny_model_dir, "--out", out)
    assert code == 0, err
    assert "accuracy" in stdout and "report:" in stdout
    results = json.loads((out / "results.json").read_text())
    meta = results["meta"]
    assert meta["complete"] is True and meta["model"] == str(tiny_model_dir)
    assert meta["date"] and meta["git_commit"] and "--label-column emotion" in meta["command"]
    assert meta["datasets"]["mine"]["rows_used"] == len(OWN_TEXTS)
    systems = {r["system"]: r for r in results["results"]}
    assert set(systems) == {"model", "baseline"}
    # the model is calibrated, the baseline is loaded uncalibrated; both use argmax on a single-label set
    assert systems["model"]["primary_rule"] == systems["baseline"]["primary_rule"] == "top-1"
    for h in results["headline"]:
        assert {v["rule"] for v in h["values"].values()} == {"top-1"}  # every number names its rule
    assert {"per_label_f1_mine", "confusion_mine_model", "confusion_mine_baseline", "emotion_space"} <= \
        set(results["files"])
    for name in results["files"].values():
        assert (out / name).stat().st_size > 1000
    report = (out / "report.md").read_text()
    assert "| mine | accuracy |" in report and "confusion_mine_model.png" in report
    # the numbers follow from the model's similarities with the described labels
    from sentence_emo.zero_shot import EmotionZeroShot

    clf = EmotionZeroShot.from_pretrained(str(tiny_model_dir), show_progress_bar=False)
    labels = {"anger": "anger", "fear": "fear", "joy": "happy and glad", "sadness": "sad and lonely"}
    pred = clf.similarities(OWN_TEXTS, labels).argmax(axis=1)
    gold = np.array([sorted(labels).index(x) for x in OWN_SINGLE])
    assert systems["model"]["metrics"]["top-1"]["accuracy"] == pytest.approx(float((pred == gold).mean()))


def test_own_multilabel_with_dev_data_enables_dev_tuned(tmp_path, tiny_model_dir, capsys):
    data, dev = tmp_path / "test.tsv", tmp_path / "dev.tsv"
    pd.DataFrame({"text": OWN_TEXTS, "labels": OWN_MULTI}).to_csv(data, sep="\t", index=False)
    pd.DataFrame({"text": OWN_TEXTS[::-1], "labels": OWN_MULTI[::-1]}).to_csv(dev, sep="\t", index=False)
    out = tmp_path / "out"
    code, _, err = _run(capsys, "--model", tiny_model_dir, "--data", data, "--label-column", "labels",
                        "--multi-label", "--sep", ";", "--dev-data", dev, "--baseline-model", "none",
                        "--rules", "top-2,calibrated,dev-tuned+fallback", "--primary-rule", "dev-tuned+fallback",
                        "--no-plots", "--out", out)
    assert code == 0, err
    result = json.loads((out / "results.json").read_text())["results"][0]
    assert set(result["metrics"]) == {"threshold-free", "top-2", "calibrated", "dev-tuned+fallback"}
    assert result["primary_rule"] == "dev-tuned+fallback"
    assert "labels of --dev-data" in result["rule_notes"]["dev-tuned+fallback"]
    assert result["labels"] == ["anger", "disgust", "fear", "joy", "sadness", "surprise"]
    assert not list(out.glob("*.png"))


@pytest.mark.parametrize("argv, message", [
    (["--data", "{csv}", "--label-column", "label"], "no column 'label' (available columns: text, emotion)"),
    (["--data", "{csv}", "--label-column", "emotion", "--labels", "joy,anger"],
     "gold labels not in --labels: 'fear' (rows 3)"),
    ([], "--suite paper (the benchmarks) or --data FILE"),
    (["--suite", "paper", "--data-dir", "{missing}"], "benchmark data directory not found"),
    (["--suite", "paper", "--datasets", "goemotions,imdb", "--data-dir", "{tmp}"], "unknown dataset 'imdb'"),
    (["--data", "{csv}", "--label-column", "emotion", "--rules", "best"], "unknown decision rule 'best'"),
])
def test_user_errors_exit_2_with_the_fix(tmp_path, tiny_model_dir, capsys, argv, message):
    csv_path = tmp_path / "mine.csv"
    pd.DataFrame({"text": ["a", "b", "c"], "emotion": ["joy", "anger", "fear"]}).to_csv(csv_path, index=False)
    argv = [a.format(csv=csv_path, missing=tmp_path / "nope", tmp=tmp_path) for a in argv]
    code, _, err = _run(capsys, "--model", tiny_model_dir, "--out", tmp_path / "out", "--baseline-model", "none",
                        *argv)
    assert code == 2
    assert message in err


def test_paper_suite_on_miniature_data(tmp_path, tiny_model_dir, fake_data_dir, capsys):
    corpus = write_jsonl(tmp_path / "corpus.jsonl", [{"text": "yay", "descriptors": ["joyful", "excited"]},
                                                     {"text": "ugh", "descriptors": ["annoyed"]}])
    out = tmp_path / "out"
    code, stdout, err = _run(capsys, "--model", tiny_model_dir, "--suite", "paper", "--data-dir", fake_data_dir,
                             "--baseline-model", "none", "--max-rows", 6, "--semeval-tuning-rows", 3,
                             "--emobank-arousal", "--corpus", corpus, "--out", out)
    assert code == 0, err
    results = json.loads((out / "results.json").read_text())
    keys = {(r["key"], r["role"]) for r in results["results"]}
    assert keys == {("goemotions", "model"), ("goemotions", "reference"), ("semeval", "model"), ("isear", "model"),
                    ("emobank", "model"), ("emobank-arousal", "model")}
    meta = results["meta"]
    assert meta["max_rows"] == 6 and meta["datasets"]["goemotions"]["rows_used"] == 6
    assert meta["datasets"]["goemotions"]["rows_total"] == 8
    assert meta["datasets"]["goemotions"]["tuning"]["label_source"].startswith("GPT-4 teacher labels")
    assert meta["datasets"]["semeval"]["tuning"]["rows_used"] == 3
    assert meta["datasets"]["isear"]["rows_used"] == 6
    headline = {(h["key"], h["metric"]) for h in results["headline"]}
    assert {("goemotions", "macro_f1"), ("goemotions", "lrap"), ("semeval", "macro_f1"), ("semeval", "jaccard"),
            ("isear", "macro_f1"), ("isear", "accuracy"), ("emobank", "valence_pearson"),
            ("emobank-arousal", "arousal_pearson")} == headline
    goemotions = next(h for h in results["headline"] if h["key"] == "goemotions" and h["metric"] == "macro_f1")
    assert goemotions["values"]["model"]["rule"] == "dev-tuned"
    assert goemotions["values"]["GPT-4 zero-shot"]["rule"] == "released labels"
    groups = {p["group"] for p in results["emotion_space"]["points"]}
    assert "descriptors" in groups
    report = (out / "report.md").read_text()
    assert "**Subsample**: at most 6 random rows per set (seed 0)" in report
    assert "6 of 8 rows (random subsample, seed 0)" in report
    assert "GPT-4 teacher labels, label-free" in report


def test_interrupted_run_keeps_finished_datasets(tmp_path, tiny_model_dir, fake_data_dir, capsys, monkeypatch):
    import eval_suite.suite as suite

    real = suite.evaluate_dataset
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(suite, "evaluate_dataset", flaky)
    out = tmp_path / "out"
    code, _, err = _run(capsys, "--model", tiny_model_dir, "--suite", "paper", "--data-dir", fake_data_dir,
                        "--datasets", "isear,emobank", "--baseline-model", "none", "--out", out)
    assert code == 130 and "interrupted" in err
    results = json.loads((out / "results.json").read_text())
    assert results["meta"]["complete"] is False
    assert [r["key"] for r in results["results"]] == ["isear"]
    assert "Incomplete run" in (out / "report.md").read_text()
    # resume: the finished dataset's embeddings come from the cache
    monkeypatch.setattr(suite, "evaluate_dataset", real)
    assert len(list((out / "cache").rglob("*.npy"))) == 1
    code, _, err = _run(capsys, "--model", tiny_model_dir, "--suite", "paper", "--data-dir", fake_data_dir,
                        "--datasets", "isear,emobank", "--baseline-model", "none", "--out", out)
    assert code == 0, err
    assert json.loads((out / "results.json").read_text())["meta"]["complete"] is True


# -- real benchmark data --------------------------------------------------------------------------
@pytest.mark.shared_data
def test_gpt4_reference_reproduces_published_macro_f1(shared_data_dir):
    from eval_suite.data import load_goemotions, load_goemotions_gpt4
    from eval_suite.evaluation import DatasetSpec, evaluate_reference

    test = load_goemotions(shared_data_dir, "test")
    ref = load_goemotions_gpt4(shared_data_dir, "test")
    assert len(test) == 5427 and int(ref.failed.sum()) == 144
    result = evaluate_reference(DatasetSpec(test, reference=ref))
    assert result.metrics["released labels"]["macro_f1"] == pytest.approx(0.309, abs=0.001)
    sk = pytest.importorskip("sklearn.metrics")
    aligned = ref.align(test.ids)
    assert result.metrics["released labels"]["macro_f1"] == pytest.approx(
        sk.f1_score(test.targets, aligned.predictions, average="macro", zero_division=0))


@pytest.mark.shared_data
def test_paper_suite_on_real_data_with_max_rows_200(tmp_path, tiny_model_dir, shared_data_dir, capsys):
    out = tmp_path / "out"
    code, stdout, err = _run(capsys, "--model", tiny_model_dir, "--suite", "paper", "--data-dir", shared_data_dir,
                             "--baseline-model", "none", "--max-rows", 200, "--out", out)
    assert code == 0, err
    results = json.loads((out / "results.json").read_text())
    values = {(h["key"], h["metric"]): h["values"] for h in results["headline"]}
    for key in [("goemotions", "macro_f1"), ("goemotions", "lrap"), ("semeval", "macro_f1"), ("semeval", "jaccard"),
                ("isear", "macro_f1"), ("isear", "accuracy"), ("emobank", "valence_pearson")]:
        value = values[key]["model"]["value"]
        assert value is not None and np.isfinite(value), key
    assert 0.0 <= values[("goemotions", "macro_f1")]["GPT-4 zero-shot"]["value"] <= 1.0
    for key, info in results["meta"]["datasets"].items():
        assert info["rows_used"] == 200 and info["rows_total"] > 200, key
    assert "**Subsample**: at most 200 random rows" in (out / "report.md").read_text()
    assert F.multilabel_scores  # metrics module importable alongside the CLI
