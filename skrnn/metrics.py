"""Scores against the naive forecast ("tomorrow = today") for scikit-learn searches."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import numbers

import numpy as np
import pandas as pd

__all__ = ["make_naive_skill_scorer", "relative_mae"]


def relative_mae(y_true, y_pred, y_naive):
    """Mean absolute error relative to that of the naive forecast on the same rows.

    A scale-free error: below 1 the forecast beats the naive one, 1 ties
    with it, above 1 it is worse. It is the ratio of MASE to the naive
    forecast's MASE on the same rows (the scale cancels), so
    ``1 - relative_mae`` is the leaderboard's ``skill_vs_naive``
    (:func:`~skrnn.compare.compare_forecasters`) for one fold.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_horizons)
        Targets.
    y_pred : array-like of the shape of ``y_true``
        Forecasts.
    y_naive : array-like of shape (n_samples,) or that of ``y_true``
        Naive forecasts of the same rows: the last observed value of the
        series, repeated over the horizons of a multi-step target.

    Returns
    -------
    float
        ``sum |y_true - y_pred| / sum |y_true - y_naive|`` over every row and
        horizon: 1.0 when both sums are 0, ``inf`` when only the naive
        forecast's is.

    See Also
    --------
    make_naive_skill_scorer : ``1 - relative_mae`` as a scikit-learn scorer.

    Examples
    --------
    >>> from skrnn.metrics import relative_mae
    >>> relative_mae([3.0, 5.0], [2.5, 5.5], y_naive=[2.0, 3.0])
    0.333...
    """
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    y_naive = np.asarray(y_naive, dtype=float)
    if y_pred.shape != y_true.shape:
        raise ValueError(
            f"y_pred has shape {y_pred.shape} but y_true has {y_true.shape}."
        )
    if y_naive.shape != y_true.shape:
        if y_naive.shape != y_true.shape[:1]:
            raise ValueError(
                f"y_naive has shape {y_naive.shape}; expected one value per row "
                f"of y_true {y_true.shape[:1]} or the shape of y_true."
            )
        # a multi-step target: the naive forecast repeats over the horizons
        y_naive = y_naive.reshape(-1, *[1] * (y_true.ndim - 1))
    for name, values in (("y_true", y_true), ("y_pred", y_pred), ("y_naive", y_naive)):
        if not np.isfinite(values).all():
            raise ValueError(
                f"{name} has missing or infinite values; the errors are taken "
                "on complete rows only."
            )
    model = np.abs(y_true - y_pred).sum()
    naive = np.abs(y_true - y_naive).sum()
    if naive == 0:
        return 1.0 if model == 0 else float("inf")
    return float(model / naive)


def _last_values(X, column):
    """Return the naive forecast of each row of ``X``: ``column``'s last value."""
    if isinstance(X, pd.DataFrame):
        if isinstance(column, str):
            if column not in X.columns:
                raise ValueError(
                    f"column={column!r} is not a column of X (columns: "
                    f"{list(X.columns)[:8]}); name the column that holds the "
                    "target's past."
                )
            return X[column].to_numpy(dtype=float)
        return X.iloc[:, column].to_numpy(dtype=float)
    if isinstance(column, str):
        raise ValueError(
            f"column={column!r} names a column, but X is an array without "
            "names; give the column's position."
        )
    X = np.asarray(X, dtype=float)
    if X.ndim == 3:  # windows (n, steps, features): the last step's feature
        return X[:, -1, column]
    if X.ndim == 2:
        return X[:, column]
    if X.ndim == 1:
        return X
    raise ValueError(f"X must be 1-, 2- or 3-dimensional; got shape {X.shape}.")


class _NaiveSkillScorer:
    """``scorer(estimator, X, y)``: 1 - relative MAE against ``X``'s last values."""

    def __init__(self, column):
        self.column = column

    def __call__(self, estimator, X, y_true, sample_weight=None):
        if sample_weight is not None:
            raise ValueError("make_naive_skill_scorer does not weight samples.")
        y_pred = estimator.predict(X)
        return 1.0 - relative_mae(y_true, y_pred, _last_values(X, self.column))

    def __repr__(self):
        return f"make_naive_skill_scorer(column={self.column!r})"


def make_naive_skill_scorer(column=0):
    """Scorer of the skill against the naive forecast, for scikit-learn's searches.

    Scores ``1 - relative_mae(y, estimator.predict(X), naive)``, where the
    naive forecast of each row is the target's last observed value, read
    from ``X``: 0 for a model as good as "tomorrow = today", above 0 better
    (1 is perfect), below 0 worse. Higher is better, as scikit-learn's
    scorers are, so it works as ``scoring=`` of ``GridSearchCV``,
    ``cross_validate`` or ``cross_val_score`` alone or in a dict of
    scorers. Each test fold is scored against the naive forecast of its own
    rows.

    Parameters
    ----------
    column : str or int, default=0
        Where ``X`` holds the target's past, as ``X`` reaches the scorer: the
        input of the whole pipeline, not what its last step sees. Its value
        in a row is the naive forecast of that row's target, as
        :func:`~skrnn.make_supervised` aligns them (row ``t`` with
        ``y[t + h]``). A name or position of a DataFrame column; the position
        of a 2-D array's column; for 3-D windows ``(n, steps, features)``,
        the feature whose value at the last step is read. For 2-D lags of
        :class:`~skrnn.LagWindowTransformer` (``flatten=True``, oldest step
        first) it is the lag 0 column: ``"Close_lag0"``, or ``-n_features``
        in an array (``-1`` for one feature).

    Returns
    -------
    callable
        ``scorer(estimator, X, y)``, a float per call.

    See Also
    --------
    relative_mae : The error ratio on arrays.

    Examples
    --------
    Closes with tomorrow's close as the target: the naive forecast of each
    row is its own close, the column ``"Close"`` of the pipeline's input.

    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklearn.linear_model import LinearRegression
    >>> from sklearn.model_selection import TimeSeriesSplit, cross_val_score
    >>> from sklearn.pipeline import make_pipeline
    >>> from skrnn import LagWindowTransformer, make_supervised
    >>> from skrnn.metrics import make_naive_skill_scorer
    >>> close = pd.DataFrame({"Close": 100 + np.sin(np.arange(60) / 3)})
    >>> X, y = make_supervised(close, "Close", horizon=1)
    >>> skill = make_naive_skill_scorer(column="Close")
    >>> cv = TimeSeriesSplit(3)
    >>> cross_val_score(LinearRegression(), X, y, cv=cv, scoring=skill).round(2)
    array([ 0.  , -0.03,  0.02])
    >>> lags = LagWindowTransformer(window_length=2, flatten=True, fill_value=100.0)
    >>> pipe = make_pipeline(lags, LinearRegression())
    >>> cross_val_score(pipe, X, y, cv=cv, scoring=skill).round(2)
    array([0.68, 0.73, 0.71])

    Reading today's close only, the regression is as good as repeating it;
    with yesterday's too, it follows the cycle and cuts the naive error by
    about 70 %.
    """
    if isinstance(column, bool) or not isinstance(column, str | numbers.Integral):
        raise TypeError(
            f"column must be a column name or an int position; got {column!r}."
        )
    return _NaiveSkillScorer(column)
