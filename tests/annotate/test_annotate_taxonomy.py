"""``annotate --mode taxonomy``: one request per distinct descriptor, JSON replies validated, same store."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from fake_openai_server import TEST_API_KEY as API_KEY
from fake_openai_server import Fault

from sentence_emo.annotate import (
    DESCRIPTOR_PROMPT,
    TAXONOMY_PROMPT,
    AnnotateConfig,
    Prompt,
    PromptError,
    annotate_taxonomy,
    corpus_descriptors,
    load_prompt,
    sanitise_taxonomy_reply,
)
from sentence_emo.cli import main
from sentence_emo.corpus import load_taxonomy

ANSWERS = {
    "joy": {"families": ["joy"], "valence": "pleasant", "arousal": "medium"},
    "anger": {"families": ["anger"], "valence": "unpleasant", "arousal": "high"},
    "relief": {"families": ["joy"], "valence": "pleasant", "arousal": "low"},
    "bitter amusement": {"families": ["joy", "anger"], "valence": "unpleasant", "arousal": "medium"},
    "irony": {"families": [], "valence": "neutral", "arousal": "low"},
}
PREFIX = "Emotion descriptor: "


def taxonomy_reply(text: str, messages) -> str:
    """What a good teacher answers: JSON for the descriptor in the user message (in a code fence)."""
    descriptor = text[len(PREFIX):] if text.startswith(PREFIX) else text
    return "```json\n" + json.dumps(ANSWERS.get(descriptor, {"families": [], "valence": "neutral",
                                                             "arousal": "low"})) + "\n```"


@pytest.fixture
def server(make_server):
    return make_server(api_key=API_KEY, reply_fn=taxonomy_reply)


def _corpus(tmp_path: Path) -> Path:
    rows = [("t1", ["joy", "relief"]), ("t2", ["joy"]), ("t3", ["anger", "joy"]), ("t4", ["anger"]),
            ("t5", ["bitter amusement"]), ("t6", ["irony", "anger"])]
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": f"text {i}", "descriptors": d}) + "\n" for i, d in rows))
    return path


def _config(server, **overrides) -> AnnotateConfig:
    settings = dict(model="fake-model", base_url=server.base_url, api_key=API_KEY, prompt=TAXONOMY_PROMPT,
                    concurrency=3, timeout=1.0, max_retries=3, reply_retries=2,
                    progress=False)
    settings.update(overrides)
    return AnnotateConfig(**settings)


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_one_request_per_distinct_descriptor_output_like_the_shipped_taxonomy_and_resume(server, tmp_path):
    corpus, out = _corpus(tmp_path), tmp_path / "tax"
    summary = annotate_taxonomy([corpus], out, _config(server))
    assert (summary.rows, summary.ok, summary.failed, summary.mode) == (5, 5, 0, "taxonomy")
    assert summary.prompt_version == "taxonomy@v1"
    asked = sorted(r.text for r in server.chat_requests())
    assert asked == sorted(PREFIX + d for d in ANSWERS)  # 10 descriptor uses, 5 distinct -> 5 requests
    rows = _lines(out / "taxonomy.jsonl")
    assert [r["descriptor"] for r in rows] == ["anger", "joy", "bitter amusement", "irony", "relief"]  # by frequency
    assert all(list(r) == ["descriptor", "families", "valence", "arousal"] for r in rows)
    shared = Path(__file__).resolve().parents[3] / "shared" / "data" / "llm_descriptors" / "taxonomy.jsonl"
    if shared.is_file():  # the same format as the teacher's taxonomy file
        assert list(json.loads(shared.read_text().splitlines()[0])) == list(rows[0])
    assert load_taxonomy(out / "taxonomy.jsonl")["bitter amusement"] == {"descriptor": "bitter amusement",
                                                                          **ANSWERS["bitter amusement"]}
    assert (out / "failed.jsonl").read_text() == ""
    assert json.loads((out / "summary.json").read_text())["mode"] == "taxonomy"

    before = len(server.chat_requests())
    again = annotate_taxonomy([corpus], out, _config(server))  # resume: everything is in the store
    assert len(server.chat_requests()) == before and again.cached == 5 and again.annotated_now == 0
    assert _lines(out / "taxonomy.jsonl") == rows


def test_faults_retried_malformed_replies_followed_up_then_recorded_with_a_clear_reason(server, tmp_path):
    server.script_text(PREFIX + "anger", Fault.status(429, retry_after="0.05"), Fault.status(500))
    server.script_text(PREFIX + "relief", *[Fault.reply("Relief is a pleasant, low-arousal emotion.")] * 3)
    server.script_text(PREFIX + "joy", Fault.reply('{"families": ["happiness"], "valence": "good", "arousal": "high"}'))
    server.script_text(PREFIX + "irony", *[Fault.status(503)] * 4)
    corpus, out = _corpus(tmp_path), tmp_path / "tax"
    summary = annotate_taxonomy(corpus, out, _config(server))
    assert summary.failed_by_reason == {"invalid_json": 1, "server_error": 1}
    assert summary.retries >= 2 + 3
    taxonomy = load_taxonomy(out / "taxonomy.jsonl")
    assert set(taxonomy) == {"anger", "joy", "bitter amusement"}
    assert taxonomy["joy"]["families"] == ["joy"]  # fixed after the follow-up
    joy_requests = server.requests_for(PREFIX + "joy")
    assert [r.followup for r in joy_requests] == [False, True]
    failed = {r["descriptor"]: r for r in _lines(out / "failed.jsonl")}
    assert failed["relief"]["reason"] == "invalid_json"
    assert "after 3 replies" in failed["relief"]["detail"] and "no JSON object" in failed["relief"]["detail"]
    assert failed["irony"]["reason"] == "server_error" and "HTTP 503" in failed["irony"]["detail"]

    # the content failure is stored (not paid twice); the transient one is asked again on the re-run
    before = len(server.chat_requests())
    annotate_taxonomy(corpus, out, _config(server))
    assert [r.text for r in server.chat_requests()[before:]] == [PREFIX + "irony"]
    assert set(load_taxonomy(out / "taxonomy.jsonl")) == {"anger", "joy", "bitter amusement", "irony"}


def test_cli_taxonomy_mode_reads_an_annotation_dir_and_the_shipped_corpus(server, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
    annotated = tmp_path / "annotated"
    annotated.mkdir()
    _corpus(tmp_path).rename(annotated / "corpus.jsonl")
    out = tmp_path / "tax"
    common = ["--mode", "taxonomy", "--model", "fake-model", "--base-url", server.base_url, "--no-progress",
              "--timeout", "2"]
    assert main(["annotate", str(annotated), "--out", str(out), *common]) == 0
    printed = capsys.readouterr().out
    assert "annotated 5/5 descriptors" in printed and "--taxonomy" in printed
    assert len(_lines(out / "taxonomy.jsonl")) == 5

    assert main(["annotate", "llm-descriptors", "--out", str(tmp_path / "shipped"), "--limit", "3", *common]) == 0
    assert [r["descriptor"] for r in _lines(tmp_path / "shipped" / "taxonomy.jsonl")] == \
        ["amusement", "neutral", "frustration"]
    assert list(corpus_descriptors(["llm-descriptors"]))[:3] == ["amusement", "neutral", "frustration"]

    assert main(["annotate", str(annotated), "--out", str(out), *common, "--labels", "joy,anger"]) == 2
    assert "--labels does not apply to --mode taxonomy" in capsys.readouterr().err


@pytest.mark.parametrize("reply, problem, offending", [
    (None, "empty_reply", []),
    ("I'm sorry, but I can't help with that.", "refusal", ["I'm sorry, but I can't help with that."]),
    ('{"families": ["joy"], "valence": "pleasant"', "invalid_json", None),
    ('["joy"]', "invalid_json", None),
    ('{"families": ["joy"], "valence": "pleasant"}', "invalid_taxonomy", ["missing 'arousal'"]),
    ('{"families": "love, joy", "valence": "pleasant", "arousal": "low"}', "invalid_taxonomy",
     ["families: 'love, joy' is not an allowed family"]),
])
def test_sanitise_taxonomy_reply_names_the_problem(reply, problem, offending):
    result = sanitise_taxonomy_reply(reply)
    assert result.problem == problem and result.taxonomy is None
    if offending is not None:
        assert result.offending == offending


def test_sanitise_taxonomy_reply_accepts_tolerable_variants():
    ok = sanitise_taxonomy_reply('Here it is: {"Families": "Fear", "VALENCE": "Unpleasant", "arousal": "HIGH"}.')
    assert ok.ok and ok.taxonomy == {"families": ["fear"], "valence": "unpleasant", "arousal": "high"}
    assert sanitise_taxonomy_reply('{"families": [], "valence": "neutral", "arousal": "low"}').taxonomy["families"] == []


def test_taxonomy_prompt_is_versioned_and_descriptor_prompt_hashes_are_unchanged(tmp_path):
    old_payload = json.dumps([DESCRIPTOR_PROMPT.system, DESCRIPTOR_PROMPT.user_template,
                              sorted(DESCRIPTOR_PROMPT.followups.items()), []], ensure_ascii=False)
    assert DESCRIPTOR_PROMPT.sha == hashlib.sha256(old_payload.encode()).hexdigest()[:12]  # old stores stay valid
    assert TAXONOMY_PROMPT.version_id == "taxonomy@v1" and "{text}" in TAXONOMY_PROMPT.user_template
    assert "shame, guilt" in TAXONOMY_PROMPT.system and TAXONOMY_PROMPT.messages("joy")[1]["content"] == PREFIX + "joy"
    with pytest.raises(PromptError, match="prompt kind 'x' is unknown"):
        Prompt(name="p", version="1", system="s", kind="x")
    with pytest.raises(PromptError, match="is a taxonomy prompt; labels only apply to descriptor prompts"):
        TAXONOMY_PROMPT.with_labels(["joy"])
    with pytest.raises(PromptError, match="a taxonomy prompt takes no label list"):
        Prompt(name="p", version="1", system="s {labels}", labels=("joy",), kind="taxonomy")
    with pytest.raises(ValueError, match="labels do not apply to taxonomy mode"):
        AnnotateConfig(model="m", prompt=TAXONOMY_PROMPT, labels=["joy"])
    path = tmp_path / "p.txt"
    path.write_text("name: my-tax\nversion: 2\nkind: taxonomy\n=== system\nClassify as JSON.\n=== user\nD: {text}\n")
    prompt = load_prompt(path)
    assert prompt.kind == "taxonomy" and AnnotateConfig(model="m", prompt=prompt).mode == "taxonomy"
    with pytest.raises(ValueError, match="annotate_taxonomy needs a taxonomy prompt"):
        annotate_taxonomy(["llm-descriptors"], tmp_path / "o", AnnotateConfig(model="m"))
