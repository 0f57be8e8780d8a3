"""A small Keras MLP that trains with TensorFlow and predicts with numpy.

TensorFlow is imported inside `fit` only, so loading or scoring a stored network (or any other
model) never imports it; after training the dense weights are copied out and the forward pass
(ReLU hidden layers, sigmoid output; dropout is inactive at inference) runs in numpy.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class KerasMLPClassifier:
    """Binary MLP classifier with a scikit-learn style `fit` / `predict_proba`.

    Args:
        hidden: units per hidden layer.
        epochs: maximum epochs (early stopping on a 15% validation slice).
        dropout: dropout rate after each hidden layer.
        l2: L2 weight penalty.
        seed: seeds TensorFlow and numpy for repeatable training.
    """

    def __init__(
        self,
        hidden: tuple[int, ...] = (32, 16),
        epochs: int = 60,
        dropout: float = 0.2,
        l2: float = 1e-3,
        seed: int = 42,
    ) -> None:
        self.hidden = hidden
        self.epochs = epochs
        self.dropout = dropout
        self.l2 = l2
        self.seed = seed
        self.weights_: list[tuple[np.ndarray, np.ndarray]] = []

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Return constructor parameters (for cloning and reports)."""
        return {
            "hidden": self.hidden,
            "epochs": self.epochs,
            "dropout": self.dropout,
            "l2": self.l2,
            "seed": self.seed,
        }

    def fit(self, X: np.ndarray, y: np.ndarray) -> KerasMLPClassifier:
        """Train with Adam on binary cross-entropy; class weights balance rare defaults."""
        import os

        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import tensorflow as tf

        tf.keras.utils.set_random_seed(self.seed)
        reg = tf.keras.regularizers.L2(self.l2)
        layers: list[Any] = [tf.keras.Input(shape=(X.shape[1],))]
        for units in self.hidden:
            layers.append(tf.keras.layers.Dense(units, activation="relu", kernel_regularizer=reg))
            layers.append(tf.keras.layers.Dropout(self.dropout))
        layers.append(tf.keras.layers.Dense(1, activation="sigmoid"))
        model = tf.keras.Sequential(layers)
        model.compile(optimizer=tf.keras.optimizers.Adam(1e-3 * 3), loss="binary_crossentropy")
        pos = float(np.mean(y))
        weights = {0: 0.5 / max(1 - pos, 1e-6), 1: 0.5 / max(pos, 1e-6)}
        stop = tf.keras.callbacks.EarlyStopping(patience=8, restore_best_weights=True)
        model.fit(
            X.astype("float32"),
            y.astype("float32"),
            epochs=self.epochs,
            batch_size=64,
            validation_split=0.15,
            class_weight=weights,
            callbacks=[stop],
            verbose=0,
        )
        self.weights_ = [
            (
                np.asarray(layer.kernel.numpy(), dtype=float),
                np.asarray(layer.bias.numpy(), dtype=float),
            )
            for layer in model.layers
            if isinstance(layer, tf.keras.layers.Dense)
        ]
        # Class weights shift the base rate; undo it so probabilities stay on the data's scale.
        self.prior_shift_ = float(np.log(pos / (1 - pos))) if 0 < pos < 1 else 0.0
        return self

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """Return log-odds (numpy forward pass, prior-corrected)."""
        h = X
        for W, b in self.weights_[:-1]:
            h = np.maximum(h @ W + b, 0.0)
        W, b = self.weights_[-1]
        return np.asarray((h @ W + b)[:, 0] + self.prior_shift_, dtype=float)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Return an (n, 2) array of class probabilities."""
        p = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return np.column_stack([1 - p, p])
