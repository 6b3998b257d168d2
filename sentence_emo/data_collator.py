"""Batches for descriptor distillation: texts, the in-batch descriptor vocabulary and the taxonomy targets.

:class:`DescriptorDataCollator` is what :class:`~sentence_emo.losses.SigmoidDescriptorLoss` consumes
(its inputs table); the taxonomy words and targets feed the taxonomy term
(:func:`~sentence_emo.losses.family_softmax.group_softmax_loss`).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch

from sentence_transformers.sentence_transformer.data_collator import SentenceTransformerDataCollator

from sentence_emo.losses import PAD_KEY, descriptor_key

@dataclass
class DescriptorDataCollator(SentenceTransformerDataCollator):
    """Batch ``(text, descriptors)`` rows for :class:`~sentence_emo.losses.SigmoidDescriptorLoss`.

    Produces ``text_*`` features for the texts, ``descriptor_*`` features for the batch's
    descriptor vocabulary (each distinct descriptor once, in order of first appearance, then
    ``num_extra_negatives`` descriptors sampled from ``negative_pool`` that no text in the batch
    has), and ``label = {"text_keys": (B, K), "descriptor_keys": (V,)}``.
    """

    text_column: str = "text"
    descriptors_column: str = "descriptors"
    negative_pool: Sequence[str] = ()
    num_extra_negatives: int = 0
    seed: int = 0
    #: descriptor -> {"families": [...], "valence": "pleasant"|"unpleasant"|"neutral"}; when given, the
    #: :data:`TAXONOMY_GROUPS` words are appended to the descriptor column with per-text targets
    taxonomy: Mapping[str, Mapping[str, Any]] | None = None
    #: ``teacher(texts, words) -> (B, V)`` cosines of a trained teacher encoder
    #: (:class:`~sentence_emo.teacher.TeacherSimilarity`); when given, ``label["teacher_similarity"]`` holds
    #: them for the batch's texts and its whole descriptor column (taxonomy words included)
    teacher: Callable[[Sequence[str], Sequence[str]], torch.Tensor] | None = None
    _rng: random.Random = field(init=False, repr=False, default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.num_extra_negatives < 0:
            raise ValueError(f"num_extra_negatives must be >= 0, got {self.num_extra_negatives}")
        if self.num_extra_negatives and not self.negative_pool:
            raise ValueError("num_extra_negatives > 0 needs a negative_pool of descriptors to sample from")
        self._rng = random.Random(self.seed)

    def __call__(self, features: list[dict[str, Any]]) -> dict[str, Any]:
        if not features:
            return {}
        for column in (self.text_column, self.descriptors_column):
            if column not in features[0]:
                raise ValueError(
                    f"training rows have no column {column!r} (columns: {sorted(features[0])}); "
                    f"the dataset needs columns {self.text_column!r} and {self.descriptors_column!r}"
                )
        texts = [row[self.text_column] for row in features]
        vocabulary: dict[str, None] = {}
        for row in features:
            if not row[self.descriptors_column]:
                raise ValueError(f"text {row[self.text_column][:60]!r} has no descriptors; every text needs one")
            vocabulary.update(dict.fromkeys(row[self.descriptors_column]))
        if self.num_extra_negatives:
            candidates = [d for d in self._rng.sample(list(self.negative_pool),
                                                      min(len(self.negative_pool), self.num_extra_negatives * 2))
                          if d not in vocabulary]
            vocabulary.update(dict.fromkeys(candidates[: self.num_extra_negatives]))
        width = max(len(row[self.descriptors_column]) for row in features)
        text_keys = torch.full((len(features), width), PAD_KEY, dtype=torch.long)
        for i, row in enumerate(features):
            keys = [descriptor_key(d) for d in row[self.descriptors_column]]
            text_keys[i, : len(keys)] = torch.tensor(keys, dtype=torch.long)
        descriptor_keys = torch.tensor([descriptor_key(d) for d in vocabulary], dtype=torch.long)

        label: dict[str, Any] = {"text_keys": text_keys, "descriptor_keys": descriptor_keys}
        column = list(vocabulary)
        if self.taxonomy is not None:
            label["taxonomy_targets"] = taxonomy_targets([row[self.descriptors_column] for row in features],
                                                         self.taxonomy)
            label["taxonomy_groups"] = torch.tensor(group_spans(), dtype=torch.long)
            column += [w for group in TAXONOMY_GROUPS for w in group]
        if self.teacher is not None:
            label["teacher_similarity"] = self.teacher(texts, column)
        batch: dict[str, Any] = {"label": label}
        for name, inputs in (("text", texts), ("descriptor", column)):
            max_length = self._get_max_length_for_task(None)
            kwargs = {"max_length": max_length} if max_length is not None else {}
            for key, value in self.preprocess_fn(inputs, prompt=None, **kwargs).items():
                batch[f"{name}_{key}"] = value
        return batch


#: the taxonomy words a text ranks by softmax (:mod:`sentence_emo.losses.family_softmax`): emotion families
#: (Shaver et al. 1987 prototypes plus Plutchik's trust/anticipation and the self-conscious shame/guilt)
#: and valence
TAXONOMY_GROUPS: tuple[tuple[str, ...], ...] = (
    ("joy", "love", "surprise", "anger", "sadness", "fear", "disgust", "trust", "anticipation", "shame", "guilt"),
    ("pleasant", "unpleasant"),
)


def group_spans() -> list[tuple[int, int]]:
    spans, start = [], 0
    for group in TAXONOMY_GROUPS:
        spans.append((start, start + len(group)))
        start += len(group)
    return spans


def taxonomy_targets(descriptor_lists: Sequence[Sequence[str]],
                     taxonomy: Mapping[str, Mapping[str, Any]]) -> torch.Tensor:
    """Multi-hot ``(B, W)`` over the :data:`TAXONOMY_GROUPS` words.

    A text's families are the union of its descriptors' families; its valence is the majority of its
    descriptors' pleasant/unpleasant valences (none on a tie or when all are neutral/unknown).

    >>> taxonomy_targets([["grief", "relief"]], {"grief": {"families": ["sadness"], "valence": "unpleasant"},
    ...                                           "relief": {"families": ["joy"], "valence": "pleasant"}}).tolist()
    [[1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]
    """
    families, valences = TAXONOMY_GROUPS
    index = {w: i for i, w in enumerate(families)}
    out = torch.zeros((len(descriptor_lists), len(families) + len(valences)))
    for row, descriptors in enumerate(descriptor_lists):
        votes = 0
        for d in descriptors:
            entry = taxonomy.get(d)
            if not entry:
                continue
            for fam in entry.get("families") or ():
                if fam in index:
                    out[row, index[fam]] = 1.0
            votes += {"pleasant": 1, "unpleasant": -1}.get(entry.get("valence"), 0)
        if votes:
            out[row, len(families) + (0 if votes > 0 else 1)] = 1.0
    return out
