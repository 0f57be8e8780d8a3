"""Test-wide guards: unit tests never touch the network; integration tests stay on loopback."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

_real_connect = socket.socket.connect
# Folders whose session fixtures are costly (a CDK synth, trained models): under
# pytest-xdist (`make test` runs `-n 2 --dist loadgroup`) each is one group on one worker,
# so the fixture is built once; every other test file is a group of its own, which keeps a
# module's fixtures (servers, trained models) to one worker too.
_SHARED_GROUPS = ("tests/unit/infra/", "tests/unit/scoring/", "tests/e2e/")
_LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def _guarded_connect(allow_loopback: bool) -> Any:
    def connect(self: socket.socket, address: Any) -> Any:
        if self.family == socket.AF_UNIX:
            return _real_connect(self, address)
        host = address[0] if isinstance(address, tuple) else str(address)
        if allow_loopback and host in _LOOPBACK:
            return _real_connect(self, address)
        raise RuntimeError(f"network access blocked in tests: {address!r}")

    return connect


@pytest.fixture(autouse=True)
def _block_network(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    path = str(request.node.path)
    allow_loopback = "/integration/" in path or "/e2e/" in path
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect(allow_loopback))
    yield


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Give every test an xdist group: its file, or its folder where fixtures are shared."""
    root = str(config.rootpath) + "/"
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        path = str(item.path).removeprefix(root)
        group = next((folder for folder in _SHARED_GROUPS if path.startswith(folder)), path)
        item.add_marker(pytest.mark.xdist_group(group))
