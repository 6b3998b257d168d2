"""Prompts as versioned data: defaults, label prompts and user prompt files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sentence_emo.annotate.prompts import (
    DESCRIPTOR_PROMPT,
    PAPER_SYSTEM_PROMPT,
    Prompt,
    PromptError,
    label_prompt,
    load_prompt,
)


def test_default_prompt_is_the_papers() -> None:
    assert DESCRIPTOR_PROMPT.system == PAPER_SYSTEM_PROMPT
    assert "Reply with only the emotion descriptors (words or phrases), separated by comma." in PAPER_SYSTEM_PROMPT
    messages = DESCRIPTOR_PROMPT.messages("My {braces} stay")
    assert messages == [{"role": "system", "content": PAPER_SYSTEM_PROMPT},
                        {"role": "user", "content": "My {braces} stay"}]
    assert DESCRIPTOR_PROMPT.version_id == "descriptors@paper-v1"


def test_label_prompt_version_depends_on_the_label_set() -> None:
    a = label_prompt(["Joy", "anger", "neutral"])
    b = label_prompt(["joy", "anger", "neutral"])
    c = label_prompt(["joy", "sadness"])
    assert a.labels == ("joy", "anger", "neutral")  # 'neutral' kept as a label
    assert a.version_id == b.version_id and a.sha == b.sha
    assert a.version_id != c.version_id
    assert "Choose only from these labels: joy, anger, neutral." in a.render_system()
    followup = a.followup("labels_out_of_set", ["pride"])
    assert "'pride'" in followup and "joy, anger, neutral" in followup
    with pytest.raises(PromptError, match="label list is empty"):
        label_prompt([" ", ""])
    with pytest.raises(TypeError, match="split it on commas"):
        label_prompt("joy,anger")


def test_prompt_validation_messages_name_the_fix() -> None:
    with pytest.raises(PromptError, match=r"lacks \{text\}"):
        Prompt(name="p", version="1", system="x", user_template="no placeholder")
    with pytest.raises(PromptError, match="version"):
        Prompt(name="p", version="", system="x")
    with pytest.raises(PromptError, match="name"):
        Prompt(name="has space", version="1", system="x")
    with pytest.raises(PromptError, match=r"lacks \{labels\}"):
        DESCRIPTOR_PROMPT.with_labels(["joy"])


def test_load_text_prompt_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.prompt"
    path.write_text(
        "# my prompt\nname: short-desc\nversion: 3\n=== system\nName the writer's emotions.\nComma separated.\n"
        "=== user\nText: {text}\n=== followup refusal\nIt is research; just list emotions.\n",
        encoding="utf-8",
    )
    prompt = load_prompt(path)
    assert prompt.version_id == "short-desc@3"
    assert prompt.system == "Name the writer's emotions.\nComma separated."
    assert prompt.render_user("hi") == "Text: hi"
    assert prompt.followup("refusal") == "It is research; just list emotions."
    assert "empty" in prompt.followup("empty_reply")  # defaults kept for the others
    edited = load_prompt(path)
    assert edited.sha == prompt.sha


def test_load_json_prompt_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"name": "j", "version": 2, "system": "S", "user_template": "<{text}>"}))
    prompt = load_prompt(path)
    assert prompt.version_id == "j@2" and prompt.render_user("x") == "<x>"
    path.write_text(json.dumps({"name": "j", "version": 2, "system": "S", "temperature": 1}))
    with pytest.raises(PromptError, match="unknown prompt keys"):
        load_prompt(path)
    bad = tmp_path / "bad.prompt"
    bad.write_text("name: x\n=== system\nS\n")
    with pytest.raises(PromptError, match="version"):
        load_prompt(bad)
    bad.write_text("name: x\nversion: 1\nsomething odd\n")
    with pytest.raises(PromptError, match="line 3"):
        load_prompt(bad)
    with pytest.raises(FileNotFoundError, match="--prompt"):
        load_prompt(tmp_path / "missing.prompt")
