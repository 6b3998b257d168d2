"""The Hub layout of a built corpus: ``data/<split>-00000-of-00001.parquet``, extra configs and the
``README.md`` card whose YAML ``configs`` make ``load_dataset(DIR)`` work without custom code."""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import datasets

from sentence_emo.atomic import atomic_path, atomic_write
from sentence_emo.dataset_builder.config import BUILD_REPORT_FILE, FEATURES, TAXONOMY_FEATURES, TRAIN
from sentence_emo.dataset_builder.corpus_stats import CorpusStatistics

logger = logging.getLogger(__name__)


def parquet_name(split: str, shard: int = 0, num_shards: int = 1) -> str:
    """``data/<split>-00000-of-00001.parquet``, the names ``DatasetDict.push_to_hub`` uses."""
    return f"data/{split}-{shard:05d}-of-{num_shards:05d}.parquet"


def metadata_configs(splits: Iterable[str], extra_configs: Iterable[str] = ()) -> dict[str, Any]:
    """The YAML ``configs`` entries that point ``load_dataset`` at the Parquet files of each split.

    Each extra config ``name`` has one ``train`` split in ``<name>/train-*.parquet``
    (``load_dataset(path, name)``).
    """
    configs = {"default": {"data_files": [{"split": s, "path": f"data/{s}-*"} for s in splits]}}
    for name in extra_configs:
        configs[name] = {"data_files": [{"split": TRAIN, "path": f"{name}/{TRAIN}-*"}]}
    return configs


def taxonomy_dataset(taxonomy: Mapping[str, Mapping[str, Any]] | Iterable[Mapping[str, Any]]) -> datasets.Dataset:
    """The ``taxonomy`` config as a :class:`datasets.Dataset` (rows in the given order)."""
    rows = list(taxonomy.values()) if isinstance(taxonomy, Mapping) else list(taxonomy)
    return datasets.Dataset.from_dict(
        {name: [row.get(name) if name != "families" else list(row.get(name) or []) for row in rows]
         for name in TAXONOMY_FEATURES},
        features=TAXONOMY_FEATURES,
    )


_OUR_PARQUET = re.compile(r"^[A-Za-z0-9_.-]+-\d{5}-of-\d{5}\.parquet$")


def check_dataset_out(out_dir: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Refuse an ``out_dir`` that would lose the user's files.

    Allowed: a missing or empty folder, a folder an earlier ``build-dataset`` wrote (it holds
    ``build_report.json``), or anything with ``overwrite=True``. A path that is a file is refused
    even then.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"--out {out} is a file, not a folder; give a new folder name")
    if overwrite or not out.exists() or (out / BUILD_REPORT_FILE).is_file():
        return out
    contents = sorted(p.name for p in out.iterdir())
    if contents:
        shown = ", ".join(contents[:5]) + (", ..." if len(contents) > 5 else "")
        raise FileExistsError(
            f"--out {out} is not empty ({shown}) and was not written by build-dataset (no {BUILD_REPORT_FILE}); "
            f"its README.md and data/*.parquet would be replaced - give a new folder, or pass --overwrite"
        )
    return out


def write_dataset_dir(dataset: datasets.DatasetDict, out_dir: str | os.PathLike[str],
                      statistics: CorpusStatistics, *, card_kwargs: Mapping[str, Any] | None = None,
                      overwrite: bool = False, extra_configs: Mapping[str, datasets.Dataset] | None = None) -> Path:
    """Write the Hub layout into ``out_dir``: Parquet per split, ``README.md`` card, ``build_report.json``.

    ``out_dir`` must be new, empty or an earlier build (see :func:`check_dataset_out`) unless
    ``overwrite``. ``extra_configs`` (name -> dataset, e.g. ``{"taxonomy": taxonomy_dataset(...)}``)
    become further configs with one ``train`` split in ``<name>/train-00000-of-00001.parquet``.
    Every file is written under a temporary name and renamed into place, so an interrupted run
    leaves the previous build intact. Parquet files of splits that no longer exist are removed
    (only files named like the ones this function writes).
    """
    check_dataset_out(out_dir, overwrite=overwrite)
    from datasets.info import DatasetInfo, DatasetInfosDict
    from datasets.splits import SplitDict, SplitInfo
    from datasets.utils.metadata import MetadataConfigs

    from hub_cards import DatasetCardInfo, render_dataset_card

    out = Path(out_dir)
    (out / "data").mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    split_infos = SplitDict()
    download_size = 0
    for split, ds in dataset.items():
        target = out / parquet_name(split)
        with atomic_path(target) as tmp:
            ds.to_parquet(str(tmp))
        written.append(target)
        download_size += target.stat().st_size
        split_infos.add(SplitInfo(name=split, num_bytes=ds.data.nbytes, num_examples=len(ds)))
    for stale in (out / "data").glob("*.parquet"):
        if stale not in written and _OUR_PARQUET.match(stale.name):
            logger.info("removing %s (split no longer built)", stale)
            stale.unlink()

    info = DatasetInfo(features=FEATURES, splits=split_infos, download_size=download_size,
                       dataset_size=sum(s.num_bytes for s in split_infos.values()))
    infos = {"default": info}
    for name, extra in (extra_configs or {}).items():
        if name in ("default", "data"):
            raise ValueError(f"extra config name {name!r} is reserved; pick another name such as 'taxonomy'")
        target = out / name / parquet_name(TRAIN).split("/", 1)[1]
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(target) as tmp:
            extra.to_parquet(str(tmp))
        size = target.stat().st_size
        infos[name] = DatasetInfo(features=extra.features, download_size=size, dataset_size=extra.data.nbytes,
                                  splits=SplitDict({TRAIN: SplitInfo(name=TRAIN, num_bytes=extra.data.nbytes,
                                                                     num_examples=len(extra))}))
    card = render_dataset_card(
        DatasetCardInfo.from_statistics(statistics, **dict(card_kwargs or {})),
        configs=MetadataConfigs(metadata_configs(dataset.keys(), (extra_configs or {}).keys())),
        dataset_infos=DatasetInfosDict(infos))
    atomic_write(out / "README.md", str(card))
    atomic_write(out / BUILD_REPORT_FILE, json.dumps(statistics.to_dict(), indent=2, ensure_ascii=False) + "\n")
    return out
