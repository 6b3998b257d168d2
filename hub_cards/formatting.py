"""What both cards share: the error type, number and metric-name formatting, the paper citation."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

PAPER_TITLE = "Contrastive Distillation of Emotion Knowledge from LLMs for Zero-Shot Emotion Recognition"
PAPER_CITATION = """@inproceedings{niu2025contrastive,
  title     = {Contrastive Distillation of Emotion Knowledge from LLMs for Zero-Shot Emotion Recognition},
  author    = {Niu, Minxue and Mower Provost, Emily},
  year      = {2025}
}"""


_ACRONYMS = {"f1", "auc", "mae", "mse", "rmse", "ccc", "map", "mrr", "ndcg", "roc", "pr", "ap", "r2"}


class CardError(ValueError):
    """Card input is unusable; the message names the file/field and the fix."""


def format_number(value: Any, digits: int = 4) -> str:
    """``0.41234567 -> '0.4123'``, ints stay ints, ``None -> '-'``.

    >>> format_number(0.41234567), format_number(3), format_number(12.5, 2), format_number(None), format_number(2e-7)
    ('0.4123', '3', '12.5', '-', '2e-07')
    """
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != 0 and abs(value) < 10.0 ** -digits:
            return f"{value:.3g}"
        text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
        return "0" if text in ("", "-0") else text
    return str(value)


def metric_display_name(metric: str) -> str:
    """``"macro_f1" -> "Macro F1"``; ``"ndcg@10" -> "NDCG@10"``.

    >>> metric_display_name("macro_f1"), metric_display_name("cosine_ndcg@10"), metric_display_name("ccc")
    ('Macro F1', 'Cosine NDCG@10', 'CCC')
    """
    words = []
    for word in metric.replace("-", "_").split("_"):
        head, _, tail = word.partition("@")
        head = head.upper() if head.lower() in _ACRONYMS else head.capitalize()
        words.append(head + (f"@{tail}" if tail else ""))
    return " ".join(w for w in words if w)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)



def strip_local_paths(value: Any) -> Any:
    """``value`` with absolute local paths reduced to file names (for anything published).

    >>> strip_local_paths({"corpus": ["/home/me/data/c.jsonl"], "taxonomy": "llm-descriptors", "seed": 1})
    {'corpus': ['c.jsonl'], 'taxonomy': 'llm-descriptors', 'seed': 1}
    """
    if isinstance(value, dict):
        return {k: strip_local_paths(v) for k, v in value.items()}
    if isinstance(value, list):
        return [strip_local_paths(v) for v in value]
    if isinstance(value, str) and (os.path.isabs(value) or value.startswith("~")):
        return Path(value).name
    return value
