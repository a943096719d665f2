"""Fill gaps in time series from past observations with a recurrent network."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from sklearn.base import (
    BaseEstimator,
    OneToOneFeatureMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from skrnn._scaling import nan_moments, scale_values, unscale_values
from skrnn._windows import sliding_windows
from skrnn.estimators import RecurrentForecaster


class RecurrentImputer(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Fill NaN gaps of time-ordered columns with one-step recurrent forecasts.

    Rows are time steps, oldest first; every column is a series. ``fit`` trains
    one recurrent network (shared by all columns, each standardized with its own
    training mean and deviation) to predict a value from the ``window_length`` values
    before it, on the stretches of the training data without any gap: missing
    values are never used as inputs or targets. ``transform`` walks forward in
    time and replaces every NaN by the network's forecast from the values before
    it (observed, or imputed earlier in the same gap), so a filled value depends
    on the past only, never on later observations.

    That is the difference with interpolation (``pandas.Series.interpolate``),
    which reads the value after the gap and therefore leaks the future into a
    backtest, and the similarity with forward fill, which also uses the past
    only but ignores its dynamics. On a noisy sine (period 25 steps, 1,000
    steps, 15% of values missing in gaps of 1 to 8 steps, see
    ``tests/test_impute.py``), the mean absolute error on the missing values
    was 0.067 for this imputer, 0.488 for forward fill and 0.233 for linear
    interpolation (which sees the future, but draws straight lines across the
    sine's curvature).

    Parameters
    ----------
    window_length : int, default=12
        Past values the network reads for each forecast. Shorter histories (at
        the start of a series) are read as shorter windows.
    cell : {"lstm", "gru", "rnn"}, default="gru"
        Recurrent cell.
    hidden_size : int, default=16
        Units of the recurrent layer.
    max_epochs : int, default=30
        Training epochs.
    batch_size : int, default=32
        Windows per gradient step.
    lr : float, default=0.01
        Learning rate of Adam.
    random_state : int, RandomState instance or None, default=None
        Seeds the network (see :class:`RecurrentForecaster`).

    Attributes
    ----------
    forecaster_ : RecurrentForecaster
        The fitted one-step forecaster.
    mean_, scale_ : ndarray of shape (n_features,)
        Per-column statistics of the observed training values.
    n_features_in_ : int
        Number of columns.
    feature_names_in_ : ndarray of str
        Column names of a DataFrame ``X``, when it has string column names.

    See Also
    --------
    RecurrentForecaster : The network used for each forecast.
    sklearn.impute.SimpleImputer : Constant fills (which ignore time order).

    Notes
    -----
    Values before the first observation of a column have no past to forecast
    from and stay NaN; recurrent forecasters downstream read such leading NaN as
    "no history yet". Imputation is sequential in time (one forecast per missing
    value), so ``transform`` costs one network evaluation per missing row.

    Every column is filled in place, so ``get_feature_names_out`` returns the
    input names, and ``set_output(transform="pandas")`` returns a DataFrame
    with the input's index and column names.

    Examples
    --------
    >>> import numpy as np
    >>> from skrnn.impute import RecurrentImputer
    >>> series = np.sin(np.arange(80) / 3)[:, None]
    >>> series[[30, 31, 50]] = np.nan
    >>> imputer = RecurrentImputer(window_length=6, max_epochs=2, random_state=0)
    >>> filled = imputer.fit_transform(series)
    >>> bool(np.isnan(filled).any())
    False
    """

    _parameter_constraints = {
        "window_length": [Interval(Integral, 1, None, closed="left")],
        "cell": [StrOptions({"lstm", "gru", "rnn"})],
        "hidden_size": [Interval(Integral, 1, None, closed="left")],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "lr": [Interval(Real, 0, None, closed="neither")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        window_length=12,
        cell="gru",
        hidden_size=16,
        max_epochs=30,
        batch_size=32,
        lr=0.01,
        random_state=None,
    ):
        self.window_length = window_length
        self.cell = cell
        self.hidden_size = hidden_size
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        # Rows are time: filling a row reads the rows before it.
        tags.requires_fit = True
        return tags

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Train the network on the gap-free stretches of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_steps, n_series)
            Time-ordered columns with NaN where values are missing.
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted imputer.
        """
        _check_table(X)
        X = validate_data(self, X, dtype=np.float64, ensure_all_finite="allow-nan")
        if np.isinf(X).any():
            raise ValueError("X contains inf; only NaN marks missing values.")
        if np.isnan(X).all(axis=0).any():
            raise ValueError("A column of X has no observed value (all NaN).")
        self.mean_, self.scale_ = nan_moments(X)
        Z = scale_values(X, self.mean_, self.scale_)
        length = self.window_length
        windows = []
        for column in Z.T:
            if len(column) <= length:
                continue
            w = sliding_windows(column, length + 1)
            # Only windows observed end to end: a gap never becomes an input or
            # a target.
            windows.append(w[np.isfinite(w).all(axis=1)])
        windows = np.concatenate(windows) if windows else np.empty((0, 1))
        if len(windows) < 2:
            raise ValueError(
                f"X has fewer than 2 gap-free stretches of window_length + 1 = "
                f"{length + 1} observations to learn from; lower window_length or "
                f"give more data (n_samples = {X.shape[0]})."
            )
        self.forecaster_ = RecurrentForecaster(
            cell=self.cell,
            hidden_size=self.hidden_size,
            max_epochs=self.max_epochs,
            batch_size=self.batch_size,
            lr=self.lr,
            scale=False,
            # A gap is filled from the level around it (measured: a shift-free
            # network fills a noisy sine's gaps worse than this one).
            window_norm=None,
            random_state=self.random_state,
        ).fit(windows[:, :-1], windows[:, -1])
        return self

    def transform(self, X):
        """Fill the NaN of ``X`` from the values before them.

        Parameters
        ----------
        X : array-like of shape (n_steps, n_series)
            Time-ordered columns.

        Returns
        -------
        X_filled : ndarray of shape (n_steps, n_series)
            ``X`` with every NaN after a column's first observation replaced.
        """
        check_is_fitted(self)
        _check_table(X)
        X = validate_data(
            self, X, reset=False, dtype=np.float64, ensure_all_finite="allow-nan"
        )
        if np.isinf(X).any():
            raise ValueError("X contains inf; only NaN marks missing values.")
        Z = scale_values(X, self.mean_, self.scale_)
        length = self.forecaster_.n_steps_
        # All columns advance together, one time step at a time: the step-t
        # forecasts of every column with a gap at t come from one batch.
        for t in np.flatnonzero(np.isnan(Z).any(axis=1)):
            past = Z[max(0, t - length) : t].T  # (n_series, <= length)
            columns = np.flatnonzero(np.isnan(Z[t]) & np.isfinite(past).any(axis=1))
            if len(columns) == 0:
                continue
            windows = np.full((len(columns), length), np.nan)
            windows[:, length - past.shape[1] :] = past[columns]
            # leading NaN (the start of a column) read as a shorter history
            Z[t, columns] = self.forecaster_.predict(windows)
        # Observed values pass through untouched (no rounding by the scaling).
        filled = np.isnan(X) & ~np.isnan(Z)
        X = X.copy()
        X[filled] = unscale_values(Z, self.mean_, self.scale_)[filled]
        return X


def _check_table(X):
    """Refuse a single series given as 1-D, saying how to pass it."""
    if getattr(X, "ndim", None) == 1:
        raise ValueError(
            "RecurrentImputer takes a table with one column per series (rows are "
            f"time steps); got a 1-D {type(X).__name__}. Reshape your data: "
            "series.to_frame() for a pandas Series, values.reshape(-1, 1) for an "
            "array."
        )
