"""Rebuild the LLM descriptor corpus shipped in ``sentence_emo/data/llm_descriptors`` from ``../shared/data``.

    python scripts/build_llm_corpus.py            # rewrite the shipped folder
    python scripts/build_llm_corpus.py --check    # exit 1 when the shipped folder differs from a fresh build

Inputs (``--data-dir``, default ``../shared/data``): ``llm_descriptors/descriptors.jsonl`` (texts with the
teacher's descriptors), ``llm_descriptors/taxonomy.jsonl`` (descriptor -> families, valence, arousal) and
``llm_descriptors/PROVENANCE.md`` (how both were made). Output: the Hub layout written by
:func:`sentence_emo.dataset_builder.write_dataset_dir` (``DescriptorCorpusBuilder``: de-duplication and the
hash split, 10 % validation) with the taxonomy as a second config, ``taxonomy`` (``load_dataset(DIR,
"taxonomy")``), and a card that names each text source and its licence.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import logging
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

logger = logging.getLogger("build_llm_corpus")

DEFAULT_DATA_DIR = ROOT.parent / "shared" / "data"
DEFAULT_OUT = ROOT / "sentence_emo" / "data" / "llm_descriptors"
VALIDATION_FRACTION = 0.1
PRETTY_NAME = "sentence-emo LLM emotion descriptors"

#: source id in descriptors.jsonl -> (where its texts come from, licence); from PROVENANCE.md
TEXT_SOURCES = {
    "goemotions-dev": ("GoEmotions (Demszky et al., 2020), `dev` split, all rows (Reddit comments)",
                       "Apache-2.0"),
    "semeval-train": ("SemEval-2018 Task 1 E-c, English `train` file: 3,000 random tweets (seed 0), minus 4 "
                      "sexual-solicitation spam tweets", "SemEval-2018 task data, research use only"),
    "emobank-train": ("EmoBank (Buechel & Hahn, 2017), `train` split: 2,000 random sentences (seed 0)",
                      "CC-BY-SA 4.0"),
}


def _relative(path: Path) -> str:
    try:
        return os.path.relpath(path, ROOT)
    except ValueError:  # another drive (Windows)
        return str(path)


def load_taxonomy_rows(path: Path) -> list[dict]:
    rows = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}, line {lineno}: invalid JSON ({exc.msg})") from exc
    return rows


def taxonomy_summary(rows: list[dict]) -> str:
    n_families = Counter(len(r.get("families") or []) for r in rows)
    valence = Counter(r.get("valence") for r in rows)
    arousal = Counter(r.get("arousal") for r in rows)
    families = Counter(f for r in rows for f in r.get("families") or [])
    return (
        f"{len(rows)} descriptors; families: none {n_families[0]}, one {n_families[1]}, two {n_families[2]}; "
        f"valence: pleasant {valence['pleasant']} / unpleasant {valence['unpleasant']} / neutral "
        f"{valence['neutral']}; arousal: high {arousal['high']} / medium {arousal['medium']} / low {arousal['low']}. "
        f"Descriptors per family: " + ", ".join(f"{name} {n}" for name, n in families.most_common()) + "."
    )


def card_sections(stats, taxonomy_rows: list[dict]) -> list[tuple[str, str]]:
    source_rows = "\n".join(
        f"| `{name}` | {n} | {TEXT_SOURCES.get(name, ('(not documented)', 'unknown'))[0]} | "
        f"{TEXT_SOURCES.get(name, ('', 'unknown'))[1]} |"
        for name, n in stats.sources.items()
    )
    sources = f"""\
| Source | Texts | Texts from | Licence of the texts |
|---|---|---|---|
{source_rows}

The descriptors and the taxonomy are released with the texts under the licence of each text's source: use
the `source` column to keep only the texts whose licence fits your use (for example, drop `semeval-train`
for anything but research). No text comes from a test split, from ISEAR or from GoEmotions `train`."""
    made = f"""\
- **Teacher**: a general-purpose large language model (a Claude-family assistant model) read each text itself,
  one reply per text (2026-11-21). No human emotion labels, lexicons or keyword rules were used, and no
  human-label column was shown to it. The `teacher` and `prompt_version` columns are empty because the raw
  file does not record them per row.
- **Prompt** (Niu & Mower Provost, 2025): "You will be given a piece of text, and your task is to identify
  the emotions expressed by the writer of the text. Reply with only the emotion descriptors (words or
  phrases), separated by comma. If no emotion is clearly expressed, reply with 'neutral'." Guidance added:
  usually 1-4 descriptors, specific where the text supports it, the writer's emotions rather than the topic,
  lower case, `neutral` stands alone.
- **Post-processing**: split on commas, white space collapsed, lower-cased, duplicates within a text removed;
  4 spam tweets removed. Then `DescriptorCorpusBuilder` (sentence-emo): texts equal after normalisation kept
  once, {VALIDATION_FRACTION:.0%} of the texts to `validation` by a hash of the id.
- **Rebuild**: `python scripts/build_llm_corpus.py` (from `../shared/data/llm_descriptors`);
  `python scripts/build_llm_corpus.py --check` verifies that this folder matches a fresh build."""
    taxonomy = f"""\
A second config, `taxonomy`, maps every descriptor of the corpus to 0-2 emotion **families** (joy, love,
surprise, anger, sadness, fear, disgust, trust, anticipation, shame, guilt), a **valence**
(pleasant/unpleasant/neutral) and an **arousal** (high/medium/low). It was written (2026-12-02) by an LLM
acting as an emotion-psychology expert, from its own knowledge (Shaver et al. 1987 prototype hierarchy,
Plutchik's wheel, Russell's circumplex), not from any dataset's labels; `sentence-emo annotate --mode taxonomy`
makes the same kind of file for another corpus.

{taxonomy_summary(taxonomy_rows)}

```python
from datasets import load_dataset

taxonomy = load_dataset("path/to/dataset-dir", "taxonomy")["train"]
# {{'descriptor': 'frustration', 'families': ['anger'], 'valence': 'unpleasant', 'arousal': 'high'}}
```

Caution: adding each text's family and valence words as extra positive targets makes those few words
positive for 40-80 % of the texts, and zero-shot top-1 decisions then collapse toward them. Use the
hierarchy in a way that does not create such hubs (sentence-emo's taxonomy term ranks them per group)."""
    with_lib = """\
The corpus ships inside the `sentence-emo` package and is its default training corpus:

```python
from sentence_emo.corpus import load_corpus, load_taxonomy

train = load_corpus("llm-descriptors")             # train split, DescriptorRecord list
dev = load_corpus("llm-descriptors:validation")
taxonomy = load_taxonomy()                         # descriptor -> {families, valence, arousal}
```

`sentence-emo train` trains on it by default; `--taxonomy llm-descriptors` adds the taxonomy term."""
    return [("Source data and licences", sources), ("How it was made", made), ("Taxonomy config", taxonomy),
            ("Use with sentence-emo", with_lib)]


def build(data_dir: Path, out: Path) -> Path:
    """Build the dataset folder into ``out`` from ``data_dir/llm_descriptors``."""
    from sentence_emo.dataset_builder import build_dataset, taxonomy_dataset, write_dataset_dir

    source_dir = data_dir / "llm_descriptors"
    descriptors, taxonomy_file = source_dir / "descriptors.jsonl", source_dir / "taxonomy.jsonl"
    for path in (descriptors, taxonomy_file):
        if not path.is_file():
            raise FileNotFoundError(f"{path} not found; pass --data-dir pointing at the shared data folder")
    with tempfile.TemporaryDirectory(prefix="build-llm-corpus-") as cache:
        dataset, stats = build_dataset([str(descriptors)], cache_dir=cache, validation_fraction=VALIDATION_FRACTION)
        stats.inputs = [_relative(descriptors)]
        rows = load_taxonomy_rows(taxonomy_file)
        missing = sorted(set(stats.descriptor_frequency) - {r["descriptor"] for r in rows})
        if missing:
            raise ValueError(f"{taxonomy_file} lacks {len(missing)} descriptors of the corpus, e.g. {missing[:5]}; "
                             f"annotate them with sentence-emo annotate --mode taxonomy")
        write_dataset_dir(dataset, out, stats, extra_configs={"taxonomy": taxonomy_dataset(rows)},
                          card_kwargs={"pretty_name": PRETTY_NAME, "license": "other",
                                       "sections": card_sections(stats, rows)})
    return out


def dataset_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and not p.name.endswith(".tmp"))


def check(data_dir: Path, shipped: Path) -> list[str]:
    """Differences between ``shipped`` and a fresh build (empty when they match byte for byte)."""
    with tempfile.TemporaryDirectory(prefix="llm-corpus-check-") as tmp:
        fresh = build(data_dir, Path(tmp) / "fresh")
        have, want = dataset_files(shipped), dataset_files(fresh)
        problems = [f"missing from {shipped}: {name}" for name in sorted(set(want) - set(have))]
        problems += [f"not produced by the build: {name}" for name in sorted(set(have) - set(want))]
        problems += [f"differs: {name}" for name in sorted(set(have) & set(want))
                     if not filecmp.cmp(shipped / name, fresh / name, shallow=False)]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR,
                        help=f"shared data folder with llm_descriptors/ (default: {_relative(DEFAULT_DATA_DIR)})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"dataset folder to write or check (default: {_relative(DEFAULT_OUT)})")
    parser.add_argument("--check", action="store_true", help="verify OUT matches a fresh build; write nothing")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        if args.check:
            problems = check(args.data_dir, args.out)
            for problem in problems:
                print(problem, file=sys.stderr)
            if problems:
                print(f"{args.out} is out of date: run python scripts/build_llm_corpus.py", file=sys.stderr)
                return 1
            print(f"{args.out} matches a fresh build from {args.data_dir}")
            return 0
        build(args.data_dir, args.out)
    except (ValueError, FileNotFoundError) as exc:
        print(f"build_llm_corpus: error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {args.out} (load it with datasets.load_dataset({str(args.out)!r}) and "
          f"load_dataset({str(args.out)!r}, 'taxonomy'))")
    return 0


if __name__ == "__main__":
    sys.exit(main())
