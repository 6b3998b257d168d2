"""Export of a saved SentenceTransformer's transformer to ONNX (:func:`export_onnx`, int8
:func:`quantize_onnx`, :func:`ensure_onnx`) and what it reads from the model directory
(:func:`transformer_dir`, :func:`pooling_config`, :func:`max_seq_length`)."""

from __future__ import annotations

import inspect
import json
import logging
import os
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from sentence_emo.atomic import atomic_path
from sentence_emo.files import EXPORT_INFO_FILE, ONNX_FILE, ONNX_INT8_FILE
from sentence_emo.textfiles import read_json

logger = logging.getLogger(__name__)

ONNX_SUBDIR = "onnx"
ONNX_BACKENDS = ("onnx", "onnx-int8")
DEFAULT_OPSET = 17
SUPPORTED_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
POOLING_MODES = ("cls", "mean", "max", "mean_sqrt_len_tokens")
_LEGACY_POOLING_KEYS = {
    "pooling_mode_cls_token": "cls",
    "pooling_mode_mean_tokens": "mean",
    "pooling_mode_max_tokens": "max",
    "pooling_mode_mean_sqrt_len_tokens": "mean_sqrt_len_tokens",
    "pooling_mode_weightedmean_tokens": "weightedmean",
    "pooling_mode_lasttoken": "lasttoken",
}
_WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
_EXPORT_TOLERANCE = 1e-3


def _require_onnx() -> None:
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            f"the ONNX backend needs the packages onnx and onnxruntime ({exc}); "
            "install them with: pip install 'sentence-emo[onnx]'"
        ) from exc


# -- model directory layout -----------------------------------------------------------------------
def _read_json(path: Path) -> Any:
    return read_json(path, fix="re-save the model with model.save(...)")


def _modules(model_dir: Path) -> list[dict[str, Any]]:
    if not model_dir.is_dir():
        raise ValueError(
            f"{str(model_dir)!r} is not a local model directory; the ONNX backends need one "
            "(download a Hub model first with huggingface_hub.snapshot_download, or use backend='torch')"
        )
    path = model_dir / "modules.json"
    if not path.exists():
        raise ValueError(f"{model_dir} has no modules.json, so it is not a saved SentenceTransformer; "
                         "save it with SentenceTransformer.save(...) first")
    modules = _read_json(path)
    if not isinstance(modules, list) or not modules:
        raise ValueError(f"{path} should list the model's modules; re-save the model with model.save(...)")
    return sorted(modules, key=lambda m: int(m.get("idx", 0)))


def transformer_dir(model_dir: str | os.PathLike[str]) -> Path:
    """Folder of the first (Transformer) module of a saved SentenceTransformer."""
    model_dir = Path(model_dir)
    first = _modules(model_dir)[0]
    if not str(first.get("type", "")).endswith("Transformer"):
        raise ValueError(f"{model_dir}: the first module is {first.get('type')!r}, not a Transformer; "
                         "only transformer encoders (BERT, MPNet, ...) can be exported to ONNX")
    return model_dir / first.get("path", "")


def pooling_config(model_dir: str | os.PathLike[str]) -> tuple[tuple[str, ...], bool]:
    """``(pooling modes, normalise)`` read from ``modules.json`` and ``*_Pooling/config.json``."""
    model_dir = Path(model_dir)
    modes: tuple[str, ...] | None = None
    normalize = False
    for module in _modules(model_dir)[1:]:
        kind = str(module.get("type", "")).rsplit(".", 1)[-1]
        if kind == "Pooling":
            config = _read_json(model_dir / module.get("path", "") / "config.json")
            mode = config.get("pooling_mode")
            if mode is None:
                mode = [name for key, name in _LEGACY_POOLING_KEYS.items() if config.get(key)]
            modes = (mode,) if isinstance(mode, str) else tuple(mode)
            unsupported = [m for m in modes if m not in POOLING_MODES]
            if not modes or unsupported:
                raise ValueError(f"{model_dir}: pooling mode {unsupported or modes!r} is not supported by the ONNX "
                                 f"encoder (supported: {', '.join(POOLING_MODES)}); use backend='torch'")
            if config.get("include_prompt") is False:
                logger.warning("%s: include_prompt=False is ignored by the ONNX encoder (no prompts are used)",
                               model_dir)
        elif kind == "Normalize":
            normalize = True
        else:
            raise ValueError(f"{model_dir}: module {module.get('type')!r} is not supported by the ONNX encoder "
                             "(supported: Transformer, Pooling, Normalize); use backend='torch'")
    if modes is None:
        raise ValueError(f"{model_dir}: no Pooling module in modules.json; the ONNX encoder needs one")
    return modes, normalize


def max_seq_length(model_dir: str | os.PathLike[str], tokenizer: Any, max_position_embeddings: int | None) -> int:
    """What ``SentenceTransformer(model_dir).max_seq_length`` would be."""
    config_path = transformer_dir(model_dir) / "sentence_bert_config.json"
    configured = _read_json(config_path).get("max_seq_length") if config_path.exists() else None
    if configured:
        return int(configured)
    length = int(tokenizer.model_max_length)
    if max_position_embeddings and max_position_embeddings > 0:
        length = min(length, int(max_position_embeddings))
    return length


def onnx_path(model_dir: str | os.PathLike[str], quantized: bool = False) -> Path:
    return Path(model_dir) / ONNX_SUBDIR / (ONNX_INT8_FILE if quantized else ONNX_FILE)


def _weights_mtime(model_dir: Path) -> float:
    folder = transformer_dir(model_dir)
    times = [(folder / name).stat().st_mtime for name in _WEIGHT_FILES if (folder / name).exists()]
    return max(times, default=0.0)


def is_stale(model_dir: str | os.PathLike[str], path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is missing or older than the torch weights it was made from."""
    path = Path(path)
    return not path.exists() or path.stat().st_mtime < _weights_mtime(Path(model_dir))


# -- export -----------------------------------------------------------------------------------------
def _hidden_state_module(model: Any, input_names: Sequence[str]):
    """A module mapping positional ``input_names`` tensors to ``last_hidden_state`` (what gets traced)."""
    import torch

    class LastHiddenState(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model
            self.input_names = list(input_names)

        def forward(self, *inputs):
            return self.model(**dict(zip(self.input_names, inputs)), return_dict=True).last_hidden_state

    return LastHiddenState()


def export_onnx(model_dir: str | os.PathLike[str], out_dir: str | os.PathLike[str] | None = None,
                quantize: bool = False, *, opset: int = DEFAULT_OPSET) -> Path:
    """Export the transformer of a saved SentenceTransformer to ONNX.

    Writes ``model.onnx`` (float32) into ``out_dir`` (default ``<model_dir>/onnx``) and, with
    ``quantize=True``, also ``model_int8.onnx`` (int8 weights, dynamic activation quantisation).
    Files are written under a temporary name and renamed, so an interrupted export leaves no
    half-written model behind. The float32 graph is checked against torch on a padded batch.

    Returns the path of the int8 model when ``quantize`` is true, else of the float32 model.
    """
    _require_onnx()
    import torch
    from transformers import AutoModel, AutoTokenizer

    model_dir = Path(model_dir)
    source = transformer_dir(model_dir)
    pooling_config(model_dir)  # fail early on a module layout the encoder cannot run
    out = Path(out_dir) if out_dir is not None else model_dir / ONNX_SUBDIR
    out.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(str(source))
    model = AutoModel.from_pretrained(str(source))
    model.eval()
    params = inspect.signature(model.forward).parameters
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    input_names = [name for name in SUPPORTED_INPUTS
                   if name in tokenizer.model_input_names and (takes_any or name in params)]
    if "input_ids" not in input_names or "attention_mask" not in input_names:
        raise ValueError(f"{source}: the tokenizer/model take {tokenizer.model_input_names}, but the ONNX export "
                         "needs input_ids and attention_mask; use backend='torch' for this model")
    example = tokenizer(["a short text", "a somewhat longer example text, used to trace the encoder"],
                        padding=True, truncation=True, return_tensors="pt")
    example_inputs = tuple(example[name] for name in input_names)
    wrapper = _hidden_state_module(model, input_names)
    fp32 = out / ONNX_FILE
    with atomic_path(fp32) as partial:  # moved onto fp32 only after the check: no half-written model
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # TracerWarnings from shape checks that are constant for encoders
            torch.onnx.export(
                wrapper, example_inputs, str(partial), dynamo=False, opset_version=opset,
                input_names=input_names, output_names=["last_hidden_state"],
                dynamic_axes={name: {0: "batch", 1: "sequence"} for name in [*input_names, "last_hidden_state"]},
                do_constant_folding=True,
            )
        wrapper.eval()  # torch.onnx.export restores the wrapper's (training) mode recursively
        max_diff = _check_export(partial, wrapper, tokenizer, input_names)
    info: dict[str, Any] = {
        "source": str(source.resolve()), "inputs": input_names, "output": "last_hidden_state", "opset": opset,
        "exporter": "torch.onnx.export (TorchScript, dynamo=False)", "torch": torch.__version__,
        "max_abs_diff_vs_torch": max_diff, "int8": None,
    }
    logger.info("exported %s to %s in %.1fs (max |onnx - torch| = %.2e)", source, fp32,
                time.perf_counter() - started, max_diff)
    result = fp32
    if quantize:
        result = quantize_onnx(fp32, out / ONNX_INT8_FILE)
        info["int8"] = {"file": ONNX_INT8_FILE, "weight_type": "QInt8", "per_channel": True,
                        "method": "onnxruntime.quantization.quantize_dynamic"}
    import onnxruntime

    info["onnxruntime"] = onnxruntime.__version__
    (out / EXPORT_INFO_FILE).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return result


def _check_export(path: Path, wrapper: Any, tokenizer: Any, input_names: list[str]) -> float:
    """Max |onnx - torch| over the real (unpadded) tokens of a padded batch; ValueError above tolerance."""
    import onnxruntime
    import torch

    texts = ["ok", "a longer sentence than the example used for tracing, so the sequence axis must be dynamic",
             "three texts to check the batch axis"]
    batch = tokenizer(texts, padding=True, truncation=True, return_tensors="np")
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    got = session.run(None, {name: batch[name].astype(np.int64) for name in input_names})[0]
    with torch.no_grad():
        want = wrapper(*(torch.from_numpy(batch[name].astype(np.int64)) for name in input_names)).numpy()
    mask = batch["attention_mask"][..., None].astype(bool)
    diff = float(np.abs(np.where(mask, got - want, 0.0)).max())
    if not np.isfinite(diff) or diff > _EXPORT_TOLERANCE:
        raise ValueError(f"the ONNX export of {path.parent} differs from torch by {diff:.3g} (> {_EXPORT_TOLERANCE}); "
                         "this architecture does not trace correctly, use backend='torch'")
    return diff


def quantize_onnx(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> Path:
    """Dynamic int8 quantisation of an exported float32 model: QInt8 weights, one scale per output channel.

    Per-channel scales matter: with one scale per tensor the int8 MiniLM embeddings drift to a
    mean cosine of ~0.95 with the float32 ones on GoEmotions texts, per channel ~0.99.
    """
    _require_onnx()
    from onnxruntime.quantization import QuantType, quantize_dynamic

    source, target = Path(source), Path(target)
    if not source.exists():
        raise ValueError(f"cannot quantise {source}: file not found; export it first with export_onnx(model_dir)")
    with atomic_path(target) as partial:
        quantize_dynamic(str(source), str(partial), weight_type=QuantType.QInt8, per_channel=True)
    logger.info("quantised %s to %s (int8 weights)", source, target)
    return target


def ensure_onnx(model_dir: str | os.PathLike[str], quantized: bool = False) -> Path:
    """The ONNX file for ``model_dir``, exporting (or re-exporting stale files) only what is needed."""
    model_dir = Path(model_dir)
    fp32 = onnx_path(model_dir)
    if is_stale(model_dir, fp32):
        logger.info("exporting %s to ONNX (%s)", model_dir, "missing" if not fp32.exists() else "older than weights")
        export_onnx(model_dir)
    if not quantized:
        return fp32
    int8 = onnx_path(model_dir, quantized=True)
    if not int8.exists() or int8.stat().st_mtime < fp32.stat().st_mtime:
        quantize_onnx(fp32, int8)
    return int8
