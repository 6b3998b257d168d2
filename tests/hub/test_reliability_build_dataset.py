"""Issue 11 item 1 and 10: ``build-dataset --out`` never deletes files it did not write."""

from __future__ import annotations

import json
from pathlib import Path

from sentence_emo.cli import main
from sentence_emo.dataset_builder import BUILD_REPORT_FILE


def _corpus(path: Path, n: int = 6) -> Path:
    path.write_text("".join(json.dumps({"id": f"t{i}", "text": f"text number {i}", "descriptors": ["joy"]}) + "\n"
                            for i in range(n)), encoding="utf-8")
    return path


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_build_dataset_refuses_a_folder_it_did_not_write(tmp_path, capsys):
    corpus = _corpus(tmp_path / "c.jsonl")
    out = tmp_path / "my-project"
    (out / "data").mkdir(parents=True)
    (out / "data" / "mine-00000-of-00001.parquet").write_bytes(b"the user's own parquet")
    (out / "data" / "results.parquet").write_bytes(b"more of the user's data")
    (out / "README.md").write_text("# my project\nhand-written notes\n")
    before = _snapshot(out)

    code = main(["build-dataset", str(corpus), "--out", str(out), "--validation-fraction", "0",
                 "--cache-dir", str(tmp_path / "cache")])
    err = capsys.readouterr().err
    assert code == 2
    assert "is not empty" in err and "--overwrite" in err and err.count("\n") == 1
    assert _snapshot(out) == before  # byte-identical

    # an earlier build-dataset output is rebuilt in place (the marker file says so)
    built = tmp_path / "built"
    assert main(["build-dataset", str(corpus), "--out", str(built), "--validation-fraction", "0",
                 "--cache-dir", str(tmp_path / "cache")]) == 0
    assert (built / BUILD_REPORT_FILE).is_file()
    (built / "data" / "notes.parquet").write_bytes(b"a file the user put there")
    assert main(["build-dataset", str(_corpus(tmp_path / "c2.jsonl", 8)), "--out", str(built),
                 "--validation-fraction", "0", "--cache-dir", str(tmp_path / "cache")]) == 0
    assert (built / "data" / "notes.parquet").read_bytes() == b"a file the user put there"
    assert json.loads((built / BUILD_REPORT_FILE).read_text())["texts"] == 8

    # --overwrite is the explicit consent; files not named like ours still stay
    assert main(["build-dataset", str(corpus), "--out", str(out), "--validation-fraction", "0", "--overwrite",
                 "--cache-dir", str(tmp_path / "cache")]) == 0
    assert (out / "data" / "results.parquet").read_bytes() == b"more of the user's data"
    assert (out / "data" / "train-00000-of-00001.parquet").is_file()


def test_build_dataset_out_is_a_file(tmp_path, capsys):
    corpus = _corpus(tmp_path / "c.jsonl")
    target = tmp_path / "report.txt"
    target.write_text("keep me")
    code = main(["build-dataset", str(corpus), "--out", str(target), "--cache-dir", str(tmp_path / "cache")])
    err = capsys.readouterr().err
    assert code == 2 and "is a file" in err and "Traceback" not in err
    assert target.read_text() == "keep me"
