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
import os
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sentence_emo.annotate.annotator import Annotator, _Work

logger = logging.getLogger(__name__)

ENDPOINT = "/v1/chat/completions"
TERMINAL = ("completed", "failed", "expired", "cancelled")


def custom_id(text_sha: str) -> str:
    return f"se-{text_sha[:40]}"


def build_batch_lines(annotator: Annotator, works: list[_Work]) -> list[dict[str, Any]]:
    """One Batch API request line per work item."""
    kwargs = annotator._generation_kwargs()
    return [
        {
            "custom_id": custom_id(work.key[2]),
            "method": "POST",
            "url": ENDPOINT,
            "body": {"model": annotator.config.model, "messages": annotator.prompt.messages(work.text), **kwargs},
        }
        for work in works
    ]


def _write_state(path: os.PathLike, state: dict[str, Any]) -> None:
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(state, f, ensure_ascii=False)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


async def _download(annotator: Annotator, file_id: str | None) -> list[dict[str, Any]]:
    if not file_id:
        return []
    raw = await annotator.api(f"download batch file {file_id}", annotator._client.files.with_raw_response.content,
                              file_id)
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


async def run_batch(annotator: Annotator, works: list[_Work]) -> None:
    """Submit (or resume), wait for and ingest one batch for ``works``."""
    from sentence_emo.annotate.annotator import BATCH_STATE_FILE, AnnotateError, _Malformed, _Work

    cfg = annotator.config
    if annotator.state_dir is None:
        raise AnnotateError("batch mode needs an output directory for batch_state.json; use annotate_file or --out")
    annotator.state_dir.mkdir(parents=True, exist_ok=True)
    state_path = annotator.state_dir / BATCH_STATE_FILE
    client = annotator._client
    if state_path.exists():
        state = json.loads(state_path.read_text(encoding="utf-8"))
        if (state.get("model"), state.get("prompt_version")) != (cfg.model, annotator.prompt.version_id):
            raise AnnotateError(
                f"{state_path} belongs to a batch for model {state.get('model')!r} and prompt "
                f"{state.get('prompt_version')!r}; re-run with those to collect it, or delete the file"
            )
        logger.warning("resuming batch %s submitted at %s", state["batch_id"], state.get("created_at"))
    else:
        if not works:
            return
        lines = build_batch_lines(annotator, works)
        payload = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode("utf-8")
        uploaded = await annotator.api("upload the batch input file", client.files.create,
                                       file=("sentence_emo_batch.jsonl", payload, "application/jsonl"),
                                       purpose="batch")
        batch = await annotator.api(
            "create the batch", client.batches.create, idempotent=False,
            input_file_id=uploaded.id, endpoint=ENDPOINT, completion_window="24h",
            metadata={"tool": "sentence-emo", "prompt_version": annotator.prompt.version_id[:500]},
        )
        state = {
            "batch_id": batch.id, "input_file_id": uploaded.id, "model": cfg.model,
            "prompt_version": annotator.prompt.version_id, "prompt_sha": annotator.prompt.sha,
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "requests": {custom_id(w.key[2]): {"text_sha256": w.key[2], "id": w.id, "text": w.text} for w in works},
        }
        _write_state(state_path, state)
        logger.info("submitted batch %s with %d requests", batch.id, len(lines))
    annotator.batch_id = state["batch_id"]

    # -- poll --------------------------------------------------------------------------------
    bar = annotator._progress(len(state["requests"]), f"batch {state['batch_id']}")
    started = time.monotonic()
    try:
        while True:
            batch = await annotator.api(f"poll batch {state['batch_id']}", client.batches.retrieve, state["batch_id"])
            counts = getattr(batch, "request_counts", None)
            if counts is not None:
                bar.n = int(getattr(counts, "completed", 0) or 0) + int(getattr(counts, "failed", 0) or 0)
                bar.set_postfix(status=batch.status, refresh=True)
            if batch.status in TERMINAL:
                break
            if annotator._interrupted:  # Ctrl-C while waiting: the state file lets a re-run resume
                logger.warning("stopped waiting for batch %s; re-run the same command to collect it", batch.id)
                return
            if cfg.batch_timeout is not None and time.monotonic() - started > cfg.batch_timeout:
                raise AnnotateError(
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
    answered: set[str] = set()
    ready: list[_Work] = []
    needs_followup: list[_Work] = []
    for line in outputs + errors:
        cid = line.get("custom_id")
        if cid not in requests or cid in answered:
            continue
        answered.add(cid)
        info = requests[cid]
        key = (cfg.model, annotator.prompt.version_id, info["text_sha256"])
        if key in annotator.store:
            continue  # ingested by an earlier, interrupted collection
        response = line.get("response") or {}
        status = response.get("status_code")
        annotator.stats["http_requests"] += 1
        if status != 200 or line.get("error"):
            body = response.get("body")
            error = line.get("error") or (body.get("error") if isinstance(body, dict) else body) or {}
            message = error.get("message") if isinstance(error, dict) else str(error)[:300]
            annotator._transient[key] = ("batch_error", annotator._redact(f"HTTP {status}: {message}"))
            continue
        try:
            reply = annotator._reply_from_body(response.get("body"))
        except _Malformed as exc:
            annotator._transient[key] = ("batch_error", f"malformed batch reply: {exc}")
            continue
        annotator.stats["prompt_tokens"] += reply.prompt_tokens
        annotator.stats["completion_tokens"] += reply.completion_tokens
        work = _Work(key=key, text=info["text"], id=info["id"], initial=reply)
        check = annotator.sanitise(reply.content)
        if check.ok or reply.finish_reason == "content_filter" or cfg.reply_retries == 0:
            ready.append(work)  # final as it is: _annotate will not call the API
        else:
            needs_followup.append(work)
    annotator.store.append_many([await annotator._annotate(work) for work in ready])
    batch_errors = getattr(getattr(batch, "errors", None), "data", None) or []
    why = "; ".join(annotator._redact(getattr(e, "message", "") or "") for e in batch_errors[:3])
    for cid, info in requests.items():
        key = (cfg.model, annotator.prompt.version_id, info["text_sha256"])
        if cid not in answered and key not in annotator.store:
            annotator._transient[key] = ("batch_error", f"missing from the output of batch {batch.id} "
                                                        f"(status {batch.status}{': ' + why if why else ''})")
    if needs_followup:
        logger.info("%d batch replies were unusable; sending follow-up instructions live", len(needs_followup))
        await annotator.run_live(needs_followup, desc="batch follow-ups")
    state_path.unlink(missing_ok=True)
    logger.info("batch %s collected: %d outputs, %d errors", batch.id, len(outputs), len(errors))
