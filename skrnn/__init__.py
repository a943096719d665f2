"""Recurrent neural network forecasters (LSTM, GRU, simple RNN) for scikit-learn."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

from skrnn.estimators import (
    GRUForecaster,
    LSTMForecaster,
    RecurrentForecaster,
    SimpleRNNForecaster,
)
from skrnn.impute import RecurrentImputer
from skrnn.preprocessing import (
    LagWindowTransformer,
    MovingAverageTransformer,
    make_supervised,
)
from skrnn.wavenet import WaveNetForecaster

__version__ = "0.1.0"

__all__ = [
    "GRUForecaster",
    "LSTMForecaster",
    "LagWindowTransformer",
    "MovingAverageTransformer",
    "RecurrentForecaster",
    "RecurrentImputer",
    "SimpleRNNForecaster",
    "WaveNetForecaster",
    "__version__",
    "make_supervised",
]
