from __future__ import annotations

import json

import pytest

from sentence_emo.corpus import (
    CorpusError,
    load_corpus,
    normalise_descriptors,
    to_training_dataset,
    write_corpus_jsonl,
)


def test_normalisation_rule():
    assert normalise_descriptors([" Mild  Amusement ", "FRUSTRATION", "frustration", ""]) == \
        ["mild amusement", "frustration"]
    assert normalise_descriptors(["neutral", "joy"]) == ["joy"]  # neutral does not stand beside emotions
    assert normalise_descriptors(["Neutral"]) == ["neutral"]
    with pytest.raises(TypeError, match="descriptor must be a string"):
        normalise_descriptors(["joy", 3])


def test_loaders_agree_across_formats(tmp_path):
    rows = [{"id": "a", "text": "So proud of you!", "descriptors": ["Pride", "joy"], "source": "s"},
            {"id": "b", "text": "Whatever.", "descriptors": ["indifference"]}]
    jsonl = write_corpus_jsonl(rows, tmp_path / "c.jsonl")
    (tmp_path / "c.csv").write_text('id,text,descriptors\na,So proud of you!,"Pride, joy"\nb,Whatever.,indifference\n')
    (tmp_path / "c.tsv").write_text("id\ttext\tdescriptors\na\tSo proud of you!\tPride, joy\nb\tWhatever.\tindifference\n")
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist([{k: r[k] for k in ("id", "text", "descriptors")} for r in rows]),
                   tmp_path / "c.parquet")
    from datasets import Dataset

    expected = [("a", "So proud of you!", ["pride", "joy"]), ("b", "Whatever.", ["indifference"])]
    for source in (jsonl, tmp_path / "c.csv", tmp_path / "c.tsv", tmp_path / "c.parquet",
                   Dataset.from_list([{k: r[k] for k in ("id", "text", "descriptors")} for r in rows])):
        records = load_corpus(source)
        assert [(r.id, r.text, r.descriptors) for r in records] == expected, source
    assert load_corpus(jsonl)[0].source == "s"
    ds = to_training_dataset(load_corpus(jsonl))
    assert ds.column_names == ["text", "descriptors"] and ds[0]["descriptors"] == ["pride", "joy"]


@pytest.mark.parametrize(
    "line, message",
    [
        ('{"id": "x", "text": "hi", "descriptors": ["joy"]\n', r"c.jsonl, line 2: invalid JSON"),
        ('{"id": "x", "descriptors": ["joy"]}\n', r"line 2: missing field 'text'"),
        ('{"id": "x", "text": "   ", "descriptors": ["joy"]}\n', r"line 2: field 'text' is empty"),
        ('{"id": "x", "text": "hi", "descriptors": []}\n', r"line 2: field 'descriptors' is empty"),
        ('{"id": "x", "text": "hi", "descriptors": [1]}\n', r"line 2: field 'descriptors' must hold strings"),
        ('{"id": "a", "text": "hi", "descriptors": ["joy"]}\n', r"duplicate id 'a'"),
    ],
)
def test_bad_records_name_file_line_and_field(tmp_path, line, message):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "ok", "descriptors": ["joy"]}) + "\n" + line)
    with pytest.raises(CorpusError, match=message):
        load_corpus(path)


def test_unknown_format_and_missing_file(tmp_path):
    (tmp_path / "c.xml").write_text("<x/>")
    with pytest.raises(CorpusError, match="unknown corpus format '.xml'"):
        load_corpus(tmp_path / "c.xml")
    with pytest.raises(FileNotFoundError, match="corpus file not found"):
        load_corpus(tmp_path / "missing.jsonl")
