"""Annotation throughput at several concurrency levels against the local fake OpenAI server.

Not a test. Runs the full pipeline (``annotate_file``: input reading, async client, validation,
fsynced JSONL store, corpus/failed/summary outputs) on N texts against
``tests/annotate/fake_openai_server.py`` with a fixed reply latency, once per concurrency level,
each time into a fresh output directory (nothing cached). Prints a markdown table and writes
``benchmarks/results/annotation_throughput.json``.

    python benchmarks/annotation_throughput.py                  # 200 texts, 100 ms, concurrency 1 and 16
    python benchmarks/annotation_throughput.py --texts 400 --concurrency 1 4 16 32
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "annotate"))

import openai  # noqa: E402,F401 - imported up front so no run pays the import time
from fake_openai_server import FakeOpenAIServer  # noqa: E402

from benchmarks.provenance import git_commit, machine  # noqa: E402
from sentence_emo.annotate import AnnotateConfig, annotate_file  # noqa: E402

TARGET_SPEEDUP = 10.0


def run_once(texts: list[str], concurrency: int, latency: float) -> dict[str, object]:
    with FakeOpenAIServer(latency=latency) as server, tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "texts.jsonl"
        data.write_text("".join(json.dumps({"id": f"t{i}", "text": t}) + "\n" for i, t in enumerate(texts)))
        config = AnnotateConfig(model="fake-model", base_url=server.base_url, api_key="benchmark-key",
                                concurrency=concurrency, timeout=30.0, progress=False)
        start = time.perf_counter()
        summary = annotate_file(data, Path(tmp) / "out", config, id_column="id")
        elapsed = time.perf_counter() - start
        if summary.ok != len(texts):
            raise RuntimeError(f"only {summary.ok} of {len(texts)} texts were annotated: {summary.failed_by_reason}")
        return {
            "concurrency": concurrency,
            "texts": len(texts),
            "seconds": round(elapsed, 3),
            "texts_per_second": round(len(texts) / elapsed, 2),
            "http_requests": summary.http_requests,
            "server_max_in_flight": server.max_in_flight,
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=200, help="number of texts (default: 200)")
    parser.add_argument("--latency", type=float, default=0.1, help="server reply latency in seconds (default: 0.1)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16], help="levels (default: 1 16)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "annotation_throughput.json")
    args = parser.parse_args(argv)

    texts = [f"benchmark text {i}: I am {'happy' if i % 2 else 'sad'} about item {i}" for i in range(args.texts)]
    rows = []
    for level in args.concurrency:
        result = run_once(texts, level, args.latency)
        rows.append(result)
        print(f"concurrency {level}: {result['seconds']} s, {result['texts_per_second']} texts/s", file=sys.stderr)
    base = rows[0]
    for row in rows:
        row["speedup_vs_first"] = round(base["seconds"] / row["seconds"], 2)
    speedup = rows[-1]["speedup_vs_first"]

    command = "python " + " ".join(shlex.quote(a) for a in [os.path.relpath(__file__, REPO), *(argv or sys.argv[1:])])
    report = {
        "benchmark": "annotation_throughput",
        "command": command,
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "git": git_commit(),
        "settings": {"texts": args.texts, "latency_s": args.latency, "concurrency": args.concurrency,
                     "server": "tests/annotate/fake_openai_server.py (ThreadingHTTPServer on 127.0.0.1)",
                     "pipeline": "sentence_emo.annotate.annotate_file (fsynced JSONL store, corpus/failed/summary)"},
        "results": rows,
        "speedup": speedup,
        "target_speedup": TARGET_SPEEDUP,
        "target_met": speedup >= TARGET_SPEEDUP,
    }
    report["versions"] = {"openai": openai.__version__, "python": platform.python_version()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")

    print(f"Annotation throughput, {args.texts} texts, {args.latency * 1000:.0f} ms server latency "
          f"({report['date']}, {report['machine']['cpu_count']} CPUs)\n")
    print("| concurrency | time (s) | texts/s | speed-up |")
    print("|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['concurrency']} | {row['seconds']:.2f} | {row['texts_per_second']:.1f} | "
              f"{row['speedup_vs_first']:.1f}x |")
    print(f"\ncommand: `{command}`; target >= {TARGET_SPEEDUP:.0f}x: {'met' if report['target_met'] else 'NOT met'}")
    return 0 if report["target_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
