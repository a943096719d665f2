"""Time-ordered feature transformers: moving averages, lag windows, targets."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import (
    _check_feature_names,
    _check_feature_names_in,
    _check_n_features,
    check_array,
    check_is_fitted,
    validate_data,
)

from skrnn._validation import check_numeric_columns
from skrnn._windows import check_window_length, sliding_windows

# Selection by name after a transformer that returned numpy (sklearn's default
# output), whose names are lost: say how to keep them.
_NO_NAMES = (
    "X has no column names: it is a numpy array, which scikit-learn transformers "
    "(MovingAverageTransformer included) return by default. Call "
    "set_output(transform='pandas') on the step before, so that it passes on a "
    "DataFrame with named columns such as 'Close_ma3'; or pass a DataFrame, or "
    "select columns by position."
)


def check_time_index(data, name="X"):
    """Raise if a pandas time index is unsorted or has duplicated time stamps.

    Parameters
    ----------
    data : object
        Anything; only pandas objects with a datetime or period index are checked.
    name : str, default="X"
        Name used in the error message.
    """
    index = getattr(data, "index", None)
    if not isinstance(index, pd.DatetimeIndex | pd.PeriodIndex):
        return
    if index.has_duplicates:
        first = index[index.duplicated()][0]
        raise ValueError(
            f"{name} has duplicated time stamps (first: {first}). Rows are time "
            "steps: aggregate or drop the duplicates first."
        )
    if not index.is_monotonic_increasing:
        raise ValueError(
            f"{name} is not sorted by time. Rows are time steps, oldest first: "
            f"call {name}.sort_index() first."
        )


class _TimeFeatureTransformer(TransformerMixin, BaseEstimator):
    """Shared column handling of the time-ordered transformers."""

    def _validate(self, X, reset):
        if self.group_column is None:
            if reset:
                check_time_index(X)
            check_numeric_columns(X)
            X = validate_data(
                self,
                X,
                reset=reset,
                dtype=[np.float64, np.float32],
                ensure_all_finite="allow-nan",
            )
            groups = None
        else:
            X, groups = self._validate_grouped(X, reset)
        if reset:
            self.columns_ = self._resolve_columns()
        return X, groups

    def _validate_grouped(self, X, reset):
        """Split off the series-id column; validate the others as numbers.

        The id column may hold strings. It is replaced by zeros in the returned
        array, so that column positions stay those of the input.
        """
        _check_n_features(self, X, reset=reset)
        _check_feature_names(self, X, reset=reset)
        if reset:
            self.group_column_ = self._resolve_group_column()
        position = self.group_column_
        if hasattr(X, "iloc"):
            groups = X.iloc[:, position].to_numpy()
            rest = X.drop(columns=X.columns[position])
            check_numeric_columns(rest)
        else:
            X = np.asarray(X)
            if X.ndim != 2:
                raise ValueError(
                    f"X must be 2-D (n_samples, n_features); got {X.ndim} dimensions."
                )
            groups = X[:, position]
            rest = np.delete(X, position, axis=1)
        rest = check_array(
            rest,
            dtype=[np.float64, np.float32],
            ensure_all_finite="allow-nan",
            ensure_min_features=0,
            input_name="X",
        )
        missing = pd.isna(groups)
        if missing.any():
            row = int(np.flatnonzero(missing)[0])
            raise ValueError(
                f"The group column {self.group_column!r} is missing at row {row}: "
                "every row needs a series id."
            )
        _check_group_time_index(X, groups)
        return np.insert(rest, position, 0, axis=1), groups

    def _resolve_group_column(self):
        """Position of ``group_column`` among the input columns."""
        column = self.group_column
        names = getattr(self, "feature_names_in_", None)
        if isinstance(column, Integral | np.integer):
            if not -self.n_features_in_ <= column < self.n_features_in_:
                raise ValueError(
                    f"group_column={column} is out of range for X with "
                    f"{self.n_features_in_} columns."
                )
            return int(column) % self.n_features_in_
        if names is None:
            raise ValueError(
                f"group_column={column!r} is selected by name, but {_NO_NAMES}"
            )
        if column not in names:
            raise ValueError(
                f"group_column={column!r} is not a column of X; columns: "
                f"{list(names)}. Pass a DataFrame with that column, or give its "
                "position."
            )
        return int(np.flatnonzero(names == column)[0])

    def _resolve_columns(self):
        """Positions of the selected columns among the input columns."""
        group = getattr(self, "group_column_", None)
        if self.group_column is None:
            group = None
        if self.columns is None:
            return np.array([i for i in range(self.n_features_in_) if i != group])
        names = getattr(self, "feature_names_in_", None)
        positions = []
        for column in self.columns:
            if isinstance(column, Integral | np.integer):
                if not -self.n_features_in_ <= column < self.n_features_in_:
                    raise ValueError(
                        f"Column index {column} is out of range for X with "
                        f"{self.n_features_in_} columns."
                    )
                positions.append(int(column) % self.n_features_in_)
            elif names is None:
                raise ValueError(
                    f"Column {column!r} is selected by name, but {_NO_NAMES}"
                )
            elif column not in names:
                raise ValueError(
                    f"Column {column!r} is not in X; available columns: {list(names)}."
                )
            else:
                positions.append(int(np.flatnonzero(names == column)[0]))
        if not positions:
            raise ValueError("columns is empty: select at least one column.")
        if group is not None and group in positions:
            raise ValueError(
                f"The group column {self.group_column!r} is also in columns: the "
                "series id is consumed, not transformed. Remove it from columns."
            )
        return np.asarray(positions)

    def _selected_names(self):
        names = _check_feature_names_in(self, None)
        return names[self.columns_]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


class MovingAverageTransformer(_TimeFeatureTransformer):
    """Append trailing moving averages of selected columns.

    Row ``t`` of each new column averages rows ``t - w + 1 .. t`` only, so no
    value depends on the future. By default the first ``w - 1`` rows average the
    rows available so far (``min_periods=1``), so a pipeline has a complete first
    row; with ``min_periods=w`` those rows are NaN instead.

    Parameters
    ----------
    windows : tuple of int, default=(3, 5)
        Window lengths, in rows (the 3- and 5-day averages of the classic stock
        price exercise).
    columns : list of str or int, default=None
        Columns to average, by name (DataFrame input) or position; None for all.
    kind : {"simple", "exponential"}, default="simple"
        Simple trailing mean, or exponentially weighted mean with ``span=w``.
    min_periods : int, default=1
        Rows of history needed before an average is given; earlier rows are NaN.
        None means ``w`` (a full window).
    group_column : str or int, default=None
        Column holding a series id, by name (DataFrame input) or position, for
        many series in one table (long format). Averages then restart at each
        series and never mix two of them; the id column is consumed and left out
        of the output. The rows of each series must be in time order; series may
        be interleaved (for example sorted by time, then by series).

    Attributes
    ----------
    n_features_in_ : int
        Number of input columns.
    feature_names_in_ : ndarray of str
        Input column names (DataFrame input with string names).
    columns_ : ndarray of int
        Positions of the averaged columns.
    group_column_ : int
        Position of the series-id column (only with ``group_column``).

    See Also
    --------
    LagWindowTransformer : Turns rows into windows for the recurrent forecasters.

    Notes
    -----
    Like every scikit-learn transformer, it returns a numpy array by default,
    so the next step of a pipeline does not see the names of the new columns.
    To select columns by name downstream (``LagWindowTransformer(columns=
    ["Close_ma3"])``, a ``ColumnTransformer``), call
    ``set_output(transform="pandas")`` on this transformer (or on the whole
    pipeline, if no step returns 3-D windows): the output is then a DataFrame
    with the input's index and the names of :meth:`get_feature_names_out`.

    Examples
    --------
    >>> import pandas as pd
    >>> from skrnn import MovingAverageTransformer
    >>> prices = pd.DataFrame({"Close": [10.0, 11.0, 12.0, 13.0, 14.0]})
    >>> ma = MovingAverageTransformer(windows=(3,)).set_output(transform="pandas")
    >>> ma.fit_transform(prices)
       Close  Close_ma3
    0   10.0       10.0
    1   11.0       10.5
    2   12.0       11.0
    3   13.0       12.0
    4   14.0       13.0
    """

    _parameter_constraints = {
        "windows": ["array-like"],
        "columns": ["array-like", None],
        "kind": [StrOptions({"simple", "exponential"})],
        "min_periods": [Interval(Integral, 1, None, closed="left"), None],
        "group_column": [str, Integral, None],
    }

    def __init__(
        self,
        *,
        windows=(3, 5),
        columns=None,
        kind="simple",
        min_periods=1,
        group_column=None,
    ):
        self.windows = windows
        self.columns = columns
        self.kind = kind
        self.min_periods = min_periods
        self.group_column = group_column

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Record the input columns.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Time-ordered rows, oldest first.
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted transformer.
        """
        windows = np.asarray(self.windows)
        if (
            windows.ndim != 1
            or windows.size == 0
            or not all(isinstance(w, Integral | np.integer) and w >= 1 for w in windows)
        ):
            raise ValueError(
                f"windows must be a non-empty sequence of positive integers; got "
                f"{self.windows!r}."
            )
        self._validate(X, reset=True)
        return self

    def transform(self, X):
        """Append the moving averages.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Time-ordered rows, oldest first.

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_features + n_columns * n_windows)
            The input columns followed by the averages, column by column
            (without the ``group_column``, if any).
        """
        check_is_fitted(self)
        if self.group_column is None:
            check_time_index(X)
        X, groups = self._validate(X, reset=False)
        frame = pd.DataFrame(X[:, self.columns_])
        if groups is not None:
            # rolling within each series: windows restart at its first row
            grouped = frame.groupby(pd.factorize(groups)[0], sort=False)
        averages = []
        for column in frame:
            for window in self.windows:
                min_periods = window if self.min_periods is None else self.min_periods
                series = frame[column] if groups is None else grouped[column]
                if self.kind == "simple":
                    roll = series.rolling(window, min_periods=min_periods)
                else:
                    roll = series.ewm(span=window, min_periods=min_periods)
                mean = roll.mean()
                if groups is not None:
                    # (group, row) index back to the input row order
                    mean = mean.droplevel(0).sort_index()
                averages.append(mean.to_numpy(dtype=X.dtype))
        if groups is not None:
            X = np.delete(X, self.group_column_, axis=1)
        return np.column_stack([X, *averages])

    def get_feature_names_out(self, input_features=None):
        """Input names followed by ``{column}_ma{w}`` (``_ema{w}`` if exponential).

        Parameters
        ----------
        input_features : array-like of str, default=None
            Input names; defaults to ``feature_names_in_`` or ``x0, x1, ...``.

        Returns
        -------
        feature_names_out : ndarray of str
        """
        check_is_fitted(self)
        names = _check_feature_names_in(self, input_features)
        suffix = "ma" if self.kind == "simple" else "ema"
        new = [
            f"{name}_{suffix}{window}"
            for name in names[self.columns_]
            for window in self.windows
        ]
        if self.group_column is not None:
            names = np.delete(names, self.group_column_)
        return np.asarray([*names, *new], dtype=object)


class LagWindowTransformer(_TimeFeatureTransformer):
    """Turn each row into the window of its last ``window_length`` rows.

    Row ``t`` of the output holds rows ``t - window_length + 1 .. t`` of the selected
    columns, oldest first. Rows before the start of the series are NaN ("no
    history yet", or ``fill_value``), so the number of rows is kept and nothing
    after ``t`` is used.

    Parameters
    ----------
    window_length : int, default=24
        Time steps per window. It may exceed the rows of the series (the
        windows then start before it): up to 1000 steps on any series, and up
        to twice the rows ``fit`` sees on longer ones. A longer window, mostly
        NaN even at the series' end, is a ``ValueError``.
    columns : list of str or int, default=None
        Columns to window, by name (DataFrame input) or position; None for all.
    flatten : bool, default=False
        False: ``(n_samples, window_length, n_columns)`` windows for the
        recurrent forecasters, a read-only view of one padded copy of the
        columns, so memory does not grow with ``window_length``. True:
        ``(n_samples, window_length * n_columns)`` lag features named
        ``{column}_lag{k}`` in step-major order (oldest step first), for
        tabular models such as ``Ridge`` (which reject the NaN of the first
        ``window_length - 1`` rows: see ``fill_value``).
    group_column : str or int, default=None
        Column holding a series id, by name (DataFrame input) or position, for
        many series in one table (long format, a "global" model). A window then
        holds earlier rows of its own series only, NaN before that series'
        first row; the id column is consumed and left out of the output. The
        rows of each series must be in time order; series may be interleaved
        (for example sorted by time, then by series). The output is then a new
        array, not a view.
    fill_value : float, default=np.nan
        Value of the steps before a series' first row, which have no history.
        NaN is what the recurrent forecasters read as a shorter history. A
        tabular model that rejects NaN, such as ``Ridge``, needs a number here
        (``0.0``; a forecaster would read it as an observed value too) or the
        rows without a full window dropped together with their targets, which
        a transformer cannot do inside a pipeline (see Notes). Only these
        steps are filled: a NaN in ``X`` itself stays NaN.

    Attributes
    ----------
    n_features_in_ : int
        Number of input columns.
    feature_names_in_ : ndarray of str
        Input column names (DataFrame input with string names).
    columns_ : ndarray of int
        Positions of the windowed columns.
    group_column_ : int
        Position of the series-id column (only with ``group_column``).

    See Also
    --------
    MovingAverageTransformer : Trailing averages as extra columns.
    make_supervised : Aligns future targets with the rows.

    Notes
    -----
    ``get_feature_names_out`` and ``set_output(transform="pandas")`` describe
    flattened output only: a 3-D array has no column names.

    To train a tabular model on complete windows only, build the lags outside
    the pipeline, align the targets first, then drop the incomplete rows from
    both (dropping first would pair rows with the wrong targets)::

        lags = LagWindowTransformer(window_length=5, flatten=True).set_output(
            transform="pandas"
        )
        X, y = make_supervised(lags.fit_transform(prices[["Close"]]), prices["Close"])
        complete = X.notna().all(axis=1)
        Ridge().fit(X[complete], y[complete])

    Examples
    --------
    >>> import numpy as np
    >>> from skrnn import LagWindowTransformer
    >>> X = np.arange(10.0).reshape(5, 2)
    >>> LagWindowTransformer(window_length=3).fit_transform(X).shape
    (5, 3, 2)
    >>> lags = LagWindowTransformer(window_length=2, flatten=True).fit(X)
    >>> lags.get_feature_names_out().tolist()
    ['x0_lag1', 'x1_lag1', 'x0_lag0', 'x1_lag0']
    """

    _parameter_constraints = {
        "window_length": [Interval(Integral, 1, None, closed="left")],
        "columns": ["array-like", None],
        "flatten": ["boolean"],
        "group_column": [str, Integral, None],
        "fill_value": [Real],
    }

    def __init__(
        self,
        *,
        window_length=24,
        columns=None,
        flatten=False,
        group_column=None,
        fill_value=np.nan,
    ):
        self.window_length = window_length
        self.columns = columns
        self.flatten = flatten
        self.group_column = group_column
        self.fill_value = fill_value

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Record the input columns.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Time-ordered rows, oldest first.
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted transformer.
        """
        X, _ = self._validate(X, reset=True)
        # before transform pads window_length - 1 rows; later calls may have
        # fewer rows (predicting from the last few), so fit's rows bound it
        n = len(X)
        check_window_length(
            self.window_length,
            n,
            f"the {n} sample (row) of X" if n == 1 else f"the {n} samples (rows) of X",
            f"Use a window_length of at most {n}, the length of the series.",
        )
        return self

    def transform(self, X):
        """Build the windows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Time-ordered rows, oldest first.

        Returns
        -------
        X_out : ndarray of shape (n_samples, window_length, n_columns) or \
                (n_samples, window_length * n_columns)
            Windows, or lag features (``flatten=True``).
        """
        check_is_fitted(self)
        if self.group_column is None:
            check_time_index(X)
        X, groups = self._validate(X, reset=False)
        selected = X[:, self.columns_]
        if groups is not None:
            # series one after the other (stable: time order kept within each)
            order = np.argsort(pd.factorize(groups)[0], kind="stable")
            selected = selected[order]
        length = self.window_length
        windows = sliding_windows(
            selected, length, pad=length - 1, fill_value=self.fill_value
        )
        if groups is not None:
            windows = _restart_at_groups(windows, groups[order], order, self.fill_value)
        if not self.flatten:
            return windows
        return windows.reshape(len(windows), -1)

    def get_feature_names_out(self, input_features=None):
        """Names ``{column}_lag{k}``, oldest step first (``flatten=True`` only).

        Parameters
        ----------
        input_features : array-like of str, default=None
            Input names; defaults to ``feature_names_in_`` or ``x0, x1, ...``.

        Returns
        -------
        feature_names_out : ndarray of str
        """
        check_is_fitted(self)
        if not self.flatten:
            raise ValueError(
                "LagWindowTransformer(flatten=False) returns 3-D windows, which "
                "have no column names and cannot be a DataFrame. Use flatten=True "
                "for named lag features (and set_output(transform='pandas'))."
            )
        names = _check_feature_names_in(self, input_features)[self.columns_]
        return np.asarray(
            [
                f"{name}_lag{lag}"
                for lag in range(self.window_length - 1, -1, -1)
                for name in names
            ],
            dtype=object,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = False
        return tags


def _check_group_time_index(X, groups):
    """Apply :func:`check_time_index` to the rows of every series separately."""
    index = getattr(X, "index", None)
    if not isinstance(index, pd.DatetimeIndex | pd.PeriodIndex):
        return
    for _, rows in pd.Series(np.arange(len(groups))).groupby(
        pd.factorize(groups)[0], sort=False
    ):
        check_time_index(X.iloc[rows.to_numpy()])


def _restart_at_groups(windows, sorted_groups, order, fill_value):
    """Blank the steps of series-sorted windows that reach into another series.

    Parameters
    ----------
    windows : ndarray of shape (n_samples, window, n_columns)
        Windows over rows sorted by series (a view).
    sorted_groups : ndarray of shape (n_samples,)
        Series id of every sorted row.
    order : ndarray of shape (n_samples,)
        Input row of every sorted row.
    fill_value : float
        Value of the blanked steps.

    Returns
    -------
    ndarray of shape (n_samples, window, n_columns)
        A new array in the input row order.
    """
    n, window = windows.shape[:2]
    codes = pd.factorize(sorted_groups)[0]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    # rows since the first row of the same series
    position = np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n]))
    lag = np.arange(window - 1, -1, -1)
    out = np.empty_like(windows)
    out[order] = np.where(
        (lag[np.newaxis, :] > position[:, np.newaxis])[..., np.newaxis],
        fill_value,
        windows,
    )
    return out


def _check_not_foreign_frame(X):
    """Refuse a table of another dataframe library, naming the conversion.

    Its columns cannot be selected like pandas ones, and turning it into a bare
    array would lose its column names without a word.
    """
    if isinstance(X, pd.DataFrame | pd.Series):
        return
    # the dataframe interchange protocol, or the Arrow stream that polars 2
    # and pyarrow export
    if hasattr(X, "__dataframe__") or hasattr(X, "__arrow_c_stream__"):
        kind = f"{type(X).__module__.partition('.')[0]}.{type(X).__name__}"
        raise TypeError(
            f"X is a {kind}; make_supervised takes a pandas DataFrame or a numpy "
            "array. Convert it with X.to_pandas() (polars, pyarrow), and make a "
            "date column the index with .set_index(...)."
        )


def make_supervised(X, y, horizon=1):
    """Align future targets with the rows of ``X`` and drop rows without one.

    Row ``t`` of the result pairs the features of row ``t`` with ``y[t + h]``, so
    features only ever describe the past of their target.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features)
        Time-ordered features, oldest first. A DataFrame is a pandas one:
        tables of other libraries (polars, pyarrow) raise a ``TypeError``;
        convert them with ``.to_pandas()``.
    y : array-like or Series of shape (n_samples,), or str
        The series to forecast, or the name of a column of ``X``.
    horizon : int or sequence of int, default=1
        ``h``: one target ``y[t + h]`` per row. A sequence such as ``[1, 2, 3]``:
        one column per horizon (direct multi-step forecasting).

    Returns
    -------
    X_out : same type as X, of shape (n_samples - max(horizon), n_features)
        The rows that have every target.
    y_out : ndarray or Series of shape (n_rows,), or ndarray or DataFrame of shape
        (n_rows, n_horizons) for a sequence of horizons
        Targets; pandas output keeps the index of ``X`` (the time ``t`` of
        the features) and names columns ``{name}_h{h}``.

    Notes
    -----
    Put the target's own column first in ``X``, unscaled
    (``df[["Close", "Open", ...]]``): a forecaster's default
    ``window_norm="auto"`` then takes every window relative to its last value
    and forecasts the change from the last close, which it recognizes because
    the targets reappear as that column's later values. With the target's
    column elsewhere the windows stay levels, and ``fit`` warns.

    Examples
    --------
    >>> import pandas as pd
    >>> from skrnn import make_supervised
    >>> prices = pd.DataFrame({"Close": [1.0, 2.0, 3.0, 4.0]})
    >>> X, y = make_supervised(prices, "Close", horizon=[1, 2])
    >>> y
       Close_h1  Close_h2
    0       2.0       3.0
    1       3.0       4.0
    """
    _check_not_foreign_frame(X)
    if isinstance(y, str):
        if not isinstance(X, pd.DataFrame) or y not in X.columns:
            raise ValueError(
                f"y={y!r} names a column, but X has no column {y!r}. Pass the "
                "target series itself or a DataFrame X that contains it."
            )
        y = X[y]
    multi = not isinstance(horizon, Integral | np.integer)
    horizons = np.atleast_1d(np.asarray(horizon))
    if (
        horizons.ndim != 1
        or horizons.size == 0
        or not np.issubdtype(horizons.dtype, np.integer)
        or (horizons < 1).any()
    ):
        raise ValueError(
            f"horizon must be a positive integer or a non-empty sequence of them; "
            f"got {horizon!r}. horizon=0 would use the target itself as a feature."
        )
    check_time_index(X)
    check_time_index(y, name="y")
    if len(X) != len(y):
        raise ValueError(
            f"X and y have different lengths ({len(X)} and {len(y)}); they must "
            "describe the same time steps."
        )
    n_rows = len(y) - int(horizons.max())
    if n_rows < 1:
        raise ValueError(
            f"The series has {len(y)} time steps, too short for horizon "
            f"{int(horizons.max())}: at least {int(horizons.max()) + 1} are needed."
        )
    check_numeric_columns(X)
    try:
        values = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("y must be numeric: convert it to numbers first.") from None
    if values.ndim != 1:
        raise ValueError(f"y must be one series (1-D); got shape {values.shape}.")
    missing = np.flatnonzero(~np.isfinite(values))
    if missing.size:
        raise ValueError(
            f"y has {missing.size} NaN or infinite value(s), first at position "
            f"{missing[0]}. Targets must be observed: impute or drop those rows "
            "first."
        )
    targets = np.column_stack([values[h : h + n_rows] for h in horizons])
    X_out = X.iloc[:n_rows] if hasattr(X, "iloc") else np.asarray(X)[:n_rows]
    if isinstance(X_out, pd.DataFrame | pd.Series):
        name = getattr(y, "name", None) or "y"
        names = [f"{name}_h{h}" for h in horizons]
        if multi:
            return X_out, pd.DataFrame(targets, index=X_out.index, columns=names)
        return X_out, pd.Series(targets[:, 0], index=X_out.index, name=names[0])
    return X_out, targets if multi else targets[:, 0]
