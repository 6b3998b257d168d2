"""The append-only JSONL store: reload, torn-line repair, corruption report, single writer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sentence_emo.annotate.store import AnnotationStore, StoreError, text_sha256


def _record(text: str, status: str = "ok", **extra) -> dict:
    return {"model": "m", "prompt_version": "p@1", "text_sha256": text_sha256(text), "text": text,
            "status": status, "descriptors": ["joy"] if status == "ok" else [], **extra}


def test_append_reload_and_last_record_wins(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    with AnnotationStore(path) as store:
        store.append_many([_record("one"), _record("two", "failed", reason="refusal")])
        store.append(_record("two"))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and all(json.loads(line) for line in lines)
    with AnnotationStore(path) as store:
        assert len(store) == 2
        assert store.get(("m", "p@1", text_sha256("two")))["status"] == "ok"
        assert ("m", "p@1", text_sha256("three")) not in store


def test_partial_last_line_is_repaired(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "a.jsonl"
    with AnnotationStore(path) as store:
        store.append(_record("one"))
    good = path.read_bytes()
    torn = json.dumps(_record("two")).encode()[:25]
    path.write_bytes(good + torn)
    with AnnotationStore(path) as store:
        assert len(store) == 1 and store.repaired_bytes == len(torn)
        store.append(_record("two"))
    assert "partial last line" in caplog.text
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["text"] for line in lines] == ["one", "two"]


def test_corrupt_middle_line_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(_record("one")) + "\n{oops\n" + json.dumps(_record("two")) + "\n")
    with pytest.raises(StoreError, match="line 2.*delete that line"):
        AnnotationStore(path)
    path.write_text(json.dumps({"status": "ok"}) + "\n")
    with pytest.raises(StoreError, match="line 1"):
        AnnotationStore(path)


def test_single_writer_lock(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    with AnnotationStore(path):
        with pytest.raises(StoreError, match="in use by another annotation run"):
            AnnotationStore(path)
    with AnnotationStore(path) as again:  # released on close
        assert len(again) == 0


def test_in_memory_store_writes_nothing(tmp_path: Path) -> None:
    store = AnnotationStore(None)
    store.append(_record("x"))
    assert len(store) == 1 and list(tmp_path.iterdir()) == []
