import pytest

from storage.blobs import LocalBlobStore


def test_local_blobs_round_trip_and_refuse_escaping_keys(tmp_path):
    store = LocalBlobStore(tmp_path / "docs")
    store.put("usr_alice001/doc_0000001a", b"%PDF-1.7 data", "application/pdf")
    assert store.head("usr_alice001/doc_0000001a", 5) == (b"%PDF-", 13)
    assert store.presign_put("usr_alice001/doc_0000001a", "application/pdf") is None
    store.delete("usr_alice001/doc_0000001a")
    assert store.head("usr_alice001/doc_0000001a", 5) is None
    for key in ("../../etc/passwd", "usr_alice001/../x", "a/b/c", "/abs/olute1"):
        with pytest.raises(ValueError):
            store.put(key, b"x", "application/pdf")


def test_local_files_are_owner_only(tmp_path):
    store = LocalBlobStore(tmp_path / "documents")
    store.put("usr_alice001/doc_0000001a", b"%PDF-1.7 data", "application/pdf")
    path = tmp_path / "documents" / "usr_alice001" / "doc_0000001a"
    assert path.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "documents").stat().st_mode & 0o777 == 0o700
    assert path.parent.stat().st_mode & 0o777 == 0o700
