"""Annotation prompts as versioned data.

A :class:`Prompt` is a name, a version, a system prompt, a user-message template and the
follow-up instructions sent when a reply is unusable. Every stored answer records
``prompt.version_id`` (``"<name>@<version>"``) and a short hash of the prompt content, so a
store never mixes answers to different prompts under one version.

Four sources of prompts:

* :data:`DESCRIPTOR_PROMPT`: the paper's free-form descriptor prompt (the default);
* :data:`TAXONOMY_PROMPT` (``kind="taxonomy"``): one request per distinct *descriptor*, asking
  for its emotion families, valence and arousal as JSON (``sentence-emo annotate --mode taxonomy``);
* :func:`label_prompt`: the label-constrained variant ("choose only from these labels");
  its name embeds a hash of the label set, so another label set is another prompt;
* :func:`load_prompt`: a user prompt from a small text file (or a ``.json`` file)::

      name: my-descriptors
      version: 2
      === system
      You are ... Reply with only the emotion descriptors, separated by comma.
      === user
      Text: {text}
      === followup invalid_reply
      Reply with only the descriptors, separated by comma.

  ``{text}`` is replaced by the text (no other brace is interpreted, so texts and templates may
  contain ``{`` and ``}``); ``{labels}`` by the comma-separated label list in label mode;
  ``{problems}`` in follow-ups by the offending reply items.

>>> DESCRIPTOR_PROMPT.version_id
'descriptors@paper-v1'
>>> [m["role"] for m in DESCRIPTOR_PROMPT.messages("I got the job!")]
['system', 'user']
>>> p = label_prompt(["joy", "anger"])
>>> p.version_id.startswith("labels-") and "joy, anger" in p.render_system()
True
>>> TAXONOMY_PROMPT.version_id, TAXONOMY_PROMPT.kind
('taxonomy@v1', 'taxonomy')
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from sentence_emo.corpus import TAXONOMY_FAMILIES, normalise_descriptor

logger = logging.getLogger(__name__)

TEXT_PLACEHOLDER = "{text}"
LABELS_PLACEHOLDER = "{labels}"
PROBLEMS_PLACEHOLDER = "{problems}"

#: The system prompt of Niu & Mower Provost (2025) for free-form emotion descriptors.
PAPER_SYSTEM_PROMPT = (
    "You are an emotionally-intelligent and empathetic agent. You will be given a piece of text, "
    "and your task is to identify the emotions expressed by the writer of the text. Reply with only "
    "the emotion descriptors (words or phrases), separated by comma. If no emotion is clearly "
    "expressed, reply with 'neutral'."
)

LABEL_SYSTEM_PROMPT = (
    "You are an emotionally-intelligent and empathetic agent. You will be given a piece of text, "
    "and your task is to identify the emotions expressed by the writer of the text. Choose only from "
    "these labels: {labels}. Reply with only the chosen labels, separated by comma. If none of the "
    "labels is clearly expressed, reply with 'neutral'."
)

#: problem -> follow-up user message sent after an unusable reply (see ``sanitise``)
DEFAULT_FOLLOWUPS: dict[str, str] = {
    "empty_reply": (
        "Your reply was empty. Reply with only the emotion descriptors (words or phrases), separated "
        "by comma, or 'neutral' if no emotion is clearly expressed."
    ),
    "refusal": (
        "This is an annotation task for research on emotion recognition; the text is only to be "
        "labelled, not answered or continued. Reply with only the emotion descriptors (words or "
        "phrases), separated by comma, or 'neutral' if no emotion is clearly expressed."
    ),
    "invalid_reply": (
        "Reply with only the emotion descriptors as short words or phrases, separated by comma, "
        "without sentences or explanations, or 'neutral' if no emotion is clearly expressed."
    ),
    "labels_out_of_set": (
        "Your reply named labels that are not allowed: {problems}. Choose only from these labels: "
        "{labels}. Reply with only the chosen labels, separated by comma, or 'neutral'."
    ),
}

#: what a prompt asks for: free descriptors/labels of a text, or the taxonomy entry of one descriptor
PROMPT_KINDS = ("descriptors", "taxonomy")

TAXONOMY_VALENCE = ("pleasant", "unpleasant", "neutral")
TAXONOMY_AROUSAL = ("high", "medium", "low")

TAXONOMY_SYSTEM_PROMPT = (
    "You are an expert in the psychology of emotion. You will be given an emotion descriptor: a word or short "
    "phrase an annotator used for the emotion expressed by the writer of a text. Classify the descriptor from "
    "your knowledge of emotion psychology (Shaver et al.'s prototype hierarchy, Plutchik's wheel, Russell's "
    "circumplex), not from any dataset. Reply with only a JSON object with three keys: "
    '"families": a list of 0 to 2 emotion families the descriptor belongs to, chosen only from '
    + ", ".join(TAXONOMY_FAMILIES) + " (an empty list when it names no emotion, e.g. cognitive or stylistic "
    'descriptors such as skepticism, irony or agreement); "valence": one of "pleasant", "unpleasant", '
    '"neutral"; "arousal": one of "high", "medium", "low". '
    'Example reply for "frustration": {"families": ["anger"], "valence": "unpleasant", "arousal": "high"}'
)

TAXONOMY_FOLLOWUPS: dict[str, str] = {
    "empty_reply": (
        'Your reply was empty. Reply with only the JSON object {"families": [...], "valence": ..., "arousal": ...}.'
    ),
    "refusal": (
        "This is a research task on the vocabulary of emotions: classify the descriptor itself, nothing else. "
        'Reply with only the JSON object {"families": [...], "valence": ..., "arousal": ...}.'
    ),
    "invalid_reply": (
        'Reply with only the JSON object {"families": [...], "valence": ..., "arousal": ...}, without other text.'
    ),
    "invalid_json": (
        "Your reply was not a JSON object. Reply with only the JSON object "
        '{"families": [...], "valence": ..., "arousal": ...}, without other text.'
    ),
    "invalid_taxonomy": (
        "Your reply had these problems: {problems}. Families must be 0 to 2 of " + ", ".join(TAXONOMY_FAMILIES)
        + '; valence one of "pleasant", "unpleasant", "neutral"; arousal one of "high", "medium", "low". '
        "Reply with only the corrected JSON object."
    ),
}

_SECTION = re.compile(r"^===\s*(system|user|followup\s+\S+)\s*$")
_FIELD = re.compile(r"^(name|version|kind)\s*:\s*(.*?)\s*$")
_NAME_OK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")


class PromptError(ValueError):
    """A prompt definition is invalid; the message names the field and the fix."""


@dataclass(frozen=True)
class Prompt:
    """A versioned annotation prompt.

    Args:
        name: short identifier (letters, digits, ``._+-``).
        version: bumped whenever the wording changes; stored with every answer.
        system: the system prompt; may contain ``{labels}`` (label mode).
        user_template: the user message; must contain ``{text}``.
        followups: problem -> follow-up instruction (defaults: :data:`DEFAULT_FOLLOWUPS`).
        labels: the allowed labels (label-constrained mode) or ``None`` (free descriptors).
        kind: ``"descriptors"`` (a text -> its descriptors or labels) or ``"taxonomy"`` (a descriptor
            -> JSON with families, valence and arousal; see :data:`TAXONOMY_PROMPT`).
    """

    name: str
    version: str
    system: str
    user_template: str = TEXT_PLACEHOLDER
    followups: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_FOLLOWUPS))
    labels: tuple[str, ...] | None = None
    kind: str = "descriptors"

    def __post_init__(self) -> None:
        if self.kind not in PROMPT_KINDS:
            raise PromptError(f"prompt kind {self.kind!r} is unknown; use one of {PROMPT_KINDS}")
        if self.kind == "taxonomy" and self.labels is not None:
            raise PromptError(f"prompt {self.name!r}: a taxonomy prompt takes no label list; drop the labels")
        if not isinstance(self.name, str) or not _NAME_OK.match(self.name):
            raise PromptError(
                f"prompt name {self.name!r} is invalid; use letters, digits and . _ + - (e.g. 'my-prompt')"
            )
        if not isinstance(self.version, str) or not self.version.strip() or any(c.isspace() for c in self.version):
            raise PromptError(f"prompt version {self.version!r} is invalid; use a non-empty word such as 'v2'")
        if not isinstance(self.system, str) or not self.system.strip():
            raise PromptError(f"prompt {self.name!r}: the system prompt is empty; give the instruction text")
        if TEXT_PLACEHOLDER not in self.user_template:
            raise PromptError(
                f"prompt {self.name!r}: the user template {self.user_template!r} lacks {TEXT_PLACEHOLDER}; "
                f"add it where the text should go"
            )
        if self.labels is not None:
            if not self.labels:
                raise PromptError(f"prompt {self.name!r}: the label list is empty; give at least one label")
            if LABELS_PLACEHOLDER not in self.system:
                raise PromptError(
                    f"prompt {self.name!r} is used with labels but its system prompt lacks {LABELS_PLACEHOLDER}; "
                    f"add it where the label list should go"
                )
        merged = dict(DEFAULT_FOLLOWUPS)
        merged.update(self.followups)
        object.__setattr__(self, "followups", merged)

    @property
    def version_id(self) -> str:
        """``"<name>@<version>"``: recorded with every answer and part of the store key."""
        return f"{self.name}@{self.version}"

    @property
    def sha(self) -> str:
        """12-hex-digit hash of the prompt content (wording, follow-ups, labels)."""
        content: list = [self.system, self.user_template, sorted(self.followups.items()), list(self.labels or [])]
        if self.kind != "descriptors":  # descriptor prompts keep the hashes of stores written before kinds existed
            content.append(self.kind)
        payload = json.dumps(content, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]

    def render_system(self) -> str:
        if self.labels is None:
            return self.system
        return self.system.replace(LABELS_PLACEHOLDER, ", ".join(self.labels))

    def render_user(self, text: str) -> str:
        return self.user_template.replace(TEXT_PLACEHOLDER, text)

    def messages(self, text: str) -> list[dict[str, str]]:
        """The chat messages of the first request for ``text``."""
        return [
            {"role": "system", "content": self.render_system()},
            {"role": "user", "content": self.render_user(text)},
        ]

    def followup(self, problem: str, items: list[str] | None = None) -> str:
        """The follow-up instruction for an unusable reply with the given problem."""
        template = self.followups.get(problem) or self.followups["invalid_reply"]
        return template.replace(LABELS_PLACEHOLDER, ", ".join(self.labels or ())).replace(
            PROBLEMS_PLACEHOLDER, ", ".join(repr(i) for i in (items or []))
        )

    def with_labels(self, labels: list[str] | tuple[str, ...]) -> Prompt:
        """This prompt constrained to ``labels``; the name gets the label-set hash appended."""
        if self.kind != "descriptors":
            raise PromptError(f"prompt {self.name!r} is a {self.kind} prompt; labels only apply to descriptor prompts")
        clean = _clean_labels(labels)
        return replace(self, name=f"{self.name}-{_labels_hash(clean)}", labels=clean)


def _clean_labels(labels: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    if isinstance(labels, str):
        raise TypeError(f"labels must be a list of strings, got the string {labels!r}; split it on commas first")
    bad = [label for label in labels if not isinstance(label, str)]
    if bad:
        raise TypeError(f"labels must be strings, got {bad[0]!r}")
    # not normalise_descriptors: a label set may legitimately contain 'neutral' beside emotions
    clean = tuple(dict.fromkeys(n for n in (normalise_descriptor(label) for label in labels) if n))
    if not clean:
        raise PromptError("the label list is empty; give labels such as --labels joy,anger,sadness")
    return clean


def _labels_hash(labels: tuple[str, ...]) -> str:
    return hashlib.sha256("\n".join(labels).encode("utf-8")).hexdigest()[:8]


#: The paper's descriptor prompt (default).
DESCRIPTOR_PROMPT = Prompt(name="descriptors", version="paper-v1", system=PAPER_SYSTEM_PROMPT)

_LABEL_BASE = Prompt(name="labels", version="v1", system=LABEL_SYSTEM_PROMPT)

#: One request per distinct descriptor: its families, valence and arousal as JSON.
TAXONOMY_PROMPT = Prompt(name="taxonomy", version="v1", system=TAXONOMY_SYSTEM_PROMPT,
                         user_template="Emotion descriptor: {text}", followups=dict(TAXONOMY_FOLLOWUPS),
                         kind="taxonomy")


def label_prompt(labels: list[str] | tuple[str, ...], base: Prompt | None = None) -> Prompt:
    """The label-constrained prompt for ``labels`` (``base`` must contain ``{labels}``)."""
    return (base or _LABEL_BASE).with_labels(labels)


def parse_prompt_text(content: str, *, where: str = "<prompt>") -> Prompt:
    """Parse the simple ``name:/version:/=== system/=== user/=== followup X`` format."""
    fields: dict[str, str] = {}
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for lineno, line in enumerate(content.splitlines(), start=1):
        match = _SECTION.match(line.strip())
        if match:
            current = " ".join(match.group(1).split())
            if current in sections:
                raise PromptError(f"{where}, line {lineno}: section '=== {current}' appears twice; keep one")
            sections[current] = []
            continue
        if current is None:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            field_match = _FIELD.match(line.strip())
            if not field_match:
                raise PromptError(
                    f"{where}, line {lineno}: expected 'name: ...', 'version: ...', 'kind: ...' or a '=== system' "
                    f"section, "
                    f"got {line.strip()!r}"
                )
            fields[field_match.group(1)] = field_match.group(2)
        else:
            sections[current].append(line)
    for required in ("name", "version"):
        if required not in fields:
            raise PromptError(f"{where}: missing '{required}: ...' line at the top of the prompt file")
    if "system" not in sections:
        raise PromptError(f"{where}: missing '=== system' section with the system prompt")
    followups = {
        key.split(None, 1)[1]: "\n".join(lines).strip()
        for key, lines in sections.items()
        if key.startswith("followup")
    }
    return Prompt(
        name=fields["name"],
        version=fields["version"],
        kind=fields.get("kind", "descriptors"),
        system="\n".join(sections["system"]).strip(),
        user_template="\n".join(sections.get("user", [TEXT_PLACEHOLDER])).strip() or TEXT_PLACEHOLDER,
        followups=followups,
    )


def load_prompt(path: str | Path) -> Prompt:
    """Load a user prompt from a ``.json`` file (keys of :class:`Prompt`) or the simple text format."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"prompt file not found: {path}; give an existing file to --prompt")
    content = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(content)
        except json.JSONDecodeError as exc:
            raise PromptError(f"{path}: invalid JSON ({exc.msg} at line {exc.lineno}); fix the file") from exc
        if not isinstance(data, dict):
            raise PromptError(f"{path}: expected a JSON object with name/version/system/user_template")
        allowed = {"name", "version", "system", "user_template", "followups", "kind"}
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise PromptError(f"{path}: unknown prompt keys {unknown}; allowed keys are {sorted(allowed)}")
        missing = [k for k in ("name", "version", "system") if k not in data]
        if missing:
            raise PromptError(f"{path}: missing key {missing[0]!r}; a prompt needs name, version and system")
        data["version"] = str(data["version"])
        return Prompt(**data)
    return parse_prompt_text(content, where=str(path))
