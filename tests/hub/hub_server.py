"""A small Hugging Face Hub-compatible HTTP server for tests (127.0.0.1 only, in-memory).

It implements the part of the Hub API that ``huggingface_hub`` 2.x, ``datasets`` and
``sentence-transformers`` call for an upload followed by a download, with classic Git LFS (the
client must run with ``HF_HUB_DISABLE_XET=1``):

* ``POST /api/repos/create``, ``GET /api/whoami-v2``, ``POST /api/validate-yaml``,
  ``GET /api/agent-harnesses`` (an empty registry);
* ``GET /api/{models,datasets}/{repo}[/revision/{rev}]``: repo info with ``sha`` and ``siblings``;
* ``GET /api/{type}s/{repo}/tree/{rev}[/{path}]`` and ``POST .../paths-info/{rev}``;
* ``POST /api/{type}s/{repo}/preupload/{rev}``: regular vs LFS upload mode;
* ``POST /{prefix}{repo}.git/info/lfs/objects/batch``, ``PUT /_lfs/{oid}`` (basic transfer,
  plain or chunked body, sha256 checked) and ``POST /_lfs/verify``;
* ``POST /api/{type}s/{repo}/commit/{rev}``: the NDJSON commit (``file``, ``lfsFile``,
  ``deletedFile``, ``deletedFolder``; ``parentCommit`` checked, 412 when stale);
* ``GET``/``HEAD /{prefix}{repo}/resolve/{rev}/{path}``: the file, with ``ETag``,
  ``X-Repo-Commit``, ``Content-Length``, ``Accept-Ranges`` and for LFS files ``X-Linked-Etag`` and
  ``X-Linked-Size``; ``Range`` requests give 206 (the ``datasets`` file system reads that way).

Errors carry the ``X-Error-Code`` header the client maps to exceptions (``RepoNotFound``,
``RevisionNotFound``, ``EntryNotFound``). Writes need ``Authorization: Bearer <token>``; so do
reads of private repos. Requests to routes the server does not know are answered 404 and kept in
:attr:`HubServer.unknown_requests`, so a test can tell a missing route from an expected miss.

Usage::

    with HubServer(token="hf_dummy") as hub:
        env = {"HF_ENDPOINT": hub.endpoint, "HF_TOKEN": "hf_dummy", "HF_HUB_DISABLE_XET": "1"}
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1 << 30  # 1 GiB: refuse anything larger instead of exhausting memory
REGULAR_MAX_BYTES = 10 * 1024 * 1024  # the Hub's limit for non-LFS files
LFS_SUFFIXES = (
    ".safetensors", ".bin", ".pt", ".pth", ".ckpt", ".onnx", ".h5", ".msgpack", ".parquet", ".arrow",
    ".npy", ".npz", ".pkl", ".zip", ".gz", ".tar", ".model", ".ot", ".tflite",
)
REPO_TYPES = {"models": "model", "datasets": "dataset", "spaces": "space"}
PREFIXES = {"model": "", "dataset": "datasets/", "space": "spaces/"}


def git_blob_oid(content: bytes) -> str:
    """Git's SHA-1 of a blob (what the Hub reports as the ``oid`` of a regular file)."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


def lfs_pointer(sha256: str, size: int) -> bytes:
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {size}\n".encode()


@dataclass
class StoredFile:
    content: bytes
    lfs: bool

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def git_oid(self) -> str:
        return git_blob_oid(lfs_pointer(self.sha256, self.size)) if self.lfs else git_blob_oid(self.content)

    def tree_entry(self, path: str) -> dict:
        entry = {"type": "file", "oid": self.git_oid, "size": self.size, "path": path}
        if self.lfs:
            entry["lfs"] = {"oid": self.sha256, "size": self.size,
                            "pointerSize": len(lfs_pointer(self.sha256, self.size))}
        return entry


@dataclass
class Commit:
    oid: str
    title: str
    date: str
    files: dict[str, StoredFile]


@dataclass
class Repo:
    repo_type: str
    repo_id: str
    private: bool
    created_at: str
    commits: list[Commit] = field(default_factory=list)  # newest last; the branch "main" is the last one

    @property
    def head(self) -> Commit:
        return self.commits[-1]

    def commit_at(self, revision: str) -> Commit | None:
        if revision in ("main", "HEAD"):
            return self.head
        for commit in self.commits:
            if commit.oid == revision:
                return commit
        return None


class HubError(Exception):
    def __init__(self, status: int, message: str, code: str | None = None, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.code, self.headers = status, message, code, headers or {}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _front_matter(text: str) -> dict | None:
    import yaml

    match = re.match(r"^---\s*\n(.*?)\n---\s*(\n|$)", text, re.S)
    if not match:
        return None
    data = yaml.safe_load(match.group(1))
    return data if isinstance(data, dict) else None


class HubState:
    """All repos and LFS objects; every access goes through the lock."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.repos: dict[tuple[str, str], Repo] = {}
        self.lfs_objects: dict[str, bytes] = {}
        self.requests: list[tuple[str, str]] = []
        self.unknown_requests: list[tuple[str, str]] = []
        self._counter = 0

    def new_oid(self, *parts: str) -> str:
        self._counter += 1
        return hashlib.sha1("\0".join((str(self._counter), str(time.time_ns()), *parts)).encode()).hexdigest()

    def repo(self, repo_type: str, repo_id: str, authorized: bool) -> Repo:
        repo = self.repos.get((repo_type, repo_id))
        if repo is None or (repo.private and not authorized):
            raise HubError(404, f"Repository {repo_type}/{repo_id} not found", "RepoNotFound")
        return repo

    def commit(self, repo: Repo, revision: str) -> Commit:
        commit = repo.commit_at(revision)
        if commit is None:
            raise HubError(404, f"Revision {revision!r} not found in {repo.repo_id}", "RevisionNotFound")
        return commit


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    timeout = 60  # per-connection socket timeout: a stuck client cannot pin a thread forever

    # -- plumbing ------------------------------------------------------------------------------
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature from the base class
        logger.debug("hub %s - %s", self.address_string(), format % args)

    @property
    def state(self) -> HubState:
        return self.server.state

    def _authorized(self) -> bool:
        header = self.headers.get("Authorization", "")
        return header == f"Bearer {self.server.token}"

    def _require_auth(self) -> None:
        if not self._authorized():
            raise HubError(401, "Invalid credentials in Authorization header")

    def _body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks, total = [], 0
            while True:
                size_line = self.rfile.readline(1024)
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                total += size
                if total > MAX_BODY_BYTES:
                    raise HubError(413, "request body too large")
                chunks.append(self.rfile.read(size))
                self.rfile.readline(16)
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            raise HubError(413, "request body too large")
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: bytes = b"", headers: dict | None = None,
              content_type: str = "application/json", head: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, str(value))
        self.end_headers()
        if body and not head:
            self.wfile.write(body)

    def _json(self, status: int, data, headers: dict | None = None) -> None:
        self._send(status, json.dumps(data).encode(), headers)

    def _dispatch(self, method: str) -> None:
        parts = urlsplit(self.path)
        segments = [unquote(s) for s in parts.path.split("/")[1:]]
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        with self.state.lock:
            self.state.requests.append((method, self.path))
        body = b""
        try:
            if method in ("POST", "PUT"):
                body = self._body()
            handled = self._route(method, segments, query, body)
            if not handled:
                with self.state.lock:
                    self.state.unknown_requests.append((method, self.path))
                raise HubError(404, f"no such route on the test hub: {method} {parts.path}")
        except HubError as exc:
            headers = {"X-Error-Message": exc.message, **exc.headers}
            if exc.code:
                headers["X-Error-Code"] = exc.code
            self._send(exc.status, json.dumps({"error": exc.message}).encode(), headers, head=method == "HEAD")
        except (BrokenPipeError, ConnectionResetError):
            pass
        except Exception as exc:  # a server bug: answer 500 (the client then fails loudly) and log it
            logger.exception("test hub failed on %s %s", method, self.path)
            self._send(500, json.dumps({"error": f"{type(exc).__name__}: {exc}"}).encode(), head=method == "HEAD")

    def do_GET(self) -> None:  # noqa: N802
        self._dispatch("GET")

    def do_HEAD(self) -> None:  # noqa: N802
        self._dispatch("HEAD")

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._dispatch("PUT")

    # -- routing -------------------------------------------------------------------------------
    def _route(self, method: str, seg: list[str], query: dict, body: bytes) -> bool:
        if seg[:1] == ["api"]:
            return self._route_api(method, seg[1:], query, body)
        if seg[:1] == ["_lfs"]:
            if method == "PUT" and len(seg) == 2:
                return self._lfs_put(seg[1], body)
            if method == "POST" and seg[1:] == ["verify"]:
                return self._lfs_verify(body)
            return False
        # /{prefix}{ns}/{name}.git/info/lfs/objects/batch
        if method == "POST" and len(seg) >= 6 and seg[-4:] == ["info", "lfs", "objects", "batch"]:
            repo_type = "model"
            rest = seg[:-4]
            if rest[0] in ("datasets", "spaces"):
                repo_type, rest = REPO_TYPES[rest[0]], rest[1:]
            if len(rest) != 2 or not rest[1].endswith(".git"):
                return False
            return self._lfs_batch(repo_type, f"{rest[0]}/{rest[1][:-4]}", body)
        # /{prefix}{ns}/{name}/resolve/{rev}/{path...}
        if method in ("GET", "HEAD"):
            repo_type, rest = "model", seg
            if rest and rest[0] in ("datasets", "spaces"):
                repo_type, rest = REPO_TYPES[rest[0]], rest[1:]
            if len(rest) >= 5 and rest[2] == "resolve":
                return self._resolve(method, repo_type, f"{rest[0]}/{rest[1]}", rest[3], "/".join(rest[4:]))
        return False

    def _route_api(self, method: str, seg: list[str], query: dict, body: bytes) -> bool:
        if seg == ["repos", "create"] and method == "POST":
            return self._create_repo(json.loads(body or b"{}"))
        if seg == ["whoami-v2"] and method == "GET":
            self._require_auth()
            self._json(200, {"type": "user", "name": self.server.user, "fullname": "Test User",
                             "orgs": [], "auth": {"type": "access_token", "accessToken": {"role": "write"}}})
            return True
        if seg == ["agent-harnesses"] and method == "GET":  # user-agent registry; empty = detect nothing
            self._json(200, {"standardEnvVars": [], "harnesses": {}})
            return True
        if seg == ["validate-yaml"] and method == "POST":
            return self._validate_yaml(json.loads(body or b"{}"))
        if len(seg) < 3 or seg[0] not in REPO_TYPES:
            return False
        repo_type, repo_id, rest = REPO_TYPES[seg[0]], f"{seg[1]}/{seg[2]}", seg[3:]
        if method == "GET" and not rest:
            return self._repo_info(repo_type, repo_id, "main")
        if method == "GET" and len(rest) == 2 and rest[0] == "revision":
            return self._repo_info(repo_type, repo_id, rest[1])
        if method == "GET" and len(rest) >= 2 and rest[0] == "tree":
            return self._tree(repo_type, repo_id, rest[1], "/".join(rest[2:]), query)
        if method == "POST" and len(rest) == 2 and rest[0] == "paths-info":
            return self._paths_info(repo_type, repo_id, rest[1], body)
        if method == "POST" and len(rest) == 2 and rest[0] == "preupload":
            return self._preupload(repo_type, repo_id, rest[1], json.loads(body or b"{}"), query)
        if method == "POST" and len(rest) == 2 and rest[0] == "commit":
            return self._commit(repo_type, repo_id, rest[1], body, query)
        return False

    # -- repos ---------------------------------------------------------------------------------
    def _create_repo(self, payload: dict) -> bool:
        self._require_auth()
        name, organization = payload.get("name"), payload.get("organization") or self.server.user
        repo_type = payload.get("type") or "model"
        if not name or repo_type not in PREFIXES:
            raise HubError(400, f"invalid create payload {payload!r}")
        repo_id = f"{organization}/{name}"
        with self.state.lock:
            if (repo_type, repo_id) in self.state.repos:
                raise HubError(409, "You already created this repo")
            now = _now()
            repo = Repo(repo_type, repo_id, private=payload.get("visibility") == "private", created_at=now)
            repo.commits.append(Commit(self.state.new_oid(repo_id), "initial commit", now, {}))
            self.state.repos[(repo_type, repo_id)] = repo
        self._json(200, {"url": f"{self.server.endpoint}/{PREFIXES[repo_type]}{repo_id}", "name": repo_id,
                         "id": repo_id})
        return True

    def _validate_yaml(self, payload: dict) -> bool:
        try:
            _front_matter(payload.get("content", ""))
        except Exception as exc:  # yaml.YAMLError and friends
            self._json(400, {"errors": [{"message": f"invalid YAML: {exc}"}], "warnings": []})
            return True
        self._json(200, {"errors": [], "warnings": []})
        return True

    def _repo_info(self, repo_type: str, repo_id: str, revision: str) -> bool:
        with self.state.lock:
            repo = self.state.repo(repo_type, repo_id, self._authorized())
            commit = self.state.commit(repo, revision)
            files = dict(commit.files)
        siblings = []
        for path, stored in sorted(files.items()):
            sibling = {"rfilename": path, "size": stored.size, "blobId": stored.git_oid}
            if stored.lfs:
                sibling["lfs"] = {"size": stored.size, "sha256": stored.sha256,
                                  "pointerSize": len(lfs_pointer(stored.sha256, stored.size))}
            siblings.append(sibling)
        info = {"_id": repo_id, "id": repo_id, "author": repo_id.split("/")[0], "sha": commit.oid,
                "private": repo.private, "gated": False, "disabled": False, "createdAt": repo.created_at,
                "lastModified": commit.date, "downloads": 0, "likes": 0, "tags": [], "siblings": siblings}
        if "README.md" in files:
            try:
                card_data = _front_matter(files["README.md"].content.decode("utf-8"))
            except Exception:
                card_data = None
            if card_data:
                info["cardData"] = card_data
        self._json(200, info)
        return True

    def _snapshot(self, repo_type: str, repo_id: str, revision: str) -> tuple[Commit, dict[str, StoredFile]]:
        with self.state.lock:
            repo = self.state.repo(repo_type, repo_id, self._authorized())
            commit = self.state.commit(repo, revision)
            return commit, dict(commit.files)

    @staticmethod
    def _folders(files: dict[str, StoredFile]) -> set[str]:
        folders = set()
        for path in files:
            parts = path.split("/")[:-1]
            folders.update("/".join(parts[: i + 1]) for i in range(len(parts)))
        return folders

    @staticmethod
    def _folder_entry(path: str, commit: Commit) -> dict:
        return {"type": "directory", "oid": hashlib.sha1(f"{commit.oid}:{path}".encode()).hexdigest(), "size": 0,
                "path": path}

    def _tree(self, repo_type: str, repo_id: str, revision: str, path: str, query: dict) -> bool:
        commit, files = self._snapshot(repo_type, repo_id, revision)
        recursive = query.get("recursive", "false").lower() in ("1", "true")
        folders = self._folders(files)
        base = path.strip("/")
        if base and base not in folders:
            if base in files:
                raise HubError(400, f"{base} is a file, not a folder")
            raise HubError(404, f"path {base!r} not found at {revision}", "EntryNotFound",
                           {"X-Repo-Commit": commit.oid})
        prefix = f"{base}/" if base else ""
        entries = []
        for folder in sorted(folders):
            if folder.startswith(prefix) and (recursive or "/" not in folder[len(prefix):]):
                entries.append(self._folder_entry(folder, commit))
        for file_path, stored in sorted(files.items()):
            if file_path.startswith(prefix) and (recursive or "/" not in file_path[len(prefix):]):
                entries.append(stored.tree_entry(file_path))
        self._json(200, entries)
        return True

    def _paths_info(self, repo_type: str, repo_id: str, revision: str, body: bytes) -> bool:
        commit, files = self._snapshot(repo_type, repo_id, revision)
        content_type = self.headers.get("Content-Type", "")
        if "json" in content_type:
            paths = json.loads(body or b"{}").get("paths", [])
        else:
            paths = parse_qs(body.decode(), keep_blank_values=True).get("paths", [])
        folders = self._folders(files)
        entries = []
        for path in paths if isinstance(paths, list) else [paths]:
            path = path.strip("/")
            if path in files:
                entries.append(files[path].tree_entry(path))
            elif path in folders:
                entries.append(self._folder_entry(path, commit))
        self._json(200, entries)
        return True

    # -- upload --------------------------------------------------------------------------------
    def _writable(self, repo_type: str, repo_id: str, revision: str, query: dict) -> Repo:
        self._require_auth()
        if query.get("create_pr"):
            raise HubError(400, "pull requests are not supported by the test hub")
        repo = self.state.repo(repo_type, repo_id, True)
        if revision != "main":
            raise HubError(404, f"Revision {revision!r} not found (the test hub only has 'main')", "RevisionNotFound")
        return repo

    def _preupload(self, repo_type: str, repo_id: str, revision: str, payload: dict, query: dict) -> bool:
        with self.state.lock:
            repo = self._writable(repo_type, repo_id, revision, query)
            files = dict(repo.head.files)
        answers = []
        for item in payload.get("files", []):
            path, size = item["path"], int(item["size"])
            sample = base64.b64decode(item.get("sample", ""))
            lfs = path.endswith(LFS_SUFFIXES) or size > REGULAR_MAX_BYTES or b"\0" in sample
            existing = files.get(path)
            oid = None
            if existing is not None:
                oid = existing.sha256 if lfs else git_blob_oid(existing.content)
            answers.append({"path": path, "uploadMode": "lfs" if lfs else "regular", "shouldIgnore": False,
                            "oid": oid})
        self._json(200, {"files": answers, "commitOid": repo.head.oid})
        return True

    def _lfs_batch(self, repo_type: str, repo_id: str, body: bytes) -> bool:
        payload = json.loads(body or b"{}")
        with self.state.lock:
            self._writable(repo_type, repo_id, "main", {})
            if payload.get("operation") != "upload":
                raise HubError(400, f"unsupported LFS operation {payload.get('operation')!r}")
            objects = []
            for obj in payload.get("objects", []):
                oid, size = obj["oid"], int(obj["size"])
                answer = {"oid": oid, "size": size, "authenticated": True}
                if oid not in self.state.lfs_objects:
                    answer["actions"] = {
                        "upload": {"href": f"{self.server.endpoint}/_lfs/{oid}", "header": {}},
                        "verify": {"href": f"{self.server.endpoint}/_lfs/verify", "header": {}},
                    }
                objects.append(answer)
        self._send(200, json.dumps({"transfer": "basic", "objects": objects}).encode(),
                   content_type="application/vnd.git-lfs+json")
        return True

    def _lfs_put(self, oid: str, body: bytes) -> bool:
        actual = hashlib.sha256(body).hexdigest()
        if actual != oid:
            raise HubError(400, f"LFS object hash mismatch: url says {oid}, body hashes to {actual}")
        with self.state.lock:
            self.state.lfs_objects[oid] = body
        self._send(200, b"", {"ETag": f'"{oid}"'})
        return True

    def _lfs_verify(self, body: bytes) -> bool:
        self._require_auth()
        payload = json.loads(body or b"{}")
        with self.state.lock:
            stored = self.state.lfs_objects.get(payload.get("oid"))
        if stored is None or len(stored) != payload.get("size"):
            raise HubError(404, f"LFS object {payload.get('oid')} was not uploaded (or has another size)")
        self._json(200, {"success": True})
        return True

    def _commit(self, repo_type: str, repo_id: str, revision: str, body: bytes, query: dict) -> bool:
        lines = [json.loads(line) for line in body.splitlines() if line.strip()]
        if not lines or lines[0].get("key") != "header":
            raise HubError(400, "commit payload must start with a header line")
        header = lines[0]["value"]
        with self.state.lock:
            repo = self._writable(repo_type, repo_id, revision, query)
            parent = header.get("parentCommit")
            if parent is not None and parent != repo.head.oid:
                raise HubError(412, f"parent commit {parent} is not the head of main ({repo.head.oid})")
            files = dict(repo.head.files)
            for line in lines[1:]:
                key, value = line["key"], line["value"]
                path = value["path"]
                if key == "file":
                    if value.get("encoding") != "base64":
                        raise HubError(400, f"unsupported encoding {value.get('encoding')!r} for {path}")
                    files[path] = StoredFile(base64.b64decode(value["content"]), lfs=False)
                elif key == "lfsFile":
                    content = self.state.lfs_objects.get(value["oid"])
                    if content is None:
                        raise HubError(422, f"LFS object {value['oid']} for {path} was never uploaded")
                    if "size" in value and int(value["size"]) != len(content):
                        raise HubError(422, f"size mismatch for {path}")
                    files[path] = StoredFile(content, lfs=True)
                elif key == "deletedFile":
                    if files.pop(path, None) is None:
                        raise HubError(404, f"A file with this name doesn't exist: {path}", "EntryNotFound")
                elif key == "deletedFolder":
                    prefix = path.rstrip("/") + "/"
                    for existing in [p for p in files if p.startswith(prefix)]:
                        del files[existing]
                else:
                    raise HubError(400, f"unsupported commit operation {key!r}")
            commit = Commit(self.state.new_oid(repo_id, header.get("summary", "")), header.get("summary", ""),
                            _now(), files)
            repo.commits.append(commit)
        prefix = PREFIXES[repo_type]
        self._json(200, {"success": True, "commitOid": commit.oid, "pullRequestUrl": None,
                         "commitUrl": f"{self.server.endpoint}/{prefix}{repo_id}/commit/{commit.oid}"})
        return True

    # -- download ------------------------------------------------------------------------------
    def _resolve(self, method: str, repo_type: str, repo_id: str, revision: str, path: str) -> bool:
        commit, files = self._snapshot(repo_type, repo_id, revision)
        stored = files.get(path)
        if stored is None:
            raise HubError(404, f"Entry {path!r} not found at {revision}", "EntryNotFound",
                           {"X-Repo-Commit": commit.oid})
        headers = {"X-Repo-Commit": commit.oid, "Accept-Ranges": "bytes", "ETag": f'"{stored.git_oid}"'}
        if stored.lfs:
            headers["ETag"] = f'"{stored.sha256}"'
            headers["X-Linked-Etag"] = f'"{stored.sha256}"'
            headers["X-Linked-Size"] = str(stored.size)
        content, status = stored.content, 200
        byte_range = self.headers.get("Range")
        if byte_range:
            match = re.fullmatch(r"bytes=(\d*)-(\d*)", byte_range.strip())
            if not match or (not match.group(1) and not match.group(2)):
                raise HubError(400, f"unsupported Range header {byte_range!r}")
            if match.group(1):
                start = int(match.group(1))
                end = int(match.group(2)) if match.group(2) else stored.size - 1
            else:  # suffix range: the last N bytes
                start, end = max(0, stored.size - int(match.group(2))), stored.size - 1
            if start >= stored.size:
                raise HubError(416, "Range Not Satisfiable", headers={"Content-Range": f"bytes */{stored.size}"})
            end = min(end, stored.size - 1)
            content, status = content[start: end + 1], 206
            headers["Content-Range"] = f"bytes {start}-{end}/{stored.size}"
        self._send(status, content, headers, content_type="application/octet-stream", head=method == "HEAD")
        return True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, token: str, user: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.token, self.user = token, user
        self.state = HubState()
        host, port = self.server_address[:2]
        self.endpoint = f"http://{host}:{port}"


class HubServer:
    """Start/stop wrapper: a daemon thread serving :class:`_Server` on 127.0.0.1 (random port)."""

    def __init__(self, token: str = "hf_test_token", user: str = "test-user") -> None:
        self.token, self.user = token, user
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def endpoint(self) -> str:
        if self._server is None:
            raise RuntimeError("the test hub is not running; call start() or use it as a context manager")
        return self._server.endpoint

    @property
    def state(self) -> HubState:
        if self._server is None:
            raise RuntimeError("the test hub is not running")
        return self._server.state

    @property
    def unknown_requests(self) -> list[tuple[str, str]]:
        return list(self.state.unknown_requests)

    def start(self) -> HubServer:
        self._server = _Server(self.token, self.user)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="test-hub", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = self._thread = None

    def __enter__(self) -> HubServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- inspection helpers for tests ------------------------------------------------------------
    def publish(self, repo_id: str, files: dict[str, bytes], repo_type: str = "model") -> str:
        """Create (or add a commit to) a public repo holding ``files`` without going through the API,
        as fixtures of repos that exist on the real Hub; returns the commit oid."""
        with self.state.lock:
            repo = self.state.repos.get((repo_type, repo_id))
            if repo is None:
                repo = Repo(repo_type, repo_id, private=False, created_at=_now())
                self.state.repos[(repo_type, repo_id)] = repo
            content = dict(repo.head.files) if repo.commits else {}
            content.update({path: StoredFile(data, lfs=path.endswith(LFS_SUFFIXES)) for path, data in files.items()})
            commit = Commit(self.state.new_oid(repo_id, "fixture"), "test fixture", _now(), content)
            repo.commits.append(commit)
            return commit.oid

    def files(self, repo_id: str, repo_type: str = "model") -> dict[str, StoredFile]:
        with self.state.lock:
            return dict(self.state.repos[(repo_type, repo_id)].head.files)

    def client_env(self, hf_home: str) -> dict[str, str]:
        """Environment for a client process talking to this hub (set before huggingface_hub is imported)."""
        return {"HF_ENDPOINT": self.endpoint, "HF_TOKEN": self.token, "HF_HUB_DISABLE_XET": "1",
                "HF_HUB_OFFLINE": "0", "HF_DATASETS_OFFLINE": "0", "TRANSFORMERS_OFFLINE": "0",
                "HF_HOME": hf_home, "HF_HUB_DISABLE_TELEMETRY": "1", "HF_HUB_DISABLE_PROGRESS_BARS": "1",
                "HF_HUB_ETAG_TIMEOUT": "30", "HF_HUB_DOWNLOAD_TIMEOUT": "60"}
