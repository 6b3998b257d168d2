"""What an annotation run is told and what it reports: settings, per-row results, the summary.

Also the file names of a run's output directory, the failure reasons, and the two helpers that keep
secrets out of everything written or logged (:func:`redact`, :func:`safe_url`).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import importlib
import re
import sys
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from transformers.hf_argparser import HfArg

from sentence_emo.annotate.prompts import DESCRIPTOR_PROMPT, Prompt, label_prompt
from sentence_emo.annotate.sanitise import REPLY_PROBLEMS

CORPUS_FILE = "corpus.jsonl"
TAXONOMY_FILE = "taxonomy.jsonl"
FAILED_FILE = "failed.jsonl"
SUMMARY_FILE = "summary.json"

#: failure reasons (``failed.jsonl`` / ``summary.json``). Content reasons are stored (the API
#: answered and was paid); transient ones are not, so a re-run asks again.
CONTENT_REASONS = (*REPLY_PROBLEMS, "content_filter")
TRANSIENT_REASONS = ("rate_limited", "server_error", "timeout", "connection_error", "malformed_response",
                     "bad_request", "batch_error")

#: ``(field, test, what it must be)`` checked by ``AnnotateConfig.__post_init__``
_CHECKS = (
    *((name, lambda v: isinstance(v, int) and v >= 1, "an integer >= 1")
      for name in ("concurrency", "max_descriptors", "max_words", "max_consecutive_failures")),
    *((name, lambda v: isinstance(v, int) and v >= 0, "an integer >= 0") for name in ("max_retries", "reply_retries")),
    *((name, lambda v: v > 0, "> 0 seconds") for name in ("timeout", "poll_interval")),
    *((name, lambda v: v is None or v >= 0, ">= 0 (USD per 1M tokens)") for name in ("price_in", "price_out")),
)
_SECRET_PATTERN = re.compile(r"\b(sk-[A-Za-z0-9_\-*]{6,}|Bearer\s+\S+)")


class AnnotateError(ValueError):
    """The run cannot go on (bad configuration, auth, unreachable server...).

    ``summary`` is set when the run had started: the outputs were written before raising.
    """

    def __init__(self, message: str, summary: AnnotationSummary | None = None) -> None:
        super().__init__(message)
        self.summary = summary


@dataclass
class AnnotateConfig:
    """Settings of an annotation run (``sentence-emo annotate`` has a flag per field but ``api_key``).

    Args:
        model: any model name the server knows.
        base_url: API base URL; default ``$OPENAI_BASE_URL``, else the OpenAI API.
        api_key: the key; default the environment variable named by ``api_key_env``.
        prompt: a :class:`Prompt`; default the paper's descriptor prompt, or the label prompt
            when ``labels`` is given; :data:`~sentence_emo.annotate.prompts.TAXONOMY_PROMPT` (or any
            prompt with ``kind="taxonomy"``) asks for each descriptor's families/valence/arousal.
        labels: label-constrained mode: the model may only answer with these labels (or neutral).
        concurrency: requests in flight at once.
        max_retries: the ``openai`` client's ``max_retries``: retries per request on 408/409/429/5xx,
            timeouts and connection errors, with the client's jittered exponential backoff
            (0.5 s doubling to 8 s) and its ``retry-after``/``retry-after-ms`` handling (a server
            asking for more than 2 minutes fails the request at once). A malformed reply body
            is retried within the same budget.
        reply_retries: follow-up instructions after an unusable reply before the row fails.
        timeout: seconds per HTTP request (the client's ``timeout``; connecting gets at most 10 s).
        max_consecutive_failures: stop the run after this many texts in a row fail transiently.
        price_in, price_out: USD per 1M input/output tokens, for the cost estimate.
        batch: use the OpenAI Batch API instead of live requests.
        poll_interval, batch_timeout: batch polling period and the longest wait (None: no limit).
        retry_failed: also re-ask texts whose stored answer is a content failure (refusal...).
    """

    model: str = HfArg(help="model name, e.g. gpt-4o-mini or a local model")
    base_url: str | None = HfArg(default=None,
                                 help="OpenAI-compatible API base URL (not given: $OPENAI_BASE_URL, else api.openai.com)")
    api_key: str | None = field(default=None, repr=False)
    api_key_env: str = HfArg(default="OPENAI_API_KEY", help="environment variable holding the API key")
    prompt: Prompt | None = HfArg(default=None, metadata={"type": str},
                                  help="prompt file (name:/version:/=== system/=== user sections, or .json)")
    labels: list[str] | None = HfArg(default=None, metadata={"type": str}, help=(
        "comma-separated allowed labels, or a file with one label per line (implies --mode labels)"))
    concurrency: int = HfArg(default=8, help="requests in flight")
    max_retries: int = HfArg(default=5, help=(
        "the openai client's retries per request on 408/409/429/5xx, timeouts and connection errors, with its "
        "exponential backoff and retry-after handling"))
    reply_retries: int = HfArg(default=2, help="follow-up instructions after an unusable reply before the row fails")
    timeout: float = HfArg(default=60.0, help="seconds per request")
    max_consecutive_failures: int = HfArg(default=25, help="stop after this many texts in a row fail transiently")
    temperature: float | None = HfArg(default=None, help="sampling temperature (not given: the server's)")
    max_tokens: int | None = HfArg(default=None, help="max reply tokens (not given: the server's)")
    max_descriptors: int = HfArg(default=10, help="keep at most N descriptors per text")
    max_words: int = HfArg(default=4, help="drop descriptors longer than N words as prose")
    price_in: float | None = HfArg(default=None, help="USD per 1M input tokens (cost estimate)")
    price_out: float | None = HfArg(default=None, help="USD per 1M output tokens (cost estimate)")
    progress: bool = HfArg(default=True, help="show a progress bar")
    retry_failed: bool = HfArg(default=False,
                               help="also re-ask texts whose stored answer failed validation (refusals etc.)")
    batch: bool = HfArg(default=False, help="use the OpenAI Batch API (resumable; cheaper, slower)")
    poll_interval: float = HfArg(default=30.0, help="batch polling period in seconds")
    batch_timeout: float | None = HfArg(
        default=None, help="stop waiting for the batch after S seconds (re-run resumes waiting; not given: no limit)")

    def __post_init__(self) -> None:
        if not isinstance(self.model, str) or not self.model.strip():
            raise ValueError(f"model must be a non-empty model name, got {self.model!r}; pass --model")
        for name, ok, must in _CHECKS:
            if not ok(getattr(self, name)):
                raise ValueError(f"{name} must be {must}, got {getattr(self, name)!r}")
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

    def generation_kwargs(self) -> dict[str, Any]:
        """``temperature``/``max_tokens`` of a chat-completions request, when set."""
        return {k: v for k, v in {"temperature": self.temperature, "max_tokens": self.max_tokens}.items()
                if v is not None}

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


def now_iso() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def versions() -> dict[str, str]:
    """Python, sentence_emo and openai versions, for ``summary.json``."""
    out = {"python": sys.version.split()[0]}
    for name in ("sentence_emo", "openai"):
        try:
            out[name] = getattr(importlib.import_module(name), "__version__", "unknown")
        except Exception:  # pragma: no cover - partial installs
            pass
    return out


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


def redact(text: object, secrets: list[str] | tuple[str, ...] = ()) -> str:
    """``text`` with the given secrets and anything that looks like an API key replaced by ``***``.

    >>> redact("Incorrect API key provided: sk-abcdef123456", [])
    'Incorrect API key provided: ***'
    >>> redact("key=xyz-secret-1 rejected", ["xyz-secret-1"])
    'key=*** rejected'
    """
    out = str(text)
    for secret in secrets:
        if secret and len(secret) >= 4:
            out = out.replace(secret, "***")
    return _SECRET_PATTERN.sub("***", out)
