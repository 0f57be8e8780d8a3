"""The built web app as static files, without the build's own metadata.

Vite writes `.vite/manifest.json` (every chunk's name and its source path) into `dist/`
beside the app. It is for tooling, not for browsers, so nothing under a dot-named folder or
file is served: such a path answers 404, the same as a file that does not exist.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope


def hidden(path: str) -> bool:
    """Say whether `path` (relative, as the mount sees it) names or passes a dot-named part."""
    return any(part.startswith(".") for part in PurePosixPath(path.replace("\\", "/")).parts)


class BuildFiles(StaticFiles):
    """`StaticFiles` over a build directory that never serves dot-named files or folders."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        """Refuse build metadata (404), then serve as `StaticFiles` does."""
        if hidden(path):
            raise HTTPException(status_code=404)
        return await super().get_response(path, scope)
