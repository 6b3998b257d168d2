"""The teacher term: the student's text-word cosines regressed onto a teacher encoder's, and its wiring."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from sentence_emo.data_collator import TAXONOMY_GROUPS, DescriptorDataCollator
from sentence_emo.losses import SigmoidDescriptorLoss, similarity_distillation_loss
from sentence_emo.teacher import TeacherSimilarity
from tests.conftest import build_tiny_model

ROWS = [{"text": "I can't believe they cancelled again", "descriptors": ["frustration", "disappointment"]},
        {"text": "Best gift ever, thank you!", "descriptors": ["gratitude", "joy"]},
        {"text": "so nervous about tomorrow", "descriptors": ["nervousness"]}]


def _split(batch):
    return [{k[len(p):]: v for k, v in batch.items() if k.startswith(p)} for p in ("text_", "descriptor_")]


def test_loss_matches_per_cell_reference_and_is_zero_when_the_student_copies_the_teacher():
    g = torch.Generator().manual_seed(0)
    t, w = torch.randn(3, 8, generator=g, dtype=torch.float64), torch.randn(5, 6 + 2, generator=g, dtype=torch.float64)
    teacher = torch.rand(3, 5, generator=g, dtype=torch.float64) * 2 - 1
    reference = sum((F.cosine_similarity(t[i], w[j], dim=0) - teacher[i, j]) ** 2
                    for i in range(3) for j in range(5)) / 3
    assert similarity_distillation_loss(t, w, teacher).item() == pytest.approx(reference.item(), rel=1e-10)
    copied = F.normalize(t, dim=-1) @ F.normalize(w, dim=-1).T
    assert similarity_distillation_loss(t, w, copied).item() == pytest.approx(0.0, abs=1e-20)
    with pytest.raises(ValueError, match=r"shape \(5, 3\), expected \(3, 5\)"):
        similarity_distillation_loss(t, w, teacher.T)


def test_teacher_similarity_is_the_teacher_encoders_cosine_and_embeds_each_string_once(tmp_path):
    model = build_tiny_model(seed=1)
    teacher = TeacherSimilarity(model, name="tiny")
    teacher.embed(["a text", "joy", "fear"])
    sims = teacher(["a text", "another text"], ["joy", "fear", "a text"])  # "another text" embedded on first use
    emb = model.encode(["a text", "another text", "joy", "fear"], convert_to_tensor=True, normalize_embeddings=True)
    expected = emb[:2] @ torch.stack([emb[2], emb[3], emb[0]]).T
    assert torch.allclose(sims, expected, atol=1e-5)
    assert len(teacher) == 4 and sims[0, 2].item() == pytest.approx(1.0, abs=1e-5)

    cache = teacher.save(tmp_path / "teacher.safetensors")
    again = TeacherSimilarity(build_tiny_model(seed=2), name="tiny")  # another model: only the cache can agree
    assert again.load_cache(cache) and len(again) == 4
    assert torch.allclose(again(["a text", "another text"], ["joy", "fear", "a text"]), sims)
    other = TeacherSimilarity(model, name="other-teacher")
    assert not other.load_cache(cache) and len(other) == 0  # a cache of another teacher is not used
    (tmp_path / "damaged.safetensors").write_bytes(b"not safetensors")
    assert not other.load_cache(tmp_path / "damaged.safetensors")
    assert not other.load_cache(tmp_path / "missing.safetensors")


def test_collator_adds_teacher_similarity_over_the_whole_column_and_loss_adds_weighted_term(tiny_model):
    taxonomy = {"joy": {"families": ["joy"], "valence": "pleasant"}}
    teacher = TeacherSimilarity(build_tiny_model(seed=1), name="tiny")
    plain = DescriptorDataCollator(tiny_model.preprocess, taxonomy=taxonomy)(ROWS)
    batch = DescriptorDataCollator(tiny_model.preprocess, taxonomy=taxonomy, teacher=teacher)(ROWS)
    words = ["frustration", "disappointment", "gratitude", "joy", "nervousness",
             *(w for group in TAXONOMY_GROUPS for w in group)]
    assert torch.allclose(batch["label"]["teacher_similarity"], teacher([r["text"] for r in ROWS], words))
    assert "teacher_similarity" not in plain["label"]

    base = SigmoidDescriptorLoss(tiny_model)(_split(plain), plain["label"])
    off = SigmoidDescriptorLoss(tiny_model, teacher_weight=0.0)(_split(batch), batch["label"])
    on = SigmoidDescriptorLoss(tiny_model, teacher_weight=3.0)(_split(batch), batch["label"])
    assert torch.allclose(off, base, atol=1e-5)
    text_emb = tiny_model.encode([r["text"] for r in ROWS], convert_to_tensor=True)
    word_emb = tiny_model.encode(words, convert_to_tensor=True)
    term = similarity_distillation_loss(text_emb, word_emb, batch["label"]["teacher_similarity"])
    assert term.item() > 0
    assert on.item() == pytest.approx(base.item() + 3.0 * term.item(), rel=1e-4)
    with pytest.raises(ValueError, match="teacher_weight"):
        SigmoidDescriptorLoss(tiny_model, teacher_weight=-0.5)
    assert SigmoidDescriptorLoss(tiny_model, teacher_weight=2.0).get_config_dict()["teacher_weight"] == 2.0
