"""What the face and ``compare`` choose when not told: network, period, window."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pandas as pd

from skrnn._seasonality import detect_period, index_freq, period_of_frequency
from skrnn.estimators import RecurrentForecaster
from skrnn.sktime._panels import instances


def default_network(cell="lstm", random_state=None, quick=False):
    """Return the network that the sktime face trains by default.

    :class:`~skrnn.sktime.SktimeRecurrentForecaster` and ``skrnn compare``
    train it. A median ensemble of 5 small networks (16 units, output layer started at
    zero, 30 epochs with the learning rate annealed from 0.01 along a
    cosine, absolute-error loss, gradient norm clipped at 1; fewer epochs
    where 30 would take more than 20,000 steps, so that a fit's cost stops
    growing with the data), chosen on the
    validation hold-out of skrnn's accuracy benchmark
    (``benchmarks/accuracy.py``, see the user guide's "Getting accuracy"
    page).

    Parameters
    ----------
    cell : {"lstm", "gru", "rnn"}, default="lstm"
        Recurrent cell.
    random_state : int or None, default=None
        Seed of the network.
    quick : bool, default=False
        Half the epochs, for a first look.

    Returns
    -------
    RecurrentForecaster
    """
    return RecurrentForecaster(
        cell=cell,
        hidden_size=16,
        lr=1e-2,
        lr_schedule="cosine",
        max_epochs=15 if quick else 30,
        max_steps=20_000,
        ensemble_size=5,
        loss="mae",
        weight_init="zero_head",
        gradient_clip=1.0,
        random_state=random_state,
    )


def infer_sp(index):
    """Seasonal period of a time index's frequency: 12 for monthly dates, ...

    The index's own frequency, or the one ``pandas.infer_freq`` finds in
    dates, mapped by statsmodels' ``freq_to_period`` (yearly 1, quarterly 4,
    monthly 12, weekly 52, daily 7, business days 5, hourly 24); a multiple of
    a unit divides the period (two months: 6).

    Parameters
    ----------
    index : pandas.Index, Series or DataFrame
        Time points of one series (of a Series or DataFrame: its index).

    Returns
    -------
    int
        The period, 1 when there is none (integer index, irregular dates,
        frequencies without a standard period).
    """
    if isinstance(index, pd.Series | pd.DataFrame):
        index = index.index
    freq = index_freq(index)
    if freq is None:
        return 1
    period = period_of_frequency(freq)
    return 1 if period is None else period


def detect_sp(y):
    """Seasonal period found in the values of ``y``, whatever its index says.

    What :class:`~skrnn.sktime.SktimeRecurrentForecaster` (``sp=None``) and
    :func:`~skrnn.compare.compare_forecasters` (``seasonal_period=None``) use
    when the time index has no frequency with a period (an integer index,
    irregular dates). The autocorrelation of the series less a straight
    line (then, if it shows none, of their changes), averaged over the
    series of a panel, is searched for its highest peak at lags 2 to a third
    of the length. The peak must be beyond what white noise reaches over all
    the lags searched, at its lag and at twice it, and pass the M4
    competition's seasonality test (Bartlett's standard error), in height and
    in its rise above the trough before it; a peak at a multiple of a shorter
    period gives way to it (a week of half-hours). It finds 48 in the
    half-hourly ``taylor`` series, the known period of every panel of M1, M3
    and Tourism (1, 4 and 12) and 12 in the airline series; 1 in the bundled
    daily stock prices, simulated random walks and AR(1) series. A series of
    thousands of points with persistent changes (an AR(1) of coefficient 0.9)
    showed a spurious long cycle in 2 of 10 draws.

    Parameters
    ----------
    y : pd.Series or pd.DataFrame
        One series, or a panel with a MultiIndex (instances, then time).

    Returns
    -------
    int
        The period, 1 when there is none.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from skrnn.sktime import detect_sp
    >>> t = np.arange(200)
    >>> detect_sp(pd.Series(np.sin(2 * np.pi * t / 24) + 0.01 * t))
    24
    """
    return detect_period([values for _, _, values in instances(y)])


def default_window_length(sp, horizon):
    """Default window: 1.25 x the larger of season and horizon, at least 8 steps.

    Hewamalage, Bergmeir & Bandara (2021) size the input window this way for
    networks that output the whole horizon; a one-step network fed back (the
    recursive strategy) passes ``horizon=1``, so its window covers a season
    and a quarter: on the accuracy benchmark's validation hold-out that was
    the more accurate (see the user guide's "Getting accuracy" page).

    Parameters
    ----------
    sp : int
        Seasonal period.
    horizon : int
        Steps the network outputs: the furthest forecast step for the direct
        strategy, 1 for the recursive one.

    Returns
    -------
    int
    """
    return max(8, int(np.ceil(1.25 * max(sp, horizon))))
