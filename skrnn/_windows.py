"""Windows: built from rows as strided views, validated without copying them."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

# Elements inspected at once: bounds the temporary memory of every check below, so
# that windows that are strided views of one series are never materialized whole.
_CHUNK_ELEMENTS = 1 << 20


def row_chunks(X):
    """Yield ``(start, X[start:stop])`` blocks of rows of bounded size."""
    per_row = max(1, int(np.prod(X.shape[1:])))
    step = max(1, _CHUNK_ELEMENTS // per_row)
    for start in range(0, X.shape[0], step):
        yield start, X[start : start + step]


def pad_front(a, n, fill_value=np.nan):
    """Put ``n`` rows of ``fill_value`` before ``a`` (steps without history).

    Parameters
    ----------
    a : ndarray of shape (n_rows, ...) or None
    n : int
    fill_value : float, default=NaN

    Returns
    -------
    ndarray of shape (n_rows + n, ...) or None
        ``a`` itself when ``n <= 0`` or ``a`` is None.
    """
    if a is None or n <= 0:
        return a
    dtype = a.dtype if a.dtype.kind == "f" else np.float64
    return np.concatenate([np.full((n, *a.shape[1:]), fill_value, dtype), a])


# Windows of up to this many steps are accepted on a series of any length: a
# short one (a first cross-validation fold, the last rows to predict from) is
# often windowed for a longer one, and its padding costs at most 8 kB a column.
MAX_WINDOW_ANY_SERIES = 1000


def check_window_length(window_length, n_rows, rows, remedy, name=None):
    """Refuse a long window more than twice as long as the series it is cut from.

    A window longer than the series is read as a shorter history (NaN before
    the series starts), but past twice its length even the last window is
    mostly NaN: it holds nothing more than a window of ``n_rows`` steps, and
    its padding, allocated before anything else, grows with it (16 GiB for
    ``window_length=2**31``). Windows of up to ``MAX_WINDOW_ANY_SERIES`` steps
    pass on any series.

    Parameters
    ----------
    window_length : int
        Steps per window.
    n_rows : int
        Time points of the (longest) series.
    rows : str
        What ``n_rows`` counts, for the message ("the 50 rows of X").
    remedy : str
        What to do, for the message.
    name : str, default=None
        How the message names the window (default ``window_length=...``).
    """
    if window_length <= max(2 * n_rows, MAX_WINDOW_ANY_SERIES):
        return
    name = f"window_length={window_length}" if name is None else name
    raise ValueError(
        f"{name} is more than twice {rows}: even the last window would be mostly "
        "NaN (steps before the series starts), and a window cannot hold more "
        f"than the series. {remedy}"
    )


def sliding_windows(rows, window, pad=0, fill_value=np.nan):
    """Windows of ``window`` consecutive rows, oldest first, one per last row.

    The one place where skrnn cuts a series into windows: the lag-window
    transformer, the sktime face's reduction and the imputer all call it.

    Parameters
    ----------
    rows : ndarray of shape (n_rows,) or (n_rows, n_columns)
        Time-ordered rows.
    window : int
        Rows per window.
    pad : int, default=0
        Rows of ``fill_value`` put before ``rows`` first, so that the first
        ``pad`` windows start before the data (read as shorter histories when
        ``fill_value`` is NaN).
    fill_value : float, default=NaN
        Value of the padding rows.

    Returns
    -------
    ndarray of shape (n_rows + pad - window + 1, window) or \
            (n_rows + pad - window + 1, window, n_columns)
        A read-only strided view of ``rows`` (of one padded copy when ``pad``
        is positive): nothing is copied per window.
    """
    rows = pad_front(rows, pad, fill_value)
    view = np.lib.stride_tricks.sliding_window_view(rows, window, axis=0)
    # (n_windows, n_columns, window) -> (n_windows, window, n_columns)
    return view if view.ndim == 2 else view.transpose(0, 2, 1)


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
                f"X has {X.shape[2]} features per time step but "
                f"n_features_per_step={n_features}. Leave n_features_per_step=None "
                "for 3-D input."
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
            f"X has {X.shape[1]} columns, which is not a multiple of "
            f"n_features_per_step={n_features}: flattened windows must hold "
            "n_steps * n_features_per_step columns in step-major order (as "
            "LagWindowTransformer(flatten=True) writes them)."
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
    for start, chunk in row_chunks(X):
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
    for start, chunk in row_chunks(X):
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
