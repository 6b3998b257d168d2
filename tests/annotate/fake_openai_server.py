"""A real, local, OpenAI-compatible HTTP server with fault injection (tests and benchmarks).

Standard library only: :class:`http.server.ThreadingHTTPServer` on ``127.0.0.1`` and a random
port. Implements the endpoints the annotator uses:

* ``POST /v1/chat/completions`` - replies with emotion descriptors chosen deterministically from
  the text (a small keyword lexicon, else a hash pick), ``usage`` counted in words;
* ``POST /v1/files`` (multipart upload), ``GET /v1/files/{id}/content``;
* ``POST /v1/batches``, ``GET /v1/batches/{id}`` - a batch becomes ``in_progress`` on the first
  poll and ``completed`` on the ``batch_polls``-th, when its output and error files are built with
  the same reply logic and fault scripts as the chat endpoint.

Faults are scripted per text (``script_text``: the next requests whose *original* text equals or
contains the key take the listed actions in turn) or per request number (``script_request``,
1-based over chat requests). Actions are built with :class:`Fault`:

>>> Fault.status(429, retry_after="0.05").status_code
429
>>> Fault.reply("I'm sorry, I cannot help with that.").content[:9]
"I'm sorry"

Every chat request is logged in :attr:`FakeOpenAIServer.log` (``RequestLog``), so tests can
check what was re-requested.
"""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

#: the key the test fixtures give the server and the client
TEST_API_KEY = "test-key-for-fake-server"

LEXICON = {
    "happy": "joy",
    "great": "excitement",
    "love": "love",
    "thank": "gratitude",
    "angry": "anger",
    "hate": "anger",
    "late": "frustration",
    "sad": "sadness",
    "miss": "longing",
    "scared": "fear",
    "afraid": "fear",
    "wow": "surprise",
    "sorry": "regret",
    "proud": "pride",
}
FALLBACK = ["calm", "curiosity", "mild amusement", "nostalgia", "hope", "boredom", "relief", "confusion"]


def default_reply(text: str, messages: list[dict[str, Any]]) -> str:
    """Deterministic descriptors for ``text``: lexicon hits, else one hash-picked descriptor."""
    lower = text.lower()
    found = [label for word, label in LEXICON.items() if word in lower]
    if not found:
        digest = int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16)
        found = [FALLBACK[digest % len(FALLBACK)]]
    return ", ".join(dict.fromkeys(found))


@dataclass
class Fault:
    """One scripted action for a chat request (see the module docstring)."""

    kind: str  # "status" | "slow" | "body" | "reply"
    status_code: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    body: bytes = b""
    content: str | None = None
    finish_reason: str = "stop"

    @classmethod
    def status(cls, code: int, *, retry_after: str | Callable[[], str] | None = None,
               retry_after_ms: str | None = None, message: str | None = None) -> Fault:
        """An HTTP error; ``retry_after`` may be a callable, evaluated when the reply is sent
        (e.g. an HTTP date a fixed time after the request, whatever the machine's load)."""
        headers: dict[str, Any] = {}
        if retry_after is not None:
            headers["retry-after"] = retry_after
        if retry_after_ms is not None:
            headers["retry-after-ms"] = retry_after_ms
        body = json.dumps({"error": {"message": message or f"injected HTTP {code}", "type": "injected",
                                     "code": str(code)}}).encode()
        return cls("status", status_code=code, headers=headers, body=body)

    @classmethod
    def slow(cls, seconds: float) -> Fault:
        """Sleep ``seconds`` before answering normally (beyond the client timeout = a timeout)."""
        return cls("slow", delay=seconds)

    @classmethod
    def malformed(cls, body: bytes = b'{"choices": [ this is not json') -> Fault:
        """HTTP 200 whose body is not a chat completion."""
        return cls("body", body=body)

    @classmethod
    def reply(cls, content: str | None, finish_reason: str = "stop") -> Fault:
        """A well-formed completion with the given message content (refusal, empty, bad labels...)."""
        return cls("reply", content=content, finish_reason=finish_reason)


@dataclass
class RequestLog:
    n: int
    path: str
    text: str | None
    followup: bool
    status: int
    time: float
    authorized: bool


class FakeOpenAIServer:
    """Start with ``with FakeOpenAIServer(...) as server:`` or ``start()``/``stop()``.

    Args:
        latency: seconds every chat request waits before replying (benchmark: 0.1).
        api_key: when set, requests without ``Authorization: Bearer <api_key>`` get a 401 whose
            message echoes the presented key (as real servers do) - redaction tests rely on it.
        reply_fn: ``(text, messages) -> content`` for normal replies (default :func:`default_reply`).
        batch_polls: number of ``GET /v1/batches/{id}`` until a batch is ``completed``.
    """

    def __init__(self, *, latency: float = 0.0, api_key: str | None = None,
                 reply_fn: Callable[[str, list[dict[str, Any]]], str] | None = None, batch_polls: int = 2) -> None:
        self.latency = latency
        self.api_key = api_key
        self.reply_fn = reply_fn or default_reply
        self.batch_polls = batch_polls
        self.log: list[RequestLog] = []
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self._text_scripts: list[tuple[str, list[Fault]]] = []
        self._request_scripts: dict[int, Fault] = {}
        self._path_scripts: list[tuple[str, str, list[Fault]]] = []
        self._lock = threading.Lock()
        self._count = 0
        self._ids = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.unauthorized = 0
        self._stop = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- scripting ---------------------------------------------------------------------------
    def script_text(self, key: str, *faults: Fault) -> None:
        """The next requests whose original text equals or contains ``key`` take ``faults`` in turn."""
        with self._lock:
            self._text_scripts.append((key, list(faults)))

    def script_request(self, n: int, fault: Fault) -> None:
        """Chat request number ``n`` (1-based, counted over all chat requests) takes ``fault``."""
        with self._lock:
            self._request_scripts[n] = fault

    def script_path(self, method: str, suffix: str, *faults: Fault) -> None:
        """The next ``method`` requests to a path ending with ``suffix`` (files, batches) get ``faults``.

        Only ``Fault.status`` is meaningful here.
        """
        with self._lock:
            self._path_scripts.append((method.upper(), suffix, list(faults)))

    def _next_path_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for m, suffix, faults in self._path_scripts:
                if faults and m == method and path.endswith(suffix):
                    return faults.pop(0)
        return None

    def requests_for(self, text: str) -> list[RequestLog]:
        with self._lock:
            return [entry for entry in self.log if entry.text == text]

    def chat_requests(self) -> list[RequestLog]:
        with self._lock:
            return [entry for entry in self.log if entry.path.endswith("/chat/completions")]

    def _next_fault(self, n: int, text: str | None) -> Fault | None:
        with self._lock:
            fault = self._request_scripts.pop(n, None)
            if fault is not None:
                return fault
            if text is None:
                return None
            for key, faults in self._text_scripts:
                if faults and (text == key or key in text):
                    return faults.pop(0)
        return None

    # -- lifecycle ---------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("server not started; call start() first")
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> FakeOpenAIServer:
        handler = _make_handler(self)
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        httpd.daemon_threads = True
        httpd.request_queue_size = 256
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def sleep(self, seconds: float) -> None:
        """Interruptible sleep: returns early when the server stops."""
        if seconds > 0:
            self._stop.wait(seconds)

    # -- behaviour ---------------------------------------------------------------------------
    def completion(self, text: str, messages: list[dict[str, Any]], content: str | None,
                   finish_reason: str = "stop") -> dict[str, Any]:
        prompt_tokens = sum(len(str(m.get("content") or "").split()) for m in messages)
        with self._lock:
            self._ids += 1
            cid = f"chatcmpl-{self._ids}"
        return {
            "id": cid,
            "object": "chat.completion",
            "created": int(time.time()),
            "model": "fake-model",
            "choices": [{"index": 0, "finish_reason": finish_reason,
                         "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": len((content or "").split()),
                      "total_tokens": prompt_tokens + len((content or "").split())},
        }

    def answer(self, body: dict[str, Any], *, path: str, authorized: bool,
               apply_latency: bool = True) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body for one chat request (shared by the endpoint and batches)."""
        messages = body.get("messages") or []
        users = [m for m in messages if isinstance(m, dict) and m.get("role") == "user"]
        text = str(users[0].get("content")) if users else None
        with self._lock:
            self._count += 1
            n = self._count
        fault = self._next_fault(n, text)
        if apply_latency:
            self.sleep(self.latency)
        status, headers, payload = 200, {}, b""
        if fault is not None and fault.kind == "status":
            status, payload = fault.status_code, fault.body
            headers = {k: (v() if callable(v) else v) for k, v in fault.headers.items()}
        elif fault is not None and fault.kind == "body":
            payload = fault.body
        else:
            if fault is not None and fault.kind == "slow":
                self.sleep(fault.delay)
            if fault is not None and fault.kind == "reply":
                content, finish = fault.content, fault.finish_reason
            else:
                content, finish = self.reply_fn(text or "", messages), "stop"
            payload = json.dumps(self.completion(text or "", messages, content, finish)).encode()
        with self._lock:
            self.log.append(RequestLog(n=n, path=path, text=text, followup=len(users) > 1, status=status,
                                       time=time.time(), authorized=authorized))
        return status, headers, payload

    def run_batch(self, batch: dict[str, Any]) -> None:
        """Answer every line of a batch input file; build output and error files."""
        lines = self.files[batch["input_file_id"]].decode("utf-8").splitlines()
        outputs, errors = [], []
        for line in lines:
            if not line.strip():
                continue
            request = json.loads(line)
            status, _, payload = self.answer(request["body"], path="batch:" + request["url"], authorized=True,
                                             apply_latency=False)
            try:
                body = json.loads(payload)
            except json.JSONDecodeError:
                body = payload.decode("utf-8", "replace")
            entry = {"id": f"batch_req_{len(outputs) + len(errors)}", "custom_id": request["custom_id"],
                     "response": {"status_code": status, "request_id": "req", "body": body}, "error": None}
            (outputs if status == 200 else errors).append(json.dumps(entry))
        with self._lock:
            self._ids += 1
            out_id = f"file-out-{self._ids}"
            self.files[out_id] = ("\n".join(outputs) + "\n").encode() if outputs else b""
            batch["output_file_id"] = out_id if outputs else None
            if errors:
                err_id = f"file-err-{self._ids}"
                self.files[err_id] = ("\n".join(errors) + "\n").encode()
                batch["error_file_id"] = err_id
            batch["request_counts"] = {"total": len(outputs) + len(errors), "completed": len(outputs),
                                       "failed": len(errors)}


def _parse_multipart(content_type: str, body: bytes) -> dict[str, tuple[str | None, bytes]]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    parts: dict[str, tuple[str | None, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        parts[str(name)] = (part.get_filename(), part.get_payload(decode=True) or b"")
    return parts


def _make_handler(server: FakeOpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # headers and body are separate writes: without TCP_NODELAY, Nagle + delayed ACK add ~40 ms
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence stderr
            pass

        def _body(self) -> bytes:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                chunks = []
                while True:
                    size = int(self.rfile.readline().strip() or b"0", 16)
                    if size == 0:
                        self.rfile.readline()
                        return b"".join(chunks)
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def _send(self, status: int, payload: bytes, headers: dict[str, str] | None = None,
                  content_type: str = "application/json") -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError, OSError):
                self.close_connection = True  # the client gave up (timeout); nothing to do

        def _json(self, status: int, data: Any) -> None:
            self._send(status, json.dumps(data).encode())

        def _authorized(self) -> bool:
            if server.api_key is None:
                return True
            presented = self.headers.get("Authorization", "")
            if presented == f"Bearer {server.api_key}":
                return True
            with server._lock:
                server.unauthorized += 1
            self._json(401, {"error": {"message": f"Incorrect API key provided: {presented.removeprefix('Bearer ')}",
                                       "type": "invalid_request_error", "code": "invalid_api_key"}})
            return False

        def do_POST(self) -> None:  # noqa: N802
            body = self._body()
            if not self._authorized():
                return
            path = self.path.split("?")[0]
            fault = server._next_path_fault("POST", path)
            if fault is not None:
                self._send(fault.status_code, fault.body, fault.headers)
                return
            if path.endswith("/chat/completions"):
                try:
                    request = json.loads(body)
                except json.JSONDecodeError:
                    self._json(400, {"error": {"message": "invalid JSON body"}})
                    return
                with server._lock:
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    status, headers, payload = server.answer(request, path=path, authorized=True)
                finally:
                    with server._lock:
                        server.in_flight -= 1
                self._send(status, payload, headers)
            elif path.endswith("/files"):
                parts = _parse_multipart(self.headers.get("Content-Type", ""), body)
                filename, data = parts.get("file", (None, b""))
                with server._lock:
                    server._ids += 1
                    file_id = f"file-{server._ids}"
                    server.files[file_id] = data
                self._json(200, {"id": file_id, "object": "file", "bytes": len(data), "created_at": int(time.time()),
                                 "filename": filename or "upload.jsonl", "purpose": parts.get("purpose", (None, b""))[1]
                                 .decode() or "batch", "status": "processed"})
            elif path.endswith("/batches"):
                request = json.loads(body)
                if request.get("input_file_id") not in server.files:
                    self._json(404, {"error": {"message": f"no file {request.get('input_file_id')!r}"}})
                    return
                with server._lock:
                    server._ids += 1
                    batch = {"id": f"batch_{server._ids}", "object": "batch", "endpoint": request["endpoint"],
                             "input_file_id": request["input_file_id"], "completion_window": "24h",
                             "status": "validating", "created_at": int(time.time()), "output_file_id": None,
                             "error_file_id": None, "metadata": request.get("metadata"), "polls": 0,
                             "request_counts": {"total": 0, "completed": 0, "failed": 0}}
                    server.batches[batch["id"]] = batch
                self._json(200, {k: v for k, v in batch.items() if k != "polls"})
            else:
                self._json(404, {"error": {"message": f"unknown path {path}"}})

        def do_GET(self) -> None:  # noqa: N802
            if not self._authorized():
                return
            path = self.path.split("?")[0]
            fault = server._next_path_fault("GET", path)
            if fault is not None:
                self._send(fault.status_code, fault.body, fault.headers)
                return
            parts = path.strip("/").split("/")
            if len(parts) == 3 and parts[1] == "batches" and parts[2] in server.batches:
                batch = server.batches[parts[2]]
                batch["polls"] += 1
                if batch["status"] not in ("completed", "failed") and batch["polls"] >= server.batch_polls:
                    server.run_batch(batch)
                    batch["status"] = "completed"
                    batch["completed_at"] = int(time.time())
                elif batch["status"] == "validating":
                    batch["status"] = "in_progress"
                self._json(200, {k: v for k, v in batch.items() if k != "polls"})
            elif len(parts) == 4 and parts[1] == "files" and parts[3] == "content" and parts[2] in server.files:
                self._send(200, server.files[parts[2]], content_type="application/octet-stream")
            else:
                self._json(404, {"error": {"message": f"unknown path {path}"}})

    return Handler
