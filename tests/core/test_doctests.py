"""Run the examples in the library's docstrings (pytest only collects doctests under tests/)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["sentence_emo.corpus", "sentence_emo.zero_shot", "sentence_emo.calibration", "sentence_emo.textfiles",
           "sentence_emo.errors", "sentence_emo.text_checks", "sentence_emo.label_calibration.calibrate",
           "sentence_emo.label_calibration.fitting", "sentence_emo.evaluation", "sentence_emo.data_collator"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0 or name == "sentence_emo.calibration"
