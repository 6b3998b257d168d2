"""Model and dataset cards for sentence-emo artefacts (SetFit style: card data + Jinja templates).

A leaf package: it imports neither ``sentence_emo`` nor ``eval_suite``; ``sentence_emo`` fills it.

* :mod:`hub_cards.model_card` — :class:`EmotionModelCardData`, a ``SentenceTransformerModelCardData``
  that ``sentence_emo.training`` fills during training: ``model.save()`` writes sentence-transformers'
  own card extended with the emotion sections (``model_card.md.j2``); :func:`prepare_model_card` adds
  the model id, the dataset and benchmark results (``model-index``) before ``push-model`` publishes it;
* :mod:`hub_cards.dataset_card` — :class:`DatasetCardInfo` (:meth:`DatasetCardInfo.from_statistics`)
  -> :func:`render_dataset_card` -> ``DatasetCard`` rendered from ``dataset_card.md.j2``;
* :mod:`hub_cards.results` — :class:`EvalResultEntry` rows (the ``model-index`` metadata and the
  results table; a card without results has neither) and :func:`results_to_entries`, which reads
  the JSON an evaluation writes;
* :mod:`hub_cards.formatting` — :class:`CardError`, number / metric-name formatting, the citation.
"""

from __future__ import annotations

from hub_cards.dataset_card import DATASET_CARD_TEMPLATE, DatasetCardInfo, render_dataset_card
from hub_cards.formatting import PAPER_CITATION, CardError, format_number, metric_display_name
from hub_cards.model_card import MODEL_CARD_TEMPLATE, EmotionModelCardData, prepare_model_card
from hub_cards.results import EVAL_SUITE_FORMAT, EvalResultEntry, results_to_entries

__all__ = [
    "CardError", "DatasetCardInfo", "EmotionModelCardData", "EvalResultEntry", "DATASET_CARD_TEMPLATE",
    "EVAL_SUITE_FORMAT", "MODEL_CARD_TEMPLATE", "PAPER_CITATION", "format_number", "metric_display_name",
    "prepare_model_card", "render_dataset_card", "results_to_entries",
]
