"""The metric functions, kept at this path: they live in :mod:`sentence_emo.metrics`, shared with training."""

from sentence_emo.metrics import *  # noqa: F403
from sentence_emo.metrics import __all__  # noqa: F401
