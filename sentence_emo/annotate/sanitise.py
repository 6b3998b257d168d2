"""Turn a raw LLM reply into a clean descriptor list, or say precisely why it is unusable.

:func:`sanitise_reply` never invents a descriptor: it only removes formatting (numbering,
bullets, quotes, markdown, trailing punctuation, a leading ``"Emotions:"`` label, parenthetical
explanations), splits on commas, semicolons and new lines, lower-cases and de-duplicates, and
caps the list (at most ``max_descriptors`` items; items longer than ``max_words`` words are dropped
as prose). It finishes with :func:`sentence_emo.corpus.normalise_descriptors`.

A reply is *unusable* when it is empty, a refusal ("I'm sorry", "I cannot", "As an AI"...),
prose instead of a list, or (label mode) names labels outside the allowed set; the caller then
sends the prompt's follow-up instruction for that problem and, after the allowed number of
follow-ups, records the row as failed with the problem as the reason.

>>> sanitise_reply("1. Joy\\n2. **Relief**\\n3. gratitude.").descriptors
['joy', 'relief', 'gratitude']
>>> sanitise_reply('Emotions: "frustration"; mild annoyance (because of the delay)').descriptors
['frustration', 'mild annoyance']
>>> sanitise_reply("I'm sorry, but I can't help with that.").problem
'refusal'
>>> r = sanitise_reply("joy, pride, envy", labels=["joy", "anger"])
>>> r.problem, r.offending
('labels_out_of_set', ['pride', 'envy'])
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sentence_emo.corpus import NEUTRAL, normalise_descriptor, normalise_descriptors

#: reply problems that trigger a follow-up and, when they persist, become the failure reason
EMPTY_REPLY = "empty_reply"
REFUSAL = "refusal"
INVALID_REPLY = "invalid_reply"
LABELS_OUT_OF_SET = "labels_out_of_set"
INVALID_JSON = "invalid_json"  # taxonomy mode: the reply holds no JSON object
INVALID_TAXONOMY = "invalid_taxonomy"  # taxonomy mode: the JSON has missing or out-of-set values
REPLY_PROBLEMS = (EMPTY_REPLY, REFUSAL, INVALID_REPLY, LABELS_OUT_OF_SET, INVALID_JSON, INVALID_TAXONOMY)

_APOS = "['\u2019]"
_REFUSAL_START = re.compile(
    r"^\W*(?:"
    rf"i{_APOS}?m (?:so |very |really )?sorry|i am (?:so |very |really )?sorry|sorry,? (?:but|i)\b|"
    rf"i apologi[sz]e|my apologies|"
    rf"i (?:cannot|can{_APOS}?t|can not|won{_APOS}?t|will not|am unable|am not able|do not feel comfortable)|"
    rf"i{_APOS}?m (?:unable|not able|not comfortable)|"
    r"unfortunately,? i\b|as an ai\b|as a language model|as an artificial intelligence"
    r")",
    re.IGNORECASE,
)
_REFUSAL_ANYWHERE = re.compile(
    r"\bas an ai(?: language)? (?:model|assistant)\b|\bas a (?:large )?language model\b|"
    rf"\bi{_APOS}?m (?:just )?an ai\b|\bi (?:cannot|can{_APOS}?t) (?:help|assist|comply|provide|fulfil)",
    re.IGNORECASE,
)
#: replies that mean "no emotion"; mapped to 'neutral' as the prompt asks
_NEUTRAL_SYNONYMS = {"none", "no emotion", "no emotions", "no clear emotion", "no emotion expressed", "n/a", "na"}
_PROSE = re.compile(
    r"^(?:the (?:writer|author|text|speaker|person|user)|this (?:text|writer)|it seems|they (?:are|feel|seem)|"
    r"(?:he|she) (?:is|feels|seems)|i (?:think|would|believe)|here (?:are|is)|based on)\b",
    re.IGNORECASE,
)
_LEAD_LABEL = re.compile(
    r"^[^:\n]{0,40}\b(?:emotions?|descriptors?|labels?|feelings?)\b[^:\n]{0,20}:\s*", re.IGNORECASE
)
_SPLIT = re.compile(r"[,;\n\r]+|\s+\|\s+|\s+(?=\(?\d{1,2}[.)]\s)")
_NUMBERING = re.compile(r"^(?:\(?\d{1,3}[.):]|#+|[-*\u2022\u00b7\u2013\u2014+>])\s*")
_PAREN = re.compile(r"\s*[(\[][^)\]]*[)\]]")
_DASH_EXPLANATION = re.compile(r"\s+[-\u2013\u2014:]\s+.*$")
_EDGE = " \t\"'`\u2018\u2019\u201c\u201d*_~.!?:;"
_CONJ = re.compile(r"^(?:and|or|&)\s+", re.IGNORECASE)
_FENCE = re.compile(r"^```\w*\s*$|^```\s*$", re.MULTILINE)
_HAS_LETTER = re.compile(r"[^\W\d_]")


@dataclass
class SanitisedReply:
    """The outcome of :func:`sanitise_reply`.

    ``problem`` is ``None`` when ``descriptors`` is usable, else one of :data:`REPLY_PROBLEMS`;
    ``offending`` lists the items that caused it (out-of-set labels, prose items);
    ``dropped`` the items removed by the caps.
    """

    descriptors: list[str]
    problem: str | None = None
    offending: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    #: taxonomy mode: ``{"families": [...], "valence": ..., "arousal": ...}`` when the reply is usable
    taxonomy: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def is_refusal(reply: str) -> bool:
    """True when the reply reads as a refusal rather than an answer.

    >>> is_refusal("As an AI, I do not have feelings."), is_refusal("sorrow, regret")
    (True, False)
    """
    return bool(_REFUSAL_START.search(reply) or _REFUSAL_ANYWHERE.search(reply))


def clean_item(item: str) -> str:
    """Strip formatting around one reply item (numbering, bullets, quotes, markdown, punctuation).

    >>> clean_item('  2) "Mild amusement".')
    'mild amusement'
    """
    previous = None
    item = item.strip()
    while item != previous:  # layered formatting, e.g. '- **1. joy**'
        previous = item
        item = _NUMBERING.sub("", item.strip(_EDGE)).strip()
    item = _PAREN.sub("", item)
    item = _DASH_EXPLANATION.sub("", item)
    item = _CONJ.sub("", item.strip(_EDGE))
    return normalise_descriptor(item.strip(_EDGE))


def split_reply(reply: str) -> list[str]:
    """Split a reply into cleaned, non-empty items (no validation, no de-duplication)."""
    reply = _FENCE.sub("", reply).strip()
    reply = _LEAD_LABEL.sub("", reply, count=1)
    items = [clean_item(part) for part in _SPLIT.split(reply)]
    return [item for item in items if item]


def sanitise_reply(
    reply: str | None,
    *,
    labels: Sequence[str] | None = None,
    max_descriptors: int = 10,
    max_words: int = 4,
) -> SanitisedReply:
    """Clean and validate one reply (see the module docstring).

    Args:
        reply: the message content returned by the model (``None`` counts as empty).
        labels: allowed labels (label mode); ``neutral`` is always allowed as "none applies".
        max_descriptors: keep at most this many descriptors (the rest go to ``dropped``).
        max_words: items with more words are prose, not descriptors, and are dropped.
    """
    if max_descriptors < 1 or max_words < 1:
        raise ValueError(
            f"max_descriptors={max_descriptors} and max_words={max_words} must both be >= 1; raise them"
        )
    if reply is None or not reply.strip():
        return SanitisedReply([], EMPTY_REPLY)
    if is_refusal(reply):
        return SanitisedReply([], REFUSAL, offending=[reply.strip()[:200]])
    items = split_reply(reply)
    prose = [item for item in items if _PROSE.match(item)]
    if prose:
        return SanitisedReply([], INVALID_REPLY, offending=prose)
    items = [NEUTRAL if item in _NEUTRAL_SYNONYMS else item for item in items]
    kept: list[str] = []
    dropped: list[str] = []
    for item in items:
        if len(item.split()) > max_words or not _HAS_LETTER.search(item):
            dropped.append(item)
        else:
            kept.append(item)
    kept = normalise_descriptors(kept)
    if not kept:
        return SanitisedReply([], INVALID_REPLY, offending=dropped or [reply.strip()[:200]], dropped=dropped)
    if labels is not None:
        allowed = {normalise_descriptor(label) for label in labels} | {NEUTRAL}
        outside = [item for item in kept if item not in allowed]
        if outside:
            return SanitisedReply([], LABELS_OUT_OF_SET, offending=outside, dropped=dropped)
    if len(kept) > max_descriptors:
        dropped.extend(kept[max_descriptors:])
        kept = kept[:max_descriptors]
    return SanitisedReply(kept, None, dropped=dropped)


_JSON_OBJECT = re.compile(r"\{.*\}", re.DOTALL)


def sanitise_taxonomy_reply(reply: str | None) -> SanitisedReply:
    """Validate a taxonomy-mode reply: one JSON object with families (0-2), valence and arousal.

    Tolerates code fences, text around the object, key case and a single family given as a
    string; everything else is a problem whose ``offending`` items say what to fix.

    >>> sanitise_taxonomy_reply('```json\\n{"families": ["Anger"], "valence": "unpleasant", "arousal": "high"}\\n```').taxonomy
    {'families': ['anger'], 'valence': 'unpleasant', 'arousal': 'high'}
    >>> r = sanitise_taxonomy_reply('{"families": ["rage", "anger", "fear"], "valence": "bad", "arousal": "high"}')
    >>> r.problem, r.offending
    ('invalid_taxonomy', ["families: 'rage' is not an allowed family", 'families: 3 given, at most 2 allowed', "valence: 'bad' is not one of pleasant, unpleasant, neutral"])
    """
    from sentence_emo.annotate.prompts import TAXONOMY_AROUSAL, TAXONOMY_FAMILIES, TAXONOMY_VALENCE

    if reply is None or not reply.strip():
        return SanitisedReply([], EMPTY_REPLY)
    match = _JSON_OBJECT.search(_FENCE.sub("", reply))
    if match is None:
        if is_refusal(reply):
            return SanitisedReply([], REFUSAL, offending=[reply.strip()[:200]])
        return SanitisedReply([], INVALID_JSON, offending=[f"no JSON object in the reply: {reply.strip()[:200]!r}"])
    try:
        data = json.loads(match.group(0))
    except json.JSONDecodeError as exc:
        return SanitisedReply([], INVALID_JSON, offending=[f"invalid JSON ({exc.msg}): {match.group(0)[:200]!r}"])
    if not isinstance(data, dict):
        return SanitisedReply([], INVALID_JSON, offending=[f"expected a JSON object, got {type(data).__name__}"])
    data = {str(k).strip().lower(): v for k, v in data.items()}
    problems: list[str] = []
    families = data.get("families", data.get("family"))
    if families is None:
        problems.append("missing 'families' (use [] when the descriptor names no emotion)")
        families = []
    if isinstance(families, str):
        families = [families] if families.strip() else []
    if not isinstance(families, list) or not all(isinstance(f, str) for f in families):
        problems.append(f"families: expected a list of strings, got {families!r:.80}")
        families = []
    clean = list(dict.fromkeys(normalise_descriptor(f) for f in families if f.strip()))
    problems += [f"families: {f!r} is not an allowed family" for f in clean if f not in TAXONOMY_FAMILIES]
    if len(clean) > 2:
        problems.append(f"families: {len(clean)} given, at most 2 allowed")
    out: dict[str, Any] = {"families": clean}
    for key, allowed in (("valence", TAXONOMY_VALENCE), ("arousal", TAXONOMY_AROUSAL)):
        value = data.get(key)
        norm = normalise_descriptor(value) if isinstance(value, str) else None
        if value is None:
            problems.append(f"missing {key!r}")
        elif norm not in allowed:
            problems.append(f"{key}: {value!r} is not one of {', '.join(allowed)}")
        out[key] = norm
    if problems:
        return SanitisedReply([], INVALID_TAXONOMY, offending=problems)
    return SanitisedReply([], None, taxonomy=out)
