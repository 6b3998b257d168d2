"""Model and dataset cards: the card training writes, pushing it with results, parsing, no fake sections."""

from __future__ import annotations

import ast
import doctest
import json
import math
from pathlib import Path

import pytest
from huggingface_hub import DatasetCard, ModelCard

import hub_cards
from hub_cards import (
    DATASET_CARD_TEMPLATE,
    MODEL_CARD_TEMPLATE,
    CardError,
    DatasetCardInfo,
    EmotionModelCardData,
    EvalResultEntry,
    format_number,
    prepare_model_card,
    render_dataset_card,
    results_to_entries,
)
from hub_cards.model_card import MODEL_ID_PLACEHOLDER, RESULTS_END, RESULTS_START, sentence_transformers_template
from sentence_emo import files
from sentence_emo.files import CALIBRATION_FILE, CARD_FILE, TRAINING_INFO_FILE
from sentence_emo.model_card import card_data_from_model_dir, model_card_for
from tests.conftest import build_tiny_model
from tests.hub.training_run import PROMPT_VERSION, TEACHER

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = "### Zero-shot Emotion Benchmarks"


def test_templates_ship_beside_the_code():
    assert MODEL_CARD_TEMPLATE.parent == DATASET_CARD_TEMPLATE.parent == Path(hub_cards.__file__).parent
    # the model card extends sentence-transformers' own template, whose anchors the installed version has
    assert MODEL_CARD_TEMPLATE.read_text().startswith("{% extends sentence_transformers_template %}")
    assert set(sentence_transformers_template().blocks) >= {"intro", "usage", "evaluation", "training", "versions"}
    assert DATASET_CARD_TEMPLATE.read_text().startswith("---\n{{ card_data }}\n---")


def test_side_file_names_are_defined_once():
    """The side files' names are string constants in sentence_emo/files.py only; everything else imports them."""
    names = {v for k, v in vars(files).items() if k.endswith("_FILE") and k != "CARD_FILE"}
    offenders = []
    for folder in ("sentence_emo", "eval_suite", "hub_cards", "benchmarks", "scripts", "tests"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == Path(files.__file__).resolve():
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and node.value in names:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    assert not offenders, offenders


def test_library_doctests():
    import hub_cards.formatting
    import hub_cards.results
    import sentence_emo.hub as hub
    import sentence_emo.models as models
    from sentence_emo.dataset_builder import config, corpus_stats

    for module in (hub_cards.formatting, hub_cards.results, config, corpus_stats, hub, models):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0 and result.attempted > 0, module.__name__


@pytest.mark.slow
def test_model_card_after_a_real_training_run(trained_model_dir, tmp_path):
    info = json.loads((trained_model_dir / TRAINING_INFO_FILE).read_text())
    calibration = json.loads((trained_model_dir / CALIBRATION_FILE).read_text())
    written = (trained_model_dir / CARD_FILE).read_text()
    card = model_card_for(trained_model_dir, "org/emo-distill")
    text = str(card)

    # the card model.save() wrote during training, with the model id in its usage snippets
    assert card.text == ModelCard(written.replace(MODEL_ID_PLACEHOLDER, "org/emo-distill")).text
    assert MODEL_ID_PLACEHOLDER in written and MODEL_ID_PLACEHOLDER not in text

    # parses back, metadata intact, no benchmark results or model-index without results
    path = tmp_path / "README.md"
    card.save(path)
    parsed = ModelCard.load(path)
    assert parsed.data.base_model == "sentence-transformers/all-MiniLM-L6-v2"
    assert parsed.data.library_name == "sentence-transformers" and parsed.data.pipeline_tag == "sentence-similarity"
    assert parsed.data.eval_results is None and "model-index" not in text and BENCHMARKS not in text

    # sentence-transformers' own sections: trainer hyper-parameters, loss config, evaluator metrics
    # training cut texts at 64 tokens (TrainConfig.max_seq_length); the saved model keeps MiniLM's 256
    assert "- **Output Dimensionality:** 384 dimensions" in text and "- **Maximum Sequence Length:** 256 tokens" in text
    assert "- `max_steps`: 2" in text and "- `per_device_train_batch_size`: 8" in text
    assert f"- `learning_rate`: {info['config']['learning_rate']}" in text
    assert "SigmoidDescriptorLoss</code> with these parameters" in text
    assert '"init_scale": 10.0' in text and '"init_bias": -10.0' in text
    heldout_ndcg = info["heldout_eval"]["teacher-heldout_cosine_ndcg@10"]
    assert "* Dataset: `teacher-heldout`" in text and f"**{round(heldout_ndcg, 4)}**" in text
    assert "### Training Logs" in text and "### Framework Versions" in text

    # the emotion sections, with real numbers from the run
    assert f"| Scale s (multiplies the cosine) | {format_number(calibration['scale'])} |" in text
    assert f"| Bias b | {format_number(calibration['bias'])} |" in text
    assert f"| Cosine where p = 0.5 (-b/s) | {format_number(-calibration['bias'] / calibration['scale'])} |" in text
    assert f"| `threshold` | {format_number(info['label_calibration']['threshold'])} |" in text
    assert f"- `train_loss`: {format_number(info['train']['train_loss'])}" in text
    assert f"{info['corpus']['texts']} texts (+ {info['corpus']['heldout_texts']} held out), " \
           f"{info['corpus']['descriptors']} distinct descriptors" in text
    assert f"`{TEACHER}`" in text and f"`{PROMPT_VERSION}`" in text
    assert "You are an emotionally-intelligent and empathetic agent." in text, "the paper prompt is quoted"
    assert "- `extra_negatives`: 64" in text and "- `corpus`: corpus.jsonl" in text, "options, no local paths"
    assert str(trained_model_dir.parent) not in text
    assert 'SentenceTransformer("org/emo-distill")' in text and 'EmotionZeroShot.from_pretrained("org/emo-distill")' \
        in text
    assert "## Limitations and Bias" in text and "@inproceedings{niu2025contrastive" in text

    # with results: model-index with the exact values, rule as metric config, and the table
    results = {"goemotions": {"macro_f1": 0.412345, "dataset_id": "google-research-datasets/go_emotions",
                              "dataset_name": "GoEmotions", "rules": {"macro_f1": "threshold@0.5"}}}
    card = model_card_for(trained_model_dir, "org/emo-distill", results=results)
    card.save(path)
    parsed = ModelCard.load(path)
    [result] = parsed.data.eval_results
    assert (result.metric_value, result.metric_config, result.dataset_type, result.dataset_split) == (
        0.412345, "threshold@0.5", "google-research-datasets/go_emotions", "test")
    assert parsed.data.model_name == "org/emo-distill"
    assert "## Evaluation" in parsed.text and BENCHMARKS in parsed.text
    assert "| test | Macro F1 | threshold@0.5 | 0.4123 |" in parsed.text
    assert parsed.text.count("## Evaluation\n") == 1, "one Evaluation section: the evaluators' and the benchmarks"


def test_prepare_model_card_adds_results_once_and_to_foreign_cards():
    foreign = "---\nlicense: mit\n---\n# My model\n\nText.\n\n## Training Details\n\nTrained.\n"
    first = {"isear": {"split": "all", "accuracy": 0.5}}
    card = prepare_model_card(foreign, model_id="org/m", results=first, dataset_id="org/data")
    text = card.text
    assert text.index("## Evaluation\n") < text.index(BENCHMARKS) < text.index("## Training Details")
    assert card.data.datasets == ["org/data"] and card.data.license == "mit" and card.data.model_name == "org/m"
    again = prepare_model_card(card, model_id="org/m", results={"isear": {"split": "all", "accuracy": 0.7}})
    assert again.text.count(RESULTS_START) == again.text.count(RESULTS_END) == 1
    assert "| 0.7 |" in again.text and "| 0.5 |" not in again.text
    assert [r.metric_value for r in again.data.eval_results] == [0.7]
    plain = prepare_model_card(foreign, model_id="org/m")
    assert plain.data.eval_results is None and BENCHMARKS not in plain.text


def _minimal_model_dir(tmp_path, **info):
    directory = tmp_path / "model"
    directory.mkdir(parents=True)
    (directory / "modules.json").write_text("[]")
    if info:
        (directory / TRAINING_INFO_FILE).write_text(json.dumps(info))
    return directory


def test_model_card_without_training_info_still_renders_without_fake_sections(tmp_path, caplog):
    directory = tmp_path / "model"
    build_tiny_model().save(str(directory), create_model_card=False)  # a saved model without a card
    text = str(model_card_for(directory))
    assert "not recorded" in text
    for section in ("## Evaluation", "### Calibration", "### Training Hyperparameters", "### Training run",
                    "### Label calibration", BENCHMARKS, "model-index"):
        assert section not in text
    assert ModelCard(text).data.base_model is None
    assert "## Limitations and Bias" in text and "@inproceedings{niu2025contrastive" in text
    assert f"has no {TRAINING_INFO_FILE}" in caplog.text
    assert not (directory / CARD_FILE).exists(), "the model directory is not changed"


def test_model_card_rejects_bad_input(tmp_path):
    directory = _minimal_model_dir(tmp_path)
    (directory / TRAINING_INFO_FILE).write_text("{not json")
    with pytest.raises(CardError, match=f"{TRAINING_INFO_FILE}: invalid JSON"):
        card_data_from_model_dir(directory)
    with pytest.raises(FileNotFoundError, match="model directory not found"):
        card_data_from_model_dir(tmp_path / "nope")
    with pytest.raises(TypeError, match="unknown card field"):
        card_data_from_model_dir(_minimal_model_dir(tmp_path / "x"), colour="red")
    with pytest.raises(CardError, match="calibration scale must be a finite number"):
        EmotionModelCardData(calibration={"scale": math.nan, "bias": 0.0})


def test_results_to_entries_formats():
    entries = results_to_entries({
        "goemotions": {"macro_f1": 0.41, "micro_f1": {"value": 0.5, "rule": "top-2", "name": "Micro-F1"},
                       "per_class": {"joy": 0.7}, "confusion": [[1, 2]], "split": "validation",
                       "dataset_id": "google-research-datasets/go_emotions"},
        "model": "org/x",
        "rules": {"macro_f1": "threshold@0.5"},
    }, task="text-classification")
    assert [(e.dataset_id, e.split, e.metric_type, e.metric_name, e.value, e.rule, e.task) for e in entries] == [
        ("google-research-datasets/go_emotions", "validation", "macro_f1", "Macro F1", 0.41, "threshold@0.5",
         "text-classification"),
        ("google-research-datasets/go_emotions", "validation", "micro_f1", "Micro-F1", 0.5, "top-2",
         "text-classification"),
    ]
    rich = [{"task": "zero-shot-classification", "dataset_name": "ISEAR", "dataset_id": "isear", "split": "all",
             "metric_type": "accuracy", "metric_name": "Accuracy", "value": 0.6, "rule": "argmax"}]
    assert results_to_entries({"results": rich}) == results_to_entries(rich) == [EvalResultEntry(**rich[0])]
    assert results_to_entries({"d": {"f1": 0.3}}, rules={"f1": "argmax"}, dataset_names={"d": "D"})[0].rule == "argmax"
    result = EvalResultEntry(**rich[0]).to_eval_result()
    assert (result.task_type, result.dataset_name, result.metric_value, result.metric_config) == (
        "zero-shot-classification", "ISEAR", 0.6, "argmax")


@pytest.mark.parametrize("results, message", [
    ({"goemotions": {"macro_f1": "high"}}, r"goemotions/macro_f1 must be a number, got 'high'"),
    ({"goemotions": {"macro_f1": math.nan}}, r"goemotions/macro_f1 must be a finite number"),
    ({"goemotions": {"macro_f1": True}}, r"goemotions/macro_f1 must be a number"),
    ({"macro_f1": 0.4}, r"'macro_f1' is a number at the top level"),
    ([{"dataset_name": "x", "value": 1.0}], r"result #0: result entry lacks \['metric_type'\]"),
    ([{"dataset_name": "x", "metric_type": "f1", "value": 1.0, "colour": 1}], r"unknown result entry field"),
    ({"rules": ["argmax"]}, r"'rules' must map metric names"),
])
def test_results_errors_are_clear(results, message):
    with pytest.raises(CardError, match=message):
        results_to_entries(results)


def test_results_file_errors(tmp_path):
    path = tmp_path / "results.json"
    path.write_text('{"goemotions": {"macro_f1": 0.4,}}')
    with pytest.raises(CardError, match=r"results.json: invalid JSON .* at line 1"):
        results_to_entries(path)
    with pytest.raises(FileNotFoundError, match="results file not found"):
        results_to_entries(tmp_path / "missing.json")
    path.write_text(json.dumps({"goemotions": {"macro_f1": 0.4}}))
    assert results_to_entries(str(path))[0].value == 0.4


def test_dataset_card_renders_statistics_and_parses(tmp_path):
    from datasets.utils.metadata import MetadataConfigs

    from sentence_emo.dataset_builder import compute_statistics, metadata_configs

    rows = {"train": [{"text": "abc", "descriptors": ["joy", "relief"], "teacher": "gpt-x", "prompt_version": "p@1",
                       "source": "s"}] * 3 + [{"text": "de", "descriptors": ["fear"], "teacher": "gpt-x"}],
            "failed": [{"text": "x", "descriptors": []}]}
    stats = compute_statistics(rows, duplicates_removed=7, failed_by_reason={"refusal": 1}, failed_mode="split",
                               validation_fraction=0.1, split_salt="v2")
    info = DatasetCardInfo.from_statistics(stats, repo_id="org/emo-descriptors", license="cc-by-4.0")
    card = render_dataset_card(info, configs=MetadataConfigs(metadata_configs(["train", "failed"])))
    path = tmp_path / "README.md"
    card.save(path)
    parsed = DatasetCard.load(path)
    assert parsed.data.license == "cc-by-4.0" and parsed.data.size_categories == ["n<1K"]
    assert parsed.data.configs[0]["data_files"][1] == {"split": "failed", "path": "data/failed-*"}
    text = parsed.text
    assert "| `train` | 4 |" in text and "| `failed` | 1 |" in text
    assert "**7** duplicate texts were removed" in text and "| refusal | 1 |" in text
    assert "| joy | 3 | 75 |" in text and "| fear | 1 | 25 |" in text
    assert "Descriptors per text: mean 1.75, median 2, min 1, max 2" in text
    assert "| 1 | 1 |\n| 2 | 3 |" in text
    assert "(salt `v2`)" in text and "below\n0.1" in text
    assert 'load_dataset("org/emo-descriptors")' in text
    with pytest.raises(TypeError, match="unknown dataset card field"):
        DatasetCardInfo.from_statistics(stats, colour="red")


def test_eval_suite_results_json_becomes_model_entries(tmp_path):
    """``sentence-emo eval`` writes results.json with headline rows; the model's numbers become entries."""
    results = {
        "format": hub_cards.EVAL_SUITE_FORMAT, "format_version": 1, "meta": {},
        "headline": [
            {"key": "goemotions", "dataset": "GoEmotions", "metric": "macro_f1", "rows": "5,427",
             "values": {"emo-distill": {"value": 0.4321, "rule": "dev-tuned", "role": "model"},
                        "all-MiniLM-L6-v2": {"value": 0.21, "rule": "dev-tuned", "role": "baseline"}}},
            {"key": "emobank", "dataset": "EmoBank", "metric": "valence_pearson", "rows": "1,000",
             "values": {"emo-distill": {"value": 0.61, "rule": None, "role": "model"}}},
            {"key": "isear", "dataset": "ISEAR", "metric": "accuracy", "rows": "7,666",
             "values": {"GPT-4": {"value": 0.7, "rule": "labels", "role": "reference"}}},
        ],
        "results": [
            {"key": "goemotions", "task": "multi_label", "split": "test", "role": "model", "metrics": {}},
            {"key": "emobank", "task": "regression", "split": "all", "role": "model", "metrics": {}},
        ],
    }
    path = tmp_path / "results.json"
    path.write_text(json.dumps(results))
    entries = results_to_entries(path)
    assert [(e.task, e.dataset_name, e.dataset_id, e.split, e.metric_type, e.value, e.rule) for e in entries] == [
        ("zero-shot-classification", "GoEmotions", "google-research-datasets/go_emotions", "test", "macro_f1",
         0.4321, "dev-tuned"),
        ("text-classification", "EmoBank", "emobank", "all", "valence_pearson", 0.61, None),
    ]
    try:
        from eval_suite.suite import RESULTS_FORMAT
    except ImportError:  # the eval extra is optional
        return
    assert RESULTS_FORMAT == hub_cards.EVAL_SUITE_FORMAT
