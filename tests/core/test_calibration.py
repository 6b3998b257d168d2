from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch

from sentence_emo.calibration import Calibration
from sentence_emo.files import CALIBRATION_FILE


def test_round_trip_and_probabilities(tmp_path):
    cal = Calibration(scale=12.5, bias=-7.0)
    path = cal.save(tmp_path)
    assert path.name == CALIBRATION_FILE
    data = json.loads(path.read_text())
    assert data["logit_scale"] == pytest.approx(math.log(12.5)) and data["format"] == "sentence-emo/calibration"
    loaded = Calibration.load(tmp_path)
    assert loaded == cal
    sims = np.array([0.0, 0.56, 1.0])
    expected = 1 / (1 + np.exp(-(12.5 * sims - 7.0)))
    assert np.allclose(loaded.probabilities(sims), expected)
    assert torch.allclose(loaded.probabilities(torch.tensor(sims)), torch.tensor(expected))
    assert loaded.threshold_similarity == pytest.approx(0.56)


def test_missing_and_bad_files(tmp_path):
    assert Calibration.load(tmp_path) == Calibration.uncalibrated()
    with pytest.raises(FileNotFoundError, match=f"has no {CALIBRATION_FILE}"):
        Calibration.load(tmp_path, required=True)
    (tmp_path / CALIBRATION_FILE).write_text("{not json")
    with pytest.raises(ValueError, match="invalid JSON in calibration file"):
        Calibration.load(tmp_path)
    (tmp_path / CALIBRATION_FILE).write_text('{"scale": 3}')
    with pytest.raises(ValueError, match="lacks field 'bias'"):
        Calibration.load(tmp_path)
    with pytest.raises(ValueError, match="scale must be > 0"):
        Calibration(scale=-1.0, bias=0.0)
