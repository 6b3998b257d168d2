"""Run the paper's benchmark suite (or the user's own data) for a model and its baseline, and write
``report.md``, ``results.json`` and PNG plots.

>>> result = run_suite("emo-distill", out_dir="eval-out", max_rows=300)     # doctest: +SKIP
>>> result.headline_values()                                                # doctest: +SKIP
{'goemotions.macro_f1': 0.27, 'goemotions.lrap': 0.49, 'semeval.macro_f1': ..., ...}
"""

from __future__ import annotations

import datetime as _dt
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval_suite import data as D
from eval_suite import hub_sources as HS
from eval_suite.config import SuiteConfig
from eval_suite.evaluation import (
    THRESHOLD_FREE,
    DatasetResult,
    DatasetSpec,
    EmbeddingCache,
    evaluate_dataset,
    evaluate_reference,
    model_fingerprint,
)
from eval_suite.provenance import commit_label, git_commit
from eval_suite.report import render_markdown, write_json, write_text

logger = logging.getLogger(__name__)

RESULTS_FILE = "results.json"
REPORT_FILE = "report.md"
RESULTS_FORMAT = "sentence-emo/eval-results"

#: the numbers the paper's table reports, per dataset key: (metric, rule or None = primary rule)
HEADLINE: dict[str, list[tuple[str, str | None]]] = {
    "goemotions": [("macro_f1", None), ("lrap", THRESHOLD_FREE)],
    "semeval": [("macro_f1", None), ("jaccard", None)],
    "isear": [("macro_f1", None), ("accuracy", None)],
    "emobank": [("valence_pearson", None)],
    "emobank-arousal": [("arousal_pearson", None)],
}
HEADLINE_BY_TASK: dict[str, list[tuple[str, str | None]]] = {
    "multi_label": [("macro_f1", None), ("micro_f1", None), ("jaccard", None), ("lrap", THRESHOLD_FREE)],
    "single_label": [("accuracy", None), ("macro_f1", None)],
    "regression": [],  # filled from the dimension name
}


@dataclass
class SuiteResult:
    """All rows of a run; ``headline`` holds the paper-table numbers with the rule behind each."""

    results: list[DatasetResult]
    meta: dict[str, Any]
    headline: list[dict[str, Any]] = field(default_factory=list)
    emotion_space: dict[str, Any] | None = None
    files: dict[str, str] = field(default_factory=dict)

    def get(self, key: str, role: str = "model") -> DatasetResult | None:
        return next((r for r in self.results if r.key == key and r.role == role), None)

    def headline_values(self, role: str = "model") -> dict[str, float | None]:
        """``{"goemotions.macro_f1": value, ...}`` for one system (``model``, ``baseline``, ``reference``)."""
        out: dict[str, float | None] = {}
        for h in self.headline:
            entry = next((v for v in h["values"].values() if v["role"] == role), None)
            out[f"{h['key']}.{h['metric']}"] = entry["value"] if entry else None
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": RESULTS_FORMAT,
            "format_version": 1,
            "meta": self.meta,
            "headline": self.headline,
            "results": [r.to_dict() for r in self.results],
            "emotion_space": self.emotion_space,
            "files": self.files,
        }


# -- building the suite ---------------------------------------------------------------------------
def build_paper_specs(config: SuiteConfig) -> list[DatasetSpec]:
    """Load (and subsample) every requested benchmark from the data dir, else from the public sources
    (:mod:`eval_suite.hub_sources`); fails early when a file or source is missing."""
    root = D.resolve_data_dir(config.data_dir)
    if root is None:
        HS.check_available(config.datasets)
    n, seed = config.max_rows, config.seed
    specs: list[DatasetSpec] = []
    if "goemotions" in config.datasets:
        test = D.load_goemotions(root, "test").subsample(n, seed)
        tuning = None
        if config.goemotions_tuning == "gpt4":
            tuning = D.load_goemotions_teacher_dev(root).subsample(n, seed)
        elif config.goemotions_tuning == "human":
            tuning = D.load_goemotions(root, "dev").subsample(n, seed)
            tuning.label_source = "human dev labels, not label-free"
        reference = None
        if root is None:
            try:
                reference = D.load_goemotions_gpt4(root, "test")
            except FileNotFoundError as exc:
                logger.warning("no GPT-4 reference row: %s", exc)
        elif (root / D.GPT4_DIR / "goemotions_complete_test_annotations.csv").is_file():
            reference = D.load_goemotions_gpt4(root, "test")
        else:
            logger.warning("no GPT-4 reference row: %s not found",
                           root / D.GPT4_DIR / "goemotions_complete_test_annotations.csv")
        specs.append(DatasetSpec(test, tuning=tuning, reference=reference, key="goemotions"))
    if "semeval" in config.datasets:
        dev = D.load_semeval(root, "dev").subsample(n, seed)
        train = D.load_semeval(root, "train")
        rows = config.semeval_tuning_rows if n is None else min(config.semeval_tuning_rows, n)
        tuning = train.subsample(rows, seed)
        tuning.label_source = "human labels of a train sample"
        specs.append(DatasetSpec(dev, tuning=tuning, key="semeval"))
        if config.semeval_test:
            test = D.load_semeval(split="test", path=config.semeval_test).subsample(n, seed)
            specs.append(DatasetSpec(test, tuning=tuning, key="semeval-test"))
    if "isear" in config.datasets:
        specs.append(DatasetSpec(D.load_isear(root).subsample(n, seed), key="isear"))
    if "emobank" in config.datasets:
        for dim in config.emobank_dimensions:
            name = "valence" if dim.lower() in ("valence", "v") else "arousal"
            ds = D.load_emobank(root, "test", dimension=name).subsample(n, seed)
            anchors = None
            if name == "valence" and (config.positive is not None or config.negative is not None):
                anchors = (config.positive, config.negative)  # sides left out keep their defaults
            specs.append(DatasetSpec(ds, anchors=anchors, key="emobank" if name == "valence" else "emobank-arousal"))
    if not specs:
        raise ValueError("no datasets selected; pass --datasets goemotions,semeval,isear,emobank")
    return specs


def run_suite(model: Any, *, out_dir: str | os.PathLike[str] | None = None, **options: Any) -> SuiteResult:
    """Evaluate ``model`` (a path/Hub id or an ``EmotionZeroShot``) on the paper's benchmarks.

    ``options`` are :class:`SuiteConfig` fields (``datasets``, ``data_dir``, ``baseline_model``,
    ``max_rows``, ``rules``, ...). With ``out_dir``, writes ``report.md``, ``results.json`` and plots.
    """
    config = SuiteConfig(model=model, out_dir=None if out_dir is None else str(out_dir), **options)
    specs = build_paper_specs(config)
    root = D.resolve_data_dir(config.data_dir)
    return run_evaluation(config, specs, data_dir=str(root.resolve()) if root else HS.describe(config.datasets))


def evaluate_user_data(model: Any, dataset: D.EvalDataset, *, out_dir: str | os.PathLike[str] | None = None,
                       tuning: D.EvalDataset | None = None, anchors: tuple[Sequence[str], Sequence[str]] | None = None,
                       **options: Any) -> SuiteResult:
    """Evaluate ``model`` on the user's :class:`~eval_suite.data.EvalDataset` (see
    :func:`~eval_suite.user_data.load_user_dataset`).

    ``tuning`` (same labels, e.g. a dev split) enables the ``dev-tuned`` and ``dev-tuned-per-label`` rules.
    """
    options.setdefault("datasets", ())
    max_rows, seed = options.get("max_rows"), options.get("seed", 0)
    config = SuiteConfig(model=model, out_dir=None if out_dir is None else str(out_dir), **options)
    spec = DatasetSpec(dataset.subsample(max_rows, seed), tuning=tuning.subsample(max_rows, seed) if tuning else None,
                       anchors=anchors)
    return run_evaluation(config, [spec])


# -- running --------------------------------------------------------------------------------------
def _load_classifier(model: Any, config: SuiteConfig, *, baseline: bool = False):
    from sentence_emo.zero_shot import EmotionZeroShot

    if not isinstance(model, (str, os.PathLike)):
        return model
    kwargs = dict(template=config.template, batch_size=config.batch_size, show_progress_bar=config.show_progress)
    if baseline:
        from sentence_transformers import SentenceTransformer

        from sentence_emo.calibration import Calibration
        from sentence_emo.models import resolve_base_model

        path = resolve_base_model(str(model))
        return EmotionZeroShot(SentenceTransformer(path, device=config.device), Calibration.uncalibrated(), **kwargs)
    return EmotionZeroShot.from_pretrained(str(model), device=config.device, **kwargs)


def _describe_calibration(clf: Any) -> str:
    cal = getattr(clf, "calibration", None)
    if cal is None or not cal.trained:
        return "uncalibrated"
    return f"calibrated: p = sigmoid({cal.scale:.3g}·cos {cal.bias:+.3g})"


def _model_label(model: Any, name: str | None) -> str:
    if name:
        return name
    if isinstance(model, (str, os.PathLike)):
        return str(model)
    return type(model).__name__


def run_evaluation(config: SuiteConfig, specs: Sequence[DatasetSpec], *, data_dir: str | None = None) -> SuiteResult:
    """Evaluate the model (and baseline) on ``specs``; results are saved after every dataset."""
    from tqdm.auto import tqdm

    import sentence_emo

    out = Path(config.out_dir) if config.out_dir else None
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    meta: dict[str, Any] = {
        "command": config.command,
        "date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "version": getattr(sentence_emo, "__version__", "unknown"),
        "git_commit": commit_label(),
        "model": _model_label(config.model, config.model_name),
        #: path, weight sizes and mtimes: tells a results file of this exact model from one of a retrained model
        "model_fingerprint": (model_fingerprint(config.model) if isinstance(config.model, (str, os.PathLike))
                              else None),
        "baseline_model": config.baseline_model,
        "data_dir": data_dir,
        "max_rows": config.max_rows,
        "seed": config.seed,
        "rules": [r.name for r in config.parsed_rules],
        "primary_rule": config.primary_rule,
        "goemotions_tuning": config.goemotions_tuning if "goemotions" in config.datasets else None,
        "template": config.template,
        "corpus": config.corpus,
        "datasets": {s.key: {"name": s.dataset.name, "split": s.dataset.split, "rows_used": len(s.dataset),
                             "rows_total": s.dataset.n_total, "subsample_seed": s.dataset.subsample_seed,
                             "source": s.dataset.source,
                             "tuning": None if s.tuning is None else {
                                 "name": s.tuning.display_name, "label_source": s.tuning.label_source,
                                 "rows_used": len(s.tuning), "rows_total": s.tuning.n_total,
                                 "source": s.tuning.source}}
                     for s in specs},
        "complete": False,
    }
    suite = SuiteResult(results=[], meta=meta)
    systems: list[tuple[str, str, Any, bool]] = [("model", "model", config.model, False)]
    if config.baseline_model:
        systems.append(("baseline", "baseline", config.baseline_model, True))
    cache_dir = out / "cache" if (out is not None and config.cache) else None

    model_clf = None
    steps = tqdm(total=len(systems) * len(specs), desc="evaluating", unit="set", disable=not config.show_progress)
    try:
        for system, role, model, is_baseline in systems:
            clf = _load_classifier(model, config, baseline=is_baseline)
            if role == "model":
                model_clf = clf
                meta["model_calibration"] = _describe_calibration(clf)
            elif isinstance(model, (str, os.PathLike)):
                from sentence_emo.models import resolve_base_model

                meta["baseline_path"] = resolve_base_model(str(model))
            key = model_fingerprint(model) if isinstance(model, (str, os.PathLike)) and cache_dir else None
            cache = EmbeddingCache(cache_dir, key) if key else None
            for spec in specs:
                steps.set_postfix_str(f"{system}: {spec.dataset.display_name}")
                result = evaluate_dataset(clf, spec, config.parsed_rules, system=system, role=role, cache=cache,
                                          primary_rule=config.primary_rule)
                suite.results.append(result)
                steps.update(1)
                _save(suite, out)
        for spec in specs:
            ref = evaluate_reference(spec)
            if ref is not None:
                suite.results.append(ref)
        suite.headline = compute_headline(suite.results, specs)
        if model_clf is not None:
            suite.emotion_space = _emotion_space(model_clf, specs, config)
        meta["complete"] = True
        if out is not None and config.plots:
            suite.files = _plots(suite, specs, out)
    finally:
        steps.close()
        if not suite.headline and suite.results:
            suite.headline = compute_headline(suite.results, specs)
        _save(suite, out, final=True)
    return suite


def compute_headline(results: Sequence[DatasetResult], specs: Sequence[DatasetSpec]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for spec in specs:
        group = [r for r in results if r.key == spec.key]
        if not group:
            continue
        first = group[0]
        wanted = HEADLINE.get(spec.key or "") or HEADLINE_BY_TASK.get(first.task, [])
        if first.task == "regression" and not wanted:
            dim = spec.dataset.dimension or "score"
            wanted = [(f"{dim}_pearson", None), (f"{dim}_spearman", None)]
        for metric, rule in wanted:
            values = {}
            for r in group:
                value = r.value(metric, rule)
                if value is None:
                    continue
                used = r.rule_for(metric, rule)
                values[r.system] = {"value": value, "rule": used, "role": r.role}
                if used and used.startswith("dev-tuned") and spec.tuning is not None:
                    values[r.system]["tuned_on"] = f"{spec.tuning.display_name}: {spec.tuning.label_source}"
            rows.append({"key": spec.key, "dataset": spec.dataset.display_name, "metric": metric,
                         "rows": spec.dataset.describe() if not spec.dataset.is_subsample
                         else f"{len(spec.dataset):,} of {spec.dataset.n_total:,}",
                         "values": values})
    return rows


def _emotion_space(clf: Any, specs: Sequence[DatasetSpec], config: SuiteConfig) -> dict[str, Any] | None:
    from eval_suite.plots import emotion_space

    label_sets = {s.dataset.display_name: s.dataset.labels for s in specs if s.dataset.labels}
    descriptors: list[str] = []
    if config.corpus:
        from sentence_emo.corpus import descriptor_vocabulary, load_corpus

        vocab = descriptor_vocabulary(load_corpus(config.corpus))
        descriptors = [d for d in list(vocab)[: config.corpus_descriptors]]
    if not label_sets and not descriptors:
        return None
    return emotion_space(clf, label_sets, descriptors, config.template)


def _plots(suite: SuiteResult, specs: Sequence[DatasetSpec], out: Path) -> dict[str, str]:
    from eval_suite import plots

    files: dict[str, str] = {}
    for spec in specs:
        group = [r for r in suite.results if r.key == spec.key]
        if not group or group[0].task == "regression":
            continue
        title = f"{spec.dataset.display_name}: per-label F1"
        if suite.meta.get("max_rows") and spec.dataset.is_subsample:
            title += f" ({len(spec.dataset)} of {spec.dataset.n_total} rows)"
        name = f"per_label_f1_{spec.key}"
        if plots.plot_per_label_f1(group, out / f"{name}.png", title):
            files[name] = f"{name}.png"
        for r in group:
            if r.confusion is not None:
                name = f"confusion_{spec.key}_{r.role}"
                if plots.plot_confusion(r, out / f"{name}.png", f"{spec.dataset.display_name}: {r.system} (argmax)"):
                    files[name] = f"{name}.png"
    if suite.emotion_space:
        if plots.plot_emotion_space(suite.emotion_space, out / "emotion_space.png",
                                    f"Emotion space of {suite.meta.get('model')} (PCA of label embeddings)"):
            files["emotion_space"] = "emotion_space.png"
    return files


def _save(suite: SuiteResult, out: Path | None, final: bool = False) -> None:
    if out is None:
        return
    write_json(out / RESULTS_FILE, suite.to_dict())
    if final:
        write_text(out / REPORT_FILE, render_markdown(suite.meta, suite.results, suite.headline, suite.files))


def load_results(path: str | os.PathLike[str]) -> SuiteResult:
    """Read a ``results.json`` back (e.g. for the benchmark runner's tables)."""
    from sentence_emo.textfiles import read_json

    file = Path(path)
    if file.is_dir():
        file = file / RESULTS_FILE
    data = read_json(file)
    if data.get("format") != RESULTS_FORMAT:
        raise ValueError(f"{file}: not a sentence-emo results file (format={data.get('format')!r})")
    return SuiteResult(results=[DatasetResult.from_dict(r) for r in data["results"]], meta=data["meta"],
                       headline=data.get("headline", []), emotion_space=data.get("emotion_space"),
                       files=data.get("files", {}))


__all__ = ["SuiteConfig", "SuiteResult", "build_paper_specs", "evaluate_user_data", "git_commit",
           "load_results", "run_evaluation", "run_suite"]
