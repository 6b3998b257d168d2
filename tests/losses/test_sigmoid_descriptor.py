from __future__ import annotations

import math
import socket

import pytest
import torch
import torch.nn.functional as F

from sentence_emo.losses import (
    PAD_KEY,
    SigmoidDescriptorLoss,
    descriptor_key,
    descriptor_targets,
    sigmoid_multilabel_loss,
)
from sentence_emo.data_collator import DescriptorDataCollator

BATCH = [
    ("I can't believe they cancelled again", ["frustration", "disappointment"]),
    ("Best gift ever, thank you!", ["gratitude", "joy"]),
    ("Ugh, another Monday", ["frustration", "boredom"]),
    ("The meeting is at 3pm", ["neutral"]),
]


def naive_loss(texts, descs, text_sets, desc_names, scale, bias):
    """Per-cell reference: -sum log sigmoid(+/- (s cos + b)) / B, written with Python loops."""
    total = 0.0
    for i in range(len(texts)):
        for j in range(len(descs)):
            cos = F.cosine_similarity(texts[i], descs[j], dim=0)
            logit = scale * cos + bias
            positive = desc_names[j] in text_sets[i]
            total = total - (F.logsigmoid(logit) if positive else F.logsigmoid(-logit))
    return total / len(texts)


def keys_for(text_sets, desc_names):
    width = max(len(s) for s in text_sets)
    text_keys = torch.full((len(text_sets), width), PAD_KEY)
    for i, s in enumerate(text_sets):
        text_keys[i, : len(s)] = torch.tensor([descriptor_key(d) for d in s])
    return text_keys, torch.tensor([descriptor_key(d) for d in desc_names])


def test_targets_are_multi_positive_and_merge_shared_descriptors():
    text_sets = [d for _, d in BATCH]
    vocab = list(dict.fromkeys(d for s in text_sets for d in s))
    targets = descriptor_targets(*keys_for(text_sets, vocab))
    assert targets.shape == (4, len(vocab))
    assert targets.sum(1).tolist() == [2, 2, 2, 1]  # several positives per text
    frustration = vocab.index("frustration")
    assert targets[:, frustration].tolist() == [1, 0, 1, 0]  # shared descriptor positive for both texts
    assert vocab.count("frustration") == 1


def test_vectorised_loss_matches_naive_per_cell_reference():
    torch.manual_seed(0)
    text_sets = [d for _, d in BATCH]
    vocab = list(dict.fromkeys(d for s in text_sets for d in s)) + ["awe", "dread"]  # + extra negatives
    t = torch.randn(4, 16, dtype=torch.float64)
    d = torch.randn(len(vocab), 16, dtype=torch.float64)
    logit_scale = torch.tensor(math.log(10.0), dtype=torch.float64)
    bias = torch.tensor(-10.0, dtype=torch.float64)
    targets = descriptor_targets(*keys_for(text_sets, vocab))
    fast = sigmoid_multilabel_loss(t, d, targets, logit_scale, bias)
    slow = naive_loss(t, d, text_sets, vocab, 10.0, -10.0)
    assert torch.allclose(fast, slow, rtol=1e-10)


def test_gradients_reach_encoder_and_scale_bias(tiny_model):
    collator = DescriptorDataCollator(tiny_model.preprocess)
    batch = collator([{"text": t, "descriptors": d} for t, d in BATCH])
    loss_fn = SigmoidDescriptorLoss(tiny_model)
    features = [{k[len(p):]: v for k, v in batch.items() if k.startswith(p)} for p in ("text_", "descriptor_")]
    loss = loss_fn(features, batch["label"])
    loss.backward()
    assert loss.item() > 0
    assert loss_fn.logit_scale.grad is not None and loss_fn.logit_scale.grad.abs() > 0
    assert loss_fn.logit_bias.grad is not None and loss_fn.logit_bias.grad.abs() > 0
    grads = [p.grad for n, p in tiny_model.named_parameters() if "encoder.layer.0" in n and p.grad is not None]
    assert grads and any(g.abs().sum() > 0 for g in grads)


def test_collator_builds_deduplicated_vocabulary_and_extra_negatives(tiny_model):
    collator = DescriptorDataCollator(tiny_model.preprocess, negative_pool=["awe", "dread", "joy"],
                                      num_extra_negatives=2, seed=0)
    batch = collator([{"text": t, "descriptors": d} for t, d in BATCH])
    keys = batch["label"]["descriptor_keys"]
    assert len(set(keys.tolist())) == len(keys)  # each descriptor once
    assert batch["descriptor_input_ids"].shape[0] == len(keys) == 6 + 2  # 6 distinct + 2 sampled ('joy' is taken)
    assert descriptor_key("joy") in keys.tolist()
    targets = descriptor_targets(batch["label"]["text_keys"], keys)
    assert targets[:, -2:].sum() == 0  # sampled extras are negatives for every text


def test_collator_and_loss_reject_bad_input(tiny_model):
    collator = DescriptorDataCollator(tiny_model.preprocess)
    with pytest.raises(ValueError, match="no column 'descriptors'"):
        collator([{"text": "hi", "labels": ["joy"]}])
    with pytest.raises(ValueError, match="has no descriptors"):
        collator([{"text": "hi", "descriptors": []}])
    with pytest.raises(ValueError, match="negative_pool"):
        DescriptorDataCollator(tiny_model.preprocess, num_extra_negatives=3)
    with pytest.raises(ValueError, match="init_scale"):
        SigmoidDescriptorLoss(tiny_model, init_scale=0)


def test_config_and_citation_for_model_card(tiny_model):
    loss = SigmoidDescriptorLoss(tiny_model, init_scale=10, init_bias=-10)
    assert loss.get_config_dict() == {"init_scale": 10.0, "init_bias": -10.0, "max_scale": 100.0,
                                      "gather_across_devices": False, "taxonomy_weight": 1.0,
                                      "taxonomy_scale": 20.0, "teacher_weight": 1.0, "prior_adjustment": 0.0}
    assert "Contrastive Distillation" in loss.citation
    assert loss.scale == pytest.approx(10.0) and loss.bias == pytest.approx(-10.0)


def test_prior_adjustment_adds_centred_log_odds_to_each_descriptor_logit(tiny_model):
    torch.manual_seed(0)
    text_sets = [d for _, d in BATCH]
    vocab = list(dict.fromkeys(d for s in text_sets for d in s)) + ["awe"]  # "awe": not in the prior table
    frequency = {"frustration": 50, "neutral": 30, "joy": 5, "gratitude": 5, "disappointment": 1, "boredom": 1}
    log_odds = {d: math.log((n + 0.5) / 101) - math.log1p(-(n + 0.5) / 101) for d, n in frequency.items()}
    median = sum(sorted(log_odds.values())[2:4]) / 2  # median of 6 values
    t = torch.randn(4, 16, dtype=torch.float64)
    d = torch.randn(len(vocab), 16, dtype=torch.float64)
    loss = SigmoidDescriptorLoss(tiny_model, prior_adjustment=0.5).double()
    loss.set_descriptor_prior(frequency, texts=100)
    fast = loss.compute_loss_from_embeddings(t, d, *keys_for(text_sets, vocab))
    total = 0.0
    for j, name in enumerate(vocab):  # per-column reference: bias b + tau * (logit(pi_j) - median)
        offset = 0.5 * (log_odds[name] - median) if name in log_odds else 0.0
        total = total + naive_loss(t, d[j:j + 1], text_sets, [name], 10.0, -10.0 + offset)
    assert torch.allclose(fast, total, rtol=1e-6)  # the scale/bias parameters start as float32
    # frequent descriptors get a positive offset, rare ones a negative one; off = the plain loss
    assert log_odds["frustration"] - median > 0 > log_odds["boredom"] - median
    plain = SigmoidDescriptorLoss(tiny_model).double()
    plain.set_descriptor_prior(frequency, texts=100)
    assert torch.allclose(plain.compute_loss_from_embeddings(t, d, *keys_for(text_sets, vocab)),
                          naive_loss(t, d, text_sets, vocab, 10.0, -10.0), rtol=1e-6)  # float32 init
    with pytest.raises(ValueError, match="prior_adjustment"):
        SigmoidDescriptorLoss(tiny_model, prior_adjustment=-1)


# --- multi-process equivalence: 2 gloo processes with gather == one process with the whole batch ----
WORLD_TEXTS = [["joy", "gratitude"], ["anger"], ["joy", "relief"], ["sadness", "anger"],  # rank 0
               ["fear"], ["joy"], ["anger", "disgust"], ["neutral"]]                      # rank 1
NAMES = sorted({d for s in WORLD_TEXTS for d in s} | {"awe"})


def _tables():
    g = torch.Generator().manual_seed(1)
    return torch.randn(len(WORLD_TEXTS), 8, generator=g, dtype=torch.float64), \
        torch.randn(len(NAMES), 8, generator=g, dtype=torch.float64)


def _local_inputs(text_rows):
    """What one process's collator yields: its texts and its own in-batch vocabulary (+'awe' on rank 1)."""
    sets = [WORLD_TEXTS[i] for i in text_rows]
    vocab = list(dict.fromkeys(d for s in sets for d in s))
    return sets, vocab


def _loss_and_grads(text_rows, vocab_extra, gather):
    text_table, desc_table = _tables()
    text_table.requires_grad_(True)
    desc_table.requires_grad_(True)
    sets, vocab = _local_inputs(text_rows)
    vocab = vocab + [v for v in vocab_extra if v not in vocab]
    t = text_table[text_rows]
    d = desc_table[[NAMES.index(v) for v in vocab]]
    loss_fn = SigmoidDescriptorLoss(None, gather_across_devices=gather).double()
    loss = loss_fn.compute_loss_from_embeddings(t, d, *keys_for(sets, vocab))
    loss.backward()
    return loss.detach(), text_table.grad, desc_table.grad, loss_fn.logit_bias.grad, loss_fn.logit_scale.grad


def _worker(rank, world, port, out_path):
    import torch.distributed as dist

    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world)
    try:
        rows = list(range(rank * 4, rank * 4 + 4))
        loss, tg, dg, bg, sg = _loss_and_grads(rows, ["awe"] if rank == 1 else [], gather=True)
        for tensor in (loss, tg, dg, bg, sg):
            dist.all_reduce(tensor)  # DDP averages: sum here, divide by world below
        if rank == 0:
            torch.save({"loss": loss / world, "text": tg / world, "desc": dg / world,
                        "bias": bg / world, "scale": sg / world}, out_path)
    finally:
        dist.destroy_process_group()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_two_process_gather_equals_single_process_full_batch(tmp_path):
    import torch.multiprocessing as mp

    out = tmp_path / "ddp.pt"
    mp.spawn(_worker, args=(2, _free_port(), str(out)), nprocs=2, join=True)
    ddp = torch.load(out)
    loss, tg, dg, bg, sg = _loss_and_grads(list(range(8)), ["awe"], gather=False)
    assert torch.allclose(ddp["loss"], loss, rtol=1e-10)
    assert torch.allclose(ddp["text"], tg, rtol=1e-8, atol=1e-12)
    assert torch.allclose(ddp["desc"], dg, rtol=1e-8, atol=1e-12)
    assert torch.allclose(ddp["bias"], bg, rtol=1e-8)
    assert torch.allclose(ddp["scale"], sg, rtol=1e-8)
    # without the gather, the per-process losses differ from the full-batch loss: the test can fail
    loss0, *_ = _loss_and_grads(list(range(4)), [], gather=False)
    assert not torch.allclose(loss0, loss)
