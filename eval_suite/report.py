"""Markdown and JSON reports of an evaluation run."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eval_suite.evaluation import THRESHOLD_FREE, DatasetResult
from sentence_emo.atomic import atomic_write

METRIC_NAMES = {
    "macro_f1": "macro-F1",
    "micro_f1": "micro-F1",
    "weighted_f1": "weighted-F1",
    "jaccard": "Jaccard",
    "subset_accuracy": "subset acc.",
    "labels_per_text": "labels/text",
    "accuracy": "accuracy",
    "lrap": "LRAP",
    "macro_auc": "macro AUC",
}
MULTI_COLUMNS = ["macro_f1", "micro_f1", "weighted_f1", "jaccard", "subset_accuracy", "labels_per_text"]
SINGLE_COLUMNS = ["accuracy", "macro_f1", "weighted_f1", "lrap", "macro_auc"]
RANK_COLUMNS = ["lrap", "macro_auc"]
ROLE_ORDER = {"model": 0, "baseline": 1, "reference": 2}


def metric_label(metric: str) -> str:
    if metric in METRIC_NAMES:
        return METRIC_NAMES[metric]
    for suffix, name in (("_pearson", "Pearson r"), ("_spearman", "Spearman ρ")):
        if metric.endswith(suffix):
            return f"{metric[: -len(suffix)]} {name}"
    return metric


def fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        if math.isnan(value):
            return "n/a"
        return f"{value:.3f}"
    return str(value)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return lines


def render_markdown(meta: dict[str, Any], results: Sequence[DatasetResult], headline: Sequence[dict[str, Any]],
                    files: dict[str, str] | None = None) -> str:
    files = files or {}
    out = ["# sentence-emo evaluation report", ""]
    out.append(f"- Model: `{meta.get('model')}`" + (f" ({meta['model_calibration']})" if meta.get("model_calibration") else ""))
    if meta.get("baseline_model"):
        out.append(f"- Baseline: `{meta['baseline_model']}` (base encoder without distillation, uncalibrated)")
    out.append(f"- Date: {meta.get('date')}; sentence-emo {meta.get('version')}; git commit: {meta.get('git_commit')}")
    if meta.get("command"):
        out.append(f"- Command: `{meta['command']}`")
    if meta.get("data_dir"):
        out.append(f"- Data: `{meta['data_dir']}`")
    if meta.get("max_rows"):
        out.append(f"- **Subsample**: at most {meta['max_rows']:,} random rows per set (seed {meta.get('seed', 0)}); "
                   f"numbers are not full-test-set results.")
    if not meta.get("complete", True):
        out.append("- **Incomplete run**: some datasets are missing (interrupted or failed).")
    out.append("")

    if headline:
        out += ["## Summary", ""]
        systems = _systems(results)
        header = ["dataset", "metric", *[s for s, _ in systems], "rule", "rows"]
        rows = []
        for h in headline:
            cells = [h["dataset"], metric_label(h["metric"])]
            rules = []
            for system, role in systems:
                entry = h["values"].get(system)
                cells.append(fmt(entry["value"]) if entry else "—")
                if entry and entry.get("rule") and role != "reference":
                    rules.append(entry["rule"] + (f" (tuned on {entry['tuned_on']})" if entry.get("tuned_on") else ""))
            uniq = list(dict.fromkeys(rules))
            cells.append(" / ".join(uniq) if uniq else "—")
            cells.append(h.get("rows", ""))
            rows.append(cells)
        out += _table(header, rows)
        out += ["", "Rules are explained per dataset below; `threshold-free` = ranking metric, no decision rule.", ""]

    by_key: dict[str, list[DatasetResult]] = {}
    for r in results:
        by_key.setdefault(r.key, []).append(r)
    for key, group in by_key.items():
        group = sorted(group, key=lambda r: ROLE_ORDER.get(r.role, 9))
        first = group[0]
        kind = {"multi_label": "multi-label", "single_label": "single-label", "regression": "regression"}[first.task]
        n_labels = f", {len(first.labels)} labels" if first.labels else ""
        sub = (f"{first.n_rows:,} of {first.n_total:,} rows (random subsample, seed {first.subsample_seed})"
               if first.is_subsample else f"{first.n_rows:,} rows")
        title = f"{first.dataset} ({first.split})" if first.split else first.dataset
        out += [f"## {title}", "", f"{kind}{n_labels}; {sub}.", ""]
        if first.task == "multi_label":
            rows = []
            for r in group:
                for rule, values in r.metrics.items():
                    if rule == THRESHOLD_FREE:
                        continue
                    mark = " **(primary)**" if rule == r.primary_rule else ""
                    rows.append([r.system, f"{rule}{mark}", *[fmt(values.get(m)) for m in MULTI_COLUMNS]])
            out += _table(["system", "rule", *[metric_label(m) for m in MULTI_COLUMNS]], rows)
            rank_rows = [[r.system, *[fmt(r.metrics[THRESHOLD_FREE].get(m)) for m in RANK_COLUMNS]]
                         for r in group if THRESHOLD_FREE in r.metrics]
            if rank_rows:
                out += ["", "Threshold-free (ranking of cosine similarities):", ""]
                out += _table(["system", *[metric_label(m) for m in RANK_COLUMNS]], rank_rows)
        elif first.task == "single_label":
            rows = [[r.system, rule, *[fmt(v.get(m)) for m in SINGLE_COLUMNS]]
                    for r in group for rule, v in r.metrics.items()]
            out += _table(["system", "rule", *[metric_label(m) for m in SINGLE_COLUMNS]], rows)
        else:
            metrics = list(dict.fromkeys(m for r in group for v in r.metrics.values() for m in v))
            rows = [[r.system, rule, *[fmt(v.get(m)) for m in metrics]] for r in group for rule, v in r.metrics.items()]
            out += _table(["system", "rule", *[metric_label(m) for m in metrics]], rows)
        notes = []
        for r in group:
            for rule, note in r.rule_notes.items():
                if rule in (THRESHOLD_FREE,):
                    continue
                notes.append(f"- {r.system} / `{rule}`: {note}")
            for rule, why in r.skipped_rules.items():
                notes.append(f"- {r.system} / `{rule}`: not run — {why}")
            for note in r.notes:
                notes.append(f"- {r.system}: {note}")
        if notes:
            out += ["", "Rules:", "", *list(dict.fromkeys(notes))]
        if f"per_label_f1_{key}" in files:
            out += ["", f"![per-label F1]({files[f'per_label_f1_{key}']})"]
        for r in group:
            name = f"confusion_{key}_{r.role}"
            if name in files:
                out += ["", f"![confusion matrix, {r.system}]({files[name]})"]
        out.append("")
    if "emotion_space" in files:
        out += ["## Emotion space", "",
                "2-D PCA of the model's label embeddings" + (" and a sample of descriptor embeddings"
                                                               if meta.get("corpus") else "") + ".", "",
                f"![emotion space]({files['emotion_space']})", ""]
    return "\n".join(out).rstrip() + "\n"


def _systems(results: Sequence[DatasetResult]) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for r in sorted(results, key=lambda r: ROLE_ORDER.get(r.role, 9)):
        seen.setdefault(r.system, r.role)
    return list(seen.items())


def write_json(path: str | os.PathLike[str], data: dict[str, Any]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write(path, json.dumps(_jsonable(data), indent=2, ensure_ascii=False) + "\n")


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write(path, text)


def _jsonable(obj: Any) -> Any:
    import numpy as np

    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _jsonable(obj.tolist())
    if isinstance(obj, (np.floating, float)):
        value = float(obj)
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj


__all__ = ["metric_label", "render_markdown", "write_json", "write_text"]
