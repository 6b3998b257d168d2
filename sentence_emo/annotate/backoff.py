"""Retry timing: ``Retry-After`` parsing and jittered exponential backoff.

>>> parse_retry_after({"retry-after-ms": "250"})
0.25
>>> parse_retry_after({"retry-after": "3"})
3.0
>>> parse_retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, now=1445412470.0)
10.0
>>> parse_retry_after({"retry-after": "soon"}) is None
True
>>> 0.5 <= backoff_delay(0, base=1.0, maximum=30.0) <= 1.0
True
"""

from __future__ import annotations

import email.utils
import math
import random
import re
import time
from collections.abc import Mapping

_SECRET_PATTERN = re.compile(r"\b(sk-[A-Za-z0-9_\-*]{6,}|Bearer\s+\S+)")


def parse_retry_after(headers: Mapping[str, str] | None, *, now: float | None = None) -> float | None:
    """Seconds to wait according to ``retry-after-ms`` or ``retry-after`` (seconds or HTTP date).

    Returns ``None`` when neither header is present or parseable; never a negative number.
    Header names are matched case-insensitively.
    """
    if not headers:
        return None
    lower = {str(k).lower(): str(v) for k, v in headers.items()}
    for name, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = lower.get(name)
        if value is None:
            continue
        try:
            seconds = float(value.strip()) / divisor
        except ValueError:
            continue
        if math.isfinite(seconds):
            return max(0.0, seconds)
    value = lower.get("retry-after")
    if value is None:
        return None
    try:
        parsed = email.utils.parsedate_tz(value)
        if parsed is None:
            return None
        when = email.utils.mktime_tz(parsed)
    except (TypeError, ValueError, OverflowError):
        return None
    return max(0.0, float(when - (time.time() if now is None else now)))


def backoff_delay(attempt: int, *, base: float, maximum: float, rng: random.Random | None = None) -> float:
    """``min(maximum, base * 2**attempt)`` scaled by a jitter factor in [0.5, 1]."""
    ceiling = min(maximum, base * (2.0 ** min(attempt, 60)))
    return ceiling * (0.5 + 0.5 * (rng or random).random())


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
