"""benchmarks/training_throughput.py times a real tiny run through build_training (no patching of train())."""

from __future__ import annotations

from benchmarks import training_throughput as tt

from tests.conftest import write_jsonl
from tests.training.test_training import EMOTIONS


def test_run_one_times_every_step(tmp_path, tiny_model_dir):
    rows = [{"id": f"{e}-{i}-{j}", "text": t + s, "descriptors": [e]}
            for e, texts in EMOTIONS.items() for i, t in enumerate(texts) for j, s in enumerate(["", " today"])]
    corpus = write_jsonl(tmp_path / "corpus.jsonl", rows)
    row = tt.run_one(str(tiny_model_dir), str(corpus), steps=3, batch_size=4, extra_negatives=0, max_seq_length=32)
    assert row["steps"] == 3 and row["examples_per_second"] > 0 and row["seconds_per_step"] > 0
    assert row["trainer_samples_per_second"] > 0
