"""Concurrent, resumable LLM annotation with the official ``openai`` async client: the run.

:class:`Annotator` plans the unique texts still to annotate, runs them with ``concurrency`` workers
(or one Batch API job, :mod:`.batch`) and reports a result per input row. Answers are appended to
the store (:mod:`.store`) by one writer task as they arrive, so nothing already paid for is lost
when the run stops: on a rejected key, an unknown model or an unreachable server, after
``max_consecutive_failures`` transient failures in a row, or on Ctrl-C (the first drains the
requests in flight, the second cancels). The other jobs: :mod:`.config` (settings, results,
summary), :mod:`.client` (HTTP: the openai client's own retries plus the shared 429 pause),
:mod:`.conversation` (one text: prompt, sanitise, follow-ups) and :mod:`.jobs` (files, in-memory
lists, taxonomy mode).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import signal
import sys
import threading
from collections import Counter, deque
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sentence_emo.annotate.batch import BATCH_STATE_FILE, BatchError, BatchOutcome, run_batch
from sentence_emo.annotate.config import (AnnotateConfig, AnnotateError, AnnotationResult, AnnotationSummary, now_iso,
                                          redact, safe_url, versions)
from sentence_emo.annotate.conversation import Aborted, Conversation, MalformedReply, RowFailed, Work, reply_from_body
from sentence_emo.annotate.inputs import InputRow
from sentence_emo.annotate.prompts import Prompt
from sentence_emo.annotate.store import AnnotationStore, Key, text_sha256

if TYPE_CHECKING:
    from sentence_emo.annotate.client import RunClient

logger = logging.getLogger(__name__)


class Annotator:
    """Annotate texts against an OpenAI-compatible server, writing answers to ``store``.

    Args:
        config: the run settings.
        store: where answers go; ``None`` keeps them in memory.
        state_dir: directory for ``batch_state.json`` (batch mode); defaults to the store's folder.
    """

    def __init__(self, config: AnnotateConfig, store: AnnotationStore | None = None,
                 state_dir: str | Path | None = None) -> None:
        self.config = config
        self.prompt: Prompt = config.prompt  # type: ignore[assignment]  # set by __post_init__
        self.store = store if store is not None else AnnotationStore(None)
        if state_dir is None and self.store.path is not None:
            state_dir = self.store.path.parent
        self.state_dir = Path(state_dir) if state_dir is not None else None
        stored = self.store.prompt_hashes().get(self.prompt.version_id)
        if stored and self.prompt.sha not in stored:
            raise AnnotateError(
                f"the store {self.store.path} holds answers for prompt {self.prompt.version_id!r} with different "
                f"wording (hash {sorted(stored)[0]} vs {self.prompt.sha}); bump the prompt version when you change "
                f"its text, or use another --out directory"
            )
        self._api_key = config.api_key or os.environ.get(config.api_key_env) or ""
        self._redact = partial(redact, secrets=(self._api_key,))
        self._base_url = config.base_url or os.environ.get("OPENAI_BASE_URL") or "https://api.openai.com/v1"
        self._reset()

    def _reset(self) -> None:
        self._transient: dict[Key, tuple[str, str]] = {}
        self.aborted: str | None = None  # why the run stopped early
        self.interrupted = False  # after a Ctrl-C: stop waiting, keep what was received
        self._consecutive_failures = 0
        self._cached_keys: set[Key] = set()
        self.stats: Counter = Counter()
        self.batch_id: str | None = None
        self.client: RunClient | None = None  # while a run makes requests
        self._conversation = Conversation(self.config, self.stats)

    @property
    def base_url(self) -> str:
        return safe_url(self._base_url)

    def key(self, text: str) -> Key:
        return (self.config.model, self.prompt.version_id, text_sha256(text))

    def _abort(self, reason: str) -> None:
        if self.aborted is None:
            self.aborted = self._redact(reason)
            logger.error("stopping the run: %s", self.aborted)

    def _make_client(self) -> RunClient:
        if not self._api_key:
            raise AnnotateError(
                f"no API key: set the {self.config.api_key_env} environment variable (export "
                f"{self.config.api_key_env}=...) or pass api_key=...; a local server that ignores keys accepts "
                f"any value, e.g. {self.config.api_key_env}=local"
            )
        from sentence_emo.annotate.client import RunClient

        return RunClient(self.config, base_url=self._base_url, api_key=self._api_key, stats=self.stats,
                         stopped=lambda: self.aborted is not None)

    def plan(self, rows: Sequence[InputRow]) -> list[Work]:
        """Unique texts that still need an answer (store hits and empty texts are skipped)."""
        works: dict[Key, Work] = {}
        for row in rows:
            if row.text is None or not row.text.strip():
                continue
            key = self.key(row.text)
            if key in works:
                continue
            stored = self.store.get(key)
            if stored is not None and (stored.get("status") == "ok" or not self.config.retry_failed):
                self._cached_keys.add(key)
                continue
            works[key] = Work(key=key, text=row.text, id=row.id)
        return list(works.values())

    # -- live requests -----------------------------------------------------------------------
    async def _writer(self, queue: asyncio.Queue) -> None:
        while True:
            first = await queue.get()
            items = [first]
            while not queue.empty():
                items.append(queue.get_nowait())
            records = [r for r in items if r is not None]
            try:
                if records:
                    await asyncio.to_thread(self.store.append_many, records)
            finally:
                for _ in items:
                    queue.task_done()
            if any(r is None for r in items):
                return

    def progress(self, total: int, desc: str) -> Any:
        """A tqdm bar (disabled with ``progress=False``)."""
        from tqdm.auto import tqdm

        return tqdm(total=total, desc=desc, unit="text", disable=not self.config.progress or total == 0,
                    dynamic_ncols=True, mininterval=0.5, file=sys.stderr)

    async def _run_live(self, works: list[Work], *, desc: str | None = None) -> None:
        """Annotate ``works`` with ``concurrency`` workers; answers go to the store as they come."""
        if not works:
            return
        assert self.client is not None
        chat = self.client.chat
        pending = deque(works)
        queue: asyncio.Queue = asyncio.Queue()
        writer = asyncio.create_task(self._writer(queue))
        bar = self.progress(len(works), desc or f"annotate {self.config.model}")
        failed = 0

        async def worker() -> None:
            nonlocal failed
            while pending and self.aborted is None:
                work = pending.popleft()
                try:
                    record = await self._conversation.annotate(work, chat)
                except Aborted:
                    return
                except AnnotateError as exc:  # every further request would fail the same way
                    self._abort(str(exc))
                    return
                except RowFailed as exc:
                    self._transient[work.key] = (exc.reason, exc.detail)
                    failed += 1
                    self._consecutive_failures += 1
                    logger.warning("text %r failed: %s: %s", work.id, exc.reason, exc.detail)
                    if self._consecutive_failures >= self.config.max_consecutive_failures:
                        self._abort(f"{self._consecutive_failures} texts in a row failed (last: {exc.reason}: "
                                    f"{exc.detail}); the server seems unavailable - re-run later to continue")
                else:
                    self._consecutive_failures = 0
                    self._transient.pop(work.key, None)
                    if record["status"] != "ok":
                        failed += 1
                    await queue.put(record)
                bar.update(1)
                if failed:
                    bar.set_postfix(failed=failed, refresh=False)

        workers = [asyncio.create_task(worker()) for _ in range(min(self.config.concurrency, len(works)))]
        try:
            await asyncio.gather(*workers)
        finally:
            for task in workers:
                task.cancel()
            bar.close()
            if not writer.done():
                await queue.put(None)
                try:
                    await asyncio.shield(writer)
                except asyncio.CancelledError:
                    # interrupted while the writer ran: finish writing synchronously (the store
                    # serialises writers), so no answer already received is lost
                    leftovers = []
                    while not queue.empty():
                        leftovers.append(queue.get_nowait())
                    self.store.append_many([r for r in leftovers if r is not None])
                    raise
            elif writer.exception() is not None:
                raise writer.exception()

    # -- batch mode (annotate/batch.py calls these) ----------------------------------------------
    async def ingest_batch(self, outcome: BatchOutcome) -> None:
        """Store a collected batch's usable replies; unusable ones get their follow-ups live."""
        ready: list[Work] = []
        needs_followup: list[Work] = []
        for info, status, body, error in outcome.lines:
            key = (self.config.model, self.prompt.version_id, info["text_sha256"])
            if key in self.store:
                continue  # ingested by an earlier, interrupted collection
            self.stats["http_requests"] += 1
            if error is not None:
                self._transient[key] = ("batch_error", self._redact(f"HTTP {status}: {error}"))
                continue
            try:
                reply = reply_from_body(body)
            except MalformedReply as exc:
                self._transient[key] = ("batch_error", self._redact(f"malformed batch reply: {exc}"))
                continue
            self.stats["prompt_tokens"] += reply.prompt_tokens
            self.stats["completion_tokens"] += reply.completion_tokens
            work = Work(key=key, text=info["text"], id=info["id"], initial=reply)
            (ready if self._conversation.is_final(reply) else needs_followup).append(work)
        self.store.append_many([await self._conversation.annotate(work, None) for work in ready])  # no API call
        for info in outcome.missing:
            key = (self.config.model, self.prompt.version_id, info["text_sha256"])
            if key not in self.store:
                self._transient[key] = ("batch_error", self._redact(outcome.missing_detail))
        if needs_followup:
            logger.info("%d batch replies were unusable; sending follow-up instructions live", len(needs_followup))
            await self._run_live(needs_followup, desc="batch follow-ups")

    # -- running -----------------------------------------------------------------------------
    def _on_sigint(self, main_task: asyncio.Task) -> None:
        if self.interrupted:
            main_task.cancel()  # second Ctrl-C: stop now
            return
        self.interrupted = True
        if self.aborted is None:
            self.aborted = "interrupted by the user"
        print("\ninterrupted: finishing the requests in flight so no answer is lost; press Ctrl-C again to stop "
              "at once", file=sys.stderr)

    def _install_sigint(self) -> bool:
        """First Ctrl-C drains in-flight requests (they are paid for); the second cancels."""
        if threading.current_thread() is not threading.main_thread():
            return False
        try:
            asyncio.get_running_loop().add_signal_handler(signal.SIGINT, self._on_sigint, asyncio.current_task())
        except (NotImplementedError, RuntimeError, ValueError):  # e.g. Windows
            return False
        return True

    async def arun(self, rows: Sequence[InputRow]) -> list[AnnotationResult]:
        """Annotate ``rows`` (async); returns one :class:`AnnotationResult` per row."""
        self._reset()
        works = self.plan(rows)
        self.stats["unique_texts_requested"] = len(works)
        self.client = self._make_client() if (works or self.config.batch) else None
        sigint = self._install_sigint()
        try:
            if self.config.batch:
                await run_batch(self, works)
            else:
                if self.state_dir is not None and (self.state_dir / BATCH_STATE_FILE).exists():
                    raise AnnotateError(
                        f"{self.state_dir / BATCH_STATE_FILE} records a submitted batch that was not collected yet; "
                        f"re-run with --batch to collect it (live requests would pay twice for those texts), or "
                        f"delete the file")
                await self._run_live(works)
        except (AnnotateError, BatchError) as exc:  # the run cannot go on; finished work is in the store already
            self._abort(str(exc))
        except asyncio.CancelledError:
            self.interrupted = True
            raise
        finally:
            if sigint:
                asyncio.get_running_loop().remove_signal_handler(signal.SIGINT)
            if self.client is not None:
                await self.client.close()
        return self.results(rows)

    def run(self, rows: Sequence[InputRow]) -> list[AnnotationResult]:
        """Synchronous wrapper of :meth:`arun`; raises ``KeyboardInterrupt`` after a drained Ctrl-C.

        Inside a running event loop (Jupyter) the run gets its own loop in a worker thread;
        ``await annotator.arun(rows)`` is the direct alternative there.
        """
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            runner = asyncio.run
        else:
            def runner(coro):  # noqa: ANN001 - a coroutine
                with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="sentence-emo-annotate") as pool:
                    return pool.submit(asyncio.run, coro).result()
        try:
            results = runner(self.arun(rows))
        except KeyboardInterrupt:
            self.interrupted = True
            raise
        if self.interrupted:
            raise KeyboardInterrupt
        return results

    # -- reporting ---------------------------------------------------------------------------
    def results(self, rows: Sequence[InputRow]) -> list[AnnotationResult]:
        """Per-row outcomes from the store and this run's transient failures."""
        out = []
        for row in rows:
            if row.text is None or not row.text.strip():
                out.append(AnnotationResult(row.id, row.text, "failed", reason="empty_text",
                                            detail=f"row {row.row} has no text; nothing was sent", row=row.row))
                continue
            key = self.key(row.text)
            record = self.store.get(key)
            if record is not None:
                out.append(AnnotationResult(row.id, row.text, record["status"], list(record.get("descriptors") or []),
                                            record.get("reason"), record.get("detail"), row.row,
                                            cached=key in self._cached_keys, taxonomy=record.get("taxonomy")))
            elif key in self._transient:
                reason, detail = self._transient[key]
                out.append(AnnotationResult(row.id, row.text, "failed", reason=reason, detail=detail, row=row.row))
            else:
                reason = "interrupted" if self.interrupted else "aborted"
                detail = self.aborted or "the run was interrupted before this text was answered"
                out.append(AnnotationResult(row.id, row.text, "failed", reason=reason, detail=detail, row=row.row))
        return out

    def summary(self, results: Sequence[AnnotationResult], *, elapsed: float, started_at: str,
                input_path: str | None = None, out_dir: str | None = None) -> AnnotationSummary:
        cfg = self.config
        failed = [r for r in results if r.status != "ok"]
        s = AnnotationSummary(
            model=cfg.model, base_url=self.base_url, prompt_version=self.prompt.version_id,
            prompt_sha=self.prompt.sha, mode=cfg.mode, rows=len(results), ok=len(results) - len(failed),
            failed=len(failed), failed_by_reason=dict(Counter(r.reason or "unknown" for r in failed).most_common()),
            cached=sum(1 for r in results if r.cached and r.status == "ok"),
            annotated_now=sum(1 for r in results if r.status == "ok" and not r.cached),
            **{k: self.stats[k] for k in ("unique_texts_requested", "http_requests", "retries", "followups",
                                          "prompt_tokens", "completion_tokens")}, price_in_per_1m=cfg.price_in,
            price_out_per_1m=cfg.price_out, elapsed_s=round(elapsed, 3),
            concurrency=cfg.concurrency, batch_id=self.batch_id, aborted=self.aborted,
            input=input_path, out_dir=out_dir, started_at=started_at, finished_at=now_iso(), versions=versions(),
        )
        if cfg.price_in is not None or cfg.price_out is not None:
            s.estimated_cost_usd = round(s.prompt_tokens / 1e6 * (cfg.price_in or 0.0)
                                         + s.completion_tokens / 1e6 * (cfg.price_out or 0.0), 10)
        s.texts_per_second = round(s.unique_texts_requested / elapsed, 3) if elapsed > 0 else 0.0
        return s

