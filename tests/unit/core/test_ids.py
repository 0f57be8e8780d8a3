from core.ids import is_valid_id, new_id


def test_ids_are_unique_prefixed_and_valid():
    ids = {new_id("thr") for _ in range(1000)}
    assert len(ids) == 1000
    assert all(i.startswith("thr_") and is_valid_id(i) for i in ids)


def test_rejects_path_tricks():
    assert not is_valid_id("../../etc/passwd")
    assert not is_valid_id("short")
