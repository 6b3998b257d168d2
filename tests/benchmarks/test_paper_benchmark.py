from __future__ import annotations

import pytest

from benchmarks import paper_benchmark, teacher_corpora


@pytest.mark.shared_data
def test_teacher_corpora_use_no_human_labels(shared_data_dir, tmp_path):
    descriptors = teacher_corpora.build("descriptors", shared_data_dir)
    labels = teacher_corpora.build("gpt4-labels", shared_data_dir)
    both = {r.id: r for r in teacher_corpora.build("both", shared_data_dir)}
    assert len(descriptors) == 10422 and len(both) == len(descriptors)
    assert 5000 < len(labels) < 5426  # FAILED_* rows dropped
    assert not any(r.descriptors[0].startswith("failed") for r in labels)
    d = {r.id: r for r in descriptors}
    some = next(r for r in labels if set(r.descriptors) - set(d[r.id].descriptors) and "neutral" not in r.descriptors)
    assert set(both[some.id].descriptors) == set(d[some.id].descriptors) | set(some.descriptors)
    path = teacher_corpora.write("gpt4-labels", shared_data_dir, tmp_path)
    assert sum(1 for _ in path.open()) == len(labels)
    with pytest.raises(ValueError, match="unknown teacher corpus 'human'"):
        teacher_corpora.build("human", shared_data_dir)


@pytest.mark.shared_data
def test_gpt4_mix_adds_labels_to_train_texts_only(shared_data_dir, tmp_path):
    from benchmarks.recipe_candidates import config_for
    from sentence_emo.corpus import load_corpus

    config = config_for("minilm-taxonomy-gpt4mix", tmp_path, shared_data_dir)
    mixed = {r.id: r for r in load_corpus(config.corpus)}
    train = {r.id: r for r in load_corpus("llm-descriptors")}
    held_out = {r.id for r in load_corpus("llm-descriptors:validation")}
    assert set(mixed) == set(train) and not set(mixed) & held_out  # same texts, no validation text
    gpt4 = {r.id: r.descriptors for r in teacher_corpora.gpt4_label_records(shared_data_dir)}
    grown = [i for i in mixed if mixed[i].descriptors != train[i].descriptors]
    assert len(grown) > 3000 and all(i.startswith("goemotions-dev:") and i in gpt4 for i in grown)
    some = grown[0]
    assert set(mixed[some].descriptors) == set(train[some].descriptors) | set(gpt4[some])


def test_gpt4_mix_without_data_names_the_flag(tmp_path):
    from benchmarks.recipe_candidates import config_for

    with pytest.raises(FileNotFoundError, match="pass --data-dir"):
        config_for("minilm-taxonomy-gpt4mix", tmp_path / "work", tmp_path / "no-data")
    assert not (tmp_path / "work").exists()  # nothing written


def test_table_names_rules_and_readme_block_is_replaced(tmp_path, monkeypatch):
    rows = [{"system": "s1", "params": "22M", "data": "descriptors",
             "metrics": {"goemotions.macro_f1": {"value": 0.3312, "rule": "dev-tuned"},
                         "isear.accuracy": {"value": 0.5, "rule": "top-1"}}}]
    table = paper_benchmark.render_table(rows)
    assert "| s1 | 22M | descriptors | 0.331 | – |" in table
    assert "goemotions.macro_f1: dev-tuned" in table and "isear.accuracy: top-1" in table
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{paper_benchmark.README_START}\nold\n{paper_benchmark.README_END}\noutro\n")
    monkeypatch.setattr(paper_benchmark, "ROOT", tmp_path)
    meta = {"command": "make benchmark", "date": "2026-11-22T01:00:00", "machine": {"cpu_count": 2},
            "git_commit": "abcdef1234567890"}
    paper_benchmark.update_readme(table, meta)
    text = readme.read_text()
    assert "old" not in text and "0.331" in text and text.startswith("intro") and text.endswith("outro\n")
    assert "`make benchmark` on 2026-11-22" in text
    readme.write_text("no markers")
    with pytest.raises(ValueError, match="lacks the markers"):
        paper_benchmark.update_readme(table, meta)


def test_recipe_training_is_skipped_when_done_and_unknown_names_are_refused(tmp_path):
    """``make benchmark --recipe NAME`` reuses a finished candidate and names the valid choices otherwise."""
    from sentence_emo.files import TRAINING_INFO_FILE

    done = tmp_path / "minilm-recipe"
    done.mkdir()
    (done / TRAINING_INFO_FILE).write_text("{}")
    assert paper_benchmark.train_recipes(["minilm-recipe"], tmp_path) == [done]
    with pytest.raises(ValueError, match=r"unknown candidate 'bogus'.*mpnet-recipe"):
        paper_benchmark.train_recipes(["bogus"], tmp_path)


def test_recipe_model_without_weights_names_the_command_that_trains_it(tmp_path):
    (tmp_path / "data" / "goemotions").mkdir(parents=True)
    (tmp_path / "data" / "goemotions" / "test.tsv").write_text("")
    with pytest.raises(SystemExit, match="pass --recipe mpnet-recipe"):
        paper_benchmark.main(["--recipe-model", str(tmp_path / "mpnet-recipe"), "--data-dir", str(tmp_path / "data"),
                             "--work", str(tmp_path / "work")])


@pytest.mark.shared_data
def test_eval_results_are_reused_only_for_the_same_model_version(shared_data_dir, tmp_path, tiny_model_dir):
    import os
    import shutil

    model = tmp_path / "student"
    shutil.copytree(tiny_model_dir, model)
    first = paper_benchmark.evaluate("student", str(model), tmp_path / "work", shared_data_dir, max_rows=20)
    assert first["meta"]["model_fingerprint"]
    again = paper_benchmark.evaluate("student", str(model), tmp_path / "work", shared_data_dir, max_rows=20)
    assert again["meta"]["date"] == first["meta"]["date"]  # the same model: its results are reused
    weights = model / "model.safetensors"
    os.utime(weights, (weights.stat().st_atime, weights.stat().st_mtime + 10))  # retrained in place
    fresh = paper_benchmark.evaluate("student", str(model), tmp_path / "work", shared_data_dir, max_rows=20)
    assert fresh["meta"]["model_fingerprint"] != first["meta"]["model_fingerprint"]
