"""PNG figures for evaluation reports (matplotlib, Agg backend): per-label F1 bars, confusion
matrices for single-label sets, and the emotion-space map (2-D PCA of label embeddings)."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from eval_suite.evaluation import DatasetResult
from sentence_emo.atomic import atomic_path

logger = logging.getLogger(__name__)


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def plot_per_label_f1(results: Sequence[DatasetResult], path: str | os.PathLike[str], title: str) -> Path | None:
    """Grouped horizontal bars: F1 per label of each system under its primary rule."""
    rows = [r for r in results if r.primary_rule and r.primary_rule in r.per_label_f1]
    if not rows:
        return None
    plt = _pyplot()
    labels = rows[0].labels
    n_sys = len(rows)
    height = 0.8 / n_sys
    fig, ax = plt.subplots(figsize=(7.5, max(3.0, 0.28 * len(labels) * max(1, n_sys * 0.6) + 1.2)))
    y = np.arange(len(labels))
    for k, r in enumerate(rows):
        values = [r.per_label_f1[r.primary_rule].get(name, 0.0) for name in labels]
        ax.barh(y + (k - (n_sys - 1) / 2) * height, values, height=height,
                label=f"{r.system} [{r.primary_rule}]")
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("F1")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return _save(fig, path, plt)


def plot_confusion(result: DatasetResult, path: str | os.PathLike[str], title: str) -> Path | None:
    """Row-normalised confusion matrix (gold rows, predicted columns) with counts."""
    if result.confusion is None:
        return None
    plt = _pyplot()
    cm = np.asarray(result.confusion, dtype=np.float64)
    norm = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
    n = len(result.labels)
    fig, ax = plt.subplots(figsize=(1.0 + 0.6 * n, 0.8 + 0.55 * n))
    im = ax.imshow(norm, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(n))
    ax.set_xticklabels(result.labels, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(n))
    ax.set_yticklabels(result.labels, fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    for i in range(n):
        for j in range(n):
            ax.text(j, i, f"{int(cm[i, j])}", ha="center", va="center", fontsize=7,
                    color="white" if norm[i, j] > 0.5 else "black")
    fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return _save(fig, path, plt)


def pca_2d(vectors: np.ndarray) -> tuple[np.ndarray, list[float]]:
    """Project rows onto their first two principal components; returns (coords, explained ratios)."""
    x = np.asarray(vectors, dtype=np.float64)
    x = x - x.mean(axis=0, keepdims=True)
    if len(x) < 2:
        return np.zeros((len(x), 2)), [0.0, 0.0]
    _, s, vt = np.linalg.svd(x, full_matrices=False)
    coords = x @ vt[:2].T
    if coords.shape[1] < 2:
        coords = np.pad(coords, ((0, 0), (0, 2 - coords.shape[1])))
    var = s ** 2
    ratios = (var[:2] / var.sum()).tolist() if var.sum() > 0 else [0.0, 0.0]
    return coords, ratios + [0.0] * (2 - len(ratios))


def emotion_space(clf: Any, label_sets: dict[str, Sequence[str]], descriptors: Sequence[str] = (),
                  template: str | None = None) -> dict[str, Any]:
    """Label names of every label set (and optional descriptors) embedded and projected to 2-D."""
    owners: dict[str, list[str]] = {}
    for group, labels in label_sets.items():
        for name in labels:
            owners.setdefault(name.strip(), []).append(group)
    for d in descriptors:
        owners.setdefault(d.strip(), []).append("descriptors")
    owners = {t: g for t, g in owners.items() if t}
    if not owners:
        return {"points": [], "explained_variance": [0.0, 0.0]}
    texts = list(owners)
    coords, ratios = pca_2d(clf.encode_labels(texts, template))
    points = []
    for i, text in enumerate(texts):
        sets = [g for g in dict.fromkeys(owners[text]) if g != "descriptors"] or ["descriptors"]
        points.append({"text": text, "group": sets[0] if len(sets) == 1 else "several label sets", "sets": sets,
                       "x": float(coords[i, 0]), "y": float(coords[i, 1])})
    return {"points": points, "explained_variance": ratios}


def plot_emotion_space(space: dict[str, Any], path: str | os.PathLike[str], title: str) -> Path | None:
    points = space.get("points") or []
    if not points:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(9, 7))
    groups = list(dict.fromkeys(p["group"] for p in points))
    for group in groups:
        pts = [p for p in points if p["group"] == group]
        xs = [p["x"] for p in pts]
        ys = [p["y"] for p in pts]
        if group == "descriptors":
            ax.scatter(xs, ys, s=8, c="lightgrey", label=f"descriptors ({len(pts)})", zorder=1)
            continue
        ax.scatter(xs, ys, s=22, label=group, zorder=2)
        for p in pts:
            ax.annotate(p["text"], (p["x"], p["y"]), fontsize=7, xytext=(2, 2), textcoords="offset points")
    ev = space.get("explained_variance", [0, 0])
    ax.set_xlabel(f"PC1 ({ev[0]:.0%} of variance)")
    ax.set_ylabel(f"PC2 ({ev[1]:.0%} of variance)")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="best")
    ax.grid(alpha=0.2)
    fig.tight_layout()
    return _save(fig, path, plt)


def _save(fig: Any, path: str | os.PathLike[str], plt: Any) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with atomic_path(path) as tmp:
            fig.savefig(tmp, dpi=110)
    finally:
        plt.close(fig)
    return path
