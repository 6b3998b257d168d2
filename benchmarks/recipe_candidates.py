"""Train the recipe candidates that ``benchmarks/select_recipe.py`` compares (issue #9).

Every candidate trains on the ``train`` split of the shipped LLM descriptor corpus
(``sentence_emo/data/llm_descriptors``); its ``validation`` split and every validation label set stay
unseen. Training-time choices live here; post-hoc choices (WiSE-FT alpha, label side) are swept by
``select_recipe``. Each run resumes from its last checkpoint, so an interrupted candidate continues.

    python -m benchmarks.recipe_candidates minilm-base minilm-taxonomy   # -> runs/recipe/<name>

``minilm-recipe`` trains exactly the steps of ``minilm-taxonomy-e3``; with a copy of that run's
checkpoints in ``runs/recipe/minilm-recipe-checkpoints`` it resumes at the last step and only applies
WiSE-FT and fits the label calibration.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

#: the shipped corpus's train split and its taxonomy config (``sentence_emo.corpus.load_corpus/load_taxonomy``)
CORPUS = "llm-descriptors"
TAXONOMY = "llm-descriptors"
#: marker of the corpus-mix candidate: built from ``../shared/data`` by ``benchmarks.teacher_corpora``
GPT4_MIX = "gpt4-mix"

#: shared by every candidate: 1 epoch (146 steps of 64 texts), 64 sampled extra negatives, max length 64
#: (WiSE-FT off and no taxonomy unless a candidate sets them: select_recipe interpolates afterwards)
COMMON: dict[str, Any] = dict(epochs=1.0, batch_size=64, learning_rate=5e-5, extra_negatives=64,
                              max_seq_length=64, save_steps=50, taxonomy=None, wise_ft_alpha=1.0)
CANDIDATES: dict[str, dict[str, Any]] = {
    "minilm-base": dict(base_model="all-MiniLM-L6-v2"),
    "minilm-taxonomy": dict(base_model="all-MiniLM-L6-v2", taxonomy=TAXONOMY, taxonomy_weight=1.0),
    "minilm-taxonomy-e2": dict(base_model="all-MiniLM-L6-v2", taxonomy=TAXONOMY, taxonomy_weight=1.0, epochs=2.0),
    "minilm-taxonomy-e3": dict(base_model="all-MiniLM-L6-v2", taxonomy=TAXONOMY, taxonomy_weight=1.0, epochs=3.0),
    #: the selected recipe = the defaults of ``sentence-emo train`` (3 epochs, taxonomy term, WiSE-FT alpha
    #: 0.7, label side names & "I feel {}."); its training steps are exactly those of minilm-taxonomy-e3 (WiSE-FT
    #: and the label calibration come after the last step)
    "minilm-recipe": dict(base_model="all-MiniLM-L6-v2", taxonomy=TAXONOMY, taxonomy_weight=1.0, wise_ft_alpha=0.7,
                          epochs=3.0, label_template=["{}", "I feel {}."]),
    #: trained with the 2-epoch recipe; its label side (the selected one, also its own best in the selection
    #: table: 0.495 against 0.473 with names+proto5) is recorded in its label calibration
    "mpnet-recipe": dict(base_model="all-mpnet-base-v2", taxonomy=TAXONOMY, taxonomy_weight=1.0, wise_ft_alpha=0.7,
                         epochs=2.0, label_template=["{}", "I feel {}."]),
    #: corpus mix: the train split plus GPT-4's GoEmotions labels of its GoEmotions dev texts (needs --data-dir)
    "minilm-taxonomy-gpt4mix": dict(base_model="all-MiniLM-L6-v2", taxonomy=TAXONOMY, taxonomy_weight=1.0,
                                    corpus=GPT4_MIX),
    #: more sampled negatives per batch / a higher learning rate, each against minilm-taxonomy
    "minilm-taxonomy-neg256": dict(base_model="all-MiniLM-L6-v2", taxonomy=TAXONOMY, taxonomy_weight=1.0,
                                   extra_negatives=256),
    "minilm-taxonomy-lr1e4": dict(base_model="all-MiniLM-L6-v2", taxonomy=TAXONOMY, taxonomy_weight=1.0,
                                  learning_rate=1e-4),
    #: the teacher term: copy the trained mpnet student's text-descriptor cosines (a candidate name here is
    #: resolved to its output folder, which must be trained first)
    "minilm-taxonomy-teacher": dict(base_model="all-MiniLM-L6-v2", taxonomy=TAXONOMY, taxonomy_weight=1.0,
                                    teacher_model="mpnet-recipe"),
    "minilm-taxonomy-teacher10": dict(base_model="all-MiniLM-L6-v2", taxonomy=TAXONOMY, taxonomy_weight=1.0,
                                      teacher_model="mpnet-recipe", teacher_weight=10.0),
    #: logit adjustment: frequent descriptors get a training-time logit offset (no hubs), tau 1 and 0.5
    "minilm-taxonomy-prior": dict(base_model="all-MiniLM-L6-v2", taxonomy=TAXONOMY, taxonomy_weight=1.0,
                                  prior_adjustment=1.0),
    "minilm-taxonomy-prior05": dict(base_model="all-MiniLM-L6-v2", taxonomy=TAXONOMY, taxonomy_weight=1.0,
                                    prior_adjustment=0.5),
    "mpnet-base": dict(base_model="all-mpnet-base-v2"),
    "mpnet-taxonomy": dict(base_model="all-mpnet-base-v2", taxonomy=TAXONOMY, taxonomy_weight=1.0),
}


def config_for(name: str, work: Path, data_dir: Path = Path("../shared/data")):
    from sentence_emo.training import TrainConfig

    if name not in CANDIDATES:
        raise ValueError(f"unknown candidate {name!r}; choose from {sorted(CANDIDATES)}")
    options = {**COMMON, "corpus": CORPUS, **CANDIDATES[name]}
    if options["corpus"] == GPT4_MIX:
        from benchmarks.teacher_corpora import gpt4_mix_train_split

        options["corpus"] = str(gpt4_mix_train_split(data_dir, work))
    options["corpus"] = [options["corpus"]]
    if options.get("teacher_model") in CANDIDATES:
        teacher = work / options["teacher_model"]
        if not (teacher / "modules.json").is_file():
            raise FileNotFoundError(f"candidate {name!r} learns from {options['teacher_model']!r}, which is not "
                                    f"trained in {teacher}: run `python -m benchmarks.recipe_candidates "
                                    f"{options['teacher_model']}` first")
        options["teacher_model"] = str(teacher)
    return TrainConfig(output=str(work / name), resume="auto", disable_tqdm=not sys.stderr.isatty(), **options)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.recipe_candidates", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="+", metavar="NAME", help=f"candidates: {', '.join(CANDIDATES)}")
    parser.add_argument("--work", default="runs/recipe", help="output folder (not committed)")
    parser.add_argument("--data-dir", default="../shared/data",
                        help="benchmark data, read only by the corpus-mix candidate (GPT-4's GoEmotions labels)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    from sentence_emo.files import TRAINING_INFO_FILE
    from sentence_emo.training import train

    work = Path(args.work)
    for name in args.names:
        config = config_for(name, work, Path(args.data_dir))
        if (Path(config.output) / TRAINING_INFO_FILE).exists():
            print(f"{name}: trained already ({config.output})")
            continue
        print(f"{name}: {train(config)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
