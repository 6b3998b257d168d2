"""The HTTP side of a run: the ``openai`` client's own retries, plus only what it lacks.

``openai.AsyncOpenAI(max_retries=..., timeout=...)`` retries 408/409/429/5xx, timeouts and
connection errors with jittered exponential backoff (0.5 s doubling to 8 s), honouring
``retry-after-ms``/``retry-after`` up to two minutes (a longer wait fails the request at once).
This module adds: a **shared pause** (when a request gets a 429 whose ``retry-after`` the client
will honour, every other request of the run waits out the same window); **fail fast** (a
connection error before the server ever answered stops the run instead of a backoff marathon per
text); a retry, within the same budget, of a reply body that is not a chat completion; and the
run's error vocabulary (:class:`~.conversation.RowFailed` with its reason, or
:class:`~.config.AnnotateError` stopping the run), never showing the API key. Imported only when a
run makes requests (``openai`` is the ``[annotate]`` extra).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial
from typing import Any

from sentence_emo.annotate.config import AnnotateConfig, AnnotateError, redact, safe_url
from sentence_emo.annotate.conversation import Aborted, MalformedReply, Reply, RowFailed, reply_from_body

try:
    import httpx2  # the HTTP library of openai 3 (``openai.DefaultAsyncHttpxClient`` is an httpx2.AsyncClient)
    import openai
except ModuleNotFoundError as exc:  # pragma: no cover - the [annotate] extra is missing
    raise AnnotateError("annotation needs the 'openai' package (3 or newer): pip install 'sentence-emo[annotate]'"
                        ) from exc

logger = logging.getLogger(__name__)


@dataclass
class _Call:
    """One logical call (the client's retries included), seen by every HTTP request it sends."""

    abortable: bool
    attempts: int = 0


_CURRENT_CALL: ContextVar[_Call | None] = ContextVar("sentence_emo_annotate_call", default=None)


class _RunHttpClient(openai.DefaultAsyncHttpxClient):
    """The client's default HTTP client, sending every request through :meth:`RunClient.send`."""

    def __init__(self, run: RunClient) -> None:
        super().__init__()
        self._run = run

    async def send(self, request: Any, **kwargs: Any) -> Any:
        return await self._run.send(super().send, request, **kwargs)


class RunClient:
    """The ``openai.AsyncOpenAI`` client of one run.

    Args:
        config: ``max_retries`` and ``timeout`` go to the client.
        base_url, api_key: where and how to connect.
        stats: counts ``http_requests`` (chat requests), ``retries`` and tokens.
        stopped: True once the run is stopping: chat requests not sent yet are abandoned.
    """

    def __init__(self, config: AnnotateConfig, *, base_url: str, api_key: str, stats: Counter,
                 stopped: Callable[[], bool]) -> None:
        self.config = config
        self.base_url = safe_url(base_url)
        self.stats = stats
        self._stopped = stopped
        self._redact = partial(redact, secrets=(api_key,))
        self.answered = False  # the server has sent at least one HTTP response
        self._pause_until = 0.0
        timeout = openai.Timeout(config.timeout, connect=min(config.timeout, 10.0))
        self.openai = openai.AsyncOpenAI(api_key=api_key, base_url=base_url, max_retries=config.max_retries,
                                         timeout=timeout, http_client=_RunHttpClient(self))

    async def close(self) -> None:
        await self.openai.close()

    # -- every HTTP request, the client's retries included --------------------------------------
    async def send(self, send: Callable[..., Awaitable[Any]], request: Any, **kwargs: Any) -> Any:
        loop = asyncio.get_running_loop()
        while (wait := self._pause_until - loop.time()) > 0:
            await asyncio.sleep(wait)
        call = _CURRENT_CALL.get()
        if call is not None:
            if call.abortable and self._stopped():
                raise Aborted()
            call.attempts += 1
        try:
            response = await send(request, **kwargs)
        except httpx2.TransportError as exc:
            if not self.answered and not isinstance(exc, httpx2.TimeoutException):
                # every further request would fail the same way; AnnotateError is no HTTP-library
                # error, so the client passes it on without retrying
                detail = self._redact(f"{type(exc).__name__}: {exc}")
                raise AnnotateError(f"cannot reach the server at {self.base_url} ({detail}); check --base-url (or "
                                    f"OPENAI_BASE_URL) and that the server is running") from exc
            raise
        self.answered = True
        # the client's own reading of retry-after and its decision to wait for it (private helpers of
        # openai's base client), so that the others pause exactly as long as the one that got the 429
        if response.status_code == 429 and self.openai._should_retry(response):
            wait = self.openai._parse_retry_after_header(response.headers)
            if wait is not None and wait > 0:
                self._pause_until = max(self._pause_until, loop.time() + wait)
                logger.info("rate limited: all requests pause for %.2fs", wait)
        return response

    def _failure(self, exc: openai.APIConnectionError | openai.APIStatusError, what: str | None = None
                 ) -> tuple[str, str]:
        """``(reason, detail)`` of a call the client gave up on; AnnotateError when the run cannot go on."""
        if isinstance(exc, openai.APITimeoutError):
            return "timeout", f"no reply within {self.config.timeout:g}s"
        if not isinstance(exc, openai.APIStatusError):
            cause = exc.__cause__ or exc
            return "connection_error", self._redact(f"{type(cause).__name__}: {cause}")
        status, detail = exc.status_code, f"HTTP {exc.status_code}: {self._redact(exc.message)}"
        if status in (401, 403):
            raise AnnotateError(f"the server rejected the API key ({detail}); check {self.config.api_key_env}")
        if status == 429 and not self.openai._should_retry(exc.response):
            wait = self.openai._parse_retry_after_header(exc.response.headers)
            if wait is not None:
                detail += f"; the server asked to wait {wait:.0f}s, longer than the client waits (2 minutes)"
        reason = {429: "rate_limited", 408: "timeout", 409: "server_error"}.get(
            status, "server_error" if status >= 500 else "bad_request")
        if reason == "bad_request" and what is not None:
            raise AnnotateError(f"could not {what}: {detail}; check that the server supports it")
        if status == 404:
            raise AnnotateError(f"{detail}; check the model name {self.config.model!r} and the base URL "
                                f"{self.base_url}")
        return reason, detail

    # -- chat completions ------------------------------------------------------------------------
    async def chat(self, messages: list[dict[str, str]]) -> Reply:
        """One chat completion; :class:`RowFailed`, :class:`Aborted` or :class:`AnnotateError` otherwise."""
        cfg = self.config
        call = _Call(abortable=True)
        token = _CURRENT_CALL.set(call)
        try:
            while True:
                # a malformed body retried here spends the same budget as the client's own retries
                client = self.openai.with_options(max_retries=cfg.max_retries - call.attempts) if call.attempts \
                    else self.openai
                try:
                    raw = await client.chat.completions.with_raw_response.create(
                        model=cfg.model, messages=messages, **cfg.generation_kwargs())
                    try:  # LegacyAPIResponse: ``.content`` is the body, already read
                        reply = reply_from_body(json.loads(raw.content))
                    except (ValueError, UnicodeDecodeError) as exc:
                        why = exc if isinstance(exc, MalformedReply) else f"body is not JSON ({type(exc).__name__})"
                        raise MalformedReply(f"HTTP {raw.status_code}: {why}") from None
                except MalformedReply as exc:
                    if call.attempts > cfg.max_retries:
                        raise RowFailed("malformed_response", f"{exc} (after {call.attempts} attempts)") from None
                    logger.info("asking again after a malformed reply (%s)", exc)
                    continue
                self.stats["prompt_tokens"] += reply.prompt_tokens
                self.stats["completion_tokens"] += reply.completion_tokens
                return reply
        except (openai.APIConnectionError, openai.APIStatusError) as exc:
            reason, detail = self._failure(exc)
            raise RowFailed(reason, detail if reason == "bad_request" else
                            f"{detail} (after {call.attempts} attempts)") from None
        finally:
            _CURRENT_CALL.reset(token)
            self.stats["http_requests"] += call.attempts
            self.stats["retries"] += max(0, call.attempts - 1)

    # -- files and batches -----------------------------------------------------------------------
    async def api(self, what: str, request: Callable[[Any], Awaitable[Any]], *, idempotent: bool = True) -> Any:
        """``await request(client)`` for a non-chat endpoint (files, batches); :class:`AnnotateError` on failure.

        ``what`` names the call in messages ("create the batch"). ``idempotent=False`` (creating a
        batch) makes a single attempt: a retry after a timeout or 5xx could pay for a second batch.
        """
        call = _Call(abortable=False)
        token = _CURRENT_CALL.set(call)
        try:
            return await request(self.openai if idempotent else self.openai.with_options(max_retries=0))
        except (openai.APIConnectionError, openai.APIStatusError) as exc:
            reason, detail = self._failure(exc, what)
            hint = ("" if idempotent or reason == "rate_limited" else  # a 429 surely was not processed
                    " (it may have been created anyway: check the provider's batch list first)")
            raise AnnotateError(f"could not {what}: {detail}{hint}; re-run the same command to try again") from None
        finally:
            _CURRENT_CALL.reset(token)
            self.stats["retries"] += max(0, call.attempts - 1)
