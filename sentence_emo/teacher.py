"""A trained encoder as teacher of a smaller student: its text-word cosine similarities, embedded once.

``sentence-emo train --teacher-model runs/recipe/mpnet-recipe`` adds the teacher term
(:mod:`sentence_emo.losses.similarity_distillation`): before training, the teacher embeds every training
text and every descriptor (plus the taxonomy words), and the collator looks up the teacher's cosine
matrix of each batch. The teacher is any SentenceTransformer; its embedding size may differ from the
student's.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import torch
from torch import Tensor

if TYPE_CHECKING:
    from sentence_emo.corpus import DescriptorRecord
    from sentence_emo.train_config import TrainConfig

logger = logging.getLogger(__name__)

__all__ = ["TeacherSimilarity", "training_teacher"]


class TeacherSimilarity:
    """``teacher(texts, words)`` -> ``(len(texts), len(words))`` cosine similarities of the teacher encoder.

    Strings embedded up front (:meth:`embed`) are looked up; others are embedded on first use.
    :meth:`save` / :meth:`load_cache` keep the embeddings across runs (a resumed run re-embeds nothing).
    """

    def __init__(self, model, batch_size: int = 64, name: str = "") -> None:
        self.model = model
        self.name = name
        self.batch_size = batch_size
        self._rows: dict[str, int] = {}
        self._embeddings = torch.empty(0, model.get_embedding_dimension())

    @classmethod
    def load(cls, path: str, max_seq_length: int | None = None, batch_size: int = 64) -> TeacherSimilarity:
        from sentence_emo.models import load_encoder

        model = load_encoder(path, what="teacher model", device="cpu")
        if max_seq_length:
            model.max_seq_length = max_seq_length
        model.eval()
        return cls(model, batch_size=batch_size, name=str(path))

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the embeddings and their strings to a safetensors file (atomically)."""
        from safetensors.torch import save_file

        from sentence_emo.atomic import atomic_path

        metadata = {"teacher": self.name, "strings": json.dumps(list(self._rows))}
        with atomic_path(path) as tmp:
            save_file({"embeddings": self._embeddings.contiguous()}, str(tmp), metadata=metadata)
        return Path(path)

    def load_cache(self, path: str | os.PathLike[str]) -> bool:
        """Take the embeddings :meth:`save` wrote for the same teacher; False (nothing read) if the file
        is missing, unreadable or from another teacher, so the strings are embedded again."""
        from safetensors import safe_open

        if not Path(path).is_file():
            return False
        try:
            with safe_open(str(path), framework="pt") as f:
                metadata, embeddings = f.metadata() or {}, f.get_tensor("embeddings")
            strings = json.loads(metadata["strings"])
        except Exception as exc:  # safetensors' SafetensorError derives from Exception only
            logger.warning("teacher cache %s is unreadable (%s); embedding again", path, exc)
            return False
        if metadata.get("teacher") != self.name or len(strings) != len(embeddings):
            logger.info("teacher cache %s is for %r, not %r; embedding again", path, metadata.get("teacher"), self.name)
            return False
        self._rows = {s: i for i, s in enumerate(strings)}
        self._embeddings = embeddings.float()
        return True

    def embed(self, strings: Iterable[str], show_progress_bar: bool = False) -> None:
        """Embed (normalised) the strings not embedded yet."""
        new = list(dict.fromkeys(s for s in strings if s not in self._rows))
        if not new:
            return
        vectors = self.model.encode(new, batch_size=self.batch_size, convert_to_tensor=True,
                                    normalize_embeddings=True, show_progress_bar=show_progress_bar).float().cpu()
        self._rows.update({s: len(self._rows) + i for i, s in enumerate(new)})
        self._embeddings = torch.cat([self._embeddings, vectors])

    def __call__(self, texts: Sequence[str], words: Sequence[str]) -> Tensor:
        self.embed([*texts, *words])
        t = self._embeddings[[self._rows[s] for s in texts]]
        w = self._embeddings[[self._rows[s] for s in words]]
        return t @ w.T

    def __len__(self) -> int:
        return len(self._rows)


def training_teacher(config: TrainConfig, records: Sequence[DescriptorRecord], descriptors: Sequence[str],
                     checkpoint_dir: Path) -> TeacherSimilarity | None:
    """The teacher encoder's similarities (None without ``config.teacher_model``), every training text and
    descriptor embedded up front (other words, e.g. taxonomy words, on first use); the embeddings are cached
    in ``checkpoint_dir``, so a resumed run does not embed them again."""
    if not config.teacher_model or not config.teacher_weight:
        return None
    from sentence_emo.files import TEACHER_EMBEDDINGS_FILE

    started = time.perf_counter()
    teacher = TeacherSimilarity.load(config.teacher_model, max_seq_length=config.max_seq_length)
    cache = checkpoint_dir / TEACHER_EMBEDDINGS_FILE
    cached = len(teacher) if teacher.load_cache(cache) else 0
    teacher.embed([*(r.text for r in records), *descriptors], show_progress_bar=not config.disable_tqdm)
    if len(teacher) > cached and int(os.environ.get("RANK", "0")) == 0:
        checkpoint_dir.mkdir(parents=True, exist_ok=True)
        teacher.save(cache)
    logger.info("teacher %s: %d texts and descriptors embedded (%d from the cache) in %.0f s", config.teacher_model,
                len(teacher), cached, time.perf_counter() - started)
    return teacher
