"""Where a benchmark number came from: git commit and machine, recorded in every results JSON."""

from __future__ import annotations

import datetime as dt
import os
import platform
import shlex
from collections.abc import Sequence
from pathlib import Path

from eval_suite.provenance import git_commit, replace_readme_block  # noqa: F401 - re-exported for the benchmarks

REPO = Path(__file__).resolve().parents[1]


def machine() -> dict[str, object]:
    """Platform, CPU model and count, Python, and the torch/onnxruntime versions and threads if importable."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info: dict[str, object] = {"platform": platform.platform(), "python": platform.python_version(), "cpu": cpu,
                               "cpu_count": os.cpu_count()}
    try:
        import torch

        info.update(torch=torch.__version__, torch_threads=torch.get_num_threads())
    except ImportError:
        pass
    try:
        import onnxruntime

        info.update(onnxruntime=onnxruntime.__version__, onnxruntime_threads="default (intra_op_num_threads=0)")
    except ImportError:
        pass
    return info


def header(benchmark: str, script: str, argv: Sequence[str]) -> dict[str, object]:
    """The fields every results JSON starts with: what ran, the exact command, when, where, at which commit."""
    return {
        "benchmark": benchmark,
        "command": f"python {script} " + shlex.join(argv),
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "git": git_commit(),
    }


def write_results(results_dir: str | os.PathLike[str], stem: str, meta: dict, rows: list, table: str) -> None:
    """``<stem>.json`` (meta + rows) and ``<stem>.md`` (the table) in ``results_dir``; prints the table."""
    import json

    out = Path(results_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{stem}.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n")
    (out / f"{stem}.md").write_text(table + "\n")
    print(table)
