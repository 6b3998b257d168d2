"""Push a trained model and a built corpus to a local Hub server, load them back with stock tools."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from sentence_emo.files import CALIBRATION_FILE, CARD_FILE, TRAINING_INFO_FILE
from tests.hub.conftest import TOKEN
from tests.hub.training_run import PROMPT_VERSION, TEACHER

pytestmark = pytest.mark.slow

SENTENCES = ["I finally got the job!", "My dog died this morning.", "The bus leaves at seven."]
LABELS = ["joy", "sadness", "anger", "neutral"]

RESULTS = {
    "goemotions": {"dataset_id": "google-research-datasets/go_emotions", "dataset_name": "GoEmotions",
                   "macro_f1": 0.41237, "accuracy": {"value": 0.6071, "rule": "argmax"}},
    "isear": {"split": "all", "macro_f1": 0.55512},
    "rules": {"macro_f1": "threshold@0.5"},
}

LOAD_MODEL = """
import json
from sentence_transformers import SentenceTransformer
from sentence_emo import EmotionZeroShot
from huggingface_hub import ModelCard, constants
repo = {repo!r}
model = SentenceTransformer(repo)
emb = model.encode({sentences!r}, convert_to_numpy=True)
clf = EmotionZeroShot.from_pretrained(repo)
card = ModelCard.load(repo)
print(json.dumps({{
    "embeddings": emb.tolist(),
    "proba": clf.predict_proba({sentences!r}, {labels!r}).tolist(),
    "calibration": [clf.calibration.scale, clf.calibration.bias, clf.calibration.trained],
    "eval_results": [[r.dataset_name, r.dataset_type, r.dataset_split, r.metric_type, r.metric_value, r.metric_config]
                     for r in (card.data.eval_results or [])],
    "base_model": card.data.base_model,
    "datasets": card.data.datasets,
    "text": card.text,
    "cache": constants.HF_HUB_CACHE,
}}))
"""

LOAD_DATASET = """
import json
from datasets import load_dataset
from huggingface_hub import DatasetCard
ds = load_dataset({repo!r})
card = DatasetCard.load({repo!r})
print(json.dumps({{
    "rows": {{split: ds[split].to_list() for split in ds}},
    "features": {{split: ds[split].features.to_dict() for split in ds}},
    "card_data": card.data.to_dict(),
    "text": card.text,
}}))
"""


def _local_embeddings(model_dir: Path) -> np.ndarray:
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_dir), device="cpu").encode(SENTENCES, convert_to_numpy=True)


def test_push_model_then_load_from_hub(hub, client, trained_model_dir, tmp_path):
    from hub_cards import format_number
    from sentence_emo import Calibration, EmotionZeroShot

    results_file = tmp_path / "results.json"
    results_file.write_text(json.dumps(RESULTS), encoding="utf-8")
    readme_before = (trained_model_dir / CARD_FILE).read_bytes()

    proc = client.cli("push-model", str(trained_model_dir), "test-org/emo-distill", "--results", str(results_file),
                      "--dataset-id", "test-org/emo-descriptors")
    assert proc.returncode == 0, proc.stderr
    assert TOKEN not in proc.stdout + proc.stderr
    assert "test-org/emo-distill" in proc.stdout

    stored = hub.files("test-org/emo-distill")
    assert stored["model.safetensors"].lfs, "weights must go through the LFS batch API"
    assert stored["model.safetensors"].content == (trained_model_dir / "model.safetensors").read_bytes()
    assert not stored[CALIBRATION_FILE].lfs
    assert "training_args.bin" not in stored
    public_info = json.loads(stored[TRAINING_INFO_FILE].content)
    assert str(trained_model_dir.parent) not in json.dumps(public_info), "no local paths are published"
    assert public_info["config"]["corpus"] == ["corpus.jsonl"]
    assert public_info["calibration"] == json.loads((trained_model_dir / TRAINING_INFO_FILE).read_text())[
        "calibration"]
    assert (trained_model_dir / CARD_FILE).read_bytes() == readme_before, "the local model dir must not change"

    loaded = client.python(LOAD_MODEL.format(repo="test-org/emo-distill", sentences=SENTENCES, labels=LABELS))
    assert loaded["cache"].startswith(str(tmp_path)), "the client must download into the fresh HF_HOME"
    assert any(m == "GET" and p.startswith("/test-org/emo-distill/resolve/") and p.endswith("/model.safetensors")
               for m, p in hub.state.requests)

    # same embeddings and the same calibration as the local directory
    local = _local_embeddings(trained_model_dir)
    np.testing.assert_allclose(np.asarray(loaded["embeddings"]), local, atol=1e-5)
    calibration = Calibration.load(trained_model_dir, required=True)
    assert loaded["calibration"] == [calibration.scale, calibration.bias, calibration.trained]
    local_clf = EmotionZeroShot.from_pretrained(str(trained_model_dir))
    np.testing.assert_allclose(np.asarray(loaded["proba"]), local_clf.predict_proba(SENTENCES, LABELS), atol=1e-5)

    # the card is in the repo, parses, and holds the real numbers
    assert sorted(loaded["eval_results"]) == sorted([
        ["GoEmotions", "google-research-datasets/go_emotions", "test", "macro_f1", 0.41237, "threshold@0.5"],
        ["GoEmotions", "google-research-datasets/go_emotions", "test", "accuracy", 0.6071, "argmax"],
        ["isear", "isear", "all", "macro_f1", 0.55512, "threshold@0.5"],
    ])
    assert loaded["base_model"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert loaded["datasets"] == ["test-org/emo-descriptors"]
    info = json.loads((trained_model_dir / TRAINING_INFO_FILE).read_text())
    text = loaded["text"]
    assert f"| Scale s (multiplies the cosine) | {format_number(calibration.scale)} |" in text
    assert f"| Bias b | {format_number(calibration.bias)} |" in text
    assert f"- `train_loss`: {format_number(info['train']['train_loss'])}" in text
    assert f"{info['corpus']['texts']} texts (+ {info['corpus']['heldout_texts']} held out)" in text
    assert f"`{TEACHER}`" in text and f"`{PROMPT_VERSION}`" in text
    assert "| GoEmotions" in text or "[GoEmotions]" in text
    assert "| 0.4124 |" in text and "| 0.5551 |" in text
    assert 'EmotionZeroShot.from_pretrained("test-org/emo-distill")' in text
    assert hub.unknown_requests == [], hub.unknown_requests


def test_push_model_without_results_has_no_results_section(hub, client, trained_model_dir):
    proc = client.cli("push-model", str(trained_model_dir), "test-org/emo-plain", "--private")
    assert proc.returncode == 0, proc.stderr
    with hub.state.lock:
        assert hub.state.repos[("model", "test-org/emo-plain")].private
    readme = hub.files("test-org/emo-plain")[CARD_FILE].content.decode()
    assert "model-index" not in readme and "Zero-shot Emotion Benchmarks" not in readme
    # the card training wrote: sentence-transformers' sections (the held-out evaluator's metrics among them)
    assert readme.count("## Evaluation\n") == 1 and "* Dataset: `teacher-heldout`" in readme
    assert "## Training Details" in readme and "### Training Hyperparameters" in readme
    assert 'EmotionZeroShot.from_pretrained("test-org/emo-plain")' in readme


def test_push_with_a_wrong_or_missing_token_fails_clearly(hub, client, trained_model_dir, tmp_path):
    wrong = "hf_wrong_token_do_not_print_me_0123456789"
    proc = client.cli("push-model", str(trained_model_dir), "test-org/denied", token=wrong)
    assert proc.returncode == 2
    assert wrong not in proc.stdout + proc.stderr
    assert "test-org/denied failed" in proc.stderr and "HF_TOKEN" in proc.stderr
    with hub.state.lock:
        assert ("model", "test-org/denied") not in hub.state.repos

    proc = client.cli("push-model", str(trained_model_dir), "test-org/denied", token=None)
    assert proc.returncode == 2
    assert "no Hugging Face token" in proc.stderr

    proc = client.cli("push-model", str(tmp_path), "test-org/denied")
    assert proc.returncode == 2 and "modules.json" in proc.stderr

    proc = client.cli("push-model", str(trained_model_dir), "not-a-repo-id")
    assert proc.returncode == 2 and "org/name" in proc.stderr


def _write_inputs(tmp_path: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus.jsonl"
    rows = [{"id": f"c{i}", "text": f"Sentence number {i} that feels something", "descriptors": ["joy", "hope"]
             if i % 3 else ["frustration"], "source": "demo", "teacher": "gpt-x", "prompt_version": "p@1"}
            for i in range(30)]
    rows.append({"id": "dup", "text": "SENTENCE number 4   that feels something", "descriptors": ["anger"]})
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    annotations = tmp_path / "annotated"
    annotations.mkdir()
    ok = [{"id": f"a{i}", "text": f"Annotated line {i}", "descriptors": ["fear"], "source": "forum",
           "teacher": "gpt-y", "prompt_version": "descriptors@paper-v1"} for i in range(6)]
    (annotations / "corpus.jsonl").write_text("".join(json.dumps(r) + "\n" for r in ok), encoding="utf-8")
    failed = [{"row": 9, "id": "a9", "reason": "refusal", "detail": "refused twice", "text": "Some refused text"}]
    (annotations / "failed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in failed), encoding="utf-8")
    (annotations / "summary.json").write_text(json.dumps({"model": "gpt-y", "prompt_version": "descriptors@paper-v1"}))
    return corpus, annotations


def test_push_dataset_then_load_dataset(hub, client, tmp_path):
    from sentence_emo.dataset_builder import FEATURES, build_dataset

    corpus, annotations = _write_inputs(tmp_path)
    proc = client.cli("push-dataset", str(corpus), str(annotations), "test-org/emo-descriptors", "--failed", "split",
                      "--validation-fraction", "0.25", "--license", "cc-by-4.0",
                      "--cache-dir", str(tmp_path / "build-cache"))
    assert proc.returncode == 0, proc.stderr
    assert TOKEN not in proc.stdout + proc.stderr
    stored = hub.files("test-org/emo-descriptors", "dataset")
    parquet = sorted(p for p in stored if p.endswith(".parquet"))
    assert parquet == ["data/failed-00000-of-00001.parquet", "data/train-00000-of-00001.parquet",
                       "data/validation-00000-of-00001.parquet"]
    assert all(stored[p].lfs for p in parquet)

    loaded = client.python(LOAD_DATASET.format(repo="test-org/emo-descriptors"))

    expected, stats = build_dataset([corpus, annotations], cache_dir=tmp_path / "local-cache", failed="split",
                                    validation_fraction=0.25)
    assert set(loaded["rows"]) == set(expected) == {"train", "validation", "failed"}
    for split in expected:
        assert loaded["rows"][split] == expected[split].to_list()
        assert loaded["features"][split] == FEATURES.to_dict()
    assert stats.duplicates_removed == 1 and stats.texts == 36

    card_data, text = loaded["card_data"], loaded["text"]
    assert card_data["license"] == "cc-by-4.0"
    assert card_data["configs"][0]["data_files"][0] == {"split": "train", "path": "data/train-*"}
    split_sizes = {s["name"]: s["num_examples"] for s in card_data["dataset_info"]["splits"]}
    assert split_sizes == {name: len(ds) for name, ds in expected.items()}
    assert f"| `train` | {len(expected['train'])} |" in text
    assert "**1** duplicate texts were removed" in text
    assert "| refusal | 1 |" in text
    assert f"| joy | {stats.descriptor_frequency['joy']} |" in text
    assert 'load_dataset("test-org/emo-descriptors")' in text
    assert hub.unknown_requests == [], hub.unknown_requests


LOAD_SHIPPED = """
import json
from datasets import load_dataset
corpus = load_dataset({repo!r})
taxonomy = load_dataset({repo!r}, "taxonomy")
print(json.dumps({{
    "sizes": {{split: len(ds) for split, ds in corpus.items()}},
    "first": {{split: ds[0] for split, ds in corpus.items()}},
    "taxonomy_splits": list(taxonomy),
    "taxonomy": taxonomy["train"].to_list(),
}}))
"""


def test_push_dataset_uploads_the_shipped_folder_with_both_configs(hub, client):
    from sentence_emo.corpus import load_corpus, load_taxonomy, shipped_dataset_dir

    repo = "test-org/llm-descriptors"
    proc = client.cli("push-dataset", "llm-descriptors", repo)
    assert proc.returncode == 0, proc.stderr
    assert TOKEN not in proc.stdout + proc.stderr
    stored = hub.files(repo, "dataset")
    assert sorted(p for p in stored if p != ".gitattributes") == [
        "README.md", "build_report.json", "data/train-00000-of-00001.parquet",
        "data/validation-00000-of-00001.parquet", "taxonomy/train-00000-of-00001.parquet"]
    assert all(stored[p].lfs for p in stored if p.endswith(".parquet"))
    folder = shipped_dataset_dir()
    assert stored["README.md"].content == (folder / "README.md").read_bytes()

    loaded = client.python(LOAD_SHIPPED.format(repo=repo))
    train, dev = load_corpus("llm-descriptors"), load_corpus("llm-descriptors:validation")
    assert loaded["sizes"] == {"train": len(train), "validation": len(dev)}
    assert loaded["first"]["train"]["id"] == train[0].id and loaded["first"]["train"]["text"] == train[0].text
    assert loaded["taxonomy_splits"] == ["train"]
    assert {row["descriptor"]: row for row in loaded["taxonomy"]} == load_taxonomy()
    assert hub.unknown_requests == [], hub.unknown_requests
