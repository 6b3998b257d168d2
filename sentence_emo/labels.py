"""Label sets: one parser for every ``--labels``-style value, validation of a label set, label templates,
prototype expansion with the teacher corpus's descriptors, and the anchor words of continuous scores.

:class:`~sentence_emo.zero_shot.EmotionZeroShot` embeds what this module prepares.

>>> split_list(" joy, anger ,, fear"), split_list(["a ", ""]), split_list(None)
(['joy', 'anger', 'fear'], ['a'], None)
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["DEFAULT_ANCHORS", "DEFAULT_CENTERING", "DEFAULT_LABEL_TEMPLATE", "DEFAULT_PROTOTYPES", "Labels",
           "Template", "check_template", "default_prototype_vocabulary", "expand_with_prototypes",
           "label_templates", "normalise_labels", "read_label_file", "read_labels", "split_list"]


def split_list(value: str | Iterable[object] | None, sep: str = ",") -> list[str] | None:
    """``"a, b,,c"`` -> ``["a", "b", "c"]`` (split on ``sep``, stripped, empties dropped); a sequence is
    stripped the same way; ``None`` stays ``None``."""
    if value is None:
        return None
    items = value.split(sep) if isinstance(value, str) else value
    return [text for text in (str(v).strip() for v in items) if text]


def read_label_file(path: str | os.PathLike[str]) -> list[str] | dict[str, str]:
    """Labels from a file: ``.json`` holds a list of names or ``{name: description}``; any other file has
    one label per line (blank lines and ``#`` comments skipped)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"label file not found: {path}")
    from sentence_emo.textfiles import read_json, read_text

    if path.suffix.lower() == ".json":
        data = read_json(path)  # errors name the file and line
        if not isinstance(data, (dict, list)):
            raise ValueError(f"{path}: expected a JSON list of names or an object {{name: description}}")
        return data
    lines = (line.strip() for line in read_text(path).splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def read_labels(value: str | None) -> list[str] | dict[str, str] | None:
    """A ``--labels`` value: the path of a label file (:func:`read_label_file`) or a comma-separated list.

    Raises ValueError when the value gives no label at all.
    """
    if value is None:
        return None
    labels = read_label_file(value) if Path(value).is_file() else split_list(value)
    if isinstance(labels, list):
        labels = [label for label in labels if not label.startswith("#")]
    if not labels:
        raise ValueError(f"--labels {value!r} gives no labels; pass e.g. --labels joy,anger,sadness")
    return labels


#: anchor words of the continuous dimensions (:meth:`EmotionZeroShot.score`): the demo, the eval suite's
#: EmoBank valence/arousal and the recipe selection all use these
VALENCE_POSITIVE = ("positive", "happy", "pleased", "content", "delighted")
VALENCE_NEGATIVE = ("negative", "sad", "upset", "angry", "miserable")
AROUSAL_POSITIVE = ("excited", "aroused", "energetic", "alert", "agitated")
AROUSAL_NEGATIVE = ("calm", "relaxed", "sleepy", "tired", "bored")
DEFAULT_ANCHORS = {
    "valence": (VALENCE_POSITIVE, VALENCE_NEGATIVE),
    "arousal": (AROUSAL_POSITIVE, AROUSAL_NEGATIVE),
}

Labels = Sequence[str] | Mapping[str, str]

#: subtract the model's stored mean text embedding (``emotion_centering.npy``) before the cosine, for
#: models whose label calibration does not record the setting and for ``sentence-emo calibrate``
DEFAULT_CENTERING = False
#: label template of the shipped recipe, selected on validation label sets by ``benchmarks/select_recipe.py``:
#: the normalised mean of the label name (or description) as given and of "I feel {name}." (prompt
#: ensembling). ``"{}"`` (the name alone) or a single template such as ``"I feel {}."`` are alternatives that lost.
DEFAULT_LABEL_TEMPLATE: str | tuple[str, ...] | None = ("{}", "I feel {}.")

#: prototype expansion of the shipped recipe: a label's embedding also takes the mean of its
#: ``DEFAULT_PROTOTYPES`` nearest emotion descriptors of the teacher corpus (0 turns it off)
DEFAULT_PROTOTYPES = 5

Template = str | Sequence[str] | None


def default_prototype_vocabulary() -> list[str]:
    """The distinct descriptors of the shipped LLM corpus's train split (832 emotion words and phrases)."""
    from sentence_emo.corpus import descriptor_vocabulary, load_corpus

    return sorted(descriptor_vocabulary(load_corpus("llm-descriptors")))


def expand_with_prototypes(label_emb: np.ndarray, vocab_emb: np.ndarray, k: int) -> np.ndarray:
    """``normalise(label + mean of its k nearest vocabulary embeddings)`` per row (all rows unit vectors).

    >>> e = np.eye(3, dtype=np.float32)[:1]
    >>> expand_with_prototypes(e, np.eye(3, dtype=np.float32), 1).round(3).tolist()  # its own word: unchanged
    [[1.0, 0.0, 0.0]]
    """
    if k <= 0:
        return label_emb
    k = min(k, len(vocab_emb))
    top = np.argsort(-(label_emb @ vocab_emb.T), axis=1, kind="stable")[:, :k]
    out = label_emb + vocab_emb[top].mean(axis=1)
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


def label_templates(template: Template) -> tuple[str, ...]:
    """The templates of a template setting; several templates are averaged (prompt ensembling).

    >>> label_templates(None), label_templates("I feel {}."), label_templates(["{}", "I feel {}."])
    (('{}',), ('I feel {}.',), ('{}', 'I feel {}.'))
    """
    if template is None:
        return ("{}",)
    if isinstance(template, str):
        return (check_template(template),)
    if isinstance(template, Sequence) and len(template) > 0:
        return tuple(check_template(t) for t in template)
    raise ValueError(f"template must be a string with one '{{}}' or a non-empty list of such strings, got {template!r}")


def check_template(template: Any) -> str:
    """A label template with exactly one ``{}`` and no other field (literal braces as ``{{`` ``}}``).

    >>> check_template("This text expresses {}.")
    'This text expresses {}.'
    >>> check_template("{} or {}")
    Traceback (most recent call last):
    ...
    ValueError: template must be a string containing exactly one '{}' for the label (write literal braces as '{{' and '}}'), got '{} or {}'
    """
    import string

    message = (f"template must be a string containing exactly one '{{}}' for the label (write literal braces as '{{{{' and '}}}}'), "
               f"got {template!r}")
    if not isinstance(template, str):
        raise ValueError(message)
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(template) if name is not None]
    except ValueError:
        raise ValueError(message) from None
    if fields != [("", "", None)]:
        raise ValueError(message)
    return template


def _materialise(labels: Any) -> Any:
    """Labels given as a generator or other one-shot iterable, as a list (they are read more than once)."""
    if labels is None or isinstance(labels, (str, Mapping, Sequence)) or not hasattr(labels, "__iter__"):
        return labels
    return list(labels)


def normalise_labels(labels: Labels, template: str | None = None) -> tuple[list[str], list[str]]:
    """Return ``(names, strings_to_embed)`` after validating the label set."""
    if isinstance(labels, str):
        raise TypeError(f"labels must be a list of names or a {{name: description}} dict, got the string {labels!r}; "
                        "split it, e.g. labels.split(',')")
    if template is not None:
        check_template(template)
    if isinstance(labels, Mapping):
        items = list(labels.items())
    else:
        items = [(name, name) for name in labels]
    if not items:
        raise ValueError("the label set is empty: pass at least one label, e.g. ['joy', 'anger']")
    names: list[str] = []
    seen: dict[str, str] = {}
    embed: list[str] = []
    for name, description in items:
        if not isinstance(name, str) or not isinstance(description, str):
            raise TypeError(f"label names and descriptions must be strings, got {name!r}: {description!r}")
        clean = name.strip()
        if not clean:
            raise ValueError("a label name is empty; remove it from the label set")
        if not description.strip():
            raise ValueError(f"label {clean!r} has an empty description")
        key = clean.casefold()
        if key in seen:
            raise ValueError(f"duplicate label {clean!r} (same as {seen[key]!r}); each label must appear once")
        seen[key] = clean
        names.append(clean)
        text = description.strip()
        embed.append(template.format(text) if template else text)
    return names, embed
