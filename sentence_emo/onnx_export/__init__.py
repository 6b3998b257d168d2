"""ONNX export of a saved emotion encoder and a CPU encoder that runs it with onnxruntime.

sentence-transformers' own ``backend="onnx"`` goes through ``optimum.onnxruntime``, which does
not support transformers 5, so sentence-emo exports the transformer itself:

* :func:`export_onnx` traces the transformer of a saved :class:`~sentence_transformers.SentenceTransformer`
  (BERT/MPNet style: ``input_ids``, ``attention_mask`` [, ``token_type_ids``] -> ``last_hidden_state``,
  dynamic batch and sequence axes) with :func:`torch.onnx.export` into ``<model>/onnx/model.onnx``,
  checks the ONNX output against torch, and optionally writes ``<model>/onnx/model_int8.onnx``
  (dynamic int8 weight quantisation with :func:`onnxruntime.quantization.quantize_dynamic`);
* :class:`OnnxSentenceEncoder` tokenises with the model's tokenizer, runs the ONNX graph on the
  CPU and applies the model's pooling (``1_Pooling/config.json``) and normalisation
  (``2_Normalize``), with an :meth:`~OnnxSentenceEncoder.encode` compatible with
  ``SentenceTransformer.encode`` for what :class:`~sentence_emo.zero_shot.EmotionZeroShot` uses.

>>> clf = EmotionZeroShot.from_pretrained("emo-distill", backend="onnx-int8")  # doctest: +SKIP

exports on first use (and again when the torch weights are newer than the export). Local model
directories only: download a Hub model first (``huggingface_hub.snapshot_download``).

Modules: :mod:`.export` (model directory layout, export, quantisation) and :mod:`.encoder` (pooling
math, :class:`OnnxSentenceEncoder`).
"""

from __future__ import annotations

from sentence_emo.onnx_export.encoder import OnnxSentenceEncoder, l2_normalize, load_onnx_encoder, pool
from sentence_emo.onnx_export.export import (DEFAULT_OPSET, ONNX_BACKENDS, ONNX_SUBDIR, POOLING_MODES,
                                             SUPPORTED_INPUTS, ensure_onnx, export_onnx, is_stale, max_seq_length,
                                             onnx_path, pooling_config, quantize_onnx, transformer_dir)

__all__ = ["DEFAULT_OPSET", "ONNX_BACKENDS", "ONNX_SUBDIR", "POOLING_MODES", "SUPPORTED_INPUTS", "OnnxSentenceEncoder",
           "ensure_onnx", "export_onnx", "is_stale", "l2_normalize", "load_onnx_encoder", "max_seq_length",
           "onnx_path", "pool", "pooling_config", "quantize_onnx", "transformer_dir"]
