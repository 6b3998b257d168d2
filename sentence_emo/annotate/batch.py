"""The OpenAI Batch API path (``--batch``): same store, same validation, lower price, slower.

1. build the batch input JSONL (one ``POST /v1/chat/completions`` per unique pending text, with
   ``custom_id`` derived from the text hash);
2. upload it (``files.create(purpose="batch")``) and create the batch;
3. record ``batch_state.json`` in the output directory *before* polling, so a killed run resumes
   polling the same batch instead of paying for a second one;
4. poll ``batches.retrieve`` until a terminal status, download the output and error files;
5. ingest: usable replies go to the store; unusable ones (refusal, prose, labels outside the set)
   continue as live conversations with the follow-up instruction, exactly like live mode;
   per-request errors and texts missing from the output are ``batch_error`` failures (not stored,
   so a re-run asks again);
6. delete ``batch_state.json``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sentence_emo.atomic import atomic_write
from sentence_emo.textfiles import read_json

logger = logging.getLogger(__name__)

ENDPOINT = "/v1/chat/completions"
TERMINAL = ("completed", "failed", "expired", "cancelled")
#: written into the output directory while a batch is in flight
BATCH_STATE_FILE = "batch_state.json"


class BatchError(ValueError):
    """Batch mode cannot go on; the message says what to do (the annotator reports it as AnnotateError)."""


@dataclass
class BatchOutcome:
    """What a finished batch returned, per request (``info``: ``{"text_sha256", "id", "text"}``)."""

    #: ``(info, HTTP status, body, error message or None)`` per answered request
    lines: list[tuple[dict[str, str], Any, Any, str | None]] = field(default_factory=list)
    #: requests the output does not cover, and why
    missing: list[dict[str, str]] = field(default_factory=list)
    missing_detail: str = ""


def custom_id(text_sha: str) -> str:
    return f"se-{text_sha[:40]}"


async def _download(annotator: Any, file_id: str | None) -> list[dict[str, Any]]:
    if not file_id:
        return []
    raw = await annotator.client.api(f"download batch file {file_id}",
                                     lambda c: c.files.with_raw_response.content(file_id))
    data = raw.content  # LegacyAPIResponse: the body, already read
    lines = []
    for lineno, line in enumerate(data.decode("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            lines.append(json.loads(line))
        except json.JSONDecodeError:
            logger.warning("batch file %s, line %d is not JSON; skipped", file_id, lineno)
    return lines


async def run_batch(annotator: Any, works: Sequence[Any]) -> None:
    """Submit (or resume), wait for and ingest one batch for ``works`` (of the :class:`~.annotator.Annotator`)."""
    cfg = annotator.config
    if annotator.state_dir is None:
        raise BatchError("batch mode needs an output directory for batch_state.json; use annotate_file or --out")
    annotator.state_dir.mkdir(parents=True, exist_ok=True)
    state_path = annotator.state_dir / BATCH_STATE_FILE
    api = annotator.client.api
    if state_path.exists():
        state = read_json(state_path, fix="delete the file to submit a new batch")
        if (state.get("model"), state.get("prompt_version")) != (cfg.model, annotator.prompt.version_id):
            raise BatchError(
                f"{state_path} belongs to a batch for model {state.get('model')!r} and prompt "
                f"{state.get('prompt_version')!r}; re-run with those to collect it, or delete the file"
            )
        logger.warning("resuming batch %s submitted at %s", state["batch_id"], state.get("created_at"))
    else:
        if not works:
            return
        lines = [{"custom_id": custom_id(w.key[2]), "method": "POST", "url": ENDPOINT,
                  "body": {"model": cfg.model, "messages": annotator.prompt.messages(w.text),
                           **cfg.generation_kwargs()}} for w in works]
        payload = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode("utf-8")
        uploaded = await api("upload the batch input file", lambda c: c.files.create(
            file=("sentence_emo_batch.jsonl", payload, "application/jsonl"), purpose="batch"))
        batch = await api("create the batch", lambda c: c.batches.create(
            input_file_id=uploaded.id, endpoint=ENDPOINT, completion_window="24h",
            metadata={"tool": "sentence-emo", "prompt_version": annotator.prompt.version_id[:500]},
        ), idempotent=False)
        state = {
            "batch_id": batch.id, "input_file_id": uploaded.id, "model": cfg.model,
            "prompt_version": annotator.prompt.version_id, "prompt_sha": annotator.prompt.sha,
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "requests": {custom_id(w.key[2]): {"text_sha256": w.key[2], "id": w.id, "text": w.text} for w in works},
        }
        atomic_write(state_path, json.dumps(state, ensure_ascii=False))
        logger.info("submitted batch %s with %d requests", batch.id, len(lines))
    annotator.batch_id = state["batch_id"]

    # -- poll --------------------------------------------------------------------------------
    bar = annotator.progress(len(state["requests"]), f"batch {state['batch_id']}")
    started = time.monotonic()
    try:
        while True:
            batch = await api(f"poll batch {state['batch_id']}", lambda c: c.batches.retrieve(state["batch_id"]))
            counts = getattr(batch, "request_counts", None)
            if counts is not None:
                bar.n = int(getattr(counts, "completed", 0) or 0) + int(getattr(counts, "failed", 0) or 0)
                bar.set_postfix(status=batch.status, refresh=True)
            if batch.status in TERMINAL:
                break
            if annotator.interrupted:  # Ctrl-C while waiting: the state file lets a re-run resume
                logger.warning("stopped waiting for batch %s; re-run the same command to collect it", batch.id)
                return
            if cfg.batch_timeout is not None and time.monotonic() - started > cfg.batch_timeout:
                raise BatchError(
                    f"batch {batch.id} is still {batch.status} after {cfg.batch_timeout:g}s; re-run the same "
                    f"command later to resume waiting (state kept in {state_path})"
                )
            await asyncio.sleep(cfg.poll_interval)
    finally:
        bar.close()

    # -- ingest ------------------------------------------------------------------------------
    outputs = await _download(annotator, batch.output_file_id)
    errors = await _download(annotator, batch.error_file_id)
    requests = state["requests"]
    outcome = BatchOutcome()
    answered: set[str] = set()
    for line in outputs + errors:
        cid = line.get("custom_id")
        if cid not in requests or cid in answered:
            continue
        answered.add(cid)
        response = line.get("response") or {}
        status, body = response.get("status_code"), response.get("body")
        message = None
        if status != 200 or line.get("error"):
            error = line.get("error") or (body.get("error") if isinstance(body, dict) else body) or {}
            message = str(error.get("message") if isinstance(error, dict) else str(error)[:300])
        outcome.lines.append((requests[cid], status, body, message))
    outcome.missing = [info for cid, info in requests.items() if cid not in answered]
    batch_errors = getattr(getattr(batch, "errors", None), "data", None) or []
    why = "; ".join(getattr(e, "message", "") or "" for e in batch_errors[:3])
    outcome.missing_detail = (f"missing from the output of batch {batch.id} "
                              f"(status {batch.status}{': ' + why if why else ''})")
    await annotator.ingest_batch(outcome)  # stores the answers, then sends the follow-ups live
    state_path.unlink(missing_ok=True)
    logger.info("batch %s collected: %d outputs, %d errors", batch.id, len(outputs), len(errors))
