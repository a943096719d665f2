"""Scaling: window levels, training statistics and their application.

Every rule for centring and scaling data lives here: the per-window levels of
``window_norm``, the NaN-aware mean and deviation that standardize windows,
targets, the sktime face's series and the imputer's columns, and the float64
shift-and-scale of every training batch.
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import torch

from skrnn._windows import row_chunks

_NUMPY_DTYPES = {torch.float32: np.float32, torch.float64: np.float64}


def window_levels(X, how):
    """Level of every window and feature: its last observed value or its mean.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_steps, n_features)
        Windows; only leading steps may be NaN, so the last step is observed.
    how : {"last", "mean"}
        ``"last"``: the value at the last step. ``"mean"``: the mean over the
        observed steps.

    Returns
    -------
    ndarray of shape (n_samples, n_features)
    """
    if how == "last":
        return np.array(X[:, -1, :], dtype=np.float64)
    levels = np.empty((X.shape[0], X.shape[2]))
    for start, chunk in row_chunks(X):
        levels[start : start + len(chunk)] = np.nanmean(chunk, axis=1)
    return levels


# Dickey and Fuller's test with a constant: the 1% critical value of its
# t-statistic (MacKinnon's asymptotic value)
_DICKEY_FULLER_1PCT = -3.43


def windows_mean_revert(past, target):
    """Whether the targets move back towards the windows' common mean level.

    The augmented Dickey-Fuller test across windows: the change from each
    window's last value to its first target, regressed on that value, a
    constant and the window's latest changes (which absorb the momentum of
    cycles). A series that wanders (a random walk, a trend) shows no pull
    back; a stationary one (ARMA, sums of sines) a negative slope, whose
    t-statistic falls below the test's 1% critical value (-3.43). Its level
    then matters for the forecast, which a per-window shift would hide. The
    windows' changes number as tseries' ``adf.test`` takes by default,
    ``trunc((n - 1) ** (1/3))`` for ``n`` windows (fewer if they are shorter).

    Parameters
    ----------
    past : ndarray of shape (n_samples, n_steps)
        The target's past in every window (leading NaN allowed).
    target : ndarray of shape (n_samples,)
        The first target of every window.

    Returns
    -------
    bool
    """
    return dickey_fuller_t(past, target) < _DICKEY_FULLER_1PCT


def dickey_fuller_t(past, target):
    """t-statistic of :func:`windows_mean_revert`'s regression (0 if undefined).

    Centring every column stands for the constant, and the columns are
    standardized before the normal equations are solved, so the statistic
    does not depend on the data's units (1e-12 or 1e12).
    """
    lags = min(int((len(past) - 1) ** (1 / 3)), past.shape[1] - 1)
    recent = np.asarray(past[:, past.shape[1] - lags - 1 :], dtype=np.float64)
    level = recent[:, -1]
    change = np.asarray(target, dtype=np.float64) - level
    design = np.column_stack([level, np.diff(recent, axis=1)])
    keep = np.isfinite(change) & np.isfinite(design).all(axis=1)
    design, change = design[keep], change[keep]
    n, k = design.shape
    if n <= k + 2:
        return 0.0
    design = design - design.mean(axis=0)
    change = change - change.mean()
    spread = design.std(axis=0)
    if spread[0] == 0:
        return 0.0
    design = design[:, spread > 0] / spread[spread > 0]
    gram = design.T @ design
    try:
        inverse = np.linalg.inv(gram)
    except np.linalg.LinAlgError:
        return 0.0
    coef = inverse @ (design.T @ change)
    residual = change - design @ coef
    variance = residual @ residual / (n - design.shape[1] - 1)
    if not np.isfinite(coef[0]) or inverse[0, 0] <= 0:
        return 0.0
    if variance == 0:
        return -np.inf if coef[0] < 0 else 0.0
    return float(coef[0] / np.sqrt(variance * inverse[0, 0]))


def target_past(X, y):
    """Find the first feature whose last values the targets repeat rows later.

    A window whose feature ``f`` is the target's own past, in the units of ``y``
    (an unscaled column of the table, windowed by ``LagWindowTransformer``
    after ``make_supervised``), satisfies ``y[i] == X[i + h, -1, f]`` for every
    row ``i`` that has a row ``h`` steps later: the target of row ``i`` is the
    last value of a later window. Exact equality (after casting the targets to
    the windows' dtype) over consecutive rows cannot hold by chance, so this is
    how ``window_norm="auto"`` tells that feature from other quantities. Rows
    out of time order, a scaled column or transformed targets find nothing.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_steps, n_features)
        Training windows, in time order.
    y : ndarray of shape (n_samples, n_outputs)
        Training targets; the first output is compared.

    Returns
    -------
    (feature, h) : tuple of int, or None
        The first such feature and its lag ``h >= 1``; ``h`` leaves at least
        half of the rows to compare. None if no feature is the target's past.
    """
    n = len(X)
    target = y.reshape(n, -1)[:, 0]
    for feature in range(X.shape[2]):
        last = X[:, -1, feature]
        past = target.astype(last.dtype, copy=False)
        # the lags at which the first target reappears; a few suffice
        for h in np.flatnonzero(last[1:] == past[0])[:8] + 1:
            if n - h < max(1, n // 2):
                break
            if np.array_equal(last[h:], past[: n - h]):
                return feature, int(h)
    return None


def nan_moments(X, offsets=None):
    """Mean and standard deviation over every axis but the last, ignoring NaN.

    Chunks are merged with Chan et al.'s pairwise update, which stays accurate for
    series with a large offset (prices around 1e12 with small moves).

    Parameters
    ----------
    X : ndarray of shape (n_samples, ..., n_channels)
        Data; only chunks of it are copied.
    offsets : ndarray of shape (n_samples, 1 or n_channels), default=None
        Subtracted from every row before the moments are taken (the window
        levels of ``window_norm``), without materializing ``X - offsets``.

    Returns
    -------
    mean, scale : ndarray of shape (n_channels,)
        ``scale`` is the standard deviation, with zeros replaced by ones so that
        constant channels pass through unchanged.
    """
    n_channels = X.shape[-1]
    count = np.zeros(n_channels)
    mean = np.zeros(n_channels)
    m2 = np.zeros(n_channels)
    for start, chunk in row_chunks(X):
        chunk = np.asarray(chunk, dtype=np.float64)
        if offsets is not None:
            rows = offsets[start : start + len(chunk)]
            chunk = chunk - rows.reshape(len(rows), *[1] * (chunk.ndim - 2), -1)
        flat = chunk.reshape(-1, n_channels)
        c = np.sum(~np.isnan(flat), axis=0)
        if not c.any():
            continue
        with np.errstate(invalid="ignore"):
            m = np.where(c > 0, np.nansum(flat, axis=0) / np.maximum(c, 1), 0.0)
            s = np.nansum((flat - m) ** 2, axis=0)
        total = count + c
        delta = m - mean
        safe = np.maximum(total, 1)
        mean = mean + delta * c / safe
        m2 = m2 + s + delta**2 * count * c / safe
        count = total
    scale = np.sqrt(m2 / np.maximum(count, 1))
    # Relative threshold: a spread below float64 noise of the level is no spread.
    scale[scale <= 10 * np.finfo(np.float64).eps * np.abs(mean)] = 1.0
    return mean, scale


def scale_values(X, mean, scale):
    """Centre and scale the columns of ``X``: ``(X - mean) / scale``, a new array.

    The standardization of data that stay in numpy (the imputer's columns
    with :func:`nan_moments`' statistics, the sktime face's series with
    their own); NaN stay NaN. :func:`unscale_values` undoes it.

    Parameters
    ----------
    X : ndarray of shape (..., n_channels)
        Data.
    mean, scale : ndarray of shape (n_channels,) or float
        Statistics, as :func:`nan_moments` returns them.

    Returns
    -------
    ndarray of the shape of ``X``
    """
    return (X - mean) / scale


def unscale_values(Z, mean, scale):
    """Bring standardized values back to the data's units: ``Z * scale + mean``.

    The inverse of :func:`scale_values`, a new array.
    """
    return Z * scale + mean


def standardize(a, stats, dtype, level=None):
    """Shift and scale in float64, then cast: 1e12-sized prices keep small moves.

    ``(a - level - mean) / scale`` as a tensor of ``dtype``; what the batches
    of :class:`skrnn._training.WindowDataset` go through.

    One float64 copy per batch does the per-window shift (``level``) and the
    standardization; it costs a few microseconds per batch (see the
    benchmarks), far below one optimizer step, so precision wins over a
    float32 shortcut.
    """
    if stats is None and level is None:
        # A fresh C-ordered copy: ``a`` may be a read-only view of the caller's data.
        return torch.from_numpy(np.array(a, dtype=_NUMPY_DTYPES[dtype], order="C"))
    b = np.array(a, dtype=np.float64, order="C")  # a copy, so in place is safe
    if level is not None:
        b -= level
    if stats is not None:
        mean, scale = stats
        b -= mean
        b /= scale
    return torch.from_numpy(b.astype(_NUMPY_DTYPES[dtype], copy=False))
