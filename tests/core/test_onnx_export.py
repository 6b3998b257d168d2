"""ONNX export of the encoder (sentence_emo.onnx_export) against the torch model it comes from."""

from __future__ import annotations

import doctest
import json
import os
import shutil
import time

import numpy as np
import pytest

pytest.importorskip("onnxruntime", reason="needs onnxruntime ([onnx] extra)")
pytest.importorskip("onnx", reason="needs onnx ([onnx] extra)")

from sentence_transformers import SentenceTransformer  # noqa: E402

from sentence_emo import onnx_export  # noqa: E402
from sentence_emo.files import EXPORT_INFO_FILE, ONNX_FILE, ONNX_INT8_FILE  # noqa: E402
from sentence_emo.onnx_export import (  # noqa: E402
    OnnxSentenceEncoder,
    ensure_onnx,
    export_onnx,
    onnx_path,
    pooling_config,
)
from sentence_emo.zero_shot import EmotionZeroShot  # noqa: E402

# Different lengths (so batches are padded), one longer than the tiny model's max_seq_length (64).
TEXTS = [
    "joy",
    "I love my dog so much",
    "I hate this awful day, it was the worst day of my work and I felt so tired and annoyed",
    "we won the game!",
    " ".join(["so very really happy"] * 30),
    "miss",
]
# {name: description}; descriptions of different lengths so that labels differ even for a tokenizer
# that knows few of the words.
LABELS = {
    "joy": "joy",
    "anger": "anger and hate",
    "sadness": "sad, lonely and miserable",
    "fear": "fear: afraid, nervous and worried about it",
    "surprise": "surprise",
    "love": "love for a friend or the family",
    "grief": "grief and sorrow after a loss, the worst pain of all",
    "relief": "relief",
}


@pytest.fixture(scope="module")
def exported_dir(tiny_model_dir, tmp_path_factory):
    """A private copy of the tiny model with both ONNX files (the session fixture stays untouched)."""
    path = tmp_path_factory.mktemp("onnx") / "tiny-emo"
    shutil.copytree(tiny_model_dir, path)
    result = export_onnx(path, quantize=True)
    assert result == onnx_path(path, quantized=True)
    return path


@pytest.fixture(scope="module")
def torch_embeddings(exported_dir):
    model = SentenceTransformer(str(exported_dir), device="cpu")
    return model.encode(TEXTS, batch_size=4, normalize_embeddings=True, convert_to_numpy=True)


def test_export_writes_both_models_and_metadata(exported_dir):
    files = sorted(p.name for p in (exported_dir / "onnx").iterdir())
    assert files == sorted([EXPORT_INFO_FILE, ONNX_FILE, ONNX_INT8_FILE])  # no leftover partial files
    info = json.loads((exported_dir / "onnx" / EXPORT_INFO_FILE).read_text())
    assert info["inputs"] == ["input_ids", "attention_mask", "token_type_ids"]
    assert info["max_abs_diff_vs_torch"] < 1e-4
    assert onnx_path(exported_dir, quantized=True).stat().st_size < onnx_path(exported_dir).stat().st_size


@pytest.mark.parametrize("batch_size", [1, 4, 64])
def test_onnx_embeddings_match_torch(exported_dir, torch_embeddings, batch_size):
    encoder = OnnxSentenceEncoder(exported_dir)
    assert encoder.max_seq_length == SentenceTransformer(str(exported_dir), device="cpu").max_seq_length == 64
    got = encoder.encode(TEXTS, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True,
                         show_progress_bar=False)
    assert got.shape == torch_embeddings.shape and got.dtype == np.float32
    assert np.abs(got - torch_embeddings).max() < 1e-4
    single = encoder.encode(TEXTS[1])
    assert single.shape == (torch_embeddings.shape[1],)
    assert np.abs(single - torch_embeddings[1]).max() < 1e-4


def test_int8_embeddings_stay_close(exported_dir, torch_embeddings):
    encoder = OnnxSentenceEncoder(exported_dir, quantized=True)
    assert encoder.onnx_file.name == ONNX_INT8_FILE
    got = encoder.encode(TEXTS, batch_size=4, normalize_embeddings=True)
    cosines = (got * torch_embeddings).sum(axis=1)
    assert np.all(cosines > 0.95), cosines
    assert not np.allclose(got, torch_embeddings, atol=1e-6)  # really the quantised graph


def test_zero_shot_onnx_backend_decides_like_torch(exported_dir, tmp_path):
    model_dir = tmp_path / "fresh"
    shutil.copytree(exported_dir, model_dir, ignore=shutil.ignore_patterns("onnx"))
    reference = EmotionZeroShot.from_pretrained(str(model_dir))
    fast = EmotionZeroShot.from_pretrained(str(model_dir), backend="onnx")
    assert onnx_path(model_dir).exists()  # exported on first use
    assert isinstance(fast.model, OnnxSentenceEncoder) and fast.calibration == reference.calibration

    probs = reference.predict_proba(TEXTS, LABELS)
    assert np.abs(fast.predict_proba(TEXTS, LABELS) - probs).max() < 1e-4
    threshold = float(probs.mean())  # splits the labels, so the multi-label decisions are not trivial
    for kwargs in ({"multi_label": False}, {"threshold": threshold}, {"top_k": 2}):
        want = [p.labels for p in reference.predict(TEXTS, LABELS, **kwargs)]
        assert [p.labels for p in fast.predict(TEXTS, LABELS, **kwargs)] == want, kwargs
    assert any(0 < len(labels) < len(LABELS) for labels in
               (p.labels for p in reference.predict(TEXTS, LABELS, threshold=threshold)))


def test_hub_id_with_onnx_backend_is_a_clear_error():
    with pytest.raises(ValueError, match=r"local model directory.*snapshot_download.*backend='torch'"):
        EmotionZeroShot.from_pretrained("some-org/some-emotion-model", backend="onnx-int8")


def test_onnx_backend_rejects_gpu_and_torch_only_options(exported_dir):
    with pytest.raises(ValueError, match="CPU only"):
        EmotionZeroShot.from_pretrained(str(exported_dir), backend="onnx", device="cuda")
    with pytest.raises(ValueError, match="model_kwargs"):
        EmotionZeroShot.from_pretrained(str(exported_dir), backend="onnx", model_kwargs={"torch_dtype": "float16"})
    with pytest.raises(TypeError, match="prompt"):
        OnnxSentenceEncoder(exported_dir).encode(TEXTS, prompt="query: ")


def test_stale_export_is_redone(exported_dir, tmp_path):
    model_dir = tmp_path / "retrained"
    shutil.copytree(exported_dir, model_dir)
    fp32 = onnx_path(model_dir)
    assert ensure_onnx(model_dir) == fp32
    before = fp32.stat().st_mtime
    later = time.time() + 5
    os.utime(model_dir / "model.safetensors", (later, later))  # weights newer than the export
    ensure_onnx(model_dir, quantized=True)
    assert fp32.stat().st_mtime > before
    assert onnx_path(model_dir, quantized=True).stat().st_mtime >= fp32.stat().st_mtime


def test_unsupported_layouts_are_named(tmp_path, tiny_model_dir):
    with pytest.raises(ValueError, match="no modules.json"):
        export_onnx(tmp_path)
    model_dir = tmp_path / "dense"
    shutil.copytree(tiny_model_dir, model_dir)
    modules = json.loads((model_dir / "modules.json").read_text())
    modules.append({"idx": 3, "name": "3", "path": "3_Dense",
                    "type": "sentence_transformers.sentence_transformer.modules.dense.Dense"})
    (model_dir / "modules.json").write_text(json.dumps(modules))
    with pytest.raises(ValueError, match=r"Dense.*backend='torch'"):
        pooling_config(model_dir)


def test_legacy_pooling_config_is_read(tmp_path, tiny_model_dir):
    model_dir = tmp_path / "legacy"
    shutil.copytree(tiny_model_dir, model_dir)
    (model_dir / "1_Pooling" / "config.json").write_text(json.dumps(
        {"word_embedding_dimension": 32, "pooling_mode_cls_token": True, "pooling_mode_mean_tokens": False}))
    assert pooling_config(model_dir) == (("cls",), True)


def test_pooling_doctest():
    assert doctest.testmod(onnx_export.encoder, optionflags=doctest.ELLIPSIS).failed == 0
