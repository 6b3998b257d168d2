"""The paper's benchmarks without a local mirror: Hub datasets by id and pinned public files.

Fixture repos with the real ids and layouts (Parquet files with ``datasets`` features, a README
``configs`` block) are published on the local Hub server; the pinned CSV files (EmoBank, GPT-4
labels) are served from it too, with :data:`eval_suite.hub_sources.SOURCES` pointed at them. Each
adapter must return exactly what it returns from the miniature local mirror of the same rows.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from eval_suite import data as D
from tests.eval_suite.conftest import (
    GOEMOTIONS_DEV,
    GOEMOTIONS_LABELS,
    GOEMOTIONS_TEST,
    SEMEVAL_DEV,
    SEMEVAL_LABELS,
    SEMEVAL_TRAIN,
    write_fake_data_dir,
)
from tests.hub.conftest import CLIENT_TIMEOUT, ROOT

PINNED = "fixtures/pinned-files"
PINNED_FILES = {"emobank": "emobank/emobank.csv",
                "gpt4-dev": "gpt4_goemotions_chailab/goemotions_complete_val_annotations.csv",
                "gpt4-test": "gpt4_goemotions_chailab/goemotions_complete_test_annotations.csv"}

GO_README = """---
license: apache-2.0
configs:
- config_name: simplified
  data_files:
  - split: train
    path: simplified/train-*
  - split: validation
    path: simplified/validation-*
  - split: test
    path: simplified/test-*
  default: true
---
# GoEmotions (test fixture)
"""
SEMEVAL_README = """---
configs:
- config_name: subtask5.english
  data_files:
  - split: train
    path: subtask5.english/train-*
  - split: validation
    path: subtask5.english/validation-*
- config_name: subtask5.spanish
  data_files:
  - split: train
    path: subtask5.spanish/train-*
  - split: validation
    path: subtask5.spanish/validation-*
---
# SemEval-2018 Task 1 (test fixture)
"""

#: loads every adapter from the public sources and prints what it got as one JSON line
LOAD_ALL = """
import dataclasses, json, sys
from eval_suite import data as D, hub_sources as HS
# the pinned files live on another host than the Hub (GitHub): reach the server under another name
endpoint, pinned = sys.argv[1].replace("127.0.0.1", "localhost"), json.loads(sys.argv[2])
for key, path in pinned.items():
    HS.SOURCES[key] = dataclasses.replace(HS.SOURCES[key], url=f"{endpoint}/datasets/%s/resolve/main/{path}")
def dump(ds):
    return {"texts": ds.texts, "ids": ds.ids, "labels": ds.labels, "targets": ds.targets.tolist(), "source": ds.source}
out = {"go_test": dump(D.load_goemotions(split="test")), "go_dev": dump(D.load_goemotions(split="dev")),
       "go_teacher": dump(D.load_goemotions_teacher_dev()),
       "se_dev": dump(D.load_semeval(split="dev")), "se_train": dump(D.load_semeval(split="train")),
       "emobank": dump(D.load_emobank(split="test")), "emobank_a": dump(D.load_emobank(split="test", dimension="A"))}
gpt = D.load_goemotions_gpt4(split="test")
out["gpt_test"] = {"ids": gpt.ids, "predictions": gpt.predictions.tolist(), "failed": gpt.failed.tolist()}
print(json.dumps(out))
""" % PINNED


def _parquet(rows: dict, features) -> bytes:
    import datasets

    buffer = io.BytesIO()
    datasets.Dataset.from_dict(rows, features=features).to_parquet(buffer)
    return buffer.getvalue()


def publish_fixtures(hub, mirror: Path) -> None:
    """GoEmotions/SemEval repos in the real Hub layout, and the pinned CSV files, from the mirror's rows."""
    import datasets

    go_features = datasets.Features({"text": datasets.Value("string"),
                                     "labels": datasets.List(datasets.ClassLabel(names=GOEMOTIONS_LABELS)),
                                     "id": datasets.Value("string")})
    go_files = {"README.md": GO_README.encode()}
    for split, rows in (("train", GOEMOTIONS_DEV), ("validation", GOEMOTIONS_DEV), ("test", GOEMOTIONS_TEST)):
        table = {"text": [r[0] for r in rows], "labels": [[int(x) for x in r[1].split(",")] for r in rows],
                 "id": [r[2] for r in rows]}
        go_files[f"simplified/{split}-00000-of-00001.parquet"] = _parquet(table, go_features)
    hub.publish("google-research-datasets/go_emotions", go_files, repo_type="dataset")

    se_features = datasets.Features({"ID": datasets.Value("string"), "Tweet": datasets.Value("string"),
                                     **{label: datasets.Value("bool") for label in SEMEVAL_LABELS}})
    se_files = {"README.md": SEMEVAL_README.encode()}
    for language, prefix in (("english", ""), ("spanish", "es-")):
        for split, rows in (("train", SEMEVAL_TRAIN), ("validation", SEMEVAL_DEV)):
            table = {"ID": [prefix + r[0] for r in rows], "Tweet": [prefix + r[1] for r in rows],
                     **{label: [bool(r[2][j]) for r in rows] for j, label in enumerate(SEMEVAL_LABELS)}}
            se_files[f"subtask5.{language}/{split}-00000-of-00001.parquet"] = _parquet(table, se_features)
    hub.publish("SemEvalWorkshop/sem_eval_2018_task_1", se_files, repo_type="dataset")

    hub.publish(PINNED, {path: (mirror / path).read_bytes() for path in PINNED_FILES.values()}, repo_type="dataset")


def run_client(client, code: str, *args: str, hf_home: Path, offline: bool = False) -> subprocess.CompletedProcess:
    env = client.env(hf_home=hf_home)
    env.pop(D.DATA_DIR_ENV, None)  # no local mirror: the public sources
    if offline:
        env.update(HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1")
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=CLIENT_TIMEOUT)


def _loaded(proc: subprocess.CompletedProcess) -> dict:
    assert proc.returncode == 0, f"client failed:\nSTDOUT:\n{proc.stdout[-3000:]}\nSTDERR:\n{proc.stderr[-5000:]}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _same(hub_ds: dict, local: D.EvalDataset) -> None:
    assert hub_ds["texts"] == local.texts
    assert hub_ds["ids"] == local.ids
    assert hub_ds["labels"] == local.labels
    np.testing.assert_allclose(np.array(hub_ds["targets"]), local.targets)


def test_adapters_read_the_hub_like_the_local_mirror_and_then_offline_from_the_cache(hub, client, tmp_path):
    mirror = write_fake_data_dir(tmp_path / "mirror")
    publish_fixtures(hub, mirror)
    home = tmp_path / "hf-home"
    got = _loaded(run_client(client, LOAD_ALL, hub.endpoint, json.dumps(PINNED_FILES), hf_home=home))
    assert hub.unknown_requests == []

    _same(got["go_test"], D.load_goemotions(mirror, "test"))
    _same(got["go_dev"], D.load_goemotions(mirror, "dev"))
    _same(got["go_teacher"], D.load_goemotions_teacher_dev(mirror))
    _same(got["se_dev"], D.load_semeval(mirror, "dev"))
    _same(got["se_train"], D.load_semeval(mirror, "train"))
    _same(got["emobank"], D.load_emobank(mirror, "test"))
    _same(got["emobank_a"], D.load_emobank(mirror, "test", "A"))
    reference = D.load_goemotions_gpt4(mirror, "test")
    assert got["gpt_test"] == {"ids": reference.ids, "predictions": reference.predictions.tolist(),
                               "failed": reference.failed.tolist()}
    # the literal values, not only agreement with the mirror
    assert got["go_test"]["texts"][1] == 'He said "wow" and left'
    assert got["go_test"]["targets"][0][15] == got["go_test"]["targets"][0][18] == 1
    assert got["se_dev"]["ids"][0] == "2018-En-0001", "the English config, not the Spanish one"
    assert got["se_dev"]["targets"][0] == SEMEVAL_DEV[0][2]
    assert "google-research-datasets/go_emotions" in got["go_test"]["source"]
    assert "validation" in got["go_dev"]["source"], "our split 'dev' is the Hub split 'validation'"

    # everything is in the datasets cache now: a second run needs no server
    requests_before = len(hub.state.requests)
    again = _loaded(run_client(client, LOAD_ALL, hub.endpoint, json.dumps(PINNED_FILES), hf_home=home, offline=True))
    assert again == got
    assert len(hub.state.requests) == requests_before


def test_offline_without_cache_names_the_dataset_its_source_and_the_fix(client, tmp_path):
    code = """
import json
from eval_suite import data as D
out = {}
for name, call in (("goemotions", lambda: D.load_goemotions(split="test")), ("semeval", lambda: D.load_semeval()),
                   ("emobank", lambda: D.load_emobank()), ("isear", lambda: D.load_isear())):
    try:
        call()
        out[name] = "loaded"
    except FileNotFoundError as exc:
        out[name] = str(exc)
print(json.dumps(out))
"""
    errors = _loaded(run_client(client, code, hf_home=tmp_path / "empty-home", offline=True))
    assert errors["goemotions"].startswith(
        "GoEmotions: could not load Hub dataset 'google-research-datasets/go_emotions'")
    assert "SemEvalWorkshop/sem_eval_2018_task_1" in errors["semeval"]
    assert "JULIELab/EmoBank" in errors["emobank"]
    for key in ("goemotions", "semeval", "emobank"):
        assert "HF_HUB_OFFLINE=1" in errors[key] and "unset HF_HUB_OFFLINE" in errors[key]
        assert "--data-dir" in errors[key] and D.DATA_DIR_ENV in errors[key]
    assert "emobank/emobank.csv" in errors["emobank"] and "goemotions/" in errors["goemotions"]
    assert errors["isear"].startswith("ISEAR has no public Hub copy") and "isear/isear_parsed.csv" in errors["isear"]


@pytest.mark.slow
def test_paper_suite_cli_without_data_dir_scores_the_hub_datasets(hub, client, tmp_path, tiny_model_dir):
    mirror = write_fake_data_dir(tmp_path / "mirror")
    publish_fixtures(hub, mirror)
    out = tmp_path / "eval-out"
    code = LOAD_ALL.split("def dump")[0] + """
from sentence_emo.cli import main
raise SystemExit(main(sys.argv[3:]))
"""
    proc = run_client(client, code, hub.endpoint, json.dumps(PINNED_FILES), "eval", "--model", str(tiny_model_dir),
                      "--suite", "paper", "--datasets", "goemotions,semeval,emobank", "--baseline-model", "none",
                      "--no-plots", "--quiet", "--out", str(out), hf_home=tmp_path / "hf-home")
    assert proc.returncode == 0, f"STDOUT:\n{proc.stdout[-3000:]}\nSTDERR:\n{proc.stderr[-5000:]}"
    results = json.loads((out / "results.json").read_text())
    assert results["meta"]["data_dir"].startswith("public sources: google-research-datasets/go_emotions")
    keys = {(r["key"], r["role"]) for r in results["results"]}
    assert {("goemotions", "model"), ("goemotions", "reference"), ("semeval", "model"), ("emobank", "model")} <= keys
    go = next(r for r in results["results"] if r["key"] == "goemotions" and r["role"] == "model")
    assert go["n_rows"] == len(GOEMOTIONS_TEST)
    assert hub.unknown_requests == []
