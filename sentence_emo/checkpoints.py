"""Where a training run writes and how it resumes: :func:`check_output` (refuse to replace a model),
:func:`resolve_resume` (``--resume auto|PATH``) and :class:`TrainClock` (training time over resumed runs)."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from transformers import TrainerCallback

from sentence_emo.atomic import atomic_write
from sentence_emo.files import TRAIN_CLOCK_FILE

if TYPE_CHECKING:
    from sentence_emo.train_config import TrainConfig

logger = logging.getLogger(__name__)


def _resuming(resume: str | None) -> bool:
    return resume not in (None, "", "no", "false")


def check_output(config: TrainConfig) -> tuple[Path, Path]:
    """``(output, checkpoint_dir)`` after refusing paths that would fail late or replace a model.

    Runs before any training: an ``output`` that is a file (or under a file) fails at once, and an
    existing non-empty ``output`` is refused unless ``overwrite`` or ``resume`` is set.
    """
    output = Path(config.output)
    checkpoint_dir = (Path(config.checkpoint_dir) if config.checkpoint_dir
                      else output.with_name(output.name + "-checkpoints"))
    for what, path in (("--output", output), ("--checkpoint-dir", checkpoint_dir)):
        if path.exists() and not path.is_dir():
            raise FileExistsError(f"{what} {path} is a file, not a folder; give a new folder name")
        blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
        if blocker is not None:
            raise NotADirectoryError(f"{what} {path}: {blocker} is a file, so no folder can be created there")
    if output.is_dir() and any(output.iterdir()) and not (config.overwrite or _resuming(config.resume)):
        what = "a trained model" if (output / "modules.json").is_file() else "files"
        raise FileExistsError(
            f"--output {output} already holds {what}; pass --overwrite to replace it, --resume auto to continue "
            f"its training run, or choose another --output"
        )
    return output, checkpoint_dir


def resolve_resume(resume: str | None, checkpoint_dir: Path) -> str | bool | None:
    """``--resume auto`` = newest checkpoint in the checkpoint dir (or a fresh start if none)."""
    if not _resuming(resume):
        return None
    if resume in ("auto", "latest", "true"):
        from transformers.trainer_utils import get_last_checkpoint

        last = get_last_checkpoint(str(checkpoint_dir)) if checkpoint_dir.is_dir() else None
        if last is None:
            logger.warning("--resume %s: no checkpoint in %s, starting fresh", resume, checkpoint_dir)
        return last
    if not Path(resume).is_dir():
        raise FileNotFoundError(f"--resume {resume}: no such checkpoint directory; use --resume auto for the latest")
    return resume


class TrainClock(TrainerCallback):
    """Training seconds summed over resumed invocations: each checkpoint records the total so far
    (``sentence_emo_train_clock.json``), and a run resumed from it starts its clock there."""

    def __init__(self, before: float = 0.0) -> None:
        self.before = before
        self.started = time.perf_counter()

    @classmethod
    def resuming_from(cls, checkpoint: str | None) -> TrainClock:
        path = Path(checkpoint) / TRAIN_CLOCK_FILE if checkpoint else None
        if path is None or not path.is_file():
            return cls()
        try:
            return cls(float(json.loads(path.read_text(encoding="utf-8"))["train_seconds"]))
        except (ValueError, KeyError, TypeError) as exc:  # a damaged clock must not stop the resume
            logger.warning("%s is unreadable (%s); the reported training time starts at this resume", path, exc)
            return cls()

    @property
    def total(self) -> float:
        return self.before + time.perf_counter() - self.started

    def on_save(self, args, state, control, **kwargs):
        folder = Path(args.output_dir) / f"checkpoint-{state.global_step}"
        if state.is_world_process_zero and folder.is_dir():
            atomic_write(folder / TRAIN_CLOCK_FILE, json.dumps({"train_seconds": self.total}) + "\n")
