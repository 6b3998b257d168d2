"""Benchmark adapters (GoEmotions, SemEval-2018 E-c, ISEAR, EmoBank, ...) and :class:`EvalDataset`
(the user's own data: :mod:`eval_suite.user_data`).

Every loader returns an :class:`EvalDataset`: texts, the label set, and gold targets whose shape
depends on the task (multi-hot ``(n, L)`` for ``multi_label``, class indices ``(n,)`` for
``single_label``, floats ``(n,)`` for ``regression``).

The paper's benchmarks come from a local mirror when one is given (``data_dir=`` / ``--data-dir``,
else ``$SENTENCE_EMO_DATA_DIR``), otherwise from their public sources: Hub datasets and pinned files
listed in :mod:`eval_suite.hub_sources` (ISEAR, EmpatheticDialogues and Affective Text have none and
need the mirror). A mirror has the layout of the shared benchmark folder::

    goemotions/{train,dev,test}.tsv       text <TAB> label ids "3,27" <TAB> comment id (no header)
    goemotions/labels.txt                 28 names, id = line index
    gpt4_goemotions_chailab/goemotions_complete_{val,test}_annotations.csv   ..., id, ..., gpt_label
    semeval2018_ec/2018-E-c-En-{train,dev}.txt   ID <TAB> Tweet <TAB> 11 0/1 columns (header)
    isear/isear_parsed.csv                Field1 = label, SIT = text (CSV, quoted)
    emobank/emobank.csv                   id, split, V, A, D, text
Modules: :mod:`.dataset` (:class:`EvalDataset`, :class:`ReferencePredictions`) and :mod:`.benchmarks`
(the loaders); every name imports from ``eval_suite.data``.
"""

from __future__ import annotations

from eval_suite.data.benchmarks import (
    AFFECTIVE_TEXT_FILE, AFFECTIVE_TEXT_LABELS, EMOBANK_DIMENSIONS, EMOBANK_FILE, EMPATHETIC_FILE, EMPATHETIC_LABELS,
    GOEMOTIONS_DIR, GPT4_DIR, ISEAR_FILE, ISEAR_LABELS, SEMEVAL_DIR, SEMEVAL_LABELS, load_affective_text, load_emobank,
    load_empathetic_dialogues, load_goemotions, load_goemotions_gpt4, load_goemotions_teacher_dev, load_isear,
    load_semeval, read_goemotions_labels, resolve_data_dir)
from eval_suite.data.dataset import TASKS, DataFormatError, EvalDataset, ReferencePredictions, truthy
from eval_suite.hub_sources import DATA_DIR_ENV

__all__ = ["AFFECTIVE_TEXT_FILE", "AFFECTIVE_TEXT_LABELS", "DATA_DIR_ENV", "EMOBANK_DIMENSIONS", "EMOBANK_FILE",
           "EMPATHETIC_FILE", "EMPATHETIC_LABELS", "GOEMOTIONS_DIR", "GPT4_DIR", "ISEAR_FILE", "ISEAR_LABELS",
           "SEMEVAL_DIR", "SEMEVAL_LABELS", "TASKS", "DataFormatError", "EvalDataset", "ReferencePredictions",
           "load_affective_text", "load_emobank", "load_empathetic_dialogues", "load_goemotions",
           "load_goemotions_gpt4", "load_goemotions_teacher_dev", "load_isear", "load_semeval",
           "read_goemotions_labels", "resolve_data_dir", "truthy"]
