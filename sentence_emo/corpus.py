"""The descriptor corpus: texts paired with free-form LLM emotion descriptors.

One record is ``{id, text, descriptors: list[str]}`` plus the optional provenance fields
``source``, ``teacher`` and ``prompt_version``. Corpora are read from JSONL, CSV/TSV
(descriptors comma-separated in one column), Parquet, or a :class:`datasets.Dataset`, and
turned into the two-column training dataset (``text``, ``descriptors``) that
:class:`~sentence_emo.data_collator.DescriptorDataCollator` consumes.

Descriptor normalisation (:func:`normalise_descriptors`):

* each descriptor is stripped, inner white space collapsed, lower-cased;
* empty strings are dropped and duplicates removed, first occurrence kept (order is kept);
* phrases are kept whole ("mild amusement" stays one descriptor);
* ``neutral`` stands alone: the prompt asks the LLM to reply ``neutral`` only when no emotion is
  clearly expressed, so when ``neutral`` appears *together with* real emotions it is dropped and
  the emotions are kept; a record whose only descriptor is ``neutral`` keeps ``["neutral"]``.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from sentence_emo.atomic import atomic_write

logger = logging.getLogger(__name__)

NEUTRAL = "neutral"
OPTIONAL_FIELDS = ("source", "teacher", "prompt_version")

#: the LLM descriptor corpus shipped with the package (``sentence_emo/data/llm_descriptors``)
LLM_DESCRIPTORS = "llm-descriptors"
#: shipped dataset name -> folder under ``sentence_emo/data``
SHIPPED_DATASETS = {LLM_DESCRIPTORS: "llm_descriptors"}
#: the dataset config holding descriptor -> families/valence/arousal (``load_dataset(path, "taxonomy")``)
TAXONOMY_CONFIG = "taxonomy"
#: the emotion families of the taxonomy (Shaver et al. 1987 basic level + Plutchik + self-conscious)
TAXONOMY_FAMILIES = ("joy", "love", "surprise", "anger", "sadness", "fear", "disgust", "trust", "anticipation",
                     "shame", "guilt")

_WS = re.compile(r"\s+")


class CorpusError(ValueError):
    """A corpus record is malformed. The message names the file, line and field."""


@dataclass
class DescriptorRecord:
    """One text with the emotion descriptors an LLM gave it."""

    id: str
    text: str
    descriptors: list[str]
    source: str | None = None
    teacher: str | None = None
    prompt_version: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("extra")
        return data


def normalise_descriptor(descriptor: str) -> str:
    """Strip, collapse inner white space and lower-case one descriptor."""
    return _WS.sub(" ", descriptor).strip().lower()


def normalise_descriptors(descriptors: Iterable[str]) -> list[str]:
    """Normalise a descriptor list (see the module docstring for the rule).

    >>> normalise_descriptors([" Frustration", "mild  amusement", "frustration", "", "Neutral"])
    ['frustration', 'mild amusement']
    >>> normalise_descriptors(["NEUTRAL"])
    ['neutral']
    """
    seen: dict[str, None] = {}
    for descriptor in descriptors:
        if not isinstance(descriptor, str):
            raise TypeError(f"descriptor must be a string, got {type(descriptor).__name__}: {descriptor!r}")
        norm = normalise_descriptor(descriptor)
        if norm:
            seen.setdefault(norm, None)
    out = list(seen)
    if len(out) > 1 and NEUTRAL in seen:
        out.remove(NEUTRAL)
    return out


def split_descriptor_string(value: str, sep: str = ",") -> list[str]:
    """Split a ``"joy, mild amusement"`` cell into normalised descriptors."""
    return normalise_descriptors(value.split(sep))


def optional_str(row: dict[str, Any], name: str, where: str) -> str | None:
    """``row[name]`` when it is a non-empty string, None when absent or empty; a CorpusError otherwise."""
    value = row.get(name)
    if value is not None and not isinstance(value, str):
        raise CorpusError(f"{where}: field {name!r} must be a string, got {type(value).__name__}")
    return value or None


def _where(path: str | None, line: int | None) -> str:
    where = path or "<data>"
    return f"{where}, line {line}" if line is not None else where


def make_record(
    row: dict[str, Any],
    *,
    path: str | None = None,
    line: int | None = None,
    text_field: str = "text",
    descriptors_field: str = "descriptors",
    id_field: str = "id",
    sep: str = ",",
    default_id: str | None = None,
) -> DescriptorRecord:
    """Validate one raw row and build a :class:`DescriptorRecord`.

    Raises :class:`CorpusError` naming the file, line and field on any problem.
    """
    where = _where(path, line)
    if not isinstance(row, dict):
        raise CorpusError(f"{where}: expected an object with fields text/descriptors, got {type(row).__name__}")
    if text_field not in row or row[text_field] is None:
        raise CorpusError(f"{where}: missing field {text_field!r} (fields present: {sorted(row)})")
    text = row[text_field]
    if not isinstance(text, str):
        raise CorpusError(f"{where}: field {text_field!r} must be a string, got {type(text).__name__}")
    if not text.strip():
        raise CorpusError(f"{where}: field {text_field!r} is empty; remove the row or give it text")
    if descriptors_field not in row or row[descriptors_field] is None:
        raise CorpusError(f"{where}: missing field {descriptors_field!r} (fields present: {sorted(row)})")
    raw = row[descriptors_field]
    if isinstance(raw, str):
        descriptors = split_descriptor_string(raw, sep)
    elif isinstance(raw, (list, tuple)) or (hasattr(raw, "tolist") and not isinstance(raw, (bytes, dict))):
        raw = raw.tolist() if hasattr(raw, "tolist") else raw
        bad = [d for d in raw if not isinstance(d, str)]
        if bad:
            raise CorpusError(f"{where}: field {descriptors_field!r} must hold strings, found {bad[0]!r}")
        descriptors = normalise_descriptors(raw)
    else:
        raise CorpusError(
            f"{where}: field {descriptors_field!r} must be a list of strings or a comma-separated string, "
            f"got {type(raw).__name__}"
        )
    if not descriptors:
        raise CorpusError(
            f"{where}: field {descriptors_field!r} is empty; every text needs at least one descriptor "
            f"(use 'neutral' when no emotion is expressed)"
        )
    rid = row.get(id_field)
    if rid is None or (isinstance(rid, str) and not rid.strip()):
        if default_id is None:
            raise CorpusError(f"{where}: missing field {id_field!r}")
        rid = default_id
    optional = {name: optional_str(row, name, where) for name in OPTIONAL_FIELDS}
    known = {text_field, descriptors_field, id_field, *OPTIONAL_FIELDS}
    extra = {k: v for k, v in row.items() if k not in known}
    return DescriptorRecord(id=str(rid), text=text, descriptors=descriptors, extra=extra, **optional)


def _text_rows(path: Path, delimiter: str | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """Rows of a JSONL file, or of a CSV/TSV file when ``delimiter`` is given; errors are CorpusErrors."""
    from sentence_emo.textfiles import InputFileError, read_delimited, read_jsonl

    try:  # delimited: strict quoting, an unclosed quote names its line
        rows = read_jsonl(path) if delimiter is None else read_delimited(path, delimiter)[1]
    except InputFileError as exc:
        raise CorpusError(str(exc)) from None
    yield from rows


def _iter_parquet(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    for i, row in enumerate(table.to_pylist(), start=1):
        yield i, row


def iter_rows(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line_or_row_number, raw_row)`` from a JSONL, CSV, TSV or Parquet file."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"corpus file not found: {path}")
    suffix = "".join(path.suffixes[-2:]).lower() if path.suffix == ".gz" else path.suffix.lower()
    if suffix in (".jsonl", ".json", ".ndjson"):
        return _text_rows(path)
    if suffix == ".csv":
        return _text_rows(path, ",")
    if suffix in (".tsv", ".tab"):
        return _text_rows(path, "\t")
    if suffix == ".parquet":
        return _iter_parquet(path)
    raise CorpusError(f"{path}: unknown corpus format {suffix!r}; use .jsonl, .csv, .tsv or .parquet")


def load_corpus(
    source: str | Path | Any | Sequence[str | Path],
    *,
    text_field: str = "text",
    descriptors_field: str = "descriptors",
    id_field: str = "id",
    sep: str = ",",
) -> list[DescriptorRecord]:
    """Load a descriptor corpus from one or more files or a :class:`datasets.Dataset`.

    ``source`` may be a path (JSONL/CSV/TSV/Parquet), a list of paths (concatenated), the name of
    a shipped corpus (``"llm-descriptors"`` = its ``train`` split, ``"llm-descriptors:validation"``),
    or a ``datasets.Dataset``. Records without an id get ``"<file stem>:<line>"``. Duplicate ids
    raise :class:`CorpusError`.
    """
    if isinstance(source, (list, tuple)):
        records: list[DescriptorRecord] = []
        for item in source:
            records.extend(load_corpus(item, text_field=text_field, descriptors_field=descriptors_field,
                                       id_field=id_field, sep=sep))
        _check_unique_ids(records, "the given corpora")
        return records
    kwargs = dict(text_field=text_field, descriptors_field=descriptors_field, id_field=id_field, sep=sep)
    if hasattr(source, "column_names") and hasattr(source, "__getitem__") and not isinstance(source, (str, Path)):
        missing = [c for c in (text_field, descriptors_field) if c not in source.column_names]
        if missing:
            raise CorpusError(f"dataset has no column {missing[0]!r} (columns: {source.column_names})")
        records = [
            make_record(row, path="<dataset>", line=i, default_id=f"row-{i}", **kwargs)
            for i, row in enumerate(source)
        ]
        _check_unique_ids(records, "<dataset>")
        return records
    shipped = parse_shipped_name(source)
    if shipped is not None:
        return load_shipped_corpus(*shipped)
    path = Path(source)
    records = [
        make_record(row, path=str(path), line=lineno, default_id=f"{path.stem}:{lineno}", **kwargs)
        for lineno, row in iter_rows(path)
    ]
    if not records:
        raise CorpusError(f"{path}: no records found; the corpus is empty")
    _check_unique_ids(records, str(path))
    return records


def _check_unique_ids(records: Sequence[DescriptorRecord], where: str) -> None:
    seen: set[str] = set()
    for record in records:
        if record.id in seen:
            raise CorpusError(f"{where}: duplicate id {record.id!r}; ids must be unique")
        seen.add(record.id)


def parse_shipped_name(source: Any) -> tuple[str, str] | None:
    """``("llm-descriptors", split)`` when ``source`` names a shipped corpus, else ``None``.

    >>> parse_shipped_name("llm-descriptors"), parse_shipped_name("llm-descriptors:validation")
    (('llm-descriptors', 'train'), ('llm-descriptors', 'validation'))
    >>> parse_shipped_name("my.jsonl") is None
    True
    """
    if not isinstance(source, str):
        return None
    name, _, split = source.partition(":")
    if name not in SHIPPED_DATASETS or Path(source).exists():
        return None
    return name, split or "train"


def shipped_dataset_dir(name: str = LLM_DESCRIPTORS) -> Path:
    """Folder of a shipped dataset (Parquet + ``README.md`` card), loadable with ``datasets.load_dataset``."""
    if name not in SHIPPED_DATASETS:
        raise ValueError(f"unknown shipped dataset {name!r}; shipped: {sorted(SHIPPED_DATASETS)}")
    path = Path(str(resources.files("sentence_emo") / "data" / SHIPPED_DATASETS[name]))
    if not (path / "README.md").is_file():
        raise FileNotFoundError(
            f"the shipped dataset {name!r} is missing at {path}; reinstall sentence-emo or rebuild it with "
            f"python scripts/build_llm_corpus.py"
        )
    return path


def _split_files(directory: Path, split: str) -> list[Path]:
    return sorted(directory.glob(f"{split}-*.parquet"))


def load_shipped_corpus(name: str = LLM_DESCRIPTORS, split: str = "train") -> list[DescriptorRecord]:
    """One split of a shipped corpus as records (``load_corpus("llm-descriptors:validation")``)."""
    data = shipped_dataset_dir(name) / "data"
    files = _split_files(data, split)
    if not files:
        available = sorted({p.name.split("-", 1)[0] for p in data.glob("*.parquet")})
        raise ValueError(f"the shipped corpus {name!r} has no split {split!r}; use one of "
                         f"{[f'{name}:{s}' for s in available]}")
    records = [record for path in files for record in load_corpus(path)]
    _check_unique_ids(records, f"{name}:{split}")
    return records


def _taxonomy_row(row: Any, where: str) -> dict[str, Any]:
    if not isinstance(row, dict) or not isinstance(row.get("descriptor"), str) or not row["descriptor"].strip():
        raise ValueError(f"{where}: not a taxonomy row with a 'descriptor' string (got {row!r:.120})")
    families = row.get("families") or []
    if hasattr(families, "tolist"):
        families = families.tolist()
    if not isinstance(families, list) or not all(isinstance(f, str) for f in families):
        raise ValueError(f"{where}: 'families' must be a list of strings, got {families!r}")
    return {"descriptor": normalise_descriptor(row["descriptor"]), "families": [f.strip().lower() for f in families],
            "valence": row.get("valence"), "arousal": row.get("arousal")}


def load_taxonomy(source: str | Path = LLM_DESCRIPTORS) -> dict[str, dict[str, Any]]:
    """``descriptor -> {"descriptor", "families", "valence", "arousal"}``.

    ``source``: a shipped dataset name (default: the taxonomy of ``"llm-descriptors"``), a dataset
    folder with a ``taxonomy/`` config, or a taxonomy JSONL/Parquet file (the format
    ``sentence-emo annotate --mode taxonomy`` writes).

    >>> load_taxonomy()["frustration"]["families"]
    ['anger']
    """
    if isinstance(source, str) and source in SHIPPED_DATASETS and not Path(source).exists():
        source = shipped_dataset_dir(source)
    path = Path(source)
    if path.is_dir():
        files = _split_files(path / TAXONOMY_CONFIG, "train")
        if not files:
            raise FileNotFoundError(f"{path} has no {TAXONOMY_CONFIG}/train-*.parquet; give a taxonomy JSONL file "
                                    f"or a dataset folder built by scripts/build_llm_corpus.py")
    elif path.is_file():
        files = [path]
    else:
        raise FileNotFoundError(f"taxonomy file not found: {path}; give a taxonomy JSONL/Parquet file or "
                                f"{LLM_DESCRIPTORS!r} for the shipped taxonomy")
    out: dict[str, dict[str, Any]] = {}
    for file in files:
        for lineno, row in iter_rows(file):
            entry = _taxonomy_row(row, f"{file}, line {lineno}")
            out[entry["descriptor"]] = entry
    if not out:
        raise ValueError(f"{path}: the taxonomy is empty")
    return out


def write_corpus_jsonl(records: Iterable[DescriptorRecord | dict[str, Any]], path: str | Path) -> Path:
    """Write records as JSONL (the trainer's native format), atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    for record in records:
        data = record.to_dict() if isinstance(record, DescriptorRecord) else dict(record)
        data = {k: v for k, v in data.items() if v is not None}
        buf.write(json.dumps(data, ensure_ascii=False) + "\n")
    return atomic_write(path, buf.getvalue())


def to_training_dataset(records: Sequence[DescriptorRecord]):
    """The ``datasets.Dataset`` with columns ``text`` and ``descriptors`` that the trainer reads."""
    from datasets import Dataset, Features, List, Value

    if not records:
        raise CorpusError("cannot build a training dataset from an empty corpus")
    features = Features({"text": Value("string"), "descriptors": List(Value("string"))})
    return Dataset.from_dict(
        {"text": [r.text for r in records], "descriptors": [r.descriptors for r in records]},
        features=features,
    )


def descriptor_vocabulary(records: Iterable[DescriptorRecord]) -> dict[str, int]:
    """Descriptor -> number of texts it describes, most frequent first."""
    return by_frequency(Counter(d for record in records for d in record.descriptors))


def by_frequency(counts: Mapping[str, int]) -> dict[str, int]:
    """``counts`` ordered most frequent first, ties alphabetically."""
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
