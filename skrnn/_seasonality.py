"""Time frequencies and their seasonal periods (light: pandas, statsmodels on use)."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pandas as pd

_HOUR = pd.Timedelta(hours=1).value
_DAY = pd.Timedelta(days=1).value


def period_of_frequency(freq):
    """Seasonal period of a time frequency, or None when it has none.

    statsmodels' ``freq_to_period`` maps one step of the unit (yearly 1,
    quarterly 4, monthly 12, weekly 52, daily 7, business days 5, hourly 24);
    a multiple of the unit divides it (two months: 6). Steps of 15 to 59
    minutes have the day as period (48 half-hours, 96 quarter-hours), when
    they divide it; finer steps have none.

    Parameters
    ----------
    freq : str or pandas.DateOffset
        A frequency such as ``"MS"``, ``"2MS"`` or ``"Q"``.

    Returns
    -------
    int or None
        None when the unit has no standard period, or the multiple does not
        divide it.
    """
    from statsmodels.tsa.tsatools import freq_to_period

    offset = pd.tseries.frequencies.to_offset(freq)
    if isinstance(offset, pd.offsets.Tick) and offset.nanos < _HOUR:
        # 15 to 59 minutes: the day (48 half-hours), where statsmodels has no
        # period; finer steps would make day-long windows of hundreds of steps
        fits = offset.nanos >= _HOUR // 4 and _DAY % offset.nanos == 0
        return _DAY // offset.nanos if fits else None
    try:
        period = freq_to_period(offset.base)
    except ValueError:
        return None
    if offset.n == 1:
        return period
    return period // offset.n if offset.n > 0 and period % offset.n == 0 else None


def index_freq(index):
    """Return the index's frequency, else what ``pandas.infer_freq`` finds, or None.

    ``infer_freq`` needs three dates; duplicated or unordered dates have none.
    """
    freq = getattr(index, "freq", None)
    if freq is None and isinstance(index, pd.DatetimeIndex) and len(index) >= 3:
        try:
            freq = pd.infer_freq(index)
        except (TypeError, ValueError):  # e.g. duplicated dates
            freq = None
    return freq


def detect_period(series, max_series=50):
    """Seasonal period found in the values themselves, 1 when there is none.

    For series whose index says nothing (integer positions). The
    autocorrelation of the series, averaged over the series of a panel (up to
    ``max_series``, evenly spaced, weighted by length), is searched for its
    highest peak at lags 2 .. n/3 (three seasons, as the M4 competition's
    seasonality test needs): first that of the series less a straight line
    (as R's ``findfrequency`` detrends), then, if none is found, that of their
    changes (first differences, which bring out a season under a stochastic
    trend). A peak counts when it is beyond what white noise reaches at 10%
    over all the lags searched (Bonferroni) at its lag and at twice its lag,
    as a season repeats, and pass M4's test at its lag (Bartlett's standard
    error, 10% over the peaks tested), both in height and in its rise above
    the lowest autocorrelation before it (a season dips between its peaks; a
    random walk's slowly decaying autocorrelation only wiggles). A peak at
    a multiple of a shorter period gives way to it when the autocorrelation
    at each multiple of that period is at least half the peak's (a week of
    days).

    Parameters
    ----------
    series : list of 1-D arrays
        The series' values.
    max_series : int, default=50
        At most this many series are read.

    Returns
    -------
    int

    Notes
    -----
    A series of thousands of points whose changes are persistent (an AR(1)
    with coefficient 0.9) showed a spurious long cycle in 2 of 10 draws: the
    wiggles of its sample autocorrelation at long lags are wide.
    """
    step = max(1, len(series) // max_series)
    sample = [np.asarray(v, dtype=float) for v in series[::step][:max_series]]
    sample = [v[np.isfinite(v)] for v in sample]
    for transform in (_detrended, np.diff):
        period = _acf_period([transform(v) for v in sample if len(v) >= 10])
        if period > 1:
            return period
    return 1


def _acf_period(series):
    """Return the period of :func:`detect_period` in these (transformed) series."""
    from scipy.stats import norm

    series = [x for x in series if x.std() > 0]
    if not series:
        return 1
    max_lag = int(np.median([len(x) for x in series])) // 3
    # up to twice the longest lag searched: a season repeats at 2m
    total, weight = np.zeros(2 * max_lag + 1), np.zeros(2 * max_lag + 1)
    for x in series:
        lags = min(2 * (len(x) // 3), 2 * max_lag) + 1
        total[:lags] += len(x) * _autocorrelation(x, lags - 1)
        weight[:lags] += len(x)
    acf = total / np.maximum(weight, 1)
    lags = np.arange(2, max_lag + 1)
    peak = (acf[lags] > acf[lags - 1]) & (acf[lags] >= acf[lags + 1])
    # peaks beyond what white noise reaches at any of the lags searched
    bonferroni = norm.ppf(1 - 0.1 / max(max_lag - 1, 1))
    beyond_noise = acf * np.sqrt(weight) > bonferroni
    # a season also correlates at twice its period; a wiggle of a persistent
    # series' autocorrelation does not
    candidates = lags[peak & beyond_noise[lags] & beyond_noise[2 * lags]]
    # M4's seasonality test at each and at twice its lag: 90%, Bartlett's
    # standard error of r_m when r_1 .. r_{m-1} are the only autocorrelations
    sums = np.concatenate([[0, 0], np.cumsum(acf[1:-1] ** 2)])
    bartlett = np.sqrt((1 + 2 * sums) / np.maximum(weight, 1))
    # (Bonferroni over the candidates tested at their own lag)
    strict = norm.ppf(1 - 0.1 / max(len(candidates), 1))
    # and it must rise that much above the trough before it: a season dips
    # between its peaks, a slowly decaying autocorrelation (a random walk's,
    # after detrending) only wiggles
    trough = np.minimum.accumulate(acf)
    margin = strict * bartlett[candidates]
    seasonal = candidates[
        (acf[candidates] > margin) & (acf[candidates] - trough[candidates] > margin)
    ]
    if len(seasonal) == 0:
        return 1
    best = int(seasonal[np.argmax(acf[seasonal])])
    # a shorter period is the season when the autocorrelation at each of its
    # multiples up to the peak is at least half the peak's (a day in a week)
    return min(
        int(p)
        for p in seasonal
        if best % p == 0 and acf[np.arange(p, best + 1, p)].min() >= acf[best] / 2
    )


def _detrended(x):
    """Residuals of a straight line through the values."""
    t = np.arange(len(x))
    return x - np.polyval(np.polyfit(t, x, 1), t)


def _autocorrelation(x, max_lag):
    """Sample autocorrelation at lags 0 .. max_lag (FFT, biased estimator)."""
    x = x - x.mean()
    size = 1 << int(np.ceil(np.log2(2 * len(x))))
    spectrum = np.fft.rfft(x, size)
    acov = np.fft.irfft(spectrum * np.conj(spectrum), size)[: max_lag + 1]
    return acov / acov[0]


def seasonal_period(index, series):
    """Period of the index's frequency, else the one found in the values.

    Parameters
    ----------
    index : pandas.Index
        Time points of (the first series of) ``series``.
    series : list of 1-D arrays
        The values, for :func:`detect_period`.

    Returns
    -------
    int
    """
    freq = index_freq(index)
    period = None if freq is None else period_of_frequency(freq)
    return detect_period(series) if period is None else period
