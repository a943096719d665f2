"""Random walks without drift: the test and the last-value forecast."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

# the level of both tests
_ALPHA = 0.05


def random_walk_pvalues(t, sp=1):
    """Test the changes of a series for autocorrelation and for a drift.

    A random walk without drift has changes that are uncorrelated (white
    noise) with mean zero. Ljung-Box tests the first, at
    ``min(10, n / 5)`` lags without a season and ``min(2 sp, n / 5)`` with one
    (Hyndman & Athanasopoulos, *Forecasting: Principles and Practice*, 3rd
    ed., section 5.4); a one-sample t-test the second.

    Parameters
    ----------
    t : ndarray of shape (n_timepoints,)
        The series as it is modelled (in logs, deseasonalized, ...).
    sp : int, default=1
        Seasonal period, which sets the Ljung-Box lags.

    Returns
    -------
    (float, float) or None
        p-values of the Ljung-Box test and of the t-test; None when the series
        is too short for a Ljung-Box lag (fewer than 6 changes) or constant.
    """
    from scipy.stats import ttest_1samp
    from statsmodels.stats.diagnostic import acorr_ljungbox

    changes = np.diff(np.asarray(t, dtype=np.float64))
    lags = min(10 if sp < 2 else 2 * sp, len(changes) // 5)
    if lags < 1 or np.ptp(changes) == 0:
        return None
    ljung_box = float(acorr_ljungbox(changes, lags=[lags])["lb_pvalue"].iloc[0])
    return ljung_box, float(ttest_1samp(changes, 0.0).pvalue)


def is_random_walk(pvalues):
    """Whether neither test of :func:`random_walk_pvalues` rejects at 5 %."""
    return pvalues is not None and min(pvalues) >= _ALPHA


class LastValue:
    """Forecast the last observed target of every window, for every step.

    Takes the place of the network for a series that looks like a random walk
    without drift, on which the last value is the best forecast there is. It
    reads the windows the networks read (``(n_windows, window_length,
    n_features)``, the target first) and has their ``fit``, ``partial_fit``
    and ``predict``.

    Parameters
    ----------
    n_outputs : int, default=1
        Steps per window (the direct strategy's horizons).
    """

    def __init__(self, n_outputs=1):
        self.n_outputs = n_outputs

    def fit(self, X, y=None):
        """Nothing to learn; return self."""
        return self

    def partial_fit(self, X, y=None):
        """Nothing to learn; return self."""
        return self

    def predict(self, X):
        """Return each window's last target value, ``n_outputs`` times."""
        last = np.asarray(X, dtype=np.float64)[:, -1, 0]
        if self.n_outputs == 1:
            return last
        return np.repeat(last[:, np.newaxis], self.n_outputs, axis=1)
