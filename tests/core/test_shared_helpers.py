"""The small helpers every module shares: atomic writes, label lists, the git commit of a run."""

from __future__ import annotations

import json
import subprocess
import threading

import numpy as np
import pytest

from eval_suite.provenance import commit_label, git_commit
from sentence_emo.atomic import atomic_path, atomic_write
from sentence_emo.labels import read_label_file, read_labels, split_list


def test_atomic_write_replaces_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("old")
    assert atomic_write(target, "new") == target and target.read_text() == "new"
    atomic_write(target, b"\x00bytes")
    assert target.read_bytes() == b"\x00bytes"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]
    with pytest.raises(TypeError, match="str or bytes, got dict"):
        atomic_write(target, {"a": 1})


def test_a_failed_write_keeps_the_old_file_and_removes_the_temp_file(tmp_path):
    target = tmp_path / "weights.bin"
    target.write_text("good model")
    with pytest.raises(RuntimeError, match="export failed"):
        with atomic_path(target) as tmp:
            tmp.write_text("half a mod")
            raise RuntimeError("export failed")
    assert target.read_text() == "good model"
    assert [p.name for p in tmp_path.iterdir()] == ["weights.bin"]


def test_the_temp_name_keeps_the_suffix_for_writers_that_infer_the_format(tmp_path):
    target = tmp_path / "emb.npy"
    with atomic_path(target) as tmp:
        assert tmp.parent == tmp_path and tmp.suffix == ".npy" and tmp.name.startswith(".emb.")
        np.save(tmp, np.arange(3))  # np.save appends .npy unless the name ends with it
    assert np.load(target).tolist() == [0, 1, 2]
    assert [p.name for p in tmp_path.iterdir()] == ["emb.npy"]


def test_concurrent_writers_never_tear_the_file(tmp_path):
    target = tmp_path / "state.json"
    payloads = [json.dumps({"writer": i, "pad": "x" * 200_000}) for i in range(8)]
    errors = []

    def write(text):
        try:
            for _ in range(5):
                atomic_write(target, text)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(p,)) for p in payloads]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert target.read_text() in payloads  # one writer's complete content, not a mix
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_label_lists_from_the_command_line(tmp_path):
    assert split_list(" joy, anger,,fear ") == ["joy", "anger", "fear"]
    assert split_list("a|b", sep="|") == ["a", "b"] and split_list(None) is None
    text_file = tmp_path / "labels.txt"
    text_file.write_text("# my labels\njoy\n\n anger \n")
    assert read_labels(str(text_file)) == read_label_file(text_file) == ["joy", "anger"]
    json_file = tmp_path / "labels.json"
    json_file.write_text('{"joy": "happy things"}')
    assert read_labels(str(json_file)) == {"joy": "happy things"}
    assert read_labels("joy, #skip, anger") == ["joy", "anger"]
    with pytest.raises(ValueError, match="gives no labels; pass e.g. --labels joy,anger"):
        read_labels(" , ")
    with pytest.raises(FileNotFoundError, match="label file not found"):
        read_label_file(tmp_path / "missing.txt")
    json_file.write_text('"joy"')
    with pytest.raises(ValueError, match="expected a JSON list of names"):
        read_label_file(json_file)


def test_git_commit_of_a_real_repository(tmp_path):
    assert git_commit(tmp_path) == {"commit": "unknown", "dirty": False}  # not a repository
    run = lambda *args: subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)  # noqa: E731
    run("init", "-q")
    (tmp_path / "f.txt").write_text("1")
    run("add", "f.txt")
    run("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "first")
    sha = subprocess.run(["git", "-C", str(tmp_path), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    assert git_commit(tmp_path) == {"commit": sha, "dirty": False}
    (tmp_path / "f.txt").write_text("2")
    assert git_commit(tmp_path) == {"commit": sha, "dirty": True}
    assert commit_label(git_commit(tmp_path)) == sha[:12] + "+dirty"
