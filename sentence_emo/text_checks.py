"""Texts the encoder cannot read well: warn once per call, with counts, and read emoji by name.

The MiniLM/MPNet tokenizers map every emoji and most CJK characters to ``[UNK]``, so an emoji-only
text gets the same embedding as any other, and texts past ``max_seq_length`` tokens are cut.
:func:`prepare_texts` counts both and logs one warning per call. Texts that are mostly unknown
tokens have their emoji replaced by their names (``😂`` -> ``face with tears of joy``, via the
``emoji`` package), which the encoder understands; other texts are left as they are.

>>> demojize("😂😂")
'face with tears of joy face with tears of joy'
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

logger = logging.getLogger(__name__)

#: a text is "mostly unknown" when at least this share of its tokens is the unknown token
MOSTLY_UNKNOWN = 0.5


def demojize(text: str) -> str:
    """Emoji replaced by their English names (unchanged when the ``emoji`` package is missing)."""
    try:
        import emoji
    except ImportError:  # pragma: no cover - a dependency of sentence-emo
        return text
    out = emoji.demojize(text, delimiters=(" :", ": "))
    out = re.sub(r":([a-z0-9_&.'-]+):", lambda m: m.group(1).replace("_", " "), out)
    return " ".join(out.split())


def _tokenizer_of(model: Any) -> Any:
    tokenizer = getattr(model, "tokenizer", None)
    if tokenizer is None or not callable(tokenizer) or getattr(tokenizer, "unk_token_id", None) is None:
        return None
    return tokenizer


def prepare_texts(texts: Sequence[str], model: Any, *, demojize_unknown: bool = True) -> list[str]:
    """``texts`` as the encoder should see them; logs one warning with the counts of texts that are
    mostly unknown tokens or longer than the model's ``max_seq_length`` (truncated)."""
    texts = list(texts)
    tokenizer = _tokenizer_of(model)
    if tokenizer is None:
        return texts
    max_length = getattr(model, "max_seq_length", None)
    try:
        ids = tokenizer(texts, add_special_tokens=False, truncation=False)["input_ids"]
    except Exception:  # an unusual tokenizer: skip the checks rather than fail the prediction
        logger.debug("could not tokenize texts for the unknown-token check", exc_info=True)
        return texts
    unk = tokenizer.unk_token_id
    mostly_unknown = [i for i, row in enumerate(ids) if row and sum(t == unk for t in row) / len(row) >= MOSTLY_UNKNOWN]
    # special tokens ([CLS], [SEP]) take 2 of the max_seq_length positions
    truncated = [i for i, row in enumerate(ids) if max_length and len(row) + 2 > max_length]
    out = list(texts)
    demojized = 0
    if demojize_unknown:
        for i in mostly_unknown:
            named = demojize(texts[i])
            if named != texts[i]:
                out[i] = named
                demojized += 1
    parts = []
    if mostly_unknown:
        part = (f"{len(mostly_unknown)} of {len(texts)} texts are mostly unknown tokens for this model's tokenizer "
                f"(e.g. text #{mostly_unknown[0]}: {texts[mostly_unknown[0]][:30]!r}; emoji or a script it does not "
                f"know), so their scores carry little meaning")
        if demojized:
            part += f"; the emoji in {demojized} of them were read by name"
        parts.append(part)
    if truncated:
        parts.append(f"{len(truncated)} of {len(texts)} texts are longer than {max_length} tokens and were "
                     f"truncated to {max_length} (e.g. text #{truncated[0]}); split long texts into sentences")
    if parts:
        logger.warning("; ".join(parts))
    return out
