from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.selection import select_features


def test_drops_noise_and_the_weaker_of_a_redundant_pair() -> None:
    rng = np.random.default_rng(0)
    n = 800
    signal = rng.normal(size=n)
    y = (signal + rng.normal(0, 0.5, n) > 0).astype(int)
    X = pd.DataFrame(
        {
            "signal": signal,
            "copy": signal * 2.0 + rng.normal(0, 0.01, n),
            "noise": rng.normal(size=n),
            "colour": rng.choice(["red", "blue"], n),
        }
    )
    sel = select_features(X, y, ["signal", "copy", "noise"], ["colour"])
    assert "noise" in sel.dropped and "colour" in sel.dropped
    assert ("signal" in sel.dropped) != ("copy" in sel.dropped)
    assert "corr" in sel.dropped.get("signal", sel.dropped.get("copy", ""))
    assert sel.numeric and sel.mutual_information["signal"] > 0.1
