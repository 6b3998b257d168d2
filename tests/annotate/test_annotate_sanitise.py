"""Reply sanitising and validation (pure functions) + the library doctests of the package."""

from __future__ import annotations

import doctest
import importlib

import pytest

from sentence_emo.annotate.sanitise import (
    EMPTY_REPLY,
    INVALID_REPLY,
    LABELS_OUT_OF_SET,
    REFUSAL,
    clean_item,
    is_refusal,
    sanitise_reply,
)


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("Joy, excitement, and relief.", ["joy", "excitement", "relief"]),
        ("1. Joy\n2. **Relief**\n3) gratitude", ["joy", "relief", "gratitude"]),
        ("1) Frustration 2) anger", ["frustration", "anger"]),
        ("- sadness\n* loneliness\n\u2022 a sense of loss", ["sadness", "loneliness", "a sense of loss"]),
        ('"Nervousness"; \u201cmild anxiety\u201d', ["nervousness", "mild anxiety"]),
        ("Emotions: anger - the writer is upset about the bus", ["anger"]),
        ("Here are the emotion descriptors: joy (the gift), hope", ["joy", "hope"]),
        ("```\njoy, fear\n```", ["joy", "fear"]),
        ("JOY, joy, Joy!", ["joy"]),
        ("neutral, joy", ["joy"]),  # 'neutral' only stands alone (normalise_descriptors)
        ("None", ["neutral"]),
        ("Neutral.", ["neutral"]),
        ("sorry, regret", ["sorry", "regret"]),  # 'sorry' as an emotion is not a refusal
        ("bitter-sweet | nostalgia", ["bitter-sweet", "nostalgia"]),
    ],
)
def test_sanitise_cleans_formatting_without_inventing(reply: str, expected: list[str]) -> None:
    result = sanitise_reply(reply)
    assert result.ok, result
    assert result.descriptors == expected
    for descriptor in result.descriptors:  # never a word that is not in the reply (except none -> neutral)
        assert descriptor in reply.lower() or descriptor == "neutral"


@pytest.mark.parametrize(
    ("reply", "problem"),
    [
        ("", EMPTY_REPLY),
        ("   \n ", EMPTY_REPLY),
        (None, EMPTY_REPLY),
        ("I'm sorry, but I can't help with that.", REFUSAL),
        ("I cannot determine emotions from this text.", REFUSAL),
        ("As an AI, I do not have feelings, but the text suggests joy.", REFUSAL),
        ("Sorry, I am unable to comply.", REFUSAL),
        ("I apologize, but this request violates policy.", REFUSAL),
        ("The writer expresses joy and gratitude about the news.", INVALID_REPLY),
        ("42, 17", INVALID_REPLY),
        ("It is very hard to say what the writer feels in this particular text", INVALID_REPLY),
    ],
)
def test_unusable_replies_are_detected(reply: str | None, problem: str) -> None:
    result = sanitise_reply(reply)
    assert result.problem == problem
    assert result.descriptors == []


def test_caps_on_count_and_length() -> None:
    many = ", ".join(f"feeling{i}" for i in range(15))
    result = sanitise_reply(many, max_descriptors=5)
    assert result.descriptors == [f"feeling{i}" for i in range(5)]
    assert result.dropped == [f"feeling{i}" for i in range(5, 15)]
    long = sanitise_reply("joy, a deep and lasting sense of gratitude for everything", max_words=4)
    assert long.descriptors == ["joy"]
    assert long.dropped == ["a deep and lasting sense of gratitude for everything"]
    with pytest.raises(ValueError, match="max_descriptors"):
        sanitise_reply("joy", max_descriptors=0)


def test_label_mode_rejects_labels_outside_the_set() -> None:
    labels = ["Joy", "anger", "sadness"]
    assert sanitise_reply("Joy; ANGER", labels=labels).descriptors == ["joy", "anger"]
    assert sanitise_reply("neutral", labels=labels).descriptors == ["neutral"]
    bad = sanitise_reply("joy, pride, envy", labels=labels)
    assert bad.problem == LABELS_OUT_OF_SET
    assert bad.offending == ["pride", "envy"]
    assert bad.descriptors == []


def test_refusal_and_item_helpers() -> None:
    assert is_refusal("I'm unable to assist with that request.")
    assert is_refusal("Unfortunately, I cannot label this.")
    assert not is_refusal("apologetic, remorse")
    assert clean_item("  - 3. **'Relief'**!! ") == "relief"


@pytest.mark.parametrize(
    "module",
    ["sanitise", "prompts", "config", "store"],
)
def test_library_doctests(module: str) -> None:
    mod = importlib.import_module(f"sentence_emo.annotate.{module}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{module} has no doctests"
    assert result.failed == 0
