"""Adapters read the exact shared-data formats (the user-data loader: test_user_data.py)."""

from __future__ import annotations

import numpy as np
import pytest

from eval_suite import data as D
from tests.eval_suite.conftest import (
    EMOBANK_ROWS,
    GOEMOTIONS_LABELS,
    GOEMOTIONS_TEST,
    ISEAR_ROWS,
    SEMEVAL_DEV,
)


def test_data_dir_resolution_order(tmp_path, monkeypatch):
    flag, env = tmp_path / "flag", tmp_path / "env"
    flag.mkdir()
    env.mkdir()
    monkeypatch.setenv(D.DATA_DIR_ENV, str(env))
    assert D.resolve_data_dir(flag) == flag
    assert D.resolve_data_dir() == env
    monkeypatch.delenv(D.DATA_DIR_ENV)
    monkeypatch.chdir(tmp_path)
    assert D.resolve_data_dir(must_exist=False) is None, "no dir and no env var: the public Hub sources"
    assert D.resolve_data_dir() is None
    with pytest.raises(FileNotFoundError, match="--data-dir"):
        D.resolve_data_dir(tmp_path / "missing")


def test_goemotions_reads_quoted_tsv_and_label_ids(fake_data_dir):
    ds = D.load_goemotions(fake_data_dir, "test")
    assert ds.labels == GOEMOTIONS_LABELS and ds.task == "multi_label"
    assert ds.texts[1] == 'He said "wow" and left'  # CSV quote escaping undone
    assert ds.ids == [row[2] for row in GOEMOTIONS_TEST]
    assert ds.targets.shape == (len(GOEMOTIONS_TEST), 28)
    assert [GOEMOTIONS_LABELS[j] for j in np.flatnonzero(ds.targets[0])] == ["gratitude", "love"]
    assert ds.targets[4, 27] == 1 and ds.targets[4].sum() == 1  # neutral


def test_goemotions_gpt4_reference_counts_failed_rows_as_empty(fake_data_dir):
    ref = D.load_goemotions_gpt4(fake_data_dir, "test")
    assert ref.failed.tolist() == [row[3].startswith("FAILED") for row in GOEMOTIONS_TEST]
    assert ref.predictions[2].sum() == 0
    aligned = ref.align(["t4", "t1"])
    assert [GOEMOTIONS_LABELS[j] for j in np.flatnonzero(aligned.predictions[0])] == ["anger", "annoyance"]
    with pytest.raises(D.DataFormatError, match="no prediction for ids"):
        ref.align(["nope"])


def test_goemotions_teacher_dev_uses_gpt4_labels_and_drops_failures(fake_data_dir):
    tuning = D.load_goemotions_teacher_dev(fake_data_dir)
    assert "d4" not in tuning.ids and len(tuning) == 5
    row = tuning.ids.index("d2")
    assert [GOEMOTIONS_LABELS[j] for j in np.flatnonzero(tuning.targets[row])] == ["anger", "disgust"]
    assert "label-free" in tuning.label_source


def test_semeval_dev_and_explicit_test_path(fake_data_dir, tmp_path):
    ds = D.load_semeval(fake_data_dir, "dev")
    assert len(ds) == len(SEMEVAL_DEV) and ds.labels[0] == "anger" and ds.targets.shape == (5, 11)
    assert ds.texts[1] == 'love my "family" so much'  # tweets are not CSV-quoted
    np.testing.assert_array_equal(ds.targets[2], SEMEVAL_DEV[2][2])
    test_file = tmp_path / "gold.txt"
    test_file.write_text((fake_data_dir / "semeval2018_ec" / "2018-E-c-En-dev.txt").read_text())
    assert len(D.load_semeval(path=test_file, split="test")) == 5
    with pytest.raises(FileNotFoundError, match="--semeval-test"):
        D.load_semeval(fake_data_dir, "test")
    bad = tmp_path / "bad.txt"
    bad.write_text("ID\tTweet\tanger\n1\thi\t1\n")
    with pytest.raises(D.DataFormatError, match="expected the header"):
        D.load_semeval(path=bad)


def test_isear_parsed_csv(fake_data_dir):
    ds = D.load_isear(fake_data_dir)
    assert ds.task == "single_label" and ds.labels == D.ISEAR_LABELS
    assert [ds.labels[t] for t in ds.targets] == [label for label, _ in ISEAR_ROWS]
    assert "| outside" in ds.texts[1]


def test_emobank_test_split_valence_and_arousal(fake_data_dir):
    ds = D.load_emobank(fake_data_dir, "test")
    test_rows = [r for r in EMOBANK_ROWS if r[1] == "test"]
    assert ds.ids == [r[0] for r in test_rows] and ds.dimension == "valence"
    np.testing.assert_allclose(ds.targets, [r[2] for r in test_rows])
    np.testing.assert_allclose(D.load_emobank(fake_data_dir, "test", "arousal").targets, [r[3] for r in test_rows])
    with pytest.raises(ValueError, match="V, A or D"):
        D.load_emobank(fake_data_dir, "test", "joy")


def test_missing_benchmark_file_names_the_flag(tmp_path):
    (tmp_path / "goemotions").mkdir()
    with pytest.raises(FileNotFoundError, match="labels.txt.*--data-dir"):
        D.load_goemotions(tmp_path)


def test_mirror_only_benchmarks_without_data_dir_say_to_pass_one(monkeypatch):
    from eval_suite import hub_sources as HS
    from eval_suite.suite import SuiteConfig, build_paper_specs

    monkeypatch.delenv(D.DATA_DIR_ENV, raising=False)
    for load, name, file in ((D.load_isear, "ISEAR", "isear/isear_parsed.csv"),
                             (D.load_empathetic_dialogues, "EmpatheticDialogues", "empathetic_dialogues/test.csv"),
                             (D.load_affective_text, "SemEval-2007 Affective Text", "semeval2007_affective_text")):
        with pytest.raises(FileNotFoundError, match=f"^{name} has no public Hub copy.*--data-dir DIR.*{file}"):
            load()

    def no_download(*args, **kwargs):
        raise AssertionError("nothing may be downloaded before the suite knows every dataset has a source")

    monkeypatch.setattr(HS, "load_split", no_download)
    monkeypatch.setattr(HS, "download", no_download)
    with pytest.raises(FileNotFoundError, match="ISEAR.*--data-dir.*or leave it out of --datasets"):
        build_paper_specs(SuiteConfig(model=None, datasets="goemotions,isear"))


def test_subsample_is_seeded_and_reported():
    ds = D.EvalDataset(name="x", task="regression", texts=[f"t{i}" for i in range(50)], labels=[],
                       targets=np.arange(50.0))
    a, b, c = ds.subsample(10, seed=0), ds.subsample(10, seed=0), ds.subsample(10, seed=1)
    assert a.texts == b.texts and a.texts != c.texts
    assert a.texts == sorted(a.texts, key=lambda t: int(t[1:]))  # original order kept
    assert "10 of 50 rows" in a.describe() and "seed 0" in a.describe()
    assert ds.subsample(None) is ds and ds.subsample(500) is ds


# -- user data ------------------------------------------------------------------------------------
