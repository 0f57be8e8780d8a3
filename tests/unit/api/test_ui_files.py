"""The built app is served; its build metadata (`.vite/manifest.json`) is not."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import _mount_ui
from api.ui_files import hidden


@pytest.fixture
def ui(tmp_path):
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / ".vite").mkdir()
    (dist / "index.html").write_text("<html>app</html>")
    (dist / "assets" / "app.js").write_text("console.log(1)")
    (dist / ".vite" / "manifest.json").write_text('{"src/main.tsx": {"file": "assets/app.js"}}')
    (dist / ".env").write_text("SECRET=1")
    app = FastAPI()
    _mount_ui(app, dist)
    with TestClient(app) as client:
        yield client


def test_the_app_and_its_assets_are_served(ui):
    assert ui.get("/").text == "<html>app</html>"
    assert ui.get("/assets/app.js").status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/.vite/manifest.json", "/%2Evite/manifest.json", "/.vite/", "/.env", "/assets/../.env"],
)
def test_build_metadata_and_dot_files_are_not_found(ui, path):
    r = ui.get(path)
    assert r.status_code == 404
    assert "manifest" not in r.text and "SECRET" not in r.text


def test_hidden_means_any_dot_named_part():
    assert hidden(".vite/manifest.json") and hidden("a/.git/config") and hidden(".env")
    assert not hidden("assets/app.js") and not hidden("index.html") and not hidden("")
