"""LLM emotion-descriptor annotation: fast, resumable and fault-tolerant.

Quick start::

    from sentence_emo.annotate import AnnotateConfig, annotate_file

    config = AnnotateConfig(model="gpt-4o-mini", concurrency=16, price_in=0.15, price_out=0.6)
    summary = annotate_file("texts.csv", "out/", config, text_column="text")
    print(summary.format())

``out/`` then holds ``annotations.jsonl`` (the append-only answer store; re-running resumes),
``corpus.jsonl`` (the trainer's format), ``failed.jsonl`` and ``summary.json``. The command
line is ``sentence-emo annotate`` (or ``python -m sentence_emo.annotate``).

Taxonomy mode asks once per distinct descriptor of a corpus for its emotion families, valence and
arousal: ``annotate_taxonomy("llm-descriptors", "tax/", model="gpt-4o-mini")`` writes
``tax/taxonomy.jsonl`` (``sentence-emo annotate llm-descriptors --mode taxonomy ...``).

The ``openai`` package (extra ``[annotate]``) is imported only when requests are made.
"""

from sentence_emo.annotate.annotator import Annotator
from sentence_emo.annotate.config import (CONTENT_REASONS, CORPUS_FILE, FAILED_FILE, SUMMARY_FILE, TAXONOMY_FILE,
                                          TRANSIENT_REASONS, AnnotateConfig, AnnotateError, AnnotationResult,
                                          AnnotationSummary)
from sentence_emo.annotate.inputs import InputRow, read_input
from sentence_emo.annotate.jobs import annotate_file, annotate_taxonomy, annotate_texts, corpus_descriptors
from sentence_emo.annotate.prompts import (DESCRIPTOR_PROMPT, TAXONOMY_PROMPT, Prompt, PromptError, label_prompt,
                                           load_prompt)
from sentence_emo.annotate.sanitise import SanitisedReply, is_refusal, sanitise_reply, sanitise_taxonomy_reply
from sentence_emo.annotate.store import STORE_FILE, AnnotationStore, StoreError, text_sha256

__all__ = ["CONTENT_REASONS", "CORPUS_FILE", "DESCRIPTOR_PROMPT", "FAILED_FILE", "STORE_FILE", "SUMMARY_FILE",
    "TAXONOMY_FILE", "TAXONOMY_PROMPT", "TRANSIENT_REASONS", "AnnotateConfig", "AnnotateError", "AnnotationResult",
    "AnnotationStore", "AnnotationSummary", "Annotator", "InputRow", "Prompt", "PromptError", "SanitisedReply",
    "StoreError", "annotate_file", "annotate_taxonomy", "annotate_texts", "corpus_descriptors", "is_refusal",
    "label_prompt", "load_prompt", "read_input", "sanitise_reply", "sanitise_taxonomy_reply", "text_sha256"]
