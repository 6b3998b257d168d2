from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sentence_transformers import SentenceTransformer

from sentence_emo.calibration import Calibration
from sentence_emo.cli import main
from sentence_emo.files import CALIBRATION_FILE, TRAIN_CLOCK_FILE, TRAINING_INFO_FILE
from sentence_emo.training import DescriptorDistillationTrainer, TrainConfig, train
from sentence_emo.zero_shot import EmotionZeroShot

ROOT = Path(__file__).resolve().parents[2]
EMOTIONS = {
    "joy": ["we won the game", "best day ever", "so happy for you"],
    "anger": ["i hate this", "that was awful and unfair", "they lied to me again"],
    "sadness": ["i miss my friend", "my dog died", "i feel so lonely"],
    "fear": ["i am afraid of the dark", "what if it goes wrong", "so nervous about tomorrow"],
}


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    rows = []
    for emotion, texts in EMOTIONS.items():
        for i, text in enumerate(texts):
            for j, suffix in enumerate(["", " really", " today", " at work"]):
                rows.append({"id": f"{emotion}-{i}-{j}", "text": text + suffix,
                             "descriptors": [emotion] + (["frustration"] if emotion == "anger" and j % 2 else [])})
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def _config(tmp_path, base, corpus, **kw) -> TrainConfig:
    options = dict(corpus=[str(corpus)], base_model=str(base), output=str(tmp_path / "out"),
                   checkpoint_dir=str(tmp_path / "ckpt"), batch_size=8, max_steps=4, save_steps=2,
                   calibration_learning_rate=0.05, disable_tqdm=True)
    return TrainConfig(**{**options, **kw})


def test_train_saves_stock_model_with_calibration(tmp_path, tiny_model_dir, small_corpus):
    out = train(_config(tmp_path, tiny_model_dir, small_corpus, eval_fraction=0.1))
    model = SentenceTransformer(str(out))  # stock modules only: no trust_remote_code needed
    assert model.encode(["hello"]).shape == (1, 32)
    modules = json.loads((out / "modules.json").read_text())
    assert all(m["type"].startswith("sentence_transformers.") for m in modules)
    cal = Calibration.load(out, required=True)
    assert cal.trained and (cal.scale, cal.bias) != pytest.approx((10.0, -10.0), abs=1e-3)  # s, b were trained
    info = json.loads((out / TRAINING_INFO_FILE).read_text())
    assert info["loss"]["class"] == "SigmoidDescriptorLoss" and info["calibration"]["scale"] == cal.scale
    assert info["corpus"]["texts"] + info["corpus"]["heldout_texts"] == 48
    assert 0.0 <= info["heldout_eval"]["teacher-heldout_cosine_mrr@10"] <= 1.0
    for ckpt in ("checkpoint-2", "checkpoint-4"):
        assert Calibration.load(tmp_path / "ckpt" / ckpt, required=True).trained  # saved with every checkpoint
    clf = EmotionZeroShot.from_pretrained(str(out))
    assert clf.calibration == cal


def test_calibration_parameters_get_own_lr_and_no_weight_decay(tmp_path, tiny_model_dir, small_corpus):
    from sentence_emo.training import DescriptorDataCollator
    from sentence_emo.losses import SigmoidDescriptorLoss
    from sentence_emo.corpus import load_corpus, to_training_dataset
    from sentence_transformers.sentence_transformer.training_args import SentenceTransformerTrainingArguments

    model = SentenceTransformer(str(tiny_model_dir))
    loss = SigmoidDescriptorLoss(model)
    args = SentenceTransformerTrainingArguments(output_dir=str(tmp_path), learning_rate=1e-4, weight_decay=0.1,
                                                learning_rate_mapping={r"logit_(scale|bias)$": 0.05},
                                                report_to=["none"], use_cpu=True)
    trainer = DescriptorDistillationTrainer(model=model, args=args, loss=loss,
                                            train_dataset=to_training_dataset(load_corpus(small_corpus)),
                                            data_collator=DescriptorDataCollator(model.preprocess))
    optimizer = trainer.create_optimizer()
    groups = [g for g in optimizer.param_groups if any(p is loss.logit_scale for p in g["params"])]
    assert len(groups) == 1 and groups[0]["lr"] == 0.05 and groups[0]["weight_decay"] == 0.0
    assert any(p is loss.logit_bias for p in groups[0]["params"])


def test_resume_restores_encoder_and_calibration(tmp_path, tiny_model_dir, small_corpus):
    import shutil

    straight = train(_config(tmp_path / "a", tiny_model_dir, small_corpus, max_steps=4))
    # an interrupted run: only checkpoint-2 of the same schedule made it to disk
    (tmp_path / "b" / "ckpt").mkdir(parents=True)
    shutil.copytree(tmp_path / "a" / "ckpt" / "checkpoint-2", tmp_path / "b" / "ckpt" / "checkpoint-2")
    mid = Calibration.load(tmp_path / "b" / "ckpt" / "checkpoint-2")
    clock = tmp_path / "b" / "ckpt" / "checkpoint-2" / TRAIN_CLOCK_FILE
    assert json.loads(clock.read_text())["train_seconds"] > 0
    clock.write_text(json.dumps({"train_seconds": 1000.0}))  # as if steps 1-2 had taken 1000 s
    resumed = train(_config(tmp_path / "b", tiny_model_dir, small_corpus, max_steps=4, resume="auto"))
    spent = json.loads((resumed / TRAINING_INFO_FILE).read_text())["train"]
    assert spent["wall_seconds_before_resume"] == 1000.0 and 1000.0 < spent["wall_seconds"] < 1000.0 + 600
    assert json.loads((tmp_path / "b" / "ckpt" / "checkpoint-4" / TRAIN_CLOCK_FILE).read_text())["train_seconds"] > 1000
    a, b = Calibration.load(straight), Calibration.load(resumed)
    assert (mid.scale, mid.bias) != pytest.approx((a.scale, a.bias), abs=1e-5)  # steps 3-4 still moved them
    assert b.scale == pytest.approx(a.scale, rel=1e-5) and b.bias == pytest.approx(a.bias, abs=1e-5)
    ea = SentenceTransformer(str(straight)).encode(["i miss my friend"])
    eb = SentenceTransformer(str(resumed)).encode(["i miss my friend"])
    assert abs(ea - eb).max() < 1e-5
    state = json.loads((tmp_path / "b" / "ckpt" / "checkpoint-4" / "trainer_state.json").read_text())
    assert state["global_step"] == 4


def test_bad_training_input(tmp_path, tiny_model_dir):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1", "text": "hi", "descriptors": []}\n')
    with pytest.raises(ValueError, match="bad.jsonl, line 1: field 'descriptors' is empty"):
        train(_config(tmp_path, tiny_model_dir, bad))
    with pytest.raises(ValueError, match="batch_size must be >= 2"):
        TrainConfig(batch_size=1)
    cfg = tmp_path / "cfg.json"
    cfg.write_text('{"epochz": 3}')
    with pytest.raises(ValueError, match=r"unknown option\(s\) \['epochz'\]"):
        TrainConfig.from_file(cfg)
    good = tmp_path / "good.jsonl"
    good.write_text('{"id": "1", "text": "hi", "descriptors": ["joy"]}\n{"id": "2", "text": "yo", "descriptors": ["anger"]}\n')
    with pytest.raises(FileNotFoundError, match="no such checkpoint directory"):
        train(_config(tmp_path, tiny_model_dir, good, resume=str(tmp_path / "nope")))


def test_train_cli_taxonomy_llm_descriptors_resolves_to_the_shipped_taxonomy(tmp_path, tiny_model_dir,
                                                                            small_corpus):
    from sentence_emo.corpus import load_taxonomy

    shipped = load_taxonomy()
    assert load_taxonomy("llm-descriptors") == shipped and len(shipped) == 832
    assert shipped["frustration"] == {"descriptor": "frustration", "families": ["anger"], "valence": "unpleasant",
                                      "arousal": "high"}
    out = tmp_path / "tax-out"
    assert main(["train", "--corpus", str(small_corpus), "--taxonomy", "llm-descriptors", "--base-model",
                 str(tiny_model_dir), "--output", str(out), "--batch-size", "8", "--max-steps", "2",
                 "--save-steps", "100", "--no-progress"]) == 0
    info = json.loads((out / TRAINING_INFO_FILE).read_text())
    assert info["config"]["taxonomy"] == "llm-descriptors" and info["loss"]["taxonomy_weight"] > 0
    with pytest.raises(FileNotFoundError, match="taxonomy file not found: nope.jsonl"):
        load_taxonomy("nope.jsonl")


def test_train_cli_with_config_file(tmp_path, tiny_model_dir, small_corpus, capsys):
    cfg = tmp_path / "train.yaml"
    cfg.write_text(f"corpus: [{small_corpus}]\nbatch_size: 8\nmax_steps: 2\nsave_steps: 100\n")
    out = tmp_path / "cli-out"
    assert main(["train", "--config", str(cfg), "--base-model", str(tiny_model_dir), "--output", str(out),
                 "--no-progress"]) == 0
    assert (out / CALIBRATION_FILE).exists() and "saved model to" in capsys.readouterr().out


@pytest.mark.slow
def test_minilm_student_trains_saves_reloads_and_predicts(tmp_path, minilm_path):
    config = TrainConfig(base_model=minilm_path, output=str(tmp_path / "emo-distill"), batch_size=16, max_steps=3,
                         save_steps=100, max_seq_length=64, disable_tqdm=True)
    assert config.corpus == ["llm-descriptors"]  # the default: the shipped LLM corpus' train split
    out = train(config)
    info = json.loads((out / TRAINING_INFO_FILE).read_text())
    assert info["corpus"]["texts"] == 9335 and info["corpus"]["sources"] == ["emobank-train", "goemotions-dev",
                                                                              "semeval-train"]
    model = SentenceTransformer(str(out))
    assert model.encode(["I can't stop smiling"]).shape == (1, 384)
    clf = EmotionZeroShot.from_pretrained(str(out))
    preds = clf.predict(["I am so happy and joyful today!", "I am furious, this makes me so angry!"],
                        ["joy", "anger", "sadness"], multi_label=False)
    assert preds[0].labels == ["joy"] and preds[1].labels == ["anger"]
    assert clf.calibration.trained and set(preds[0].scores) == {"joy", "anger", "sadness"}


@pytest.mark.slow
def test_accelerate_launch_two_cpu_processes(tmp_path, tiny_model_dir, small_corpus):
    out = tmp_path / "ddp-out"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    # accelerate 1.x: "--cpu" alone launches ONE process (multi-CPU needs MPI); on a machine without GPUs
    # "--multi_gpu" starts torchrun with 2 processes and the gloo backend.
    cmd = [sys.executable, "-m", "accelerate.commands.launch", "--multi_gpu", "--num_processes", "2",
           "--num_machines", "1", "--mixed_precision", "no", "--dynamo_backend", "no", "--main_process_port", "0",
           "-m", "sentence_emo.train", "--corpus", str(small_corpus), "--base-model", str(tiny_model_dir),
           "--output", str(out), "--batch-size", "4", "--max-steps", "3", "--save-steps", "100", "--no-progress"]
    proc = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    info = json.loads((out / TRAINING_INFO_FILE).read_text())
    assert info["train"]["world_size"] == 2
    assert info["loss"]["gather_across_devices"] is True
    assert Calibration.load(out, required=True).trained
    SentenceTransformer(str(out))


def test_wise_ft_alpha_interpolates_saved_weights_with_the_base(tmp_path, tiny_model_dir, small_corpus):
    import torch

    plain = train(_config(tmp_path / "a", tiny_model_dir, small_corpus, max_steps=2, save_steps=10,
                          wise_ft_alpha=1.0))
    mixed = train(_config(tmp_path / "b", tiny_model_dir, small_corpus, max_steps=2, save_steps=10,
                          wise_ft_alpha=0.25))
    base, student, wise = (SentenceTransformer(str(p)).state_dict() for p in (tiny_model_dir, plain, mixed))
    name = next(k for k in student if "encoder.layer.0.attention.self.query.weight" in k)
    assert not torch.allclose(student[name], base[name])  # training moved the weights
    assert torch.allclose(wise[name], 0.25 * student[name] + 0.75 * base[name], atol=1e-6)
    with pytest.raises(ValueError, match="wise_ft_alpha"):
        _config(tmp_path, tiny_model_dir, small_corpus, wise_ft_alpha=1.5)


def test_teacher_model_adds_the_teacher_term_and_caches_its_embeddings(tmp_path, tiny_model_dir, small_corpus):
    from sentence_emo.files import TEACHER_EMBEDDINGS_FILE
    from sentence_emo.teacher import TeacherSimilarity

    teacher_dir = tmp_path / "teacher"
    SentenceTransformer(str(tiny_model_dir)).save(str(teacher_dir))
    out = train(_config(tmp_path, tiny_model_dir, small_corpus, max_steps=2, teacher_model=str(teacher_dir),
                        teacher_weight=2.0, label_calibration=False))
    info = json.loads((out / TRAINING_INFO_FILE).read_text())
    assert info["loss"]["teacher_weight"] == 2.0 and info["config"]["teacher_model"] == str(teacher_dir)
    cache = tmp_path / "ckpt" / TEACHER_EMBEDDINGS_FILE
    teacher = TeacherSimilarity.load(str(teacher_dir))
    assert teacher.load_cache(cache)  # every training text and descriptor, embedded by the teacher
    texts = [t + s for ts in EMOTIONS.values() for t in ts for s in ("", " really", " today", " at work")]
    assert {*texts, "joy", "frustration"} <= set(teacher._rows)
    with pytest.raises(ValueError, match="teacher_weight"):
        _config(tmp_path, tiny_model_dir, small_corpus, teacher_weight=-1.0)


def test_max_seq_length_cuts_training_texts_only_the_saved_model_keeps_the_base_limit(tmp_path, tiny_model_dir,
                                                                                        small_corpus):
    from sentence_emo.training import build_training

    run = build_training(_config(tmp_path, tiny_model_dir, small_corpus, max_steps=1, max_seq_length=8,
                                 label_calibration=False))
    assert run.model.max_seq_length == 8  # training batches are cut at 8 tokens
    out = run.train()
    assert SentenceTransformer(str(out)).max_seq_length == SentenceTransformer(str(tiny_model_dir)).max_seq_length == 64


def test_missing_teacher_model_and_damaged_train_clock(tmp_path, tiny_model_dir, small_corpus):
    from sentence_emo.checkpoints import TrainClock

    with pytest.raises(FileNotFoundError, match=r"teacher model 'no/such-teacher': no such local path"):
        train(_config(tmp_path, tiny_model_dir, small_corpus, teacher_model="no/such-teacher"))
    checkpoint = tmp_path / "checkpoint-2"
    checkpoint.mkdir()
    (checkpoint / TRAIN_CLOCK_FILE).write_text("{not json")
    assert TrainClock.resuming_from(str(checkpoint)).before == 0.0  # the resume goes on; the time restarts
    (checkpoint / TRAIN_CLOCK_FILE).write_text(json.dumps({"train_seconds": 12.5}))
    assert TrainClock.resuming_from(str(checkpoint)).before == 12.5 and TrainClock.resuming_from(None).before == 0.0


def test_prior_adjustment_gives_the_loss_the_training_texts_descriptor_priors(tmp_path, tiny_model_dir, small_corpus):
    from sentence_emo.losses import descriptor_key
    from sentence_emo.training import build_training

    run = build_training(_config(tmp_path, tiny_model_dir, small_corpus, max_steps=1, prior_adjustment=1.0,
                                 label_calibration=False))
    loss = run.trainer.loss
    assert loss.prior_adjustment == 1.0
    offsets = loss._prior_offsets  # 12 of 48 texts per emotion, 6 of them also "frustration"
    assert set(offsets) == {descriptor_key(d) for d in ("joy", "anger", "sadness", "fear", "frustration")}
    assert offsets[descriptor_key("frustration")] < offsets[descriptor_key("joy")] == 0.0  # the median
    info = json.loads((run.train() / TRAINING_INFO_FILE).read_text())
    assert info["loss"]["prior_adjustment"] == 1.0
    assert build_training(_config(tmp_path / "off", tiny_model_dir, small_corpus)).trainer.loss._prior_offsets == {}
    with pytest.raises(ValueError, match="prior_adjustment"):
        _config(tmp_path, tiny_model_dir, small_corpus, prior_adjustment=-0.5)
