"""One real 2-step MiniLM training run shared by the hub and card tests (trained once per session)."""

from __future__ import annotations

import json
from pathlib import Path

TEACHER = "gpt-4o-mini-2024-07-18"
PROMPT_VERSION = "descriptors@paper-v1"

_EMOTIONS = [
    ("I finally got the job after months of trying!", ["joy", "relief", "pride"]),
    ("My dog died this morning and the house feels empty.", ["grief", "sadness", "loneliness"]),
    ("They cancelled my flight again without any notice.", ["frustration", "anger"]),
    ("I have an exam tomorrow and I have not studied at all.", ["anxiety", "nervousness"]),
    ("What a lovely surprise party, thank you all!", ["gratitude", "joy", "surprise"]),
    ("The bus leaves at seven.", ["neutral"]),
    ("How dare you read my private messages.", ["outrage", "indignation"]),
    ("I can't stop laughing at that video.", ["amusement", "joy"]),
]
_PLACES = ["at work", "at home", "today", "again", "this week", "with my family"]


def corpus_rows() -> list[dict]:
    """48 deterministic synthetic rows with teacher and prompt version."""
    rows = []
    for i in range(48):
        text, descriptors = _EMOTIONS[i % len(_EMOTIONS)]
        rows.append({"id": f"synthetic-{i:03d}", "text": f"{text} ({_PLACES[i % len(_PLACES)]}, #{i})",
                     "descriptors": descriptors, "source": "synthetic", "teacher": TEACHER,
                     "prompt_version": PROMPT_VERSION})
    return rows


_TRAINED: dict[str, Path] = {}


def trained_model_dir(base_model: str, workdir: Path) -> Path:
    """Train ``base_model`` for 2 optimiser steps on :func:`corpus_rows`; cached for the session."""
    cached = _TRAINED.get(base_model)
    if cached is not None and (cached / "modules.json").exists():
        return cached
    from sentence_emo.training import TrainConfig, train

    workdir.mkdir(parents=True, exist_ok=True)
    corpus = workdir / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in corpus_rows()), encoding="utf-8")
    config = TrainConfig(corpus=[str(corpus)], base_model=base_model, output=str(workdir / "emo-distill"),
                         max_steps=2, batch_size=8, eval_fraction=0.2, logging_steps=1, save_steps=1000,
                         max_seq_length=64, disable_tqdm=True, seed=0)
    output = Path(train(config))
    _TRAINED[base_model] = output
    return output
