"""Issue 11: ``eval`` on bad or degenerate user data fails with one line instead of a wrong number."""

from __future__ import annotations

import json

import pytest

from eval_suite.data import DataFormatError
from eval_suite.user_data import load_user_dataset
from sentence_emo.cli import main

UNCLOSED_TSV = 'text\tlabel\n"Best day ever\tjoy\nI hate this so much\tanger\nSo scared\tfear\nmeh\tjoy\nyay\tjoy\n'


def _eval(capsys, tiny_model_dir, *argv):
    code = main(["eval", "--model", str(tiny_model_dir), "--baseline-model", "none", "--no-plots", "--no-cache",
                 *map(str, argv)])
    return code, capsys.readouterr().err


def _one_error_line(err: str) -> bool:
    return "Traceback" not in err and len([line for line in err.splitlines() if "error:" in line]) == 1


def test_unclosed_quote_is_refused_with_the_opening_line(tmp_path, tiny_model_dir, capsys):
    data = tmp_path / "mine.tsv"
    data.write_text(UNCLOSED_TSV)
    code, err = _eval(capsys, tiny_model_dir, "--data", data, "--label-column", "label", "--out", tmp_path / "o")
    assert code == 2 and f"{data}, line 2: a field opens a quote" in err and _one_error_line(err)
    assert not (tmp_path / "o" / "results.json").exists()


def test_single_gold_label_without_labels_is_refused(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("text,label\nI love it,joy\nso happy,joy\ngreat day,joy\n")
    with pytest.raises(DataFormatError, match="every row has the gold label 'joy'.*--labels joy,"):
        load_user_dataset(data, label_column="label")
    ds = load_user_dataset(data, label_column="label", labels=["joy", "anger"])
    assert ds.labels == ["joy", "anger"]


def test_one_row_is_marked(tmp_path, caplog):
    data = tmp_path / "d.csv"
    data.write_text("text,label\nI love it,joy\n")
    ds = load_user_dataset(data, label_column="label", labels=["joy", "anger"])
    assert any("1 row only" in note for note in ds.notes)
    assert "scores from one row" in caplog.text


@pytest.mark.parametrize("content, kwargs, message", [
    ("text,label\na,\"joy,excitement\"\nb,anger\n", dict(multi_label=True, sep=";"),
     "gold label 'joy,excitement' contains ','; if the cell holds several labels, pass --sep ','"),
    ("text,label\na,\"joy,excitement\"\nb,anger\n", {}, "pass --multi-label --sep ','"),
    ("text,label\na,joy\nb,NaN\nc,anger\n", {}, "row 2: gold label 'NaN' in 'label' looks like a missing value"),
    ("text,label\na,joy\nb,None\nc,anger\n", dict(multi_label=True), "'None' in 'label' looks like a missing value"),
])
def test_suspicious_gold_cells(tmp_path, content, kwargs, message):
    data = tmp_path / "d.csv"
    data.write_text(content)
    with pytest.raises(DataFormatError, match=message.replace("(", r"\(").replace("|", r"\|")):
        load_user_dataset(data, label_column="label", **kwargs)


def test_label_column_that_holds_text(tmp_path):
    rows = "".join(f"text {i},sentence number {i}\n" for i in range(30))
    data = tmp_path / "d.csv"
    data.write_text("text,label\n" + rows)
    with pytest.raises(DataFormatError, match="30 distinct gold labels in 30 rows"):
        load_user_dataset(data, label_column="label")


def test_two_labels_in_a_single_label_row_is_named_as_such(tmp_path):
    data = tmp_path / "d.jsonl"
    data.write_text('{"text": "a", "label": ["joy", "anger"]}\n{"text": "b", "label": ["joy"]}\n'
                    '{"text": "c", "label": ["anger"]}\n')
    with pytest.raises(DataFormatError, match=r"row 1 has 2 gold labels \['joy', 'anger'\]"):
        load_user_dataset(data, label_column="label")


def test_empty_and_non_utf8_files_are_named(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(ValueError, match=f"{empty}: the file is empty"):
        load_user_dataset(empty, label_column="label", name="My data")
    header_only = tmp_path / "header.csv"
    header_only.write_text("text,label\n")
    with pytest.raises(DataFormatError, match=f"{header_only}: no rows"):
        load_user_dataset(header_only, label_column="label", name="My data")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("text,label\ncaf\xe9,joy\n".encode("latin-1"))
    with pytest.raises(ValueError, match=f"{latin}, line 2: not UTF-8"):
        load_user_dataset(latin, label_column="label")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "a", "label": "joy"}\n{"text": "b", "label": }\n')
    with pytest.raises(ValueError, match=f"{bad}, line 2: invalid JSON"):
        load_user_dataset(bad, label_column="label")


def test_out_is_a_file_and_missing_relative_data(tmp_path, tiny_model_dir, capsys, monkeypatch):
    data = tmp_path / "d.csv"
    data.write_text("text,label\nI love it,joy\nI hate it,anger\n")
    target = tmp_path / "report.md"
    target.write_text("mine")
    code, err = _eval(capsys, tiny_model_dir, "--data", data, "--label-column", "label", "--out", target)
    assert code == 2 and "is a file" in err and _one_error_line(err) and target.read_text() == "mine"
    monkeypatch.chdir(tmp_path)
    code, err = _eval(capsys, tiny_model_dir, "--data", "data/mine.csv", "--label-column", "label", "--out", "o")
    assert code == 2 and "data 'data/mine.csv': no such local path" in err and _one_error_line(err)


def test_json_array_of_rows(tmp_path):
    data = tmp_path / "d.json"
    data.write_text(json.dumps([{"text": "I love it", "label": "joy"}, {"text": "I hate it", "label": "anger"}]))
    assert load_user_dataset(data, label_column="label").labels == ["anger", "joy"]
