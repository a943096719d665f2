"""Generators of synthetic time series for examples and tests."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

__all__ = ["make_panel", "make_sine_series", "make_sine_waves"]


def _check_positive_int(value: object, name: str) -> int:
    """Validate that ``value`` is a strictly positive integer.

    Parameters
    ----------
    value : object
        Value to check. Python and NumPy integers are accepted, booleans
        are not.
    name : str
        Parameter name used in the error message.

    Returns
    -------
    int
        ``value`` as a Python int.

    Raises
    ------
    ValueError
        If ``value`` is not an integer or is smaller than 1.
    """
    if (
        isinstance(value, (bool, np.bool_))
        or not isinstance(value, numbers.Integral)
        or value < 1
    ):
        raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    return int(value)


def _check_real(
    value: object, name: str, *, min_value: float | None = None, strict: bool = False
) -> float:
    """Validate that ``value`` is a finite real number, optionally bounded below.

    Parameters
    ----------
    value : object
        Value to check.
    name : str
        Parameter name used in the error message.
    min_value : float or None, default=None
        Lower bound, or None for no bound.
    strict : bool, default=False
        If True, ``value`` must be strictly greater than ``min_value``.

    Returns
    -------
    float
        ``value`` as a Python float.

    Raises
    ------
    ValueError
        If ``value`` is not a finite real number or violates the bound.
    """
    if (
        isinstance(value, (bool, np.bool_))
        or not isinstance(value, numbers.Real)
        or not np.isfinite(value)
    ):
        raise ValueError(f"{name} must be a finite real number, got {value!r}.")
    if min_value is not None:
        if strict and not value > min_value:
            raise ValueError(f"{name} must be > {min_value}, got {value!r}.")
        if not strict and not value >= min_value:
            raise ValueError(f"{name} must be >= {min_value}, got {value!r}.")
    return float(value)


def make_sine_series(
    n_timepoints: int = 200,
    period: float = 20.0,
    noise: float = 0.1,
    trend: float = 0.0,
    random_state: int | np.random.Generator | None = None,
    start: str | pd.Timestamp = "2000-01-01",
    freq: str = "D",
) -> pd.Series:
    """Generate a noisy sine wave with an optional linear trend.

    The value at step ``t = 0, ..., n_timepoints - 1`` is
    ``sin(2 * pi * t / period) + trend * t + noise * e_t`` where the
    ``e_t`` are independent standard normal draws.

    Parameters
    ----------
    n_timepoints : int, default=200
        Number of time points.
    period : float, default=20.0
        Period of the sine wave, in time steps. Must be > 0.
    noise : float, default=0.1
        Standard deviation of the gaussian noise. Must be >= 0.
    trend : float, default=0.0
        Slope of the linear trend, per time step.
    random_state : int, numpy.random.Generator or None, default=None
        Seed or generator passed to :func:`numpy.random.default_rng`; an
        int gives reproducible output, a Generator is used (and advanced)
        as is, None draws fresh entropy.
    start : str or pandas.Timestamp, default="2000-01-01"
        First timestamp of the index.
    freq : str, default="D"
        Pandas frequency string of the index.

    Returns
    -------
    pandas.Series
        Float64 series named ``"y"`` with a ``DatetimeIndex`` named
        ``"time"``.

    Raises
    ------
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> from skrnn.datasets import make_sine_series
    >>> y = make_sine_series(n_timepoints=50, period=10.0, random_state=0)
    >>> y.shape
    (50,)
    >>> print(y.index[0].date(), y.index.freqstr)
    2000-01-01 D
    >>> clean = make_sine_series(n_timepoints=4, period=4.0, noise=0.0)
    >>> print(clean.round(3).tolist())
    [0.0, 1.0, 0.0, -1.0]
    """
    n_timepoints = _check_positive_int(n_timepoints, "n_timepoints")
    period = _check_real(period, "period", min_value=0.0, strict=True)
    noise = _check_real(noise, "noise", min_value=0.0)
    trend = _check_real(trend, "trend")
    rng = np.random.default_rng(random_state)

    steps = np.arange(n_timepoints, dtype=np.float64)
    values = np.sin(2.0 * np.pi * steps / period) + trend * steps
    values += noise * rng.standard_normal(n_timepoints)
    index = pd.date_range(start=start, periods=n_timepoints, freq=freq, name="time")
    return pd.Series(values, index=index, name="y")


def make_panel(
    n_series: int = 3,
    n_timepoints: int = 100,
    random_state: int | np.random.Generator | None = None,
    noise: float = 0.1,
    start: str | pd.Timestamp = "2000-01-01",
    freq: str = "D",
) -> pd.Series:
    """Generate a panel of noisy sine waves in long (MultiIndex) format.

    Series ``i`` is ``a_i * sin(2 * pi * t / p_i + phi_i) + noise * e_t``
    with amplitude ``a_i`` drawn uniformly in [0.5, 2], period ``p_i``
    uniformly in [5, 30] time steps, phase ``phi_i`` uniformly in
    [0, 2 * pi) and standard normal noise ``e_t``.

    The result follows sktime's ``"pd-multiindex"`` mtype once converted
    to a frame with ``y.to_frame()``.

    Parameters
    ----------
    n_series : int, default=3
        Number of series (instances).
    n_timepoints : int, default=100
        Number of time points of every series.
    random_state : int, numpy.random.Generator or None, default=None
        Seed or generator passed to :func:`numpy.random.default_rng`; an
        int gives reproducible output, a Generator is used (and advanced)
        as is, None draws fresh entropy.
    noise : float, default=0.1
        Standard deviation of the gaussian noise. Must be >= 0.
    start : str or pandas.Timestamp, default="2000-01-01"
        First timestamp of every series.
    freq : str, default="D"
        Pandas frequency string of the time level.

    Returns
    -------
    pandas.Series
        Float64 series named ``"y"`` of length ``n_series * n_timepoints``
        with a two-level ``MultiIndex``: level ``"series"`` holds the ids
        ``"s0"``, ``"s1"``, ... and level ``"time"`` the timestamps.

    Raises
    ------
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> from skrnn.datasets import make_panel
    >>> y = make_panel(n_series=2, n_timepoints=30, random_state=0)
    >>> y.shape
    (60,)
    >>> y.index.names
    FrozenList(['series', 'time'])
    >>> y.index.get_level_values("series").unique().tolist()
    ['s0', 's1']
    """
    n_series = _check_positive_int(n_series, "n_series")
    n_timepoints = _check_positive_int(n_timepoints, "n_timepoints")
    noise = _check_real(noise, "noise", min_value=0.0)
    rng = np.random.default_rng(random_state)

    amplitude = rng.uniform(0.5, 2.0, size=(n_series, 1))
    period = rng.uniform(5.0, 30.0, size=(n_series, 1))
    phase = rng.uniform(0.0, 2.0 * np.pi, size=(n_series, 1))
    steps = np.arange(n_timepoints, dtype=np.float64)
    values = amplitude * np.sin(2.0 * np.pi * steps / period + phase)
    values += noise * rng.standard_normal((n_series, n_timepoints))

    times = pd.date_range(start=start, periods=n_timepoints, freq=freq)
    index = pd.MultiIndex.from_product(
        [[f"s{i}" for i in range(n_series)], times], names=["series", "time"]
    )
    return pd.Series(values.ravel(), index=index, name="y")


def make_sine_waves(
    n_series: int,
    n_steps: int,
    random_state: int | np.random.Generator | None = None,
) -> np.ndarray:
    """Generate a batch of sums of two noisy sine waves.

    This is the ``generate_time_series`` function of chapter 15 of
    A. Géron, *Hands-On Machine Learning with Scikit-Learn, Keras and
    TensorFlow* (2nd edition), with NumPy's Generator API instead of the
    legacy global random state::

        freq1, freq2, offsets1, offsets2 = rng.random((4, n_series, 1))
        time = np.linspace(0, 1, n_steps)
        series = 0.5 * np.sin((time - offsets1) * (freq1 * 10 + 10))
        series += 0.2 * np.sin((time - offsets2) * (freq2 * 20 + 20))
        series += 0.1 * (rng.random((n_series, n_steps)) - 0.5)

    Every value therefore lies in [-0.75, 0.75].

    Parameters
    ----------
    n_series : int
        Number of series (batch size).
    n_steps : int
        Number of time steps per series.
    random_state : int, numpy.random.Generator or None, default=None
        Seed or generator passed to :func:`numpy.random.default_rng`; an
        int gives reproducible output, a Generator is used (and advanced)
        as is, None draws fresh entropy. Output is not comparable with the
        book's, which uses ``np.random.rand``.

    Returns
    -------
    numpy.ndarray of shape (n_series, n_steps, 1)
        The series, as float32, in the (batch, time, features) layout of
        recurrent networks.

    Raises
    ------
    ValueError
        If ``n_series`` or ``n_steps`` is not a positive integer.

    Examples
    --------
    >>> from skrnn.datasets import make_sine_waves
    >>> batch = make_sine_waves(n_series=4, n_steps=50, random_state=42)
    >>> batch.shape, batch.dtype
    ((4, 50, 1), dtype('float32'))
    >>> bool(abs(batch).max() <= 0.75)
    True
    """
    n_series = _check_positive_int(n_series, "n_series")
    n_steps = _check_positive_int(n_steps, "n_steps")
    rng = np.random.default_rng(random_state)

    freq1, freq2, offsets1, offsets2 = rng.random((4, n_series, 1))
    time = np.linspace(0, 1, n_steps)
    series = 0.5 * np.sin((time - offsets1) * (freq1 * 10 + 10))
    series += 0.2 * np.sin((time - offsets2) * (freq2 * 20 + 20))
    series += 0.1 * (rng.random((n_series, n_steps)) - 0.5)
    return series[..., np.newaxis].astype(np.float32)
