"""The ``evaluate`` module loads offline from its folder, runs its doctests, and agrees with the library."""

from __future__ import annotations

import doctest
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from eval_suite.metrics import EMOTION_METRICS_PATH
from eval_suite.metrics import functional as F

ROOT = Path(__file__).resolve().parents[2]

_SCRIPT = r"""
import json, sys
import evaluate
from eval_suite.metrics import EMOTION_METRICS_PATH
out = {}
m = evaluate.load(EMOTION_METRICS_PATH, "multilabel")
out["multilabel"] = m.compute(predictions=[[1, 0, 1], [0, 1, 0]], references=[[1, 0, 0], [0, 1, 0]],
                              label_names=["joy", "anger", "fear"])
m = evaluate.load(EMOTION_METRICS_PATH + "/emotion_metrics.py", "regression")
out["regression"] = m.compute(predictions=[0.1, 0.5, 0.2], references=[1.0, 3.0, 2.0])
out["module_file"] = sys.modules[type(m).__module__].__file__
print(json.dumps(out))
"""


def test_evaluate_load_works_offline_from_a_fresh_cache(tmp_path):
    """New process, empty HF caches, Hub unreachable: evaluate copies the script into its module cache
    and the copy imports eval_suite.metrics.functional as an installed package."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGINGFACE"))}
    env.update(HF_HUB_OFFLINE="1", HF_HOME=str(tmp_path / "hf"), HF_MODULES_CACHE=str(tmp_path / "modules"),
               HF_ENDPOINT="http://127.0.0.1:9", PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", _SCRIPT], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["multilabel"]["per_label_f1"] == {"joy": 1.0, "anger": 1.0, "fear": 0.0}
    assert out["multilabel"]["macro_f1"] == pytest.approx(2 / 3)
    assert out["regression"]["spearman"] == pytest.approx(1.0)
    assert Path(out["module_file"]).is_relative_to(tmp_path / "modules")  # the cached copy was imported


def test_module_doctests_pass():
    module = pytest.importorskip("eval_suite.metrics.emotion_metrics.emotion_metrics")
    finder = doctest.DocTestFinder()
    tests = [t for t in finder.find(module) if t.examples]
    assert sum(len(t.examples) for t in tests) >= 10  # the _KWARGS_DESCRIPTION examples are collected
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in tests:
        runner.run(test)
    assert runner.failures == 0


@pytest.fixture(scope="module")
def load():
    evaluate = pytest.importorskip("evaluate")

    def _load(config):
        return evaluate.load(EMOTION_METRICS_PATH, config, keep_in_memory=True)

    return _load


def test_compute_equals_the_library_functions(load):
    rng = np.random.default_rng(0)
    y = (rng.random((40, 6)) < 0.3).astype(int)
    p = (rng.random((40, 6)) < 0.3).astype(int)
    s = rng.random((40, 6))
    assert load("multilabel").compute(predictions=p.tolist(), references=y.tolist()) == pytest.approx(
        F.multilabel_scores(y, p))
    assert load("ranking").compute(predictions=s.tolist(), references=y.tolist()) == pytest.approx(
        F.ranking_scores(y, s))
    gold, pred = rng.integers(0, 4, 40), rng.integers(0, 4, 40)
    assert load("multiclass").compute(predictions=pred.tolist(), references=gold.tolist(), num_labels=4) == \
        pytest.approx(F.multiclass_scores(gold, pred, n_labels=4))


def test_mismatched_label_names_and_unknown_config_raise(load):
    with pytest.raises(ValueError, match="one name per column"):
        load("multilabel").compute(predictions=[[1, 0]], references=[[1, 0]], label_names=["joy"])
    with pytest.raises(KeyError, match="unknown configuration"):
        load("binary")
