"""The annotation jobs behind the public entry points, each run by :class:`~.annotator.Annotator`.

* :func:`annotate_file`: a table of texts into an output directory: ``corpus.jsonl`` (the
  trainer's format, accumulated over runs into the same directory), ``failed.jsonl`` and
  ``summary.json`` next to the ``annotations.jsonl`` store;
* :func:`annotate_texts`: an in-memory list of texts;
* :func:`annotate_taxonomy` (taxonomy mode): once per distinct descriptor of a corpus, its emotion
  families, valence and arousal into ``taxonomy.jsonl`` (the format of
  :func:`sentence_emo.corpus.load_taxonomy`).
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sentence_emo.annotate.annotator import Annotator
from sentence_emo.annotate.config import (CORPUS_FILE, FAILED_FILE, SUMMARY_FILE, TAXONOMY_FILE, AnnotateConfig,
                                          AnnotateError, AnnotationResult, AnnotationSummary, now_iso)
from sentence_emo.annotate.inputs import InputRow, read_input
from sentence_emo.annotate.prompts import TAXONOMY_PROMPT
from sentence_emo.annotate.store import STORE_FILE, AnnotationStore
from sentence_emo.atomic import atomic_write

logger = logging.getLogger(__name__)


def read_previous_outputs(out_dir: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows of an earlier run's ``corpus.jsonl`` and ``failed.jsonl`` in ``out_dir`` (empty when absent).

    Read before a run so that a damaged file stops it before any request is paid for.
    """
    from sentence_emo.textfiles import InputFileError, read_jsonl

    out: list[list[dict[str, Any]]] = []
    for name in (CORPUS_FILE, FAILED_FILE):
        path = out_dir / name
        rows: list[dict[str, Any]] = []
        if path.is_file():
            try:
                items = read_jsonl(path)
            except InputFileError as exc:
                raise AnnotateError(f"{exc} (an earlier run's output; fix it, or move it away to start "
                                    f"{name} afresh from the answers in {STORE_FILE})") from None
            for lineno, row in items:
                if not isinstance(row, dict) or "id" not in row:
                    raise AnnotateError(f"{path}, line {lineno}: not a row with an 'id'; fix that line, or move the "
                                        f"file away to start {name} afresh")
                rows.append(row)
        out.append(rows)
    return out[0], out[1]


def _write_failed_and_summary(out_dir: Path, failed: Sequence[dict[str, Any]], summary: AnnotationSummary) -> None:
    atomic_write(out_dir / FAILED_FILE, "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in failed))
    atomic_write(out_dir / SUMMARY_FILE, json.dumps(summary.to_dict(), indent=2, ensure_ascii=False) + "\n")


def write_outputs(results: Sequence[AnnotationResult], summary: AnnotationSummary, out_dir: Path, *,
                  source: str | None, previous: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
    """``corpus.jsonl`` (trainer format), ``failed.jsonl`` and ``summary.json`` in ``out_dir``.

    ``corpus.jsonl`` accumulates over runs into the same ``out_dir`` and never shrinks: rows of
    earlier runs (``previous``, from :func:`read_previous_outputs`) are kept in their order, a row
    is replaced only by this run's answer for the same id, and this run's new rows are appended.
    ``failed.jsonl`` keeps earlier failures whose id neither this run nor the corpus covers.
    """
    from sentence_emo.corpus import DescriptorRecord, write_corpus_jsonl

    old_corpus, old_failed = previous
    records = {
        r.id: DescriptorRecord(id=r.id, text=r.text or "", descriptors=r.descriptors, source=source,
                               teacher=summary.model, prompt_version=summary.prompt_version).to_dict()
        for r in results if r.status == "ok"
    }
    merged = {str(row["id"]): row for row in old_corpus}
    merged.update(records)
    write_corpus_jsonl(list(merged.values()), out_dir / CORPUS_FILE)
    this_run = {r.id for r in results}
    failed = [row for row in old_failed if str(row["id"]) not in this_run and str(row["id"]) not in merged]
    failed += [{"row": r.row, "id": r.id, "reason": r.reason, "detail": r.detail, "text": r.text}
               for r in results if r.status != "ok"]
    _write_failed_and_summary(out_dir, failed, summary)


def annotate_file(
    input_path: str | Path,
    out_dir: str | Path,
    config: AnnotateConfig,
    *,
    text_column: str = "text",
    id_column: str | None = None,
    limit: int | None = None,
    source: str | None = None,
) -> AnnotationSummary:
    """Annotate a CSV/TSV/JSONL/Parquet file into ``out_dir`` (store, corpus, failures, summary).

    Re-running the same call resumes: texts already answered for this model and prompt version
    are skipped. Raises :class:`AnnotateError` (after writing the outputs) when the run had to
    stop early; ``KeyboardInterrupt`` also writes the outputs first.
    """
    if config.mode == "taxonomy":
        return annotate_taxonomy([input_path], out_dir, config, limit=limit)
    input_path = Path(input_path)
    rows = read_input(input_path, text_column=text_column, id_column=id_column, limit=limit)
    for row in rows:
        if row.text is None or not row.text.strip():
            logger.warning("%s, line %d (id %r): empty text; recorded as failed 'empty_text'", input_path, row.row,
                           row.id)
    out_dir = check_out_dir(out_dir)
    previous = read_previous_outputs(out_dir) if out_dir.is_dir() else ([], [])

    def write(results: Sequence[AnnotationResult], summary: AnnotationSummary, out: Path) -> None:
        write_outputs(results, summary, out, source=source or input_path.stem, previous=previous)

    return run_into_dir(rows, out_dir, config, write, str(input_path))


def annotate_texts(
    texts: Sequence[str],
    config: AnnotateConfig,
    *,
    ids: Sequence[str] | None = None,
    store_path: str | Path | None = None,
) -> list[AnnotationResult]:
    """Annotate an in-memory list of texts; pass ``store_path`` to make it resumable."""
    if isinstance(texts, str):
        raise TypeError("texts must be a list of strings, got one string; wrap it in a list")
    if ids is not None and len(ids) != len(texts):
        raise ValueError(f"ids has {len(ids)} entries but texts has {len(texts)}; give one id per text")
    rows = [InputRow(row=i + 1, id=str(ids[i]) if ids is not None else str(i), text=t) for i, t in enumerate(texts)]
    with AnnotationStore(store_path) as store:
        annotator = Annotator(config, store=store)
        results = annotator.run(rows)
    if annotator.aborted:
        raise AnnotateError(annotator.aborted)
    return results

def check_out_dir(out_dir: str | Path) -> Path:
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise FileExistsError(f"--out {out_dir} is a file, not a folder; give a folder name for the outputs")
    return out_dir


def run_into_dir(rows: Sequence[InputRow], out_dir: str | Path, config: AnnotateConfig,
                 write: Callable[[Sequence[AnnotationResult], AnnotationSummary, Path], None],
                 input_label: str) -> AnnotationSummary:
    """Run ``rows`` against the store in ``out_dir``; ``write(results, summary, out_dir)`` writes the outputs.

    The outputs are written also when the run stops early (then :class:`AnnotateError` is raised)
    or is interrupted (``KeyboardInterrupt`` is re-raised).
    """
    out_dir = check_out_dir(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    started, t0 = now_iso(), time.perf_counter()
    with AnnotationStore(out_dir / STORE_FILE) as store:
        annotator = Annotator(config, store=store, state_dir=out_dir)
        interrupted = False
        try:
            results = annotator.run(rows)
        except KeyboardInterrupt:
            results, interrupted = annotator.results(rows), True
        summary = annotator.summary(results, elapsed=time.perf_counter() - t0, started_at=started,
                                    input_path=input_label, out_dir=str(out_dir))
        if interrupted:
            summary.aborted = annotator.aborted or "interrupted by the user"
        write(results, summary, out_dir)
        if interrupted:
            raise KeyboardInterrupt
    if summary.aborted:
        raise AnnotateError(f"{summary.aborted} (finished work is kept in {out_dir / STORE_FILE}; "
                            f"re-run the same command to continue)", summary)
    return summary


# -- taxonomy mode ------------------------------------------------------------------------------
def corpus_descriptors(inputs: Sequence[str | Path]) -> Counter:
    """Distinct descriptors of corpora -> number of texts, most frequent first.

    Each input is a shipped corpus name (``"llm-descriptors"``: all its splits;
    ``"llm-descriptors:train"``: one), a corpus file (JSONL/CSV/TSV/Parquet), or an annotation
    directory (``corpus.jsonl`` or only the ``annotations.jsonl`` store).
    """
    from sentence_emo.corpus import by_frequency, load_corpus, parse_shipped_name, shipped_dataset_dir

    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    counts: Counter = Counter()
    for item in inputs:
        shipped = parse_shipped_name(str(item))
        if shipped is not None:
            if ":" in str(item):
                records = load_corpus(str(item))
            else:
                records = load_corpus(sorted((shipped_dataset_dir(shipped[0]) / "data").glob("*.parquet")))
        elif Path(item).is_dir():
            from sentence_emo.dataset_builder import DescriptorCorpusConfig, read_input as read_corpus_input

            records, _failed = read_corpus_input(item, DescriptorCorpusConfig(inputs=(str(item),)))
        else:
            records = load_corpus(item)
        counts.update(d for record in records for d in record.descriptors)
    if not counts:
        raise ValueError(f"no descriptors found in {[str(i) for i in inputs]}; give an annotated corpus")
    return Counter(by_frequency(counts))


def write_taxonomy_outputs(results: Sequence[AnnotationResult], summary: AnnotationSummary, out_dir: Path) -> None:
    """``taxonomy.jsonl`` (``{"descriptor", "families", "valence", "arousal"}`` per line, the format of
    :func:`sentence_emo.corpus.load_taxonomy`), ``failed.jsonl`` and ``summary.json``."""
    lines = [json.dumps({"descriptor": r.text, **{k: r.taxonomy[k] for k in ("families", "valence", "arousal")}},
                        ensure_ascii=False) + "\n"
             for r in results if r.status == "ok" and r.taxonomy]
    atomic_write(out_dir / TAXONOMY_FILE, "".join(lines))
    _write_failed_and_summary(out_dir, [{"row": r.row, "descriptor": r.text, "reason": r.reason, "detail": r.detail}
                                        for r in results if r.status != "ok"], summary)


def annotate_taxonomy(
    inputs: Sequence[str | Path] | str | Path,
    out_dir: str | Path,
    config: AnnotateConfig | None = None,
    *,
    limit: int | None = None,
    **config_kwargs: Any,
) -> AnnotationSummary:
    """Ask the LLM once per *distinct descriptor* of ``inputs`` for its families, valence and arousal.

    Writes ``taxonomy.jsonl`` (same format as the shipped taxonomy), ``failed.jsonl`` (descriptor,
    reason, detail), ``summary.json`` and the ``annotations.jsonl`` store to ``out_dir``;
    descriptors are asked most frequent first. Same guarantees as :func:`annotate_file`: a re-run
    asks only what is missing, 429/5xx/timeouts are retried, a malformed reply gets the prompt's
    follow-up and is recorded as failed (``invalid_json``/``invalid_taxonomy``) when it persists.
    ``config`` defaults to ``AnnotateConfig(prompt=TAXONOMY_PROMPT, **config_kwargs)``.
    """
    if config is None:
        config = AnnotateConfig(**{"prompt": TAXONOMY_PROMPT, **config_kwargs})
    elif config_kwargs:
        raise TypeError(f"pass either config or keyword settings, not both (got {sorted(config_kwargs)})")
    if config.mode != "taxonomy":
        raise ValueError(f"annotate_taxonomy needs a taxonomy prompt, got {config.prompt.version_id!r} "
                         f"(kind {config.prompt.kind!r}); use prompt=TAXONOMY_PROMPT")
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be >= 1, got {limit}")
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    descriptors = list(corpus_descriptors(inputs))[:limit]
    rows = [InputRow(row=i + 1, id=d, text=d) for i, d in enumerate(descriptors)]
    logger.info("taxonomy mode: %d distinct descriptors from %s", len(rows), [str(i) for i in inputs])
    return run_into_dir(rows, Path(out_dir), config, write_taxonomy_outputs, ", ".join(str(i) for i in inputs))

