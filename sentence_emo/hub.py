"""Publish sentence-emo artefacts on the Hugging Face Hub: the model (with its card) and the corpus.

Three sub-commands::

    sentence-emo build-dataset INPUT... --out DIR          # Parquet per split + README.md card, locally
    sentence-emo push-model DIR REPO_ID [--private] [--results results.json]
    sentence-emo push-dataset INPUT... REPO_ID [--private]

``INPUT`` is a corpus file (JSONL/CSV/TSV/Parquet) or a ``sentence-emo annotate`` output directory.
The token comes from ``HF_TOKEN`` or the token saved by ``hf auth login`` (huggingface_hub's usual
resolution); it is never printed. ``HF_ENDPOINT`` selects another Hub-compatible server.

After pushing, both artefacts load with stock tools::

    SentenceTransformer("org/emo-distill")            # the encoder
    EmotionZeroShot.from_pretrained("org/emo-distill") # encoder + calibration
    load_dataset("org/emo-descriptors")               # Parquet + YAML configs, no custom code
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sentence_emo.files import CALIBRATION_FILE, CARD_FILE, TRAINING_INFO_FILE

logger = logging.getLogger(__name__)

#: never uploaded with a model: temporary files, pickled trainer state, VCS and cache folders
MODEL_UPLOAD_EXCLUDE = ("*.tmp", "*.tmp.*", "training_args.bin", ".git/*", ".cache/*", "__pycache__/*", ".DS_Store")


class HubPushError(ValueError):
    """Publishing failed; the message says what to fix (it never contains the token)."""


@dataclass
class PushResult:
    repo_id: str
    repo_type: str
    url: str
    commit: str | None
    files: list[str]


# -- helpers ----------------------------------------------------------------------------------------
def validate_repo_id(repo_id: str) -> str:
    """``org/name`` or raise a ValueError with the fix."""
    from huggingface_hub.utils import HFValidationError, validate_repo_id as _validate

    if not isinstance(repo_id, str) or repo_id.count("/") != 1:
        raise HubPushError(f"repo id {repo_id!r} must look like 'org/name' (e.g. my-org/emo-distill)")
    try:
        _validate(repo_id)
    except HFValidationError as exc:
        raise HubPushError(f"repo id {repo_id!r} is not valid: {exc}") from None
    return repo_id


def resolve_token(token: str | None = None) -> str:
    """``token`` or huggingface_hub's usual resolution (``HF_TOKEN``, then the saved login)."""
    from huggingface_hub import get_token

    token = token or get_token()
    if not token:
        raise HubPushError("no Hugging Face token: set HF_TOKEN or run 'hf auth login' (a token with write access)")
    return token


def _scrub(message: str, token: str | None) -> str:
    return message.replace(token, "***") if token else message


def _hub_error(action: str, repo_id: str, exc: Exception, token: str | None) -> HubPushError:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    hint = ""
    status = getattr(getattr(exc, "response", None), "status_code", None)
    if status in (401, 403):
        hint = "; check that HF_TOKEN (or your saved login) has write access to that namespace"
    elif status == 404:
        hint = "; check the repo id and that the token can see the repo"
    return HubPushError(_scrub(f"{action} {repo_id} failed: {first}{hint}", token))


@contextmanager
def _hub_errors(action: str, repo_id: str, token: str | None) -> Iterator[None]:
    """Hub HTTP errors (with a hint) and an unreachable Hub or offline mode as :class:`HubPushError`, the token
    scrubbed; other errors unchanged."""
    from huggingface_hub.errors import HfHubHTTPError

    try:
        yield
    except HfHubHTTPError as exc:
        raise _hub_error(action, repo_id, exc, token) from None
    except Exception as exc:
        from sentence_emo.errors import connection_message, is_connection_error

        if not is_connection_error(exc):
            raise
        raise HubPushError(_scrub(f"{action} {repo_id} failed: {connection_message(exc)}", token)) from None


def _model_files(model_dir: Path) -> list[Path]:
    from fnmatch import fnmatch

    def skipped(rel: str, name: str) -> bool:
        return rel == CARD_FILE or any(fnmatch(rel, pat) or fnmatch(name, pat) for pat in MODEL_UPLOAD_EXCLUDE)

    return [p for p in sorted(model_dir.rglob("*"))
            if p.is_file() and not skipped(p.relative_to(model_dir).as_posix(), p.name)]


def public_training_info(path: str | os.PathLike[str]) -> bytes:
    """``sentence_emo_training.json`` with absolute local paths reduced to file names (for publishing).

    >>> import json, tempfile, os
    >>> f = os.path.join(tempfile.mkdtemp(), "info.json")
    >>> _ = open(f, "w").write(json.dumps({"config": {"corpus": ["/home/me/data/c.jsonl"], "seed": 1}}))
    >>> json.loads(public_training_info(f))
    {'config': {'corpus': ['c.jsonl'], 'seed': 1}}
    """
    import json

    from hub_cards.formatting import strip_local_paths
    from sentence_emo.textfiles import read_json

    data = read_json(path, fix="re-run training or delete the file")
    return (json.dumps(strip_local_paths(data), indent=2) + "\n").encode("utf-8")


def check_model_dir(model_dir: str | os.PathLike[str]) -> Path:
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise FileNotFoundError(f"model directory not found: {model_dir}; train one with 'sentence-emo train --output DIR'")
    if not (model_dir / "modules.json").is_file():
        raise HubPushError(f"{model_dir} is not a saved SentenceTransformer (no modules.json); "
                           f"give the --output directory of 'sentence-emo train'")
    if not (model_dir / CALIBRATION_FILE).is_file():
        logger.warning("%s has no %s: EmotionZeroShot will use uncalibrated scores", model_dir, CALIBRATION_FILE)
    return model_dir


# -- model ------------------------------------------------------------------------------------------
def push_model(model_dir: str | os.PathLike[str], repo_id: str, *, private: bool = False, results: Any = None,
               dataset_id: str | None = None, token: str | None = None, commit_message: str | None = None
               ) -> PushResult:
    """Upload a trained model directory with its model card as ``README.md`` in one commit.

    The card is the ``README.md`` that training wrote (sentence-transformers' card with the emotion
    sections), with ``repo_id`` in its usage snippets, ``dataset_id`` linked and ``results`` added as
    ``model-index`` and a results table (:func:`sentence_emo.model_card.model_card_for`). The local
    directory is not modified, and the uploaded ``sentence_emo_training.json`` has local paths reduced
    to file names.
    """
    from huggingface_hub import CommitOperationAdd, HfApi

    from sentence_emo.model_card import model_card_for

    model_dir = check_model_dir(model_dir)
    validate_repo_id(repo_id)
    token = resolve_token(token)
    card = model_card_for(model_dir, repo_id, results=results, dataset_id=dataset_id)
    files = _model_files(model_dir)
    operations = [CommitOperationAdd(path_in_repo=p.relative_to(model_dir).as_posix(),
                                     path_or_fileobj=public_training_info(p) if p.name == TRAINING_INFO_FILE else str(p))
                  for p in files]
    operations.append(CommitOperationAdd(path_in_repo=CARD_FILE, path_or_fileobj=str(card).encode("utf-8")))
    api = HfApi(token=token, library_name="sentence-emo")
    with _hub_errors("pushing the model to", repo_id, token):
        url = api.create_repo(repo_id, private=private, exist_ok=True, repo_type="model")
        info = api.create_commit(repo_id, operations, commit_message=commit_message or "Upload sentence-emo model",
                                 repo_type="model")
    uploaded = [op.path_in_repo for op in operations]
    logger.info("pushed %d files to %s", len(uploaded), url)
    return PushResult(repo_id=repo_id, repo_type="model", url=str(url), commit=getattr(info, "oid", None),
                      files=uploaded)


# -- dataset ----------------------------------------------------------------------------------------
def build_dataset_dir(inputs: Sequence[str | os.PathLike[str]], out_dir: str | os.PathLike[str], *,
                      repo_id: str | None = None, pretty_name: str | None = None, license: str | None = None,
                      cache_dir: str | None = None, overwrite: bool = False, **config_kwargs: Any):
    """Build the corpus dataset and write Parquet + card into ``out_dir``; returns ``(dataset, statistics)``.

    A non-empty ``out_dir`` that an earlier build did not write is refused unless ``overwrite``.
    """
    from sentence_emo.dataset_builder import build_dataset, check_dataset_out, write_dataset_dir

    check_dataset_out(out_dir, overwrite=overwrite)  # before the (possibly long) build
    dataset, stats = build_dataset(list(inputs), cache_dir=cache_dir, **config_kwargs)
    write_dataset_dir(dataset, out_dir, stats, overwrite=overwrite,
                      card_kwargs={"repo_id": repo_id, "pretty_name": pretty_name, "license": license})
    return dataset, stats


def built_dataset_folder(inputs: Sequence[str | os.PathLike[str]] | str | os.PathLike[str]) -> Path | None:
    """The folder when ``inputs`` is one already built dataset folder, else ``None``.

    A built folder is a shipped dataset name (``"llm-descriptors"``) or a directory with a
    ``README.md`` card and ``data/*.parquet`` (what ``build-dataset`` and
    ``scripts/build_llm_corpus.py`` write), as opposed to corpus files and annotation directories.
    """
    from sentence_emo.corpus import SHIPPED_DATASETS, shipped_dataset_dir

    items = [inputs] if isinstance(inputs, (str, os.PathLike)) else list(inputs)
    if len(items) != 1:
        return None
    item = str(items[0])
    if item in SHIPPED_DATASETS and not Path(item).exists():
        return shipped_dataset_dir(item)
    path = Path(item)
    if path.is_dir() and (path / CARD_FILE).is_file() and any((path / "data").glob("*.parquet")):
        return path
    return None


def _push_dataset_folder(folder: Path, repo_id: str, *, private: bool, token: str,
                         commit_message: str | None) -> PushResult:
    """Upload a built dataset folder as it is (card with all configs, Parquet files, build report)."""
    from huggingface_hub import HfApi

    patterns = [CARD_FILE, "build_report.json", "*/*.parquet"]
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()
                   and (p.name in (CARD_FILE, "build_report.json") or (p.suffix == ".parquet" and p.parent != folder)))
    api = HfApi(token=token, library_name="sentence-emo")
    with _hub_errors("pushing the dataset to", repo_id, token):
        url = api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
        info = api.upload_folder(folder_path=str(folder), repo_id=repo_id, repo_type="dataset",
                                 allow_patterns=patterns,
                                 commit_message=commit_message or f"Upload {folder.name} (sentence-emo dataset)")
    return PushResult(repo_id=repo_id, repo_type="dataset", url=str(url), commit=getattr(info, "oid", None),
                      files=files)


def push_dataset(inputs: Sequence[str | os.PathLike[str]], repo_id: str, *, private: bool = False,
                 token: str | None = None, pretty_name: str | None = None, license: str | None = None,
                 cache_dir: str | None = None, commit_message: str | None = None, **config_kwargs: Any
                 ) -> PushResult:
    """Build the corpus dataset and publish it with ``DatasetDict.push_to_hub`` (Parquet + YAML configs).

    When ``inputs`` is one built dataset folder (``"llm-descriptors"`` for the shipped corpus, or a
    ``build-dataset --out`` folder) it is uploaded as it is, with all its configs (e.g. ``taxonomy``),
    and the build options are ignored.
    The dataset card is uploaded first; ``push_to_hub`` then adds the Parquet files and merges its
    ``configs``/``dataset_info`` metadata into that card, so ``load_dataset(repo_id)`` needs no code.
    """
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import HfApi

    from hub_cards import DatasetCardInfo, render_dataset_card
    from sentence_emo.dataset_builder import build_dataset, metadata_configs

    validate_repo_id(repo_id)
    token = resolve_token(token)
    folder = built_dataset_folder(inputs)
    if folder is not None:
        return _push_dataset_folder(folder, repo_id, private=private, token=token, commit_message=commit_message)
    dataset, stats = build_dataset(list(inputs), cache_dir=cache_dir, **config_kwargs)
    card = render_dataset_card(
        DatasetCardInfo.from_statistics(stats, repo_id=repo_id, pretty_name=pretty_name, license=license),
        configs=MetadataConfigs(metadata_configs(dataset.keys())),
    )
    api = HfApi(token=token, library_name="sentence-emo")
    with _hub_errors("pushing the dataset to", repo_id, token):
        url = api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
        api.upload_file(path_or_fileobj=str(card).encode("utf-8"), path_in_repo=CARD_FILE, repo_id=repo_id,
                        repo_type="dataset", commit_message="Add dataset card")
        info = dataset.push_to_hub(repo_id, private=private, token=token,
                                   commit_message=commit_message or "Upload sentence-emo descriptor corpus")
    files = [CARD_FILE] + [f"data/{split}-*.parquet" for split in dataset]
    return PushResult(repo_id=repo_id, repo_type="dataset", url=str(url), commit=getattr(info, "oid", None),
                      files=files)


# -- CLI --------------------------------------------------------------------------------------------
def _add_dataset_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--keep-duplicates", dest="deduplicate", action="store_false", default=argparse.SUPPRESS,
                        help="keep texts whose normalised form was already seen (--no-deduplicate)")
    parser.add_argument("--pretty-name", help="dataset title in the card (not given: Emotion descriptors)")
    parser.add_argument("--license", help="licence id for the card metadata, e.g. cc-by-4.0")
    parser.add_argument("--cache-dir", help="datasets cache folder (not given: HF_DATASETS_CACHE)")


def _corpus_options(args: argparse.Namespace) -> dict[str, Any]:
    """``inputs`` and the other :class:`~sentence_emo.dataset_builder.DescriptorCorpusConfig` options of ``args``."""
    from sentence_emo.dataset_builder.config import DescriptorCorpusConfig

    return {k: v for k, v in vars(args).items() if k in DescriptorCorpusConfig.__dataclass_fields__}


def _print_stats(stats: Any) -> None:
    splits = ", ".join(f"{name}: {n}" for name, n in stats.splits.items())
    print(f"{stats.texts} texts ({splits}); {stats.descriptor_vocabulary} distinct descriptors, "
          f"{stats.descriptors_per_text['mean']:.2f} per text; {stats.duplicates_removed} duplicates removed; "
          f"{stats.failed_total} failed annotations ({stats.failed_mode})")


def _run_build(args: argparse.Namespace) -> int:
    if args.repo_id:
        validate_repo_id(args.repo_id)
    _, stats = build_dataset_dir(out_dir=args.out, repo_id=args.repo_id, pretty_name=args.pretty_name,
                                 license=args.license, cache_dir=args.cache_dir, overwrite=args.overwrite,
                                 **_corpus_options(args))
    _print_stats(stats)
    print(f"wrote {args.out}/data/*.parquet and {args.out}/README.md (load it with load_dataset({str(args.out)!r}))")
    return 0


def _run_push_model(args: argparse.Namespace) -> int:
    if args.dry_run:
        check_model_dir(args.model_dir)
        validate_repo_id(args.repo_id)
        from sentence_emo.model_card import model_card_for

        card = model_card_for(args.model_dir, args.repo_id, results=args.results, dataset_id=args.dataset_id)
        print(str(card))
        for path in _model_files(Path(args.model_dir)):
            print(f"would upload {path.relative_to(args.model_dir).as_posix()}", file=sys.stderr)
        return 0
    result = push_model(args.model_dir, args.repo_id, private=args.private, results=args.results,
                        dataset_id=args.dataset_id, commit_message=args.commit_message)
    print(f"pushed {len(result.files)} files to {result.url} (commit {result.commit}); load it with "
          f"EmotionZeroShot.from_pretrained({args.repo_id!r})")
    return 0


def _run_push_dataset(args: argparse.Namespace) -> int:
    result = push_dataset(repo_id=args.repo_id, private=args.private, pretty_name=args.pretty_name,
                          license=args.license, cache_dir=args.cache_dir, commit_message=args.commit_message,
                          **_corpus_options(args))
    print(f"pushed the dataset to {result.url} (commit {result.commit}); load it with "
          f"load_dataset({args.repo_id!r})")
    return 0


def register(subparsers) -> None:
    from sentence_emo.dataset_builder.config import PYTHON_ONLY, DescriptorCorpusConfig

    build = subparsers.add_parser(
        "build-dataset", help="build the descriptor corpus as Parquet + dataset card in a local folder",
        description="Build the descriptor corpus as a Hugging Face dataset (Parquet per split, README.md card with "
                    "YAML configs) from corpus files and/or 'sentence-emo annotate' output directories.",
        dataclass_types=DescriptorCorpusConfig, exclude=PYTHON_ONLY)
    build.add_argument("--out", required=True,
                       help="output folder: new, empty, or an earlier build-dataset output (its Parquet files and "
                            "card are replaced)")
    build.add_argument("--overwrite", action="store_true",
                       help="write into a non-empty --out that build-dataset did not write (replaces README.md "
                            "and data/*.parquet there)")
    build.add_argument("--repo-id", help="Hub id used in the card's usage snippet, e.g. org/emo-descriptors")
    _add_dataset_options(build)
    build.set_defaults(func=_run_build)

    model = subparsers.add_parser(
        "push-model", help="upload a trained model with its model card to the Hub",
        description="Upload a trained model directory with its model card (the README.md training wrote, with "
                    "REPO_ID, --dataset-id and --results added) in one commit. Token: HF_TOKEN or 'hf auth login'.")
    model.add_argument("model_dir", metavar="DIR", help="the --output folder of 'sentence-emo train'")
    model.add_argument("repo_id", metavar="REPO_ID", help="target repo, e.g. my-org/emo-distill")
    model.add_argument("--private", action="store_true", help="create the repo as private")
    model.add_argument("--results", help="evaluation results JSON for the card's model-index (see hub_cards)")
    model.add_argument("--dataset-id", help="Hub id of the training corpus dataset, linked from the card")
    model.add_argument("--commit-message", help="commit message (default: Upload sentence-emo model)")
    model.add_argument("--dry-run", action="store_true", help="print the card and the file list; upload nothing")
    model.set_defaults(func=_run_push_model)

    data = subparsers.add_parser(
        "push-dataset", help="build the descriptor corpus and push it to the Hub as Parquet",
        description="Build the descriptor corpus (like build-dataset) and push it with DatasetDict.push_to_hub, so "
                    "that load_dataset(REPO_ID) works without custom code. One built dataset folder as INPUT is "
                    "uploaded as it is ('llm-descriptors' = the corpus shipped with sentence-emo). Token: HF_TOKEN "
                    "or 'hf auth login'.",
        dataclass_types=DescriptorCorpusConfig, exclude=PYTHON_ONLY)
    data.add_argument("repo_id", metavar="REPO_ID", help="target dataset repo, e.g. my-org/emo-descriptors")
    data.add_argument("--private", action="store_true", help="create the repo as private")
    data.add_argument("--commit-message", help="commit message")
    _add_dataset_options(data)
    data.set_defaults(func=_run_push_dataset)
