"""Issue 11: ``predict``/``EmotionZeroShot`` inputs get one clear line, never a silent wrong number."""

from __future__ import annotations

import json
import logging
import shutil

import numpy as np
import pytest

from sentence_emo.files import CALIBRATION_FILE
from sentence_emo.cli import main
from sentence_emo.zero_shot import EmotionZeroShot

UNCLOSED_TSV = 'text\tlabel\n"Best day ever\tjoy\nI hate this so much\tanger\nSo scared\tfear\nmeh\tneutral\nyay\tjoy\n'


@pytest.fixture(scope="module")
def clf(tiny_model_dir):
    return EmotionZeroShot.from_pretrained(str(tiny_model_dir))


def _predict(tiny_model_dir, *args: str) -> list[str]:
    return ["predict", "--model", str(tiny_model_dir), "--labels", "joy,anger", "--format", "jsonl", *args]


def _rows(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


# item 4: unclosed quote in TSV/CSV
@pytest.mark.parametrize("name, content, line", [
    ("t.tsv", UNCLOSED_TSV, 2),
    ("t.csv", 'text,label\nfine,joy\n"Best day ever,joy\nI hate this,anger\n', 3),
    ("u.tsv", 'text\tlabel\nok\tjoy\n"Best day ever\tjoy\nI hate this\tanger\n"What"\tsurprise\n', 3),
])
def test_unclosed_quote_names_file_and_line(tiny_model_dir, tmp_path, capsys, name, content, line):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert main(_predict(tiny_model_dir, "--file", str(path))) == 2
    err = capsys.readouterr().err
    assert f"{path}, line {line}: a field opens a quote" in err and err.count("\n") == 1


def test_quoted_fields_with_commas_and_newlines_still_read(tiny_model_dir, tmp_path, capsys):
    path = tmp_path / "ok.csv"
    path.write_text('text,label\n"Hello, world",joy\n"two\nlines, here",anger\nplain,joy\n', encoding="utf-8")
    assert main(_predict(tiny_model_dir, "--file", str(path))) == 0
    assert [r["text"] for r in _rows(capsys)] == ["Hello, world", "two\nlines, here", "plain"]


# item 16: a BOM, non-UTF-8, JSONL with the real line number
def test_bom_csv_reads_like_eval_does(tiny_model_dir, tmp_path, capsys):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufefftext,label\nI love it,joy\n".encode("utf-8"))
    assert main(_predict(tiny_model_dir, "--file", str(path))) == 0
    assert [r["text"] for r in _rows(capsys)] == ["I love it"]


def test_non_utf8_and_bad_jsonl_name_file_and_line(tiny_model_dir, tmp_path, capsys):
    latin = tmp_path / "latin.txt"
    latin.write_bytes("ok\ncaf\xe9 au lait\n".encode("latin-1"))
    assert main(_predict(tiny_model_dir, "--file", str(latin))) == 2
    assert f"{latin}, line 2: not UTF-8" in capsys.readouterr().err
    bad = tmp_path / "t.jsonl"
    bad.write_text('{"text": "fine"}\n\n{"text": "broken}\n')
    assert main(_predict(tiny_model_dir, "--file", str(bad))) == 2
    assert f"{bad}, line 3: invalid JSON" in capsys.readouterr().err
    labels = tmp_path / "labels.json"
    labels.write_text('["joy",\n "anger",,]')
    assert main(["predict", "--model", str(tiny_model_dir), "--label-file", str(labels), "hi"]) == 2
    assert f"{labels}, line 2: invalid JSON" in capsys.readouterr().err


# item 7: .json arrays and unknown extensions
def test_json_array_and_unknown_extension(tiny_model_dir, tmp_path, capsys):
    strings = tmp_path / "t.json"
    strings.write_text(json.dumps(["I love it", "I hate it"]))
    assert main(_predict(tiny_model_dir, "--file", str(strings))) == 0
    assert [r["text"] for r in _rows(capsys)] == ["I love it", "I hate it"]
    objects = tmp_path / "o.json"
    objects.write_text(json.dumps([{"body": "so happy"}, {"body": "so sad"}]))
    assert main(_predict(tiny_model_dir, "--file", str(objects), "--text-column", "body")) == 0
    assert [r["text"] for r in _rows(capsys)] == ["so happy", "so sad"]
    odd = tmp_path / "t.data"
    odd.write_text("[\n  one\n]\n")
    assert main(_predict(tiny_model_dir, "--file", str(odd))) == 2
    assert "unknown extension '.data'" in capsys.readouterr().err
    assert main(_predict(tiny_model_dir, "--file", str(odd), "--file-format", "lines")) == 0
    assert [r["text"] for r in _rows(capsys)] == ["[", "  one", "]"]


# item 8: emoji / unknown scripts / truncation
def test_unknown_tokens_and_truncation_warn_once_with_counts(clf, caplog):
    caplog.set_level(logging.WARNING, logger="sentence_emo.text_checks")
    long_text = " ".join(["happy"] * 200)
    probs = clf.predict_proba(["😂", "😡", "我很高兴", "I love my dog", long_text], ["joy", "anger"])
    warnings = [r.getMessage() for r in caplog.records if r.name == "sentence_emo.text_checks"]
    assert len(warnings) == 1
    assert "3 of 5 texts are mostly unknown tokens" in warnings[0]
    assert "the emoji in 2 of them were read by name" in warnings[0]
    assert "1 of 5 texts are longer than 64 tokens and were truncated to 64" in warnings[0]
    assert not np.allclose(probs[0], probs[1]), "two different emoji no longer score identically"


# item 14, 16: templates, generators, numpy integers
@pytest.mark.parametrize("template", ["{}_or_{}", "{} {name}", "{0}", "no placeholder", "{"])
def test_bad_templates(clf, template):
    with pytest.raises(ValueError, match="exactly one"):
        clf.predict(["hi"], ["joy", "anger"], template=template)


def test_templates_cli_one_line(tiny_model_dir, capsys):
    assert main(_predict(tiny_model_dir, "--template", "{} {name}", "hi")) == 2
    err = capsys.readouterr().err
    assert "exactly one '{}'" in err and err.count("\n") == 1 and "Loading" not in err, "fails before loading"


def test_generator_labels_and_numpy_top_k(clf):
    out = clf.predict(["I love it"], (x for x in ["joy", "anger", "fear"]), top_k=np.int64(2))
    assert len(out[0].labels) == 2 and set(out[0].scores) == {"joy", "anger", "fear"}
    assert clf.predict_proba(["hi"], iter(["joy", "anger"])).shape == (1, 2)


# items 11, 12: a missing relative path, damaged model files
def test_missing_relative_model_path_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["predict", "--model", "runs/mymodel", "--labels", "joy", "hi"]) == 2
    err = capsys.readouterr().err
    assert "model 'runs/mymodel': no such local path, and as a Hub id it could not be fetched" in err
    assert err.count("\n") == 1


@pytest.mark.parametrize("content, message", [
    ("[]", "expected a JSON object with 'scale' and 'bias', got list"),
    ('{"scale": null, "bias": 0}', "scale and bias must be numbers, got scale=None"),
    ('{"scale": NaN, "bias": 0}', "calibration scale must be a finite number, got nan"),
])
def test_damaged_calibration_names_the_file(tiny_model_dir, tmp_path, capsys, content, message):
    model = tmp_path / "model"
    shutil.copytree(tiny_model_dir, model)
    (model / CALIBRATION_FILE).write_text(content)
    assert main(["predict", "--model", str(model), "--labels", "joy", "hi"]) == 2
    err = capsys.readouterr().err
    assert f"{model / CALIBRATION_FILE}:" in err and message in err and "Traceback" not in err


def test_truncated_safetensors_is_one_line(tiny_model_dir, tmp_path, capsys):
    model = tmp_path / "model"
    shutil.copytree(tiny_model_dir, model)
    weights = next(model.rglob("*.safetensors"))
    weights.write_bytes(weights.read_bytes()[:64])
    assert main(["predict", "--model", str(model), "--labels", "joy", "hi"]) == 2
    err = capsys.readouterr().err
    assert "damaged" in err and "Traceback" not in err and err.count("\n") == 1
