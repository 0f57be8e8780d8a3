import importlib.util

import pytest

from cli.scoring import _families
from core.errors import ValidationFailed


def test_the_nn_family_without_tensorflow_says_which_extra_to_install(monkeypatch):
    # The lean install (`make run`) leaves TensorFlow out; asking for the MLP says how to get it.
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "tensorflow" else real(name, *a),
    )
    with pytest.raises(ValidationFailed, match=r"pip install -e '\.\[nn\]'"):
        _families("lr,nn")
    assert _families("lr, xgb") == ("lr", "xgb")


def test_unknown_families_are_refused_by_name():
    with pytest.raises(ValidationFailed, match="unknown model family 'gbm'"):
        _families("lr,gbm")
