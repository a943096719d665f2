"""Window validation and training statistics, computed without copying windows."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

# Elements inspected at once: bounds the temporary memory of every check below, so
# that windows that are strided views of one series are never materialized whole.
_CHUNK_ELEMENTS = 1 << 20


def _row_chunks(X):
    """Yield ``(start, X[start:stop])`` blocks of rows of bounded size."""
    per_row = max(1, int(np.prod(X.shape[1:])))
    step = max(1, _CHUNK_ELEMENTS // per_row)
    for start in range(0, X.shape[0], step):
        yield start, X[start : start + step]


def as_windows(X, n_features=None):
    """Return windows as a 3-D ``(n_samples, n_steps, n_features)`` view of ``X``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_steps) or (n_samples, n_steps * n_features) \
            or (n_samples, n_steps, n_features)
        Windows. 2-D input is one univariate window per row, or, when
        ``n_features`` is given, flattened windows in step-major order.
    n_features : int, default=None
        Features per time step of flattened 2-D input.

    Returns
    -------
    ndarray of shape (n_samples, n_steps, n_features)
    """
    if X.ndim == 3:
        if n_features is not None and X.shape[2] != n_features:
            raise ValueError(
                f"X has {X.shape[2]} features per time step but n_features="
                f"{n_features}. Leave n_features=None for 3-D input."
            )
        return X
    if X.ndim != 2:
        raise ValueError(
            f"X must be 2-D (n_samples, n_steps) or 3-D (n_samples, n_steps, "
            f"n_features) windows; got an array with {X.ndim} dimensions."
        )
    if n_features is None:
        return X[:, :, np.newaxis]
    if X.shape[1] % n_features:
        raise ValueError(
            f"X has {X.shape[1]} columns, which is not a multiple of n_features="
            f"{n_features}: flattened windows must hold n_steps * n_features "
            "columns in step-major order (as LagWindowTransformer(output='2d') "
            "writes them)."
        )
    return X.reshape(X.shape[0], X.shape[1] // n_features, n_features)


def check_window_values(X):
    """Check that only leading time steps are missing and that nothing is inf.

    A time step with a NaN in any feature before the first complete step of a
    window means "no history yet" (the first rows of a series, or a moving average
    that is not defined yet). A NaN after it is an error, as is any infinity.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_steps, n_features)
        Windows; inspected in chunks, never copied whole.

    Returns
    -------
    has_missing : bool
        Whether any window has missing leading steps.

    Raises
    ------
    ValueError
        Naming the first offending row and step.
    """
    has_missing = False
    for start, chunk in _row_chunks(X):
        inf = np.isinf(chunk)
        if inf.any():
            row, step, _ = np.argwhere(inf)[0]
            raise ValueError(
                f"X[{start + row}, {step}] is inf. Windows must be finite: drop "
                "those rows, or fill the values from the past only, on the table "
                "before windowing, e.g. df.replace([np.inf, -np.inf], np.nan)"
                ".ffill(). Not interpolate(): it reads later values, so a "
                "backtest would see the future."
            )
        missing = np.isnan(chunk).any(axis=2)
        if not missing.any():
            continue
        has_missing = True
        empty = missing.all(axis=1)
        if empty.any():
            row = int(np.flatnonzero(empty)[0])
            raise ValueError(
                f"Window X[{start + row}] has no observed time step: every step "
                "has a NaN. The first rows of a series have no history yet: drop "
                "them, or let moving averages start early "
                "(MovingAverageTransformer(min_periods=1))."
            )
        # A missing step after an observed one is a gap, not missing history.
        gap = missing[:, 1:] & ~missing[:, :-1]
        if gap.any():
            row, step = np.argwhere(gap)[0]
            raise ValueError(
                f"X[{start + row}, {step + 1}] is NaN after observed values; only "
                "leading time steps may be NaN (no history yet). Fill the gap "
                "from the past only (ffill() on the table before windowing, or "
                f"skrnn.RecurrentImputer), drop row {start + row}, or pass "
                "gaps='restart' to read the window as a shorter history that "
                "starts after the gap."
            )
    return has_missing


def restart_at_gaps(X):
    """Read every window with a gap as a shorter history that starts after it.

    Every step up to a window's last missing step (a NaN in any feature)
    becomes missing, so that the window obeys the leading-NaN rule of
    :func:`check_window_values`: the leading-NaN rule applied at the gap.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_steps, n_features)
        Windows; inspected in chunks.

    Returns
    -------
    ndarray
        ``X`` itself when no window has a gap, else a copy (the caller's data
        is left as it is).

    Raises
    ------
    ValueError
        When a window's last step is missing: nothing follows the gap.
    """
    gap_rows = []
    for start, chunk in _row_chunks(X):
        missing = np.isnan(chunk).any(axis=2)
        gap = (missing[:, 1:] & ~missing[:, :-1]).any(axis=1)
        gap_rows.append(start + np.flatnonzero(gap))
    rows = np.concatenate(gap_rows) if gap_rows else np.empty(0, dtype=int)
    if len(rows) == 0:
        return X
    windows = X[rows]
    missing = np.isnan(windows).any(axis=2)
    n_steps = X.shape[1]
    last = n_steps - 1 - np.argmax(missing[:, ::-1], axis=1)
    if (last == n_steps - 1).any():
        row = int(rows[np.flatnonzero(last == n_steps - 1)[0]])
        raise ValueError(
            f"X[{row}, {n_steps - 1}] is NaN: window {row} ends with a missing "
            "step, so gaps='restart' finds no history after its gap. Drop that "
            "row, or fill the value from the past only (ffill() on the table "
            "before windowing)."
        )
    windows[np.arange(n_steps)[np.newaxis, :] <= last[:, np.newaxis]] = np.nan
    X = np.array(X)
    X[rows] = windows
    return X


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
    for start, chunk in _row_chunks(X):
        levels[start : start + len(chunk)] = np.nanmean(chunk, axis=1)
    return levels


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
    for start, chunk in _row_chunks(X):
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
