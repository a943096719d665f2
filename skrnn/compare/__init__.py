"""Rolling-origin leaderboard of recurrent networks against classical forecasters."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

# One job per module: _checks (the arguments), _registry (the model names, and
# the sktime forecaster a name or an object becomes), _lineup (``forecasters``
# as one labelled model per row), _folds (the origins, and the fewest points
# the models train on), _scoring (the folds table and the leaderboard),
# _result (ComparisonResult) and _backtest (compare_forecasters, which runs
# them). The CLI imports what it needs from _registry and _folds.

from skrnn.compare._backtest import compare_forecasters
from skrnn.compare._registry import (
    DEFAULT_COMBINATION,
    FORECASTER_NAMES,
    default_forecasters,
)
from skrnn.compare._result import ComparisonResult

__all__ = [
    "DEFAULT_COMBINATION",
    "FORECASTER_NAMES",
    "ComparisonResult",
    "compare_forecasters",
    "default_forecasters",
]
