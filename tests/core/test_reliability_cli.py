"""Issue 11: ``sentence-emo`` maps OS, connection and damaged-file errors to one line and exit 2;
a genuine bug keeps its traceback."""

from __future__ import annotations

import json
import os

import pytest

from sentence_emo.cli import main
from sentence_emo.errors import user_message


@pytest.mark.parametrize("exc, expected", [
    (FileExistsError(17, "File exists", "out"), "out exists already"),
    (NotADirectoryError(20, "Not a directory", "f/sub"), "f/sub: a part of this path is a file"),
    (IsADirectoryError(21, "Is a directory", "cfg"), "cfg is a folder, but a file was expected"),
    (PermissionError(13, "Permission denied", "/root/x"), "/root/x: permission denied"),
    (ConnectionError("boom"), "could not reach the Hub"),
    (json.JSONDecodeError("Expecting value", "{\n x", 3), "invalid JSON (Expecting value, line 2"),
])
def test_user_message_for_os_connection_and_file_errors(exc, expected, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    assert expected in user_message(exc)


def test_offline_mode_and_bugs():
    from huggingface_hub.errors import OfflineModeIsEnabled

    assert "HF_HUB_OFFLINE=1 is set" in user_message(OfflineModeIsEnabled("offline"))
    assert user_message(AttributeError("'list' object has no attribute 'get'")) is None
    assert user_message(ZeroDivisionError()) is None


def test_real_os_errors_through_the_cli(tmp_path, capsys):
    blocker = tmp_path / "f"
    blocker.write_text("mine")
    data = tmp_path / "in.csv"
    data.write_text("text\nhello\n")
    # annotate --out under a file: NotADirectoryError
    assert main(["annotate", str(data), "--model", "m", "--out", str(blocker / "sub"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "a part of this path is a file" in err and "Traceback" not in err
    # train --config that is a folder: IsADirectoryError
    assert main(["train", "--config", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "is a folder, but a file was expected" in err and "Traceback" not in err
    assert blocker.read_text() == "mine"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_permission_error_through_the_cli(tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    data = tmp_path / "in.csv"
    data.write_text("text\nhello\n")
    assert main(["annotate", str(data), "--model", "m", "--out", str(locked / "o"), "--no-progress"]) == 2
    assert "permission denied" in capsys.readouterr().err


def test_verbose_shows_the_traceback_of_a_mapped_error(tmp_path, capsys):
    assert main(["-v", "train", "--config", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err and err.rstrip().splitlines()[-1].startswith("sentence-emo: error:")


def test_a_genuine_bug_keeps_its_traceback(monkeypatch):
    import sentence_emo.predict_cli as zs

    def broken(args):
        return [].get("x")  # AttributeError: a bug, not a user error

    monkeypatch.setattr(zs, "_run", broken)
    with pytest.raises(AttributeError):
        main(["predict", "--labels", "joy", "hi"])
