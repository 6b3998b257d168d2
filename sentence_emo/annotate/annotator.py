"""Concurrent, resumable LLM annotation with the official ``openai`` async client.

Flow per text: send the prompt; sanitise the reply (:mod:`.sanitise`); when the reply is
unusable, continue the conversation with the prompt's follow-up instruction up to
``reply_retries`` times; store the final answer (:mod:`.store`). Transport errors are retried
by our own loop (the client runs with ``max_retries=0``) so the policy is explicit: 429, 408,
409, 5xx, timeouts, connection errors and malformed bodies are retried with jittered exponential
backoff, honouring ``retry-after-ms`` / ``retry-after`` (seconds or HTTP date); a 429's
``retry-after`` pauses *all* workers, not only the one that got it. 401/403/404 (and a server
that cannot be reached before any answer) stop the run at once: every further request would
fail the same way. Finished work is always on disk first.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import datetime as _dt
import json
import logging
import os
import signal
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from sentence_emo.annotate.backoff import backoff_delay, parse_retry_after, redact
from sentence_emo.annotate.batch import BATCH_STATE_FILE, BatchError, run_batch
from sentence_emo.annotate.inputs import InputRow, read_input
from sentence_emo.annotate.prompts import DESCRIPTOR_PROMPT, TAXONOMY_PROMPT, Prompt, label_prompt
from sentence_emo.annotate.sanitise import REPLY_PROBLEMS, SanitisedReply, sanitise_reply, sanitise_taxonomy_reply
from sentence_emo.annotate.store import STORE_FILE, AnnotationStore, Key, text_sha256
from sentence_emo.atomic import atomic_write

logger = logging.getLogger(__name__)

CORPUS_FILE = "corpus.jsonl"
TAXONOMY_FILE = "taxonomy.jsonl"
FAILED_FILE = "failed.jsonl"
SUMMARY_FILE = "summary.json"

#: failure reasons (``failed.jsonl`` / ``summary.json``). Content reasons are stored (the API
#: answered and was paid); transient ones are not, so a re-run asks again.
CONTENT_REASONS = (*REPLY_PROBLEMS, "content_filter")
TRANSIENT_REASONS = ("rate_limited", "server_error", "timeout", "connection_error", "malformed_response",
                     "bad_request", "batch_error")
RUN_REASONS = ("empty_text", "aborted", "interrupted")


class AnnotateError(ValueError):
    """The run cannot go on (bad configuration, auth, unreachable server...).

    ``summary`` is set when the run had started: the outputs were written before raising.
    """

    def __init__(self, message: str, summary: AnnotationSummary | None = None) -> None:
        super().__init__(message)
        self.summary = summary


@dataclass
class AnnotateConfig:
    """Settings of an annotation run (the CLI flags map 1:1 onto these fields).

    Args:
        model: any model name the server knows.
        base_url: API base URL; default ``$OPENAI_BASE_URL``, else the OpenAI API.
        api_key: the key; default the environment variable named by ``api_key_env``.
        prompt: a :class:`Prompt`; default the paper's descriptor prompt, or the label prompt
            when ``labels`` is given; :data:`~sentence_emo.annotate.prompts.TAXONOMY_PROMPT` (or any
            prompt with ``kind="taxonomy"``) asks for each descriptor's families/valence/arousal.
        labels: label-constrained mode: the model may only answer with these labels (or neutral).
        concurrency: requests in flight at once.
        max_retries: transport retries per request (429/5xx/timeouts/connection/malformed).
        reply_retries: follow-up instructions after an unusable reply before the row fails.
        timeout: seconds per HTTP request.
        backoff_base, backoff_max: exponential backoff ``min(max, base*2**k)``, jittered.
        max_retry_after: a ``retry-after`` longer than this fails the request instead of waiting.
        max_consecutive_failures: stop the run after this many texts in a row fail transiently.
        price_in, price_out: USD per 1M input/output tokens, for the cost estimate.
        batch: use the OpenAI Batch API instead of live requests.
        poll_interval, batch_timeout: batch polling period and the longest wait (None: no limit).
        retry_failed: also re-ask texts whose stored answer is a content failure (refusal...).
    """

    model: str
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    api_key_env: str = "OPENAI_API_KEY"
    prompt: Prompt | None = None
    labels: list[str] | None = None
    concurrency: int = 8
    max_retries: int = 5
    reply_retries: int = 2
    timeout: float = 60.0
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    max_retry_after: float = 600.0
    max_consecutive_failures: int = 25
    temperature: float | None = None
    max_tokens: int | None = None
    max_descriptors: int = 10
    max_words: int = 4
    price_in: float | None = None
    price_out: float | None = None
    progress: bool = True
    retry_failed: bool = False
    batch: bool = False
    poll_interval: float = 30.0
    batch_timeout: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.model, str) or not self.model.strip():
            raise ValueError(f"model must be a non-empty model name, got {self.model!r}; pass --model")
        positive_ints = {"concurrency": self.concurrency, "max_descriptors": self.max_descriptors,
                         "max_words": self.max_words, "max_consecutive_failures": self.max_consecutive_failures}
        for name, value in positive_ints.items():
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
        for name, value in {"max_retries": self.max_retries, "reply_retries": self.reply_retries}.items():
            if not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be an integer >= 0, got {value!r}")
        positive = {"timeout": self.timeout, "poll_interval": self.poll_interval,
                    "max_retry_after": self.max_retry_after, "backoff_max": self.backoff_max}
        for name, value in positive.items():
            if not value > 0:
                raise ValueError(f"{name} must be > 0 seconds, got {value!r}")
        if self.backoff_base < 0:
            raise ValueError(f"backoff_base must be >= 0 seconds, got {self.backoff_base!r}")
        for name, value in {"price_in": self.price_in, "price_out": self.price_out}.items():
            if value is not None and value < 0:
                raise ValueError(f"{name} must be >= 0 (USD per 1M tokens), got {value!r}")
        if self.labels is not None:
            if self.prompt is not None and self.prompt.kind == "taxonomy":
                raise ValueError("labels do not apply to taxonomy mode; drop --labels or use --mode labels")
            if self.prompt is None:
                self.prompt = label_prompt(self.labels)
            elif self.prompt.labels is None:
                self.prompt = self.prompt.with_labels(self.labels)
        if self.prompt is None:
            self.prompt = DESCRIPTOR_PROMPT
        if not isinstance(self.prompt, Prompt):
            raise TypeError(f"prompt must be a sentence_emo.annotate.Prompt, got {type(self.prompt).__name__}")

    @property
    def mode(self) -> str:
        """``"descriptors"``, ``"labels"`` or ``"taxonomy"``."""
        if self.prompt is not None and self.prompt.kind == "taxonomy":
            return "taxonomy"
        return "labels" if self.prompt is not None and self.prompt.labels is not None else "descriptors"


@dataclass
class AnnotationResult:
    """The outcome for one input row."""

    id: str
    text: str | None
    status: str  # "ok" | "failed"
    descriptors: list[str] = field(default_factory=list)
    reason: str | None = None
    detail: str | None = None
    row: int | None = None
    cached: bool = False  # answered by an earlier run
    #: taxonomy mode: ``{"families", "valence", "arousal"}`` of the descriptor in ``text``
    taxonomy: dict[str, Any] | None = None


@dataclass
class AnnotationSummary:
    """What a run did; written to ``summary.json`` (never contains the API key)."""

    model: str
    base_url: str
    prompt_version: str
    prompt_sha: str
    mode: str
    rows: int = 0
    ok: int = 0
    failed: int = 0
    failed_by_reason: dict[str, int] = field(default_factory=dict)
    cached: int = 0
    annotated_now: int = 0
    unique_texts_requested: int = 0
    http_requests: int = 0
    retries: int = 0
    followups: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    price_in_per_1m: float | None = None
    price_out_per_1m: float | None = None
    estimated_cost_usd: float | None = None
    elapsed_s: float = 0.0
    texts_per_second: float = 0.0
    concurrency: int = 0
    batch_id: str | None = None
    aborted: str | None = None
    input: str | None = None
    out_dir: str | None = None
    started_at: str = ""
    finished_at: str = ""
    versions: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def format(self) -> str:
        """A short human-readable report."""
        lines = [
            f"annotated {self.ok}/{self.rows} rows with {self.model} ({self.prompt_version}); "
            f"{self.annotated_now} new, {self.cached} from earlier runs",
            f"failed: {self.failed}" + (f" ({', '.join(f'{k}: {v}' for k, v in self.failed_by_reason.items())})"
                                        if self.failed_by_reason else ""),
            f"requests: {self.http_requests} ({self.retries} retries, {self.followups} follow-ups) in "
            f"{self.elapsed_s:.1f}s, {self.texts_per_second:.2f} texts/s",
            f"tokens: {self.prompt_tokens} in, {self.completion_tokens} out"
            + (f"; estimated cost ${self.estimated_cost_usd:.4f}" if self.estimated_cost_usd is not None else ""),
        ]
        if self.batch_id:
            lines.append(f"batch: {self.batch_id}")
        if self.aborted:
            lines.append(f"stopped early: {self.aborted}")
        return "\n".join(lines)


@dataclass
class _Reply:
    content: str | None
    finish_reason: str | None
    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass
class _Work:
    key: Key
    text: str
    id: str
    initial: _Reply | None = None  # a reply obtained elsewhere (batch output) to validate first


class _RowFailed(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class _Aborted(Exception):
    pass


class _Malformed(Exception):
    pass


def _now_iso() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def safe_url(url: str) -> str:
    """``url`` without user info (``https://user:pw@host`` -> ``https://host``).

    >>> safe_url("https://bob:secret@example.org/v1")
    'https://example.org/v1'
    """
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
        parts = parts._replace(netloc=host)
    return urlunsplit(parts)


def _versions() -> dict[str, str]:
    out = {"python": sys.version.split()[0]}
    try:
        import sentence_emo

        out["sentence_emo"] = getattr(sentence_emo, "__version__", "unknown")
    except Exception:  # pragma: no cover - partial installs
        pass
    try:
        import openai

        out["openai"] = openai.__version__
    except Exception:  # pragma: no cover
        pass
    return out


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
        self._check_prompt_version()
        self._api_key = config.api_key or os.environ.get(config.api_key_env) or ""
        self._secrets = (self._api_key,)
        self._base_url = config.base_url or os.environ.get("OPENAI_BASE_URL") or "https://api.openai.com/v1"
        self._reset()

    # -- setup -------------------------------------------------------------------------------
    def _reset(self) -> None:
        self._transient: dict[Key, tuple[str, str]] = {}
        self._abort: str | None = None
        self._interrupted = False
        self._any_response = False
        self._consecutive_failures = 0
        self._cooldown_until = 0.0
        self._cached_keys: set[Key] = set()
        self.stats = Counter()
        self.batch_id: str | None = None
        self._client: Any = None
        self._openai: Any = None

    def _check_prompt_version(self) -> None:
        stored = self.store.prompt_hashes().get(self.prompt.version_id)
        if stored and self.prompt.sha not in stored:
            raise AnnotateError(
                f"the store {self.store.path} holds answers for prompt {self.prompt.version_id!r} with different "
                f"wording (hash {sorted(stored)[0]} vs {self.prompt.sha}); bump the prompt version when you change "
                f"its text, or use another --out directory"
            )

    def _require_api_key(self) -> str:
        if not self._api_key:
            raise AnnotateError(
                f"no API key: set the {self.config.api_key_env} environment variable (export "
                f"{self.config.api_key_env}=...) or pass api_key=...; a local server that ignores keys accepts "
                f"any value, e.g. {self.config.api_key_env}=local"
            )
        return self._api_key

    def _redact(self, text: object) -> str:
        return redact(text, self._secrets)

    def _make_client(self) -> Any:
        try:
            import openai
        except ModuleNotFoundError as exc:  # pragma: no cover - the [annotate] extra is missing
            raise AnnotateError(
                "annotation needs the 'openai' package: pip install 'sentence-emo[annotate]'"
            ) from exc
        self._openai = openai
        api_key = self._require_api_key()
        timeout = openai.Timeout(self.config.timeout, connect=min(self.config.timeout, 10.0))
        return openai.AsyncOpenAI(api_key=api_key, base_url=self._base_url, max_retries=0, timeout=timeout)

    @property
    def base_url(self) -> str:
        return safe_url(self._base_url)

    def _generation_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        if self.config.temperature is not None:
            kwargs["temperature"] = self.config.temperature
        if self.config.max_tokens is not None:
            kwargs["max_tokens"] = self.config.max_tokens
        return kwargs

    def key(self, text: str) -> Key:
        return (self.config.model, self.prompt.version_id, text_sha256(text))

    # -- planning ----------------------------------------------------------------------------
    def plan(self, rows: Sequence[InputRow]) -> list[_Work]:
        """Unique texts that still need an answer (store hits and empty texts are skipped)."""
        works: dict[Key, _Work] = {}
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
            works[key] = _Work(key=key, text=row.text, id=row.id)
        return list(works.values())

    # -- one HTTP call -----------------------------------------------------------------------
    async def _respect_cooldown(self) -> None:
        loop = asyncio.get_running_loop()
        while (wait := self._cooldown_until - loop.time()) > 0:
            await asyncio.sleep(wait)

    def _stop(self, reason: str) -> None:
        if self._abort is None:
            self._abort = self._redact(reason)
            logger.error("stopping the run: %s", self._abort)
        raise _Aborted()

    def _parse_raw(self, raw: Any) -> _Reply:
        # ``with_raw_response`` returns openai's LegacyAPIResponse: ``.content`` is the body (already read)
        try:
            data = json.loads(raw.content)
        except (ValueError, UnicodeDecodeError) as exc:
            raise _Malformed(f"HTTP {raw.status_code} body is not JSON ({type(exc).__name__})") from None
        return self._reply_from_body(data)

    @staticmethod
    def _reply_from_body(data: Any) -> _Reply:
        if not isinstance(data, dict) or not isinstance(data.get("choices"), list) or not data["choices"]:
            raise _Malformed("the reply has no 'choices'")
        choice = data["choices"][0]
        message = choice.get("message") if isinstance(choice, dict) else None
        if not isinstance(message, dict):
            raise _Malformed("the reply's first choice has no 'message'")
        content = message.get("content")
        if isinstance(content, list):  # content parts
            content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
        if content is not None and not isinstance(content, str):
            raise _Malformed(f"message content is {type(content).__name__}, not text")
        usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
        tokens = [usage.get(k) for k in ("prompt_tokens", "completion_tokens")]
        tokens = [int(t) if isinstance(t, (int, float)) else 0 for t in tokens]
        return _Reply(content, choice.get("finish_reason"), tokens[0], tokens[1])

    async def _call(self, messages: list[dict[str, str]]) -> _Reply:
        openai = self._openai
        cfg = self.config
        reason, detail = "server_error", ""
        for attempt in range(cfg.max_retries + 1):
            await self._respect_cooldown()
            if self._abort is not None:
                raise _Aborted()
            retry_after: float | None = None
            self.stats["http_requests"] += 1
            try:
                raw = await self._client.chat.completions.with_raw_response.create(
                    model=cfg.model, messages=messages, **self._generation_kwargs()
                )
                self._any_response = True
                reply = self._parse_raw(raw)
                self.stats["prompt_tokens"] += reply.prompt_tokens
                self.stats["completion_tokens"] += reply.completion_tokens
                return reply
            except _Malformed as exc:
                reason, detail = "malformed_response", str(exc)
            except openai.APITimeoutError:
                reason, detail = "timeout", f"no reply within {cfg.timeout:g}s"
            except openai.APIConnectionError as exc:
                cause = exc.__cause__ or exc
                reason, detail = "connection_error", f"{type(cause).__name__}: {cause}"
                if not self._any_response:
                    self._stop(
                        f"cannot reach the server at {self.base_url} ({self._redact(detail)}); check --base-url "
                        f"(or OPENAI_BASE_URL) and that the server is running"
                    )
            except openai.APIStatusError as exc:
                self._any_response = True
                status = exc.status_code
                detail = f"HTTP {status}: {self._redact(exc.message)}"
                if status in (401, 403):
                    self._stop(f"the server rejected the API key ({detail}); check {cfg.api_key_env}")
                if status == 404:
                    self._stop(f"{detail}; check the model name {cfg.model!r} and the base URL {self.base_url}")
                retry_after = parse_retry_after(exc.response.headers)
                if status == 429:
                    reason = "rate_limited"
                    if retry_after is not None and retry_after <= cfg.max_retry_after:
                        loop = asyncio.get_running_loop()
                        self._cooldown_until = max(self._cooldown_until, loop.time() + retry_after)
                elif status == 408:
                    reason = "timeout"
                elif status == 409 or status >= 500:
                    reason = "server_error"
                else:
                    raise _RowFailed("bad_request", detail) from None
            if attempt >= cfg.max_retries:
                break
            if retry_after is not None and retry_after > cfg.max_retry_after:
                detail += f"; the server asked to wait {retry_after:.0f}s (> max_retry_after={cfg.max_retry_after:g}s)"
                break
            delay = retry_after if retry_after is not None else backoff_delay(
                attempt, base=cfg.backoff_base, maximum=cfg.backoff_max)
            self.stats["retries"] += 1
            logger.info("retrying in %.2fs after %s (%s), attempt %d of %d", delay, reason, self._redact(detail),
                        attempt + 1, cfg.max_retries)
            await asyncio.sleep(delay)
        raise _RowFailed(reason, f"{self._redact(detail)} (after {cfg.max_retries + 1} attempts)")

    async def api(self, what: str, fn: Any, *args: Any, idempotent: bool = True, **kwargs: Any) -> Any:
        """Call a non-chat endpoint (files, batches) with the same retry policy as chat requests.

        ``idempotent=False`` (creating a batch) retries only when the request surely was not
        processed (connection refused, 429); a timeout or 5xx then raises, naming what to check,
        rather than risking a second paid batch.
        """
        openai = self._openai
        cfg = self.config
        for attempt in range(cfg.max_retries + 1):
            retry_after: float | None = None
            try:
                result = await fn(*args, **kwargs)
                self._any_response = True
                return result
            except openai.APITimeoutError:
                detail, retryable = f"no reply within {cfg.timeout:g}s", idempotent
            except openai.APIConnectionError as exc:
                cause = exc.__cause__ or exc
                detail, retryable = f"{type(cause).__name__}: {cause}", self._any_response or idempotent
                if not self._any_response:
                    raise AnnotateError(
                        f"cannot reach the server at {self.base_url} ({self._redact(detail)}) to {what}; check "
                        f"--base-url (or OPENAI_BASE_URL) and that the server is running"
                    ) from None
            except openai.APIStatusError as exc:
                self._any_response = True
                status = exc.status_code
                detail = f"HTTP {status}: {self._redact(exc.message)}"
                if status in (401, 403):
                    raise AnnotateError(
                        f"the server rejected the API key ({detail}); check {cfg.api_key_env}"
                    ) from None
                retry_after = parse_retry_after(exc.response.headers)
                retryable = status == 429 or (idempotent and (status >= 500 or status in (408, 409)))
                if not retryable and status < 500:
                    raise AnnotateError(f"could not {what}: {detail}; check that the server supports it") from None
            if not retryable or attempt >= cfg.max_retries:
                break
            delay = retry_after if retry_after is not None else backoff_delay(
                attempt, base=cfg.backoff_base, maximum=cfg.backoff_max)
            if delay > cfg.max_retry_after:
                break
            self.stats["retries"] += 1
            logger.info("retrying %s in %.2fs after %s", what, delay, self._redact(detail))
            await asyncio.sleep(delay)
        hint = "" if idempotent else " (it may have been created anyway: check the provider's batch list first)"
        raise AnnotateError(f"could not {what}: {self._redact(detail)}{hint}; re-run the same command to try again")

    # -- one text ----------------------------------------------------------------------------
    def sanitise(self, content: str | None) -> SanitisedReply:
        """Validate one reply for this run's prompt kind (descriptors/labels or taxonomy JSON)."""
        if self.prompt.kind == "taxonomy":
            return sanitise_taxonomy_reply(content)
        return sanitise_reply(content, labels=self.prompt.labels, max_descriptors=self.config.max_descriptors,
                              max_words=self.config.max_words)

    async def _annotate(self, work: _Work) -> dict[str, Any]:
        """Run the conversation for one text; returns the store record (ok or content failure)."""
        cfg = self.config
        messages = self.prompt.messages(work.text)
        replies: list[str] = []
        requests = prompt_tokens = completion_tokens = 0
        result = None
        reason: str | None = None
        for turn in range(cfg.reply_retries + 1):
            if turn == 0 and work.initial is not None:
                reply = work.initial
            else:
                if turn > 0:
                    self.stats["followups"] += 1
                reply = await self._call(messages)
            requests += 1
            prompt_tokens += reply.prompt_tokens
            completion_tokens += reply.completion_tokens
            replies.append(reply.content or "")
            if reply.finish_reason == "content_filter":
                reason, result = "content_filter", None
                break
            result = self.sanitise(reply.content)
            if result.ok:
                reason = None
                break
            reason = result.problem
            messages = [*messages, {"role": "assistant", "content": reply.content or ""},
                        {"role": "user", "content": self.prompt.followup(result.problem, result.offending)}]
        record: dict[str, Any] = {
            "model": cfg.model,
            "prompt_version": self.prompt.version_id,
            "text_sha256": work.key[2],
            "prompt_sha": self.prompt.sha,
            "id": work.id,
            "text": work.text,
            "status": "ok" if reason is None else "failed",
            "descriptors": result.descriptors if reason is None and result is not None else [],
            "reason": reason,
            "detail": None,
            "replies": replies,
            "requests": requests,
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "via": "batch" if work.initial is not None else "api",
            "created_at": _now_iso(),
        }
        if reason == "content_filter":
            record["detail"] = "the server's content filter stopped the reply"
        elif reason is not None and result is not None:
            record["detail"] = (f"{reason} after {requests} replies"
                                + (f"; offending: {', '.join(result.offending)[:300]}" if result.offending else ""))
        if result is not None and result.dropped:
            record["dropped"] = result.dropped
        if self.prompt.kind == "taxonomy":
            record["taxonomy"] = result.taxonomy if reason is None and result is not None else None
        return record

    # -- running -----------------------------------------------------------------------------
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

    def _progress(self, total: int, desc: str) -> Any:
        from tqdm.auto import tqdm

        return tqdm(total=total, desc=desc, unit="text", disable=not self.config.progress or total == 0,
                    dynamic_ncols=True, mininterval=0.5, file=sys.stderr)

    async def run_live(self, works: list[_Work], *, desc: str | None = None) -> None:
        """Annotate ``works`` with ``concurrency`` workers; answers go to the store as they come."""
        if not works:
            return
        pending = deque(works)
        queue: asyncio.Queue = asyncio.Queue()
        writer = asyncio.create_task(self._writer(queue))
        bar = self._progress(len(works), desc or f"annotate {self.config.model}")
        failed = 0

        async def worker() -> None:
            nonlocal failed
            while pending and self._abort is None:
                work = pending.popleft()
                try:
                    record = await self._annotate(work)
                except _Aborted:
                    return
                except _RowFailed as exc:
                    self._transient[work.key] = (exc.reason, exc.detail)
                    failed += 1
                    self._consecutive_failures += 1
                    logger.warning("text %r failed: %s: %s", work.id, exc.reason, exc.detail)
                    if self._consecutive_failures >= self.config.max_consecutive_failures and self._abort is None:
                        self._abort = (f"{self._consecutive_failures} texts in a row failed (last: {exc.reason}: "
                                       f"{exc.detail}); the server seems unavailable - re-run later to continue")
                        logger.error("stopping the run: %s", self._abort)
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

    def _on_sigint(self, main_task: asyncio.Task) -> None:
        if self._interrupted:
            main_task.cancel()  # second Ctrl-C: stop now
            return
        self._interrupted = True
        if self._abort is None:
            self._abort = "interrupted by the user"
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
        self._client = self._make_client() if (works or self.config.batch) else None
        sigint = self._install_sigint()
        try:
            if self.config.batch:
                await run_batch(self, works)
            else:
                self._check_no_pending_batch()
                await self.run_live(works)
        except (AnnotateError, BatchError) as exc:  # the run cannot go on; finished work is in the store already
            if self._abort is None:
                self._abort = self._redact(exc)
            logger.error("stopping the run: %s", self._abort)
        except asyncio.CancelledError:
            self._interrupted = True
            raise
        finally:
            if sigint:
                asyncio.get_running_loop().remove_signal_handler(signal.SIGINT)
            if self._client is not None:
                await self._client.close()
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
            self._interrupted = True
            raise
        if self._interrupted:
            raise KeyboardInterrupt
        return results

    # -- the interface batch mode uses (annotate/batch.py, ``BatchHost``) -------------------------
    @property
    def client(self) -> Any:
        """The ``openai.AsyncOpenAI`` client of the current run."""
        return self._client

    @property
    def interrupted(self) -> bool:
        """True after a Ctrl-C: stop waiting, keep what was received."""
        return self._interrupted

    def request_body(self, text: str) -> dict[str, Any]:
        """The chat-completions request body for ``text`` (model, prompt messages, generation settings)."""
        return {"model": self.config.model, "messages": self.prompt.messages(text), **self._generation_kwargs()}

    def progress(self, total: int, desc: str) -> Any:
        """A tqdm bar (disabled with ``progress=False``)."""
        return self._progress(total, desc)

    def fail_transient(self, key: Key, reason: str, detail: str) -> None:
        """Report ``key`` as failed in this run without storing it, so a re-run asks again."""
        self._transient[key] = (reason, self._redact(detail))

    def work_from_reply(self, key: Key, text: str, id: str, body: Any) -> _Work:
        """A work item whose first reply is ``body`` (chat-completion JSON); ValueError if it is malformed."""
        try:
            reply = self._reply_from_body(body)
        except _Malformed as exc:
            raise ValueError(str(exc)) from None
        self.stats["prompt_tokens"] += reply.prompt_tokens
        self.stats["completion_tokens"] += reply.completion_tokens
        return _Work(key=key, text=text, id=id, initial=reply)

    def is_final(self, work: _Work) -> bool:
        """True when the work's first reply needs no follow-up turn (usable, filtered, or no retries allowed)."""
        reply, cfg = work.initial, self.config
        if reply is None:
            return False
        check = self.sanitise(reply.content)
        return check.ok or reply.finish_reason == "content_filter" or cfg.reply_retries == 0

    async def store_final(self, works: Sequence[_Work]) -> None:
        """Store the records of works whose first reply is final (no API call)."""
        self.store.append_many([await self._annotate(work) for work in works])

    def _check_no_pending_batch(self) -> None:
        if self.state_dir is not None and (self.state_dir / BATCH_STATE_FILE).exists():
            raise AnnotateError(
                f"{self.state_dir / BATCH_STATE_FILE} records a submitted batch that was not collected yet; re-run "
                f"with --batch to collect it (live requests would pay twice for those texts), or delete the file"
            )

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
                reason = "interrupted" if self._interrupted else "aborted"
                detail = self._abort or "the run was interrupted before this text was answered"
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
            unique_texts_requested=self.stats["unique_texts_requested"],
            http_requests=self.stats["http_requests"], retries=self.stats["retries"],
            followups=self.stats["followups"], prompt_tokens=self.stats["prompt_tokens"],
            completion_tokens=self.stats["completion_tokens"], price_in_per_1m=cfg.price_in,
            price_out_per_1m=cfg.price_out, elapsed_s=round(elapsed, 3),
            concurrency=cfg.concurrency, batch_id=self.batch_id, aborted=self._abort,
            input=input_path, out_dir=out_dir, started_at=started_at, finished_at=_now_iso(), versions=_versions(),
        )
        if cfg.price_in is not None or cfg.price_out is not None:
            s.estimated_cost_usd = round(s.prompt_tokens / 1e6 * (cfg.price_in or 0.0)
                                         + s.completion_tokens / 1e6 * (cfg.price_out or 0.0), 10)
        s.texts_per_second = round(s.unique_texts_requested / elapsed, 3) if elapsed > 0 else 0.0
        return s


# -- outputs -------------------------------------------------------------------------------------
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


def write_outputs(results: Sequence[AnnotationResult], summary: AnnotationSummary, out_dir: Path, *,
                  source: str | None, previous: tuple[list[dict[str, Any]], list[dict[str, Any]]] | None = None
                  ) -> None:
    """``corpus.jsonl`` (trainer format), ``failed.jsonl`` and ``summary.json`` in ``out_dir``.

    ``corpus.jsonl`` accumulates over runs into the same ``out_dir`` and never shrinks: rows of
    earlier runs (``previous``, read from ``out_dir`` when not given) are kept in their order, a row
    is replaced only by this run's answer for the same id, and this run's new rows are appended.
    ``failed.jsonl`` keeps earlier failures whose id neither this run nor the corpus covers.
    """
    from sentence_emo.corpus import DescriptorRecord, write_corpus_jsonl

    old_corpus, old_failed = previous if previous is not None else read_previous_outputs(out_dir)
    records = {
        r.id: DescriptorRecord(id=r.id, text=r.text or "", descriptors=r.descriptors, source=source,
                               teacher=summary.model, prompt_version=summary.prompt_version).to_dict()
        for r in results if r.status == "ok"
    }
    merged = {str(row["id"]): row for row in old_corpus}
    merged.update(records)
    write_corpus_jsonl(list(merged.values()), out_dir / CORPUS_FILE)
    this_run = {r.id for r in results}
    failed_lines = [json.dumps(row, ensure_ascii=False) + "\n" for row in old_failed
                    if str(row["id"]) not in this_run and str(row["id"]) not in merged]
    failed_lines += [
        json.dumps({"row": r.row, "id": r.id, "reason": r.reason, "detail": r.detail, "text": r.text},
                   ensure_ascii=False) + "\n"
        for r in results if r.status != "ok"
    ]
    atomic_write(out_dir / FAILED_FILE, "".join(failed_lines))
    atomic_write(out_dir / SUMMARY_FILE, json.dumps(summary.to_dict(), indent=2, ensure_ascii=False) + "\n")


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
    out_dir = _check_out_dir(out_dir)
    previous = read_previous_outputs(out_dir) if out_dir.is_dir() else ([], [])

    def write(results: Sequence[AnnotationResult], summary: AnnotationSummary, out: Path) -> None:
        write_outputs(results, summary, out, source=source or input_path.stem, previous=previous)

    return _run_into_dir(rows, out_dir, config, write, str(input_path))


def _check_out_dir(out_dir: str | Path) -> Path:
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise FileExistsError(f"--out {out_dir} is a file, not a folder; give a folder name for the outputs")
    return out_dir


def _run_into_dir(rows: Sequence[InputRow], out_dir: Path, config: AnnotateConfig, write: Any,
                  input_label: str) -> AnnotationSummary:
    """Run ``rows`` against the store in ``out_dir``; ``write(results, summary, out_dir)`` writes the outputs."""
    out_dir = _check_out_dir(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    started, t0 = _now_iso(), time.perf_counter()
    with AnnotationStore(out_dir / STORE_FILE) as store:
        annotator = Annotator(config, store=store, state_dir=out_dir)
        try:
            results = annotator.run(rows)
        except KeyboardInterrupt:
            results = annotator.results(rows)
            summary = annotator.summary(results, elapsed=time.perf_counter() - t0, started_at=started,
                                        input_path=input_label, out_dir=str(out_dir))
            summary.aborted = annotator._abort or "interrupted by the user"
            write(results, summary, out_dir)
            raise
        summary = annotator.summary(results, elapsed=time.perf_counter() - t0, started_at=started,
                                    input_path=input_label, out_dir=str(out_dir))
        write(results, summary, out_dir)
    if summary.aborted:
        raise AnnotateError(f"{summary.aborted} (finished work is kept in {out_dir / STORE_FILE}; "
                            f"re-run the same command to continue)", summary)
    return summary


# -- taxonomy mode -------------------------------------------------------------------------------
def corpus_descriptors(inputs: Sequence[str | Path]) -> Counter:
    """Distinct descriptors of corpora -> number of texts, most frequent first.

    Each input is a shipped corpus name (``"llm-descriptors"``: all its splits;
    ``"llm-descriptors:train"``: one), a corpus file (JSONL/CSV/TSV/Parquet), or an annotation
    directory (``corpus.jsonl`` or only the ``annotations.jsonl`` store).
    """
    from sentence_emo.corpus import load_corpus, parse_shipped_name, shipped_dataset_dir

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
    return Counter(dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))))


def write_taxonomy_outputs(results: Sequence[AnnotationResult], summary: AnnotationSummary, out_dir: Path) -> None:
    """``taxonomy.jsonl`` (``{"descriptor", "families", "valence", "arousal"}`` per line, the format of
    :func:`sentence_emo.corpus.load_taxonomy`), ``failed.jsonl`` and ``summary.json``."""
    lines = [json.dumps({"descriptor": r.text, **{k: r.taxonomy[k] for k in ("families", "valence", "arousal")}},
                        ensure_ascii=False) + "\n"
             for r in results if r.status == "ok" and r.taxonomy]
    atomic_write(out_dir / TAXONOMY_FILE, "".join(lines))
    failed_lines = [
        json.dumps({"row": r.row, "descriptor": r.text, "reason": r.reason, "detail": r.detail}, ensure_ascii=False)
        + "\n" for r in results if r.status != "ok"
    ]
    atomic_write(out_dir / FAILED_FILE, "".join(failed_lines))
    atomic_write(out_dir / SUMMARY_FILE, json.dumps(summary.to_dict(), indent=2, ensure_ascii=False) + "\n")


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
    return _run_into_dir(rows, Path(out_dir), config, write_taxonomy_outputs, ", ".join(str(i) for i in inputs))


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
    if annotator._abort:
        raise AnnotateError(annotator._abort)
    return results
