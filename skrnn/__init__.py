"""Recurrent neural network forecasters (LSTM, GRU, simple RNN) for scikit-learn."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

# The public names are loaded on first use (PEP 562): ``import skrnn`` and the
# ``skrnn`` command line's ``--help`` stay fast because torch, skorch and
# scikit-learn are only imported when an estimator is. ``from skrnn import
# LSTMForecaster``, ``dir(skrnn)``, pickling (classes keep their defining
# module) and autodoc work as with eager imports.

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

# public name -> submodule that defines it
_LAZY_NAMES = {
    "GRUForecaster": "skrnn.estimators",
    "LSTMForecaster": "skrnn.estimators",
    "RecurrentForecaster": "skrnn.estimators",
    "SimpleRNNForecaster": "skrnn.estimators",
    "RecurrentImputer": "skrnn.impute",
    "LagWindowTransformer": "skrnn.preprocessing",
    "MovingAverageTransformer": "skrnn.preprocessing",
    "make_supervised": "skrnn.preprocessing",
    "WaveNetForecaster": "skrnn.wavenet",
}
# submodules reachable as attributes (``skrnn.datasets``) without an import
_SUBMODULES = {
    "compare",
    "datasets",
    "estimators",
    "impute",
    "metrics",
    "persistence",
    "plotting",
    "preprocessing",
    "sktime",
    "wavenet",
}

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

if TYPE_CHECKING:  # for type checkers and IDEs; never executed
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


def __getattr__(name):
    if name in _LAZY_NAMES:
        value = getattr(importlib.import_module(_LAZY_NAMES[name]), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"{__name__}.{name}")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__) | _SUBMODULES)
