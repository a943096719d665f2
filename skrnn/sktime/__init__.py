"""sktime forecaster face of the skrnn recurrent networks (needs skrnn[sktime]).

:class:`SktimeRecurrentForecaster` (``_face.py``) orchestrates ``fit``,
``predict`` and ``update``; its private modules each hold one job:
``_transforms.py`` (the target's model space: logs, deseasonalization,
per-series scale, bounds), ``_strategies.py`` (windows of a strategy, the
held-out choices of strategy and naive weight, conformal offsets),
``_panels.py`` (series of a panel, their dates, horizons and index),
``_diagnostics.py`` (the random-walk and mean-reversion tests),
``_defaults.py`` (the default network, seasonal period and window, which
``skrnn.compare`` uses too), ``_params.py`` (the parameter checks) and
``_warnings.py`` (what the face warns of).
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

try:
    import sktime.forecasting.base  # noqa: F401
except ImportError as error:  # pragma: no cover - exercised without the extra
    raise ImportError(
        "skrnn.sktime needs sktime, an optional dependency of skrnn. Install it "
        "with: pip install skrnn[sktime]"
    ) from error

from skrnn._random_walk import random_walk_pvalues
from skrnn.sktime._defaults import (
    default_network,
    default_window_length,
    detect_sp,
    infer_sp,
)
from skrnn.sktime._face import SktimeRecurrentForecaster

__all__ = [
    "SktimeRecurrentForecaster",
    "default_network",
    "default_window_length",
    "detect_sp",
    "infer_sp",
    "random_walk_pvalues",
]
