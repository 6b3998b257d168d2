"""The taxonomy term: a softmax over each group of family/valence words, and its wiring in the loss."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from sentence_emo.losses import SigmoidDescriptorLoss, group_softmax_loss
from sentence_emo.data_collator import TAXONOMY_GROUPS, DescriptorDataCollator, group_spans, taxonomy_targets

TAXONOMY = {
    "frustration": {"families": ["anger"], "valence": "unpleasant"},
    "disappointment": {"families": ["sadness"], "valence": "unpleasant"},
    "gratitude": {"families": ["joy", "love"], "valence": "pleasant"},
    "joy": {"families": ["joy"], "valence": "pleasant"},
    "neutral": {"families": [], "valence": "neutral"},
}


def test_group_loss_matches_cross_entropy_per_group_and_skips_rows_without_targets():
    g = torch.Generator().manual_seed(0)
    t, w = torch.randn(3, 8, generator=g, dtype=torch.float64), torch.randn(5, 8, generator=g, dtype=torch.float64)
    targets = torch.tensor([[1, 0, 0, 1, 0], [1, 1, 0, 0, 1], [0, 0, 0, 0, 0]], dtype=torch.float64)
    groups = [(0, 3), (3, 5)]
    loss = group_softmax_loss(t, w, targets, groups, scale=20.0)
    logits = 20.0 * F.normalize(t, dim=-1) @ F.normalize(w, dim=-1).T
    # group 1: rows 0 and 1 count (row 1 has two families: half the mass on each); row 2 has none
    g1 = (F.cross_entropy(logits[0:1, 0:3], torch.tensor([0]))
          + 0.5 * (F.cross_entropy(logits[1:2, 0:3], torch.tensor([0])) + F.cross_entropy(logits[1:2, 0:3], torch.tensor([1])))) / 2
    g2 = (F.cross_entropy(logits[0:1, 3:5], torch.tensor([0])) + F.cross_entropy(logits[1:2, 3:5], torch.tensor([1]))) / 2
    assert torch.allclose(loss, g1 + g2, rtol=1e-10)
    assert group_softmax_loss(t, w, torch.zeros_like(targets), groups).item() == 0.0


def test_group_loss_is_low_when_each_text_points_at_its_family():
    words = torch.eye(4)
    aligned = group_softmax_loss(torch.eye(4), words, torch.eye(4), [(0, 4)])
    misaligned = group_softmax_loss(torch.eye(4).roll(1, dims=0), words, torch.eye(4), [(0, 4)])
    assert aligned.item() < 1e-6 < 1.0 < misaligned.item()


def test_taxonomy_targets_union_of_families_and_majority_valence():
    targets = taxonomy_targets([["frustration", "disappointment"], ["gratitude", "frustration", "joy"],
                                ["neutral"], ["unknown word"]], TAXONOMY)
    families, valences = TAXONOMY_GROUPS
    words = list(families) + list(valences)
    on = [sorted(words[j] for j in row.nonzero().flatten().tolist()) for row in targets]
    assert on == [["anger", "sadness", "unpleasant"], ["anger", "joy", "love", "pleasant"], [], []]
    assert group_spans() == [(0, len(families)), (len(families), len(words))]


def test_collator_appends_taxonomy_words_and_loss_adds_weighted_term(tiny_model):
    rows = [{"text": "I can't believe they cancelled again", "descriptors": ["frustration", "disappointment"]},
            {"text": "Best gift ever, thank you!", "descriptors": ["gratitude", "joy"]}]
    plain = DescriptorDataCollator(tiny_model.preprocess)(rows)
    with_tax = DescriptorDataCollator(tiny_model.preprocess, taxonomy=TAXONOMY)(rows)
    n_words = sum(len(g) for g in TAXONOMY_GROUPS)
    assert with_tax["descriptor_input_ids"].shape[0] == plain["descriptor_input_ids"].shape[0] + n_words
    assert torch.equal(with_tax["label"]["descriptor_keys"], plain["label"]["descriptor_keys"])  # words are not descriptors

    def split(batch):
        return [{k[len(p):]: v for k, v in batch.items() if k.startswith(p)} for p in ("text_", "descriptor_")]

    torch.manual_seed(0)
    base = SigmoidDescriptorLoss(tiny_model)(split(plain), plain["label"])
    off = SigmoidDescriptorLoss(tiny_model, taxonomy_weight=0.0)(split(with_tax), with_tax["label"])
    on = SigmoidDescriptorLoss(tiny_model, taxonomy_weight=2.0)(split(with_tax), with_tax["label"])
    assert torch.allclose(off, base, atol=1e-5)  # the appended words never enter the sigmoid term
    text_emb = tiny_model.encode([r["text"] for r in rows], convert_to_tensor=True, normalize_embeddings=False)
    words = [w for g in TAXONOMY_GROUPS for w in g]
    word_emb = tiny_model.encode(words, convert_to_tensor=True, normalize_embeddings=False)
    term = group_softmax_loss(text_emb, word_emb, with_tax["label"]["taxonomy_targets"], group_spans())
    assert on.item() == pytest.approx(base.item() + 2.0 * term.item(), rel=1e-4)
    with pytest.raises(ValueError, match="taxonomy_weight"):
        SigmoidDescriptorLoss(tiny_model, taxonomy_weight=-1)
    assert math.isfinite(on.item())
