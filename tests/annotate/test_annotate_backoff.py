"""Retry timing comes from the openai client (its ``max_retries``, ``timeout``, backoff and
``retry-after`` reading); the annotator adds the shared pause. Also: secret redaction."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

from fake_openai_server import Fault

from sentence_emo.annotate import annotate_texts
from sentence_emo.annotate.client import RunClient
from sentence_emo.annotate.config import redact


def test_the_client_gets_the_configured_retries_and_timeout(fake_server, config_for) -> None:
    async def build() -> RunClient:
        client = RunClient(config_for(fake_server, max_retries=4, timeout=30.0), base_url=fake_server.base_url,
                           api_key="k", stats=Counter(), stopped=lambda: False)
        await client.close()
        return client

    client = asyncio.run(build())
    assert client.openai.max_retries == 4
    assert client.openai.timeout.read == 30.0 and client.openai.timeout.connect == 10.0


def test_retry_after_ms_wins_over_seconds_and_a_bad_value_falls_back_to_backoff(make_server, config_for) -> None:
    s = make_server()
    s.script_text("ms wins", Fault.status(429, retry_after_ms="200", retry_after="9"))
    s.script_text("unparseable", Fault.status(429, retry_after="tomorrow-ish"))
    start = time.monotonic()
    results = annotate_texts(["ms wins", "unparseable"], config_for(s, concurrency=1))
    assert all(r.status == "ok" for r in results)
    first, retry = s.requests_for("ms wins")
    assert retry.time - first.time >= 0.18  # waited the 200 ms, not the 9 s
    assert len(s.requests_for("unparseable")) == 2  # retried after the client's own backoff
    assert time.monotonic() - start < 8.0


def test_redact_removes_given_secret_and_key_like_tokens() -> None:
    assert "zz-secret-123" not in redact("bad key zz-secret-123 given", ["zz-secret-123"])
    assert redact("Incorrect API key provided: sk-proj-abc*****wxyz.", []) == "Incorrect API key provided: ***."
    assert redact("Authorization: Bearer abc.def", []) == "Authorization: ***"
    assert redact("nothing secret here", ["x"]) == "nothing secret here"  # too short to be a key
