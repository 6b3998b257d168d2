"""One clear line for errors the user can fix (used by ``sentence-emo``'s ``main``).

:func:`user_message` turns an exception into that line, or returns ``None`` for a genuine bug
(which then keeps its traceback). Covered: the project's ``ValueError``/``TypeError`` messages,
OS errors on the user's paths (missing, exists, not a folder, is a folder, no permission),
unreachable servers (httpx/requests connection errors, ``HF_HUB_OFFLINE=1``) and damaged files
(``safetensors`` headers, JSON).

>>> user_message(FileExistsError(17, "File exists", "out"))
'out exists already (File exists); choose another path or remove it'
>>> user_message(AttributeError("x")) is None
True
"""

from __future__ import annotations

import json
import os
import sys

_CONNECTION_CLASSES = ("ConnectError", "ConnectTimeout", "ReadTimeout", "TimeoutException", "NetworkError",
                       "ProxyError", "ConnectionError", "ConnectTimeoutError", "MaxRetryError", "NewConnectionError")


#: top-level modules whose connection errors count (a trailing major version, e.g. httpx2, is ignored)
_CONNECTION_MODULES = ("httpx", "httpcore", "requests", "urllib", "huggingface_hub", "aiohttp", "openai")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def hub_endpoint() -> str:
    try:
        from huggingface_hub import constants

        return constants.ENDPOINT
    except Exception:  # pragma: no cover - huggingface_hub is a dependency
        return os.environ.get("HF_ENDPOINT", "https://huggingface.co")


def is_offline_error(exc: BaseException) -> bool:
    return any(cls.__name__ == "OfflineModeIsEnabled" for cls in type(exc).__mro__)


def is_connection_error(exc: BaseException) -> bool:
    """A server could not be reached (or offline mode forbade trying)."""
    if is_offline_error(exc) or isinstance(exc, (ConnectionError, TimeoutError)):
        return True
    return any(cls.__name__ in _CONNECTION_CLASSES
               and cls.__module__.split(".")[0].rstrip("0123456789") in _CONNECTION_MODULES
               for cls in type(exc).__mro__)


def connection_message(exc: BaseException, what: str = "the Hub") -> str:
    endpoint = hub_endpoint()
    if is_offline_error(exc) or os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes"):
        return (f"{what} at {endpoint} was not contacted because HF_HUB_OFFLINE=1 is set; unset HF_HUB_OFFLINE to "
                f"go online, or use local paths")
    return (f"could not reach {what} at {endpoint} ({_first_line(exc)}); check the network connection and "
            f"HF_ENDPOINT")


def not_local_nor_hub(name: str, exc: BaseException, what: str = "model") -> FileNotFoundError:
    """The error for a ``name`` that is no local path and could not be fetched as a Hub id."""
    return FileNotFoundError(
        f"{what} {name!r}: no such local path, and as a Hub id it could not be fetched "
        f"({'HF_HUB_OFFLINE=1 is set' if os.environ.get('HF_HUB_OFFLINE', '').lower() in ('1', 'true', 'yes') else _first_line(exc)}); "
        f"check the path (relative to {os.getcwd()}) or the repo id"
    )


def is_safetensors_error(exc: BaseException) -> bool:
    return any(cls.__name__ == "SafetensorError" for cls in type(exc).__mro__)


def user_message(exc: BaseException) -> str | None:
    """The one-line message for an error the user can fix, or ``None`` for a bug."""
    if isinstance(exc, KeyError):
        return str(exc.args[0]) if exc.args else "missing key"
    if is_connection_error(exc):
        return connection_message(exc)
    if is_safetensors_error(exc):
        return (f"a .safetensors weights file is damaged ({_first_line(exc)}), e.g. an interrupted copy or save; "
                f"copy or train the model again (for --resume auto, delete the damaged checkpoint folder)")
    if isinstance(exc, json.JSONDecodeError):
        return f"invalid JSON ({exc.msg}, line {exc.lineno} column {exc.colno}); fix the file"
    if isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError) and exc.filename is not None \
            and not (len(exc.args) == 1 and isinstance(exc.args[0], str)):
        name = exc.filename
        hint = {
            FileExistsError: f"{name} exists already ({exc.strerror}); choose another path or remove it",
            NotADirectoryError: f"{name}: a part of this path is a file, not a folder ({exc.strerror}); fix the path",
            IsADirectoryError: f"{name} is a folder, but a file was expected ({exc.strerror}); give a file path",
            PermissionError: f"{name}: permission denied; choose a path you can write to, or fix its permissions",
        }.get(type(exc))
        if hint is not None:
            return hint
    if isinstance(exc, (ValueError, TypeError, FileNotFoundError, FileExistsError, NotADirectoryError,
                        IsADirectoryError, PermissionError)):
        return str(exc) or type(exc).__name__
    return None


def report(exc: BaseException, verbose: bool = False) -> int | None:
    """Print the one-line message for ``exc`` (and its traceback when ``verbose``); the exit code, or None."""
    message = user_message(exc)
    if message is None:
        return None
    if verbose:
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    print(f"sentence-emo: error: {message}", file=sys.stderr)
    return 2
