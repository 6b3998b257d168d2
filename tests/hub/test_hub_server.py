"""The test Hub server itself: routes, error codes, LFS checks and Range requests (raw HTTP, no client)."""

from __future__ import annotations

import base64
import hashlib
import json
import urllib.error
import urllib.request

import pytest

from tests.hub.conftest import TOKEN
from tests.hub.hub_server import HubServer, git_blob_oid


def _request(hub: HubServer, method: str, path: str, body=None, headers=None, token: str | None = TOKEN):
    data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
    request = urllib.request.Request(hub.endpoint + path, data=data, method=method, headers=headers or {})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def _commit(hub, repo, lines, parent=None):
    header = {"key": "header", "value": {"summary": "test", "description": ""}}
    if parent:
        header["value"]["parentCommit"] = parent
    payload = b"".join(json.dumps(item).encode() + b"\n" for item in [header, *lines])
    return _request(hub, "POST", f"/api/models/{repo}/commit/main", payload,
                    {"Content-Type": "application/x-ndjson"})


@pytest.fixture()
def repo(hub):
    name = f"t{len(hub.state.repos)}"
    status, _, body = _request(hub, "POST", "/api/repos/create", {"name": name, "organization": "org"})
    assert status == 200 and json.loads(body)["url"] == f"{hub.endpoint}/org/{name}"
    return f"org/{name}"


def test_server_listens_on_loopback_only(hub):
    assert hub.endpoint.startswith("http://127.0.0.1:")


def test_create_needs_the_token_and_conflicts_on_existing_repo(hub, repo):
    status, headers, _ = _request(hub, "POST", "/api/repos/create", {"name": "x", "organization": "org"}, token="bad")
    assert status == 401
    status, _, _ = _request(hub, "POST", "/api/repos/create", {"name": repo.split("/")[1], "organization": "org"})
    assert status == 409


def test_regular_commit_resolve_range_and_error_codes(hub, repo):
    content = b"hello hub " * 10
    status, _, body = _commit(hub, repo, [{"key": "file", "value": {
        "path": "dir/a.txt", "encoding": "base64", "content": base64.b64encode(content).decode()}}])
    assert status == 200
    oid = json.loads(body)["commitOid"]

    status, headers, data = _request(hub, "GET", f"/{repo}/resolve/main/dir/a.txt")
    assert status == 200 and data == content
    assert headers["X-Repo-Commit"] == oid and headers["ETag"] == f'"{git_blob_oid(content)}"'
    assert headers["Content-Length"] == str(len(content)) and "X-Linked-Etag" not in headers

    status, headers, data = _request(hub, "GET", f"/{repo}/resolve/{oid}/dir/a.txt", headers={"Range": "bytes=6-8"})
    assert status == 206 and data == content[6:9] and headers["Content-Range"] == f"bytes 6-8/{len(content)}"
    status, _, _ = _request(hub, "GET", f"/{repo}/resolve/main/dir/a.txt", headers={"Range": "bytes=999-"})
    assert status == 416

    status, headers, _ = _request(hub, "GET", f"/{repo}/resolve/main/missing.txt")
    assert status == 404 and headers["X-Error-Code"] == "EntryNotFound" and headers["X-Repo-Commit"] == oid
    status, headers, _ = _request(hub, "GET", f"/{repo}/resolve/{'0' * 40}/dir/a.txt")
    assert status == 404 and headers["X-Error-Code"] == "RevisionNotFound"
    status, headers, _ = _request(hub, "GET", "/org/nope/resolve/main/a.txt")
    assert status == 404 and headers["X-Error-Code"] == "RepoNotFound"

    status, _, body = _request(hub, "GET", f"/api/models/{repo}/tree/main")
    assert status == 200 and [e["path"] for e in json.loads(body)] == ["dir"]
    status, _, body = _request(hub, "GET", f"/api/models/{repo}/tree/main?recursive=true")
    assert [(e["type"], e["path"]) for e in json.loads(body)] == [("directory", "dir"), ("file", "dir/a.txt")]
    status, _, body = _request(hub, "GET", f"/api/models/{repo}/revision/main")
    info = json.loads(body)
    assert info["sha"] == oid and info["siblings"] == [
        {"rfilename": "dir/a.txt", "size": len(content), "blobId": git_blob_oid(content)}]

    # a stale parent commit is refused, nothing changes
    status, _, _ = _commit(hub, repo, [{"key": "deletedFile", "value": {"path": "dir/a.txt"}}], parent="f" * 40)
    assert status == 412 and "dir/a.txt" in hub.files(repo)


def test_lfs_batch_upload_verify_and_commit(hub, repo):
    content = bytes(range(256)) * 40
    oid = hashlib.sha256(content).hexdigest()
    status, _, body = _request(hub, "POST", f"/api/models/{repo}/preupload/main", {"files": [
        {"path": "w.safetensors", "sample": base64.b64encode(content[:512]).decode(), "size": len(content)},
        {"path": "c.json", "sample": base64.b64encode(b"{}").decode(), "size": 2}]})
    assert [f["uploadMode"] for f in json.loads(body)["files"]] == ["lfs", "regular"]

    # committing an LFS pointer before the object exists is refused
    status, _, _ = _commit(hub, repo, [{"key": "lfsFile", "value": {"path": "w.safetensors", "algo": "sha256",
                                                                     "oid": oid, "size": len(content)}}])
    assert status == 422

    status, _, body = _request(hub, "POST", f"/{repo}.git/info/lfs/objects/batch",
                               {"operation": "upload", "objects": [{"oid": oid, "size": len(content)}]})
    action = json.loads(body)["objects"][0]["actions"]
    upload = action["upload"]["href"].replace(hub.endpoint, "")
    status, _, _ = _request(hub, "PUT", upload, content[:-1], token=None)
    assert status == 400, "a body that does not hash to the oid is rejected"
    status, _, _ = _request(hub, "PUT", upload, content, token=None)
    assert status == 200
    status, _, _ = _request(hub, "POST", action["verify"]["href"].replace(hub.endpoint, ""),
                            {"oid": oid, "size": len(content)})
    assert status == 200
    status, _, body = _commit(hub, repo, [{"key": "lfsFile", "value": {"path": "w.safetensors", "algo": "sha256",
                                                                        "oid": oid, "size": len(content)}}])
    assert status == 200

    status, headers, data = _request(hub, "HEAD", f"/{repo}/resolve/main/w.safetensors")
    assert status == 200 and data == b""
    assert headers["X-Linked-Etag"] == f'"{oid}"' and headers["X-Linked-Size"] == str(len(content))
    status, _, body = _request(hub, "POST", f"/{repo}.git/info/lfs/objects/batch",
                               {"operation": "upload", "objects": [{"oid": oid, "size": len(content)}]})
    assert "actions" not in json.loads(body)["objects"][0], "an object already stored is not uploaded again"


def test_private_repos_are_hidden_without_the_token(hub):
    status, _, _ = _request(hub, "POST", "/api/repos/create", {"name": "secret", "organization": "org",
                                                               "visibility": "private", "type": "dataset"})
    assert status == 200
    status, _, _ = _request(hub, "GET", "/api/datasets/org/secret", token=TOKEN)
    assert status == 200
    status, headers, _ = _request(hub, "GET", "/api/datasets/org/secret", token=None)
    assert status == 404 and headers["X-Error-Code"] == "RepoNotFound"


def test_unknown_routes_are_recorded(hub):
    before = len(hub.unknown_requests)
    status, _, _ = _request(hub, "GET", "/api/spaces-not-a-route/x")
    assert status == 404 and len(hub.unknown_requests) == before + 1


def test_stop_frees_the_port():
    import socket

    server = HubServer().start()
    port = int(server.endpoint.rsplit(":", 1)[1])
    server.stop()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))  # would raise if the server were still listening
