"""Live annotation against a real local server with injected faults.

Every input row must end annotated or recorded as failed with its reason; transient failures are
not stored (a re-run asks again), content failures are (a re-run does not pay twice).
"""

from __future__ import annotations

import email.utils
import json
import time
from pathlib import Path

import pytest
from fake_openai_server import Fault

from sentence_emo.annotate import AnnotateError, AnnotationStore, annotate_texts
from sentence_emo.annotate.annotator import Annotator
from sentence_emo.annotate.inputs import InputRow

TEXTS = ["I am so happy today", "The bus was late again", "I miss my grandmother", "wow, what a view",
         "Meeting moved to 3pm", "I hate waiting", "We are proud of you", "Thank you for the flowers"]


#: a "slow" reply that never comes while the test runs (the server's stop releases it)
HANG = 600.0


def _by_text(results):
    return {r.text: r for r in results}


def test_all_rows_end_ok_or_failed_under_mixed_faults(fake_server, config_for, tmp_path: Path) -> None:
    s = fake_server
    s.script_text("happy", Fault.status(429, retry_after="0.05"))
    s.script_text("late", Fault.status(500), Fault.status(503))
    # hangs until the server stops: far beyond the client timeout -> a timeout, retried. The timeout is
    # generous (3 s) so that normal replies never time out on a loaded machine (0.4 s did: a flaky test)
    s.script_text("grandmother", Fault.slow(HANG))
    s.script_text("wow", Fault.malformed(), Fault.malformed(b""))
    s.script_text("Meeting", Fault.reply(""), Fault.reply("   "), Fault.reply(""))  # empty thrice -> failed
    s.script_text("hate", Fault.reply("I'm sorry, but I can't help with that."))  # refusal once -> follow-up
    s.script_text("proud", *[Fault.status(500)] * 4)  # 5xx on all 1 + max_retries attempts -> server_error
    s.script_text("flowers", Fault.reply("joy", finish_reason="content_filter"))
    texts = [*TEXTS, "", "I am so happy today"]  # an empty text and a duplicate
    config = config_for(s, timeout=3.0, max_retries=3)
    store_path = tmp_path / "a.jsonl"
    results = annotate_texts(texts, config, store_path=store_path)
    assert len(results) == len(texts)
    got = {(r.text, r.status, r.reason) for r in results}
    assert got == {
        ("I am so happy today", "ok", None),
        ("The bus was late again", "ok", None),
        ("I miss my grandmother", "ok", None),
        ("wow, what a view", "ok", None),
        ("Meeting moved to 3pm", "failed", "empty_reply"),
        ("I hate waiting", "ok", None),
        ("We are proud of you", "failed", "server_error"),
        ("Thank you for the flowers", "failed", "content_filter"),
        ("", "failed", "empty_text"),
    }
    by_text = _by_text(results)
    assert by_text["I am so happy today"].descriptors == ["joy"]
    assert by_text["I hate waiting"].descriptors == ["anger"]
    assert by_text["We are proud of you"].detail.startswith("HTTP 500") and "4 attempts" in by_text[
        "We are proud of you"].detail
    # the duplicate text was requested once; the refusal got exactly one follow-up
    assert len(s.requests_for("I am so happy today")) == 2  # 429 + success
    hate = s.requests_for("I hate waiting")
    assert [r.followup for r in hate] == [False, True]
    assert len(s.requests_for("We are proud of you")) == 4  # 1 + max_retries
    assert len(s.requests_for("")) == 0
    # the store holds answers and content failures, never transient failures
    with AnnotationStore(store_path) as store:
        statuses = sorted((r["text"], r["status"]) for r in store.records())
    assert ("We are proud of you", "failed") not in statuses
    assert ("Meeting moved to 3pm", "failed") in statuses
    assert ("Thank you for the flowers", "failed") in statuses
    # re-run: only the transient failure is asked again, now it succeeds
    before = len(s.chat_requests())
    again = annotate_texts(texts, config, store_path=store_path)
    new_requests = s.chat_requests()[before:]
    assert [r.text for r in new_requests] == ["We are proud of you"]
    assert _by_text(again)["We are proud of you"].status == "ok"
    assert _by_text(again)["Meeting moved to 3pm"].reason == "empty_reply"  # stored, not re-paid


def test_retry_after_is_honoured_and_pauses_all_workers(make_server, config_for) -> None:
    s = make_server()
    s.script_request(1, Fault.status(429, retry_after_ms="300"))
    config = config_for(s, concurrency=2)
    start = time.monotonic()
    results = annotate_texts(["a text", "another text", "third text"], config)
    elapsed = time.monotonic() - start
    assert all(r.status == "ok" for r in results)
    log = s.chat_requests()
    first_429 = next(r for r in log if r.status == 429)
    # the other worker may have sent its next request while the 429 was on the wire (a race under load), but
    # once the client has read it (well within 0.1 s) no worker sends anything until Retry-After has passed
    gaps = [r.time - first_429.time for r in log if r.n != first_429.n]
    assert not [g for g in gaps if 0.1 <= g < 0.28], gaps
    retry = [r for r in log if r.text == first_429.text and r.n > first_429.n]
    assert retry and retry[0].time - first_429.time >= 0.28
    assert elapsed >= 0.3


def test_retry_after_http_date_and_limit(make_server, config_for) -> None:
    s = make_server()
    dates: list[str] = []

    def date_when_sent() -> str:
        # 1 s resolution: 0.5-1.5 s after the 429 is sent (fixed at send time, so a slow start cannot eat it)
        dates.append(email.utils.formatdate(time.time() + 1.5, usegmt=True))
        return dates[-1]

    s.script_text("dated", Fault.status(429, retry_after=date_when_sent))
    s.script_text("too long", Fault.status(429, retry_after="3600"))
    config = config_for(s)  # the client waits at most 2 minutes
    results = _by_text(annotate_texts(["dated", "too long"], config))
    assert results["dated"].status == "ok"
    first, retry = s.requests_for("dated")
    assert retry.time >= email.utils.parsedate_to_datetime(dates[0]).timestamp() - 0.05
    assert retry.time - first.time >= 0.4
    assert results["too long"].reason == "rate_limited"
    assert "asked to wait 3600s" in results["too long"].detail
    assert len(s.requests_for("too long")) == 1  # gave up at once instead of waiting an hour


def test_label_mode_retries_with_instruction_then_fails(make_server, config_for) -> None:
    seen_followups: list[str] = []

    def reply(text, messages):
        if len(messages) > 2:
            seen_followups.append(messages[-1]["content"])
        return "joy, pride" if "proud" in text else "joy"

    s = make_server(reply_fn=reply)
    s.script_text("fixed", Fault.reply("happiness"))  # wrong once, then 'joy'
    config = config_for(s, labels=["joy", "anger", "sadness"], reply_retries=2)
    results = _by_text(annotate_texts(["fixed later", "so proud of her"], config))
    assert results["fixed later"].descriptors == ["joy"]
    assert results["so proud of her"].reason == "labels_out_of_set"
    assert "pride" in results["so proud of her"].detail
    assert len(s.requests_for("so proud of her")) == 3  # 1 + reply_retries
    assert any("'happiness'" in f and "joy, anger, sadness" in f for f in seen_followups)
    assert any("'pride'" in f for f in seen_followups)


def test_concurrency_is_bounded_and_used(make_server, config_for) -> None:
    s = make_server(latency=0.3)  # long enough that requests overlap even when the client is slowed by load
    annotate_texts([f"text number {i}" for i in range(24)], config_for(s, concurrency=6))
    assert 2 <= s.max_in_flight <= 6


def test_bad_request_is_a_row_failure_not_retried(fake_server, config_for) -> None:
    fake_server.script_text("too long", Fault.status(400, message="context length exceeded"))
    results = _by_text(annotate_texts(["too long text", "fine text"], config_for(fake_server)))
    assert results["too long text"].reason == "bad_request"
    assert "context length exceeded" in results["too long text"].detail
    assert len(fake_server.requests_for("too long text")) == 1
    assert results["fine text"].status == "ok"


def test_wrong_key_stops_the_run_with_a_clear_message(fake_server, config_for) -> None:
    config = config_for(fake_server, api_key="wrong-key-0123456789")
    with pytest.raises(AnnotateError, match="rejected the API key.*OPENAI_API_KEY") as info:
        annotate_texts(TEXTS, config)
    assert "wrong-key-0123456789" not in str(info.value)
    # the run stopped at the first 401s: at most one per worker (4), not one per text (8) or per retry
    assert 1 <= fake_server.unauthorized <= 4
    assert fake_server.chat_requests() == []


def test_unreachable_server_stops_at_once(config_for, make_server) -> None:
    s = make_server()
    url = s.base_url
    s.stop()
    config = config_for(s, base_url=url, max_retries=5)
    start = time.monotonic()
    with pytest.raises(AnnotateError, match="cannot reach the server.*--base-url"):
        annotate_texts(TEXTS, config)
    # no backoff marathon per row: 5 retries from 0.5 s would take >= 0.5+1+2+4+8 = 15.5 s for one row alone;
    # the bound leaves room for a loaded machine
    assert time.monotonic() - start < 10.0


def test_persistent_failures_stop_the_run_and_rows_are_recorded(make_server, config_for, tmp_path) -> None:
    s = make_server()
    s.script_request(1, Fault.reply("joy"))  # one success: the server is reachable
    for n in range(2, 200):
        s.script_request(n, Fault.status(502))
    config = config_for(s, concurrency=1, max_retries=1, max_consecutive_failures=3)
    annotator_rows = [InputRow(row=i + 1, id=f"r{i}", text=f"text {i}") for i in range(10)]
    annotator = Annotator(config, store=AnnotationStore(tmp_path / "a.jsonl"))
    results = annotator.run(annotator_rows)
    reasons = [r.reason for r in results]
    assert reasons[0] is None and reasons[1:4] == ["server_error"] * 3
    assert set(reasons[4:]) == {"aborted"}
    assert "3 texts in a row failed" in results[-1].detail
    assert len(s.chat_requests()) == 1 + 3 * 2


def test_missing_api_key_names_the_variable(fake_server, config_for) -> None:
    config = config_for(fake_server, api_key=None)
    with pytest.raises(AnnotateError, match="OPENAI_API_KEY"):
        annotate_texts(["x"], config)
    config = config_for(fake_server, api_key=None, api_key_env="MY_LLM_KEY")
    with pytest.raises(AnnotateError, match="MY_LLM_KEY"):
        annotate_texts(["x"], config)


def test_changed_prompt_wording_under_same_version_is_refused(fake_server, config_for, tmp_path) -> None:
    from sentence_emo.annotate import Prompt

    store = tmp_path / "a.jsonl"
    annotate_texts(["hello"], config_for(fake_server, prompt=Prompt("mine", "1", "List emotions.")),
                   store_path=store)
    with pytest.raises(AnnotateError, match="bump the prompt version"):
        annotate_texts(["hello"], config_for(fake_server, prompt=Prompt("mine", "1", "Name emotions.")),
                       store_path=store)
    ok = annotate_texts(["hello"], config_for(fake_server, prompt=Prompt("mine", "2", "Name emotions.")),
                        store_path=store)
    assert ok[0].status == "ok"
    lines = [json.loads(line) for line in store.read_text().splitlines()]
    assert [line["prompt_version"] for line in lines] == ["mine@1", "mine@2"]


def test_persistent_timeouts_fail_with_reason(fake_server, config_for) -> None:
    fake_server.script_text("stuck", Fault.slow(HANG), Fault.slow(HANG))
    results = _by_text(annotate_texts(["stuck here", "fine"], config_for(fake_server, timeout=1.5, max_retries=1)))
    assert results["stuck here"].reason == "timeout"
    assert "no reply within 1.5s (after 2 attempts)" in results["stuck here"].detail
    assert results["fine"].status == "ok"


def test_retry_failed_reasks_stored_content_failures(fake_server, config_for, tmp_path) -> None:
    fake_server.script_text("hmm", *[Fault.reply("As an AI language model, I cannot feel.")] * 3)
    store = tmp_path / "a.jsonl"
    first = annotate_texts(["hmm, I am happy"], config_for(fake_server), store_path=store)
    assert first[0].reason == "refusal"
    assert annotate_texts(["hmm, I am happy"], config_for(fake_server), store_path=store)[0].reason == "refusal"
    assert len(fake_server.requests_for("hmm, I am happy")) == 3  # the stored failure was not re-paid
    again = annotate_texts(["hmm, I am happy"], config_for(fake_server, retry_failed=True), store_path=store)
    assert again[0].descriptors == ["joy"]
    lines = [json.loads(line) for line in store.read_text().splitlines()]
    assert [line["status"] for line in lines] == ["failed", "ok"]  # history kept; the last record wins


def test_sync_api_works_inside_a_running_event_loop(fake_server, config_for) -> None:
    import asyncio

    async def notebook_cell():  # Jupyter runs cells inside an event loop
        return annotate_texts(["so happy"], config_for(fake_server))

    assert asyncio.run(notebook_cell())[0].descriptors == ["joy"]
