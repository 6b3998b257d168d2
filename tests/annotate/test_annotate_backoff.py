"""Retry-After parsing, backoff bounds and secret redaction."""

from __future__ import annotations

import email.utils
import random
import time

from sentence_emo.annotate.backoff import backoff_delay, parse_retry_after, redact


def test_retry_after_seconds_ms_and_http_date() -> None:
    assert parse_retry_after({"Retry-After": "2"}) == 2.0
    assert parse_retry_after({"retry-after": "1.5"}) == 1.5
    assert parse_retry_after({"retry-after-ms": "20", "retry-after": "9"}) == 0.02  # ms wins
    now = time.time()
    date = email.utils.formatdate(now + 30, usegmt=True)
    assert 28.0 <= parse_retry_after({"retry-after": date}, now=now) <= 31.0
    past = email.utils.formatdate(now - 30, usegmt=True)
    assert parse_retry_after({"retry-after": past}, now=now) == 0.0
    assert parse_retry_after({"retry-after": "-5"}) == 0.0
    assert parse_retry_after({"retry-after": "tomorrow-ish"}) is None
    assert parse_retry_after({}) is None
    assert parse_retry_after(None) is None


def test_backoff_grows_is_capped_and_jittered() -> None:
    rng = random.Random(0)
    delays = [backoff_delay(k, base=0.5, maximum=4.0, rng=rng) for k in range(8)]
    for k, delay in enumerate(delays):
        ceiling = min(4.0, 0.5 * 2**k)
        assert ceiling / 2 <= delay <= ceiling
    assert len({round(backoff_delay(3, base=1, maximum=100), 6) for _ in range(20)}) > 1  # jitter
    assert backoff_delay(10_000, base=1.0, maximum=3.0) <= 3.0


def test_redact_removes_given_secret_and_key_like_tokens() -> None:
    assert "zz-secret-123" not in redact("bad key zz-secret-123 given", ["zz-secret-123"])
    assert redact("Incorrect API key provided: sk-proj-abc*****wxyz.", []) == "Incorrect API key provided: ***."
    assert redact("Authorization: Bearer abc.def", []) == "Authorization: ***"
    assert redact("nothing secret here", ["x"]) == "nothing secret here"  # too short to be a key
