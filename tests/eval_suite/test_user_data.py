"""The user-data loader reads every table format and names what is wrong."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from eval_suite import data as D
from eval_suite import user_data as U


def test_user_csv_single_label(tmp_path):
    path = tmp_path / "mine.csv"
    pd.DataFrame({"text": ["I love it", "so angry", "", "scared"], "label": ["joy", "anger", "joy", "fear"]}) \
        .to_csv(path, index=False)
    ds = U.load_user_dataset(path, label_column="label")
    assert ds.task == "single_label" and ds.labels == ["anger", "fear", "joy"]  # sorted distinct gold labels
    assert len(ds) == 3 and "1 rows with empty text skipped" in ds.notes
    assert [ds.labels[t] for t in ds.targets] == ["joy", "anger", "fear"]


def test_user_tsv_multilabel_with_separator_and_given_labels(tmp_path):
    path = tmp_path / "mine.tsv"
    path.write_text("text\temotions\nwhat a day\tjoy|surprise\nmeh\t\nugh\tanger\n", encoding="utf-8")
    ds = U.load_user_dataset(path, label_column="emotions", multi_label=True, sep="|",
                             labels=["joy", "anger", "surprise", "fear"])
    assert ds.task == "multi_label" and ds.labels == ["joy", "anger", "surprise", "fear"]
    assert ds.targets.tolist() == [[1, 0, 1, 0], [0, 0, 0, 0], [0, 1, 0, 0]]


def test_user_unknown_labels_list_the_rows(tmp_path):
    path = tmp_path / "mine.csv"
    pd.DataFrame({"text": ["a", "b", "c"], "label": ["joy", "rage", "rage"]}).to_csv(path, index=False)
    with pytest.raises(D.DataFormatError, match=r"not in --labels: 'rage' \(rows 2, 3\)"):
        U.load_user_dataset(path, label_column="label", labels=["joy", "anger"])


def test_user_missing_column_lists_available_columns(tmp_path):
    path = tmp_path / "mine.csv"
    pd.DataFrame({"sentence": ["a"], "emotion": ["joy"]}).to_csv(path, index=False)
    with pytest.raises(D.DataFormatError, match=r"no column 'text' \(available columns: sentence, emotion\)"):
        U.load_user_dataset(path, label_column="emotion")
    with pytest.raises(D.DataFormatError, match="no column 'label'.*--label-column"):
        U.load_user_dataset(path, text_column="sentence", label_column="label")


def test_user_jsonl_list_labels_and_parquet_one_hot(tmp_path):
    jsonl = tmp_path / "mine.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in [{"text": "yay", "labels": ["joy"]},
                                                       {"text": "no", "labels": ["anger", "sadness"]}]) + "\n")
    ds = U.load_user_dataset(jsonl, label_column="labels", multi_label=True)
    assert ds.labels == ["anger", "joy", "sadness"] and ds.targets.tolist() == [[0, 1, 0], [1, 0, 1]]
    parquet = tmp_path / "mine.parquet"
    pd.DataFrame({"text": ["yay", "no"], "happy": [1, 0], "mad": [0, 1]}).to_parquet(parquet)
    ds = U.load_user_dataset(parquet, label_columns=["happy", "mad"], labels=["joy", "anger"])
    assert ds.labels == ["joy", "anger"] and ds.targets.tolist() == [[1, 0], [0, 1]]
    with pytest.raises(D.DataFormatError, match="available columns"):
        U.load_user_dataset(parquet, label_columns=["happy", "sad"])


def test_user_datasets_object_folder_label_ids_and_regression(tmp_path):
    datasets = pytest.importorskip("datasets")
    dset = datasets.Dataset.from_dict({"text": ["good", "bad", "fine"], "y": [0, 1, 0], "v": [4.5, 1.0, 3.0]})
    ds = U.load_user_dataset(dset, label_column="y", labels=["positive", "negative"], label_ids=True)
    assert [ds.labels[t] for t in ds.targets] == ["positive", "negative", "positive"]
    datasets.DatasetDict({"test": dset, "train": dset}).save_to_disk(str(tmp_path / "saved"))
    with pytest.raises(D.DataFormatError, match="several splits.*--split"):
        U.load_user_dataset(tmp_path / "saved", label_column="v", regression=True)
    reg = U.load_user_dataset(tmp_path / "saved", label_column="v", regression=True, split="test")
    assert reg.task == "regression" and reg.targets.tolist() == [4.5, 1.0, 3.0]
    with pytest.raises(D.DataFormatError, match="needs a number"):
        U.load_user_dataset(dset.map(lambda r: {"v": "high"}), label_column="v", regression=True)
    with pytest.raises(D.DataFormatError, match="label id 5"):
        U.load_user_dataset(dset.map(lambda r: {"y": 5}), label_column="y", labels=["a", "b"], label_ids=True)


def test_user_label_descriptions(tmp_path):
    path = tmp_path / "mine.csv"
    pd.DataFrame({"text": ["a", "b"], "label": ["joy", "anger"]}).to_csv(path, index=False)
    desc = tmp_path / "desc.json"
    desc.write_text(json.dumps({"joy": "feeling happy and glad"}))
    ds = U.load_user_dataset(path, label_column="label", label_descriptions=desc)
    assert ds.label_set() == {"anger": "anger", "joy": "feeling happy and glad"}
    desc.write_text(json.dumps({"rage": "very angry"}))
    with pytest.raises(D.DataFormatError, match="not in the label set"):
        U.load_user_dataset(path, label_column="label", label_descriptions=desc)
    desc.write_text("[1, 2]")
    with pytest.raises(D.DataFormatError, match="JSON object"):
        U.load_user_dataset(path, label_column="label", label_descriptions=desc)
    desc.write_text('{"joy": }')
    with pytest.raises(ValueError, match=f"{desc}, line 1: invalid JSON"):
        U.load_user_dataset(path, label_column="label", label_descriptions=desc)
