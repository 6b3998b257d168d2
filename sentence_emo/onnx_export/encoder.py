"""The CPU encoder over an exported graph: :class:`OnnxSentenceEncoder` (tokenise, run with onnxruntime,
pool and normalise like the model's modules) and :func:`load_onnx_encoder`, which
:meth:`~sentence_emo.zero_shot.EmotionZeroShot.from_pretrained` uses for ``backend="onnx"``."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from sentence_emo.onnx_export.export import (ONNX_BACKENDS, POOLING_MODES, _read_json, _require_onnx, ensure_onnx,
                                             max_seq_length, pooling_config, transformer_dir)

# -- pooling math --------------------------------------------------------------------------------
def pool(token_embeddings: np.ndarray, attention_mask: np.ndarray, modes: Sequence[str]) -> np.ndarray:
    """Sentence embeddings ``(batch, dim * len(modes))`` from token embeddings, as sentence-transformers' Pooling.

    >>> tokens = np.array([[[1.0, 2.0], [3.0, 4.0], [100.0, 100.0]]])
    >>> pool(tokens, np.array([[1, 1, 0]]), ["mean", "cls", "max"]).tolist()
    [[2.0, 3.0, 1.0, 2.0, 3.0, 4.0]]
    """
    mask = attention_mask.astype(token_embeddings.dtype)[..., None]
    outputs = []
    for mode in modes:
        if mode == "cls":
            first = attention_mask.astype(np.int32).argmax(axis=1)
            outputs.append(token_embeddings[np.arange(len(first)), first])
        elif mode == "max":
            outputs.append(np.where(mask > 0, token_embeddings, -np.inf).max(axis=1))
        elif mode in ("mean", "mean_sqrt_len_tokens"):
            total = (token_embeddings * mask).sum(axis=1)
            count = np.clip(mask.sum(axis=1), 1e-9, None)
            outputs.append(total / (count if mode == "mean" else np.sqrt(count)))
        else:
            raise ValueError(f"unsupported pooling mode {mode!r}; supported: {', '.join(POOLING_MODES)}")
    return np.concatenate(outputs, axis=-1)


def l2_normalize(x: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    """Rows divided by their L2 norm (at least ``eps``), as ``torch.nn.functional.normalize``."""
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), eps)


# -- encoder --------------------------------------------------------------------------------------
class OnnxSentenceEncoder:
    """Sentence embeddings from an exported model with onnxruntime on the CPU.

    Args:
        model_dir: a saved SentenceTransformer directory (tokenizer, pooling and normalisation are read from it).
        onnx_file: the ONNX graph; default ``<model_dir>/onnx/model.onnx`` (``model_int8.onnx`` when
            ``quantized``), exported on first use.
        quantized: use the int8 model.
        session_options: :class:`onnxruntime.SessionOptions` (threads etc.); onnxruntime defaults otherwise.
    """

    def __init__(self, model_dir: str | os.PathLike[str], onnx_file: str | os.PathLike[str] | None = None, *,
                 quantized: bool = False, session_options: Any = None) -> None:
        _require_onnx()
        import onnxruntime
        from transformers import AutoConfig, AutoTokenizer

        self.model_dir = Path(model_dir)
        source = transformer_dir(self.model_dir)
        self.pooling_modes, self.normalize = pooling_config(self.model_dir)
        self.onnx_file = Path(onnx_file) if onnx_file is not None else ensure_onnx(self.model_dir, quantized)
        if not self.onnx_file.exists():
            raise ValueError(f"ONNX file {self.onnx_file} not found; export it with export_onnx({str(model_dir)!r})")
        self.tokenizer = AutoTokenizer.from_pretrained(str(source))
        config = AutoConfig.from_pretrained(str(source))
        self.max_seq_length = max_seq_length(self.model_dir, self.tokenizer,
                                             getattr(config, "max_position_embeddings", None))
        bert_config = source / "sentence_bert_config.json"
        self.do_lower_case = bool(_read_json(bert_config).get("do_lower_case")) if bert_config.exists() else False
        self.session = onnxruntime.InferenceSession(str(self.onnx_file), sess_options=session_options,
                                                    providers=["CPUExecutionProvider"])
        self.input_names = [i.name for i in self.session.get_inputs()]
        self.quantized = quantized

    def __repr__(self) -> str:
        return (f"OnnxSentenceEncoder({str(self.onnx_file)!r}, pooling={'+'.join(self.pooling_modes)}, "
                f"normalize={self.normalize}, max_seq_length={self.max_seq_length})")

    def tokenize(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        texts = [t.lower() for t in texts] if self.do_lower_case else list(texts)
        batch = self.tokenizer(texts, padding=True, truncation="longest_first", max_length=self.max_seq_length,
                               return_tensors="np")
        return {name: batch[name].astype(np.int64) for name in self.input_names}

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        """Pooled (and, if the model has a Normalize module, normalised) embeddings of one batch."""
        features = self.tokenize(texts)
        tokens = self.session.run(None, features)[0]
        embeddings = pool(tokens, features["attention_mask"], self.pooling_modes)
        return l2_normalize(embeddings) if self.normalize else embeddings

    def get_sentence_embedding_dimension(self) -> int:
        return int(self.embed_batch(["a"]).shape[-1])

    def encode(self, sentences: str | Sequence[str], batch_size: int = 32, show_progress_bar: bool | None = None,
               convert_to_numpy: bool = True, convert_to_tensor: bool = False, normalize_embeddings: bool = False,
               device: str | None = None, **kwargs: Any) -> Any:
        """Embed texts like ``SentenceTransformer.encode`` (texts sorted by length for batching, order restored)."""
        unsupported = {k: v for k, v in kwargs.items() if v is not None}
        if unsupported:
            raise TypeError(f"OnnxSentenceEncoder.encode() does not support {sorted(unsupported)}; "
                            "use backend='torch' for prompts and other SentenceTransformer options")
        if device not in (None, "cpu"):
            raise ValueError(f"the ONNX encoder runs on the CPU only, got device={device!r}; use backend='torch'")
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        single = isinstance(sentences, str)
        texts = [sentences] if single else list(sentences)
        if not texts:
            embeddings = np.zeros((0, 0), dtype=np.float32)
        else:
            from tqdm.auto import tqdm

            order = np.argsort([-len(t) for t in texts], kind="stable")
            chunks = []
            starts = range(0, len(texts), batch_size)
            for start in tqdm(starts, desc="Batches", disable=not show_progress_bar):
                chunks.append(self.embed_batch([texts[i] for i in order[start:start + batch_size]]))
            embeddings = np.empty((len(texts), chunks[0].shape[-1]), dtype=np.float32)
            embeddings[order] = np.concatenate(chunks)
            if normalize_embeddings:
                embeddings = l2_normalize(embeddings)
        if single:
            embeddings = embeddings[0]
        if convert_to_tensor:
            import torch

            return torch.from_numpy(embeddings)
        return embeddings


def load_onnx_encoder(model_name_or_path: str | os.PathLike[str], backend: str = "onnx", *,
                      device: str | None = None, **unsupported: Any) -> OnnxSentenceEncoder:
    """The encoder :meth:`EmotionZeroShot.from_pretrained` uses for ``backend="onnx"`` / ``"onnx-int8"``."""
    if backend not in ONNX_BACKENDS:
        raise ValueError(f"unknown ONNX backend {backend!r}; choose one of {', '.join(ONNX_BACKENDS)}")
    path = Path(model_name_or_path)
    if not path.is_dir():
        raise ValueError(
            f"backend={backend!r} needs a local model directory, got {str(model_name_or_path)!r} (a Hub repo id?); "
            "download it first (huggingface_hub.snapshot_download(repo_id)) and pass the folder, or use backend='torch'"
        )
    if device not in (None, "cpu"):
        raise ValueError(f"backend={backend!r} runs on the CPU only, got device={device!r}; use backend='torch'")
    given = sorted(k for k, v in unsupported.items() if v is not None)
    if given:
        raise ValueError(f"backend={backend!r} does not support {given}; use backend='torch' for them")
    return OnnxSentenceEncoder(path, quantized=backend == "onnx-int8")
