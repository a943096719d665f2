"""Tests of the data that decide what the face trains: random walk, mean reversion."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from skrnn._random_walk import is_random_walk, random_walk_pvalues
from skrnn._scaling import dickey_fuller_t
from skrnn.sktime._warnings import warn_random_walk

# Dickey and Fuller's test with a constant: the 5% critical value of its
# t-statistic (MacKinnon's asymptotic value)
DICKEY_FULLER_5PCT = -2.86


def looks_like_random_walk(t, exog, sp):
    """Whether a single series without X looks like a driftless random walk.

    ``t`` and ``exog`` hold every series in model space and its exogenous
    values; panels and series with X never qualify. Warns when it does.
    """
    if len(t) > 1 or exog[0] is not None:
        return False
    if not is_random_walk(random_walk_pvalues(t[0], sp)):
        return False
    warn_random_walk()
    return True


def mean_reverting(z, sp):
    """Whether the series revert to their (seasonal) mean: they need its level.

    Each series, less the mean of its seasonal phase, gets the augmented
    Dickey-Fuller regression of :func:`skrnn._scaling.dickey_fuller_t`; the
    series revert when the mean of their t-statistics lies below the test's
    5% critical value (-2.86): the typical series rejects a unit root. For a
    single series this is the Dickey-Fuller test at 5%. Unlike a panel test
    (Im, Pesaran & Shin's t-bar), whose power grows with the number of
    series, it does not call a large panel of mostly wandering series
    mean-reverting because some of them are; unlike a majority vote at 1%,
    it does not need every short series to reject on its own. A pooled test
    would be misled by the centring of every series on its own mean, which
    makes random walks look mean-reverting.
    """
    t = []
    for zi in z:
        lags = int((len(zi) - 1) ** (1 / 3))
        if len(zi) < 2 * sp + lags + 3:
            continue
        phase = np.arange(len(zi)) % sp
        profile = np.bincount(phase, zi) / np.bincount(phase)
        windows = sliding_window_view(zi - profile[phase], lags + 2)
        t.append(dickey_fuller_t(windows[:, :-1], windows[:, -1]))
    return bool(t) and bool(np.mean(t) < DICKEY_FULLER_5PCT)
