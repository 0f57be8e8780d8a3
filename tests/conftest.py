"""Test-wide guards: unit tests never touch the network; integration tests stay on loopback."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

_real_connect = socket.socket.connect
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
