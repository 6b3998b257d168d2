"""Fixtures for the annotation tests: a real local OpenAI-compatible server per test."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # fake_openai_server is shared with benchmarks/, not a package
    sys.path.insert(0, str(HERE))

from fake_openai_server import TEST_API_KEY, FakeOpenAIServer  # noqa: E402

from sentence_emo.annotate import AnnotateConfig  # noqa: E402

API_KEY = TEST_API_KEY


@pytest.fixture(autouse=True)
def _clean_openai_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Never let a developer's real OpenAI settings reach the tests."""
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID", "OPENAI_LOG",
                 "OPENAI_CUSTOM_HEADERS", "OPENAI_ADMIN_KEY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def make_server() -> Iterator[Callable[..., FakeOpenAIServer]]:
    """Factory: ``make_server(latency=..., api_key=..., reply_fn=...)`` -> a started server (stopped after)."""
    servers: list[FakeOpenAIServer] = []

    def factory(**kwargs) -> FakeOpenAIServer:
        server = FakeOpenAIServer(**kwargs).start()
        servers.append(server)
        return server

    yield factory
    for server in servers:
        server.stop()


@pytest.fixture
def fake_server(make_server) -> FakeOpenAIServer:
    """A started server expecting :data:`API_KEY`, no latency."""
    return make_server(api_key=API_KEY)


@pytest.fixture
def config_for() -> Callable[..., AnnotateConfig]:
    """``config_for(server, **overrides)``: an AnnotateConfig for the local server.

    The request timeout is generous (10 s) so that a reply never times out because the machine is
    loaded; tests of timeouts set a shorter one and make the server hang (``Fault.slow``).
    """

    def build(server: FakeOpenAIServer, **overrides) -> AnnotateConfig:
        settings = dict(model="fake-model", base_url=server.base_url, api_key=API_KEY, concurrency=4,
                        timeout=10.0, max_retries=3, reply_retries=2,
                        progress=False)
        settings.update(overrides)
        return AnnotateConfig(**settings)

    return build


@pytest.fixture
def quiet_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog
