"""Where the paper's benchmarks come from when no local mirror (``--data-dir``) is given.

Hub datasets are read with :func:`datasets.load_dataset` (Parquet repos; ``datasets`` >= 4 runs no
loading scripts), pinned public files with :class:`datasets.DownloadManager`; both land in the
``datasets`` cache, so a second run works offline (``HF_HUB_OFFLINE=1``). Assumed layouts:

============================  ===================================================================
GoEmotions                    Hub ``google-research-datasets/go_emotions``, config ``simplified``,
                              revision ``main``: columns ``text``, ``labels`` (list of ClassLabel
                              over the 28 names), ``id``; splits train / validation / test
SemEval-2018 E-c (English)    Hub ``SemEvalWorkshop/sem_eval_2018_task_1``, config
                              ``subtask5.english``, revision ``main``: columns ``ID``, ``Tweet``
                              and one bool column per emotion; splits train / validation / test
EmoBank                       ``corpus/emobank.csv`` of github.com/JULIELab/EmoBank at commit
                              248ce2a4 (id, split, V, A, D, text)
GPT-4 GoEmotions labels       ``goemotions_complete_{val,test}_annotations.csv`` of
                              github.com/chailab-umich/GPT-4-Emotion-Annotation at commit eff8f307
ISEAR, EmpatheticDialogues,   no public copy this library relies on: only a local mirror
SemEval-2007 Affective Text   (``--data-dir``) has them
============================  ===================================================================

Our split ``dev`` is the Hub split ``validation``. :data:`SOURCES` may be edited (another revision
or mirror); every failure to load names the dataset, the source and the fix.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sentence_emo.errors import hub_endpoint, is_connection_error

logger = logging.getLogger(__name__)

DATA_DIR_ENV = "SENTENCE_EMO_DATA_DIR"


@dataclass(frozen=True)
class HubDataset:
    """A dataset repo on the Hub; ``splits`` maps our split names to the repo's."""

    name: str
    repo_id: str
    config: str | None = None
    revision: str = "main"
    splits: dict[str, str] = field(default_factory=lambda: {"train": "train", "dev": "validation",
                                                            "test": "test"})
    #: what a local mirror holds instead (for the error message)
    mirror: str = ""

    def describe(self) -> str:
        return f"Hub dataset {self.repo_id!r}" + (f" (config {self.config!r})" if self.config else "")


@dataclass(frozen=True)
class PinnedFile:
    """One public file at a fixed commit (never changes, so it is cached without revalidation)."""

    name: str
    url: str
    mirror: str = ""

    def describe(self) -> str:
        return self.url


_EMOBANK_COMMIT = "248ce2a43e165a66d31aeaed83cff9641d6654e0"
_CHAILAB_COMMIT = "eff8f3070ef30995befd712376a7f75299fede2c"
_CHAILAB = f"https://raw.githubusercontent.com/chailab-umich/GPT-4-Emotion-Annotation/{_CHAILAB_COMMIT}"

#: the public source of each benchmark part, by key
SOURCES: dict[str, HubDataset | PinnedFile] = {
    "goemotions": HubDataset("GoEmotions", "google-research-datasets/go_emotions", "simplified",
                             mirror="goemotions/{train,dev,test}.tsv and labels.txt"),
    "semeval": HubDataset("SemEval-2018 E-c", "SemEvalWorkshop/sem_eval_2018_task_1", "subtask5.english",
                          mirror="semeval2018_ec/2018-E-c-En-{train,dev}.txt"),
    "emobank": PinnedFile("EmoBank",
                          f"https://raw.githubusercontent.com/JULIELab/EmoBank/{_EMOBANK_COMMIT}/corpus/emobank.csv",
                          mirror="emobank/emobank.csv"),
    "gpt4-dev": PinnedFile("GPT-4 GoEmotions dev labels", f"{_CHAILAB}/goemotions_complete_val_annotations.csv",
                           mirror="gpt4_goemotions_chailab/goemotions_complete_val_annotations.csv"),
    "gpt4-test": PinnedFile("GPT-4 GoEmotions test labels", f"{_CHAILAB}/goemotions_complete_test_annotations.csv",
                            mirror="gpt4_goemotions_chailab/goemotions_complete_test_annotations.csv"),
}

#: benchmarks with no public source: ``key -> (name, file a local mirror holds)``
MIRROR_ONLY: dict[str, tuple[str, str]] = {
    "isear": ("ISEAR", "isear/isear_parsed.csv"),
    "empathetic": ("EmpatheticDialogues", "empathetic_dialogues/test.csv"),
    "affective": ("SemEval-2007 Affective Text", "semeval2007_affective_text/test.csv"),
}

_FIX = f"pass --data-dir DIR (or set {DATA_DIR_ENV}) to a local mirror holding {{mirror}}"


def mirror_only(key: str, *, suite_hint: bool = False) -> FileNotFoundError:
    """The error for a benchmark that only a local mirror has."""
    name, mirror = MIRROR_ONLY[key]
    hint = ", or leave it out of --datasets" if suite_hint else ""
    return FileNotFoundError(f"{name} has no public Hub copy that sentence-emo relies on; "
                             f"{_FIX.format(mirror=mirror)}{hint}")


def check_available(keys: Sequence[str]) -> None:
    """Fail before any download when a requested benchmark has no public source."""
    missing = [k for k in keys if k in MIRROR_ONLY]
    if missing:
        raise mirror_only(missing[0], suite_hint=True)


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


def _unavailable(source: HubDataset | PinnedFile, exc: BaseException) -> FileNotFoundError:
    text = str(exc).strip()
    reason = text.splitlines()[0] if text else type(exc).__name__
    if _offline():
        reason = f"HF_HUB_OFFLINE=1 is set and it is not in the local cache ({reason})"
    online = ("unset HF_HUB_OFFLINE" if _offline()
              else f"check the network connection and HF_ENDPOINT ({hub_endpoint()})")
    return FileNotFoundError(f"{source.name}: could not load {source.describe()}: {reason}; go online ({online}) "
                             f"or {_FIX.format(mirror=source.mirror)}")


def _is_source_error(exc: BaseException) -> bool:
    """Errors that mean "this source cannot be had here" (not a bug in the caller)."""
    return (is_connection_error(exc) or isinstance(exc, (OSError, ValueError, RuntimeError))
            or type(exc).__name__ in ("DatasetNotFoundError", "DataFilesNotFoundError", "EmptyDatasetError"))


def load_split(key: str, split: str) -> Any:
    """The ``datasets.Dataset`` of our ``split`` (train/dev/test) of the Hub dataset ``key``."""
    source = SOURCES[key]
    if not isinstance(source, HubDataset):
        raise TypeError(f"{key!r} is a {type(source).__name__}, not a Hub dataset; use download({key!r})")
    if split not in source.splits:
        raise ValueError(f"{source.name} split must be one of {', '.join(source.splits)}, got {split!r}")
    import datasets

    logger.info("loading %s split %s from %s", source.name, source.splits[split], source.describe())
    try:
        return datasets.load_dataset(source.repo_id, source.config, split=source.splits[split],
                                     revision=source.revision)
    except Exception as exc:
        if _is_source_error(exc):
            raise _unavailable(source, exc) from exc
        raise


def download(key: str) -> str:
    """Local path of the pinned file ``key`` (downloaded once into the ``datasets`` cache)."""
    source = SOURCES[key]
    if not isinstance(source, PinnedFile):
        raise TypeError(f"{key!r} is a {type(source).__name__}, not a pinned file; use load_split({key!r}, split)")
    import datasets

    manager = datasets.DownloadManager(download_config=datasets.DownloadConfig(use_etag=False, disable_tqdm=True))
    try:
        return str(manager.download(source.url))
    except Exception as exc:
        if _is_source_error(exc):
            raise _unavailable(source, exc) from exc
        raise


def describe(keys: Sequence[str] | None = None) -> str:
    """One line naming the public sources (for report metadata)."""
    chosen = [SOURCES[k] for k in (keys or SOURCES) if k in SOURCES]
    return "public sources: " + ", ".join(s.repo_id if isinstance(s, HubDataset) else s.url for s in chosen)
