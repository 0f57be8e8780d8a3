"""Where document bytes live: files under var/ locally, S3 (presigned PUT) in AWS mode.

Local files are identity and income documents: created owner-only (0600, folders 0700).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Protocol

from core.ids import is_valid_id


class BlobStore(Protocol):
    """Opaque byte storage keyed by a storage key."""

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store `data` under `key`."""
        ...

    def head(self, key: str, length: int) -> tuple[bytes, int] | None:
        """Return the first `length` bytes and the total size, or None if absent."""
        ...

    def delete(self, key: str) -> None:
        """Remove the object; absent objects are fine."""
        ...

    def presign_put(self, key: str, content_type: str, expires_s: int = 900) -> str | None:
        """Return a URL the client may PUT to directly, or None when not supported."""
        ...


class LocalBlobStore:
    """Files under a folder (var/documents); keys are `<owner>/<document id>`."""

    def __init__(self, root: Path) -> None:
        self._root = root

    def _path(self, key: str) -> Path:
        parts = key.split("/")
        # Keys are built from our own ids; refuse anything that could walk out of the root.
        if len(parts) != 2 or not all(is_valid_id(p) for p in parts):
            raise ValueError(f"bad storage key {key!r}")
        return self._root.joinpath(*parts)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Write the file atomically (temp file then rename), readable by the owner only."""
        path = self._path(key)
        for folder in (self._root, path.parent):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(folder, 0o700)
        tmp = path.with_suffix(".part")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o600)  # an older .part left by a crash may have a wider mode
        tmp.replace(path)

    def head(self, key: str, length: int) -> tuple[bytes, int] | None:
        """Return the first `length` bytes and the size, or None."""
        path = self._path(key)
        if not path.exists():
            return None
        with path.open("rb") as fh:
            return fh.read(length), path.stat().st_size

    def delete(self, key: str) -> None:
        """Remove the file if present."""
        self._path(key).unlink(missing_ok=True)

    def presign_put(self, key: str, content_type: str, expires_s: int = 900) -> str | None:
        """Local files are uploaded through the API, never presigned."""
        return None


class S3BlobStore:
    """An S3 bucket; uploads go straight from the browser with a presigned PUT."""

    def __init__(self, client: Any, bucket: str) -> None:
        self._s3 = client
        self._bucket = bucket

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Upload bytes (server-side path, used when the API receives the file)."""
        self._s3.put_object(Bucket=self._bucket, Key=key, Body=data, ContentType=content_type)

    def head(self, key: str, length: int) -> tuple[bytes, int] | None:
        """Read the first bytes with a ranged GET so the content can be sniffed."""
        try:
            meta = self._s3.head_object(Bucket=self._bucket, Key=key)
        except self._s3.exceptions.ClientError:
            return None
        body = self._s3.get_object(Bucket=self._bucket, Key=key, Range=f"bytes=0-{length - 1}")
        return body["Body"].read(), int(meta["ContentLength"])

    def delete(self, key: str) -> None:
        """Delete the object."""
        self._s3.delete_object(Bucket=self._bucket, Key=key)

    def presign_put(self, key: str, content_type: str, expires_s: int = 900) -> str | None:
        """Return a presigned PUT URL bound to the content type."""
        url: str = self._s3.generate_presigned_url(
            "put_object",
            Params={"Bucket": self._bucket, "Key": key, "ContentType": content_type},
            ExpiresIn=expires_s,
        )
        return url
