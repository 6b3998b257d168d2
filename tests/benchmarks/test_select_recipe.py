from __future__ import annotations

import doctest

import pytest

from benchmarks import select_recipe


def test_reported_rows_are_shown_but_never_selected():
    rows = [{"model": "minilm", "label_side": "names", "metrics": {"score": 0.40, "isear": 0.5}},
            {"model": "mpnet", "label_side": "names", "metrics": {"score": 0.50, "isear": 0.6}, "reported": True},
            {"model": "GPT-4", "label_side": "–", "metrics": {"goemotions_dev": 0.3}, "reference": True}]
    selected = select_recipe.select(rows)
    assert selected["model"] == "minilm"
    table = select_recipe.render_table(rows, selected)
    assert "| minilm **(selected)** | names |" in table
    assert "| mpnet (reported, not a candidate) | names |" in table
    with pytest.raises(ValueError, match="no candidate rows"):
        select_recipe.select(rows[1:])
    assert doctest.testmod(select_recipe).failed == 0


def test_a_missing_model_folder_is_named_before_any_loading(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(SystemExit):
        select_recipe.main(["--model", "m", str(tmp_path / "gone"), "--data-dir", str(tmp_path / "no-data")])
    err = capsys.readouterr().err
    assert "m: no model folder" in err and "gone" in err and "recipe_candidates" in err
