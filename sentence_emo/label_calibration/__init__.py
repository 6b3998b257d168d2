"""Label-membership calibration: "does this emotion word apply to this text?", learnt from teacher data only.

:mod:`.rule` holds the fitted :class:`LabelCalibration` (``p = sigmoid(a * cos + c)`` per label and
the default multi-label decision rule, stored in ``emotion_label_calibration.json``), :mod:`.fitting`
the Platt fit and the rule search, :mod:`.calibrate` the fit on a model directory and
``sentence-emo calibrate`` (its docstring explains the method).
"""

from __future__ import annotations

from sentence_emo.label_calibration.calibrate import (
    DEFAULT_CENTERING_CORPUS, DEFAULT_FIT_CORPUS, DEFAULT_TAXONOMY, CalibrateConfig, calibrate_model,
    candidate_labels, compute_centering, load_taxonomy, read_descriptor_texts, register, teacher_targets)
from sentence_emo.label_calibration.fitting import (RuleSearch, expected_calibration_error, fit_decision_rule,
                                                    fit_platt)
from sentence_emo.label_calibration.rule import (FORMAT, FORMAT_VERSION, NEUTRAL_NAMES, LabelCalibration, apply_rule,
                                                 load_centering, neutral_index)

__all__ = ["DEFAULT_CENTERING_CORPUS", "DEFAULT_FIT_CORPUS", "DEFAULT_TAXONOMY", "FORMAT",
           "FORMAT_VERSION", "NEUTRAL_NAMES", "CalibrateConfig", "LabelCalibration", "RuleSearch", "apply_rule",
           "calibrate_model", "candidate_labels", "compute_centering", "expected_calibration_error",
           "fit_decision_rule", "fit_platt", "load_centering", "load_taxonomy", "neutral_index",
           "read_descriptor_texts", "register", "teacher_targets"]
