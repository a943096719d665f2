"""Scores against the naive forecast and scaled scores of prediction intervals.

``make_naive_skill_scorer`` and ``relative_mae`` score point forecasts against
the naive one ("tomorrow = today") for scikit-learn's searches;
``mean_scaled_interval_score`` (M4's MSIS) and ``scaled_pinball_loss`` score
intervals and quantiles, scaled like MASE.
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import numbers

import numpy as np
import pandas as pd

__all__ = [
    "make_naive_skill_scorer",
    "mean_scaled_interval_score",
    "relative_mae",
    "scaled_pinball_loss",
]


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


def _naive_scale(y_train, sp):
    """In-sample mean absolute error of the seasonal naive forecast (MASE's scale)."""
    if isinstance(sp, bool) or not isinstance(sp, numbers.Integral) or sp < 1:
        raise ValueError(f"sp must be a positive int (1: no season); got {sp!r}.")
    y_train = np.asarray(y_train, dtype=float)
    if y_train.ndim != 1:
        raise ValueError(
            f"y_train must be one series (1-D); got shape {y_train.shape}."
        )
    if len(y_train) <= sp:
        raise ValueError(
            f"y_train has {len(y_train)} points; the seasonal naive scale with "
            f"sp={sp} needs more than {sp}. Pass a longer training series or "
            "a smaller sp (sp=1: the one-step naive forecast's error)."
        )
    if not np.isfinite(y_train).all():
        raise ValueError("y_train has missing or infinite values.")
    return float(np.mean(np.abs(y_train[sp:] - y_train[:-sp])))


def _scaled(score, scale):
    """``score / scale``: 0.0 for a zero score, inf for a zero scale otherwise."""
    if score == 0:
        return 0.0
    return float(score / scale) if scale > 0 else float("inf")


def _finite(name, values):
    if not np.isfinite(values).all():
        raise ValueError(f"{name} has missing or infinite values.")
    return values


def mean_scaled_interval_score(y_true, y_lower, y_upper, *, y_train, coverage, sp=1):
    r"""Mean scaled interval score (MSIS), the interval score of the M4 competition.

    The interval score of Gneiting and Raftery (2007) rewards narrow intervals
    and penalizes each point outside by its distance to the interval, weighted
    by ``2 / a`` where ``a = 1 - coverage``. Averaged over the horizon and
    divided by the in-sample mean absolute error of the seasonal naive
    forecast, as MASE is, it compares across series of any scale:

    .. math::

        \mathrm{MSIS} = \frac{\frac1h \sum_t \left[(U_t - L_t)
        + \frac2a (L_t - y_t) 1\{y_t < L_t\}
        + \frac2a (y_t - U_t) 1\{y_t > U_t\}\right]}
        {\frac{1}{n - m} \sum_{t = m + 1}^{n} |x_t - x_{t - m}|}

    with ``x`` the training series of ``n`` points and ``m = sp``. Lower is
    better; an interval that always holds the truth scores its mean width in
    units of the scale.

    Parameters
    ----------
    y_true : array-like of shape (h,)
        Values of the forecast period.
    y_lower, y_upper : array-like of shape (h,)
        Bounds of the interval of nominal ``coverage`` (``y_lower <= y_upper``).
    y_train : array-like of shape (n,)
        Training series the interval was forecast from, oldest first.
    coverage : float
        Nominal coverage of the interval, in (0, 1): 0.95 for the 95 %
        interval (M4 scored ``a = 0.05``).
    sp : int, default=1
        Seasonal period of the scale (1: the one-step naive forecast); the
        ``sp`` of MASE on the same series.

    Returns
    -------
    float
        The MSIS; 0.0 when the score is 0, ``inf`` when only the scale is
        (a constant training series).

    Raises
    ------
    ValueError
        If the shapes differ, a value is missing, a lower bound exceeds its
        upper bound, ``coverage`` is not in (0, 1) or ``y_train`` holds no
        more than ``sp`` points.

    See Also
    --------
    scaled_pinball_loss : The quantile loss on the same scale.
    sktime.performance_metrics.forecasting.MeanAbsoluteScaledError : MASE.

    Notes
    -----
    Makridakis, Spiliotis and Assimakopoulos, "The M4 Competition: 100,000
    time series and 61 forecasting methods", International Journal of
    Forecasting 36 (2020); Gneiting and Raftery, "Strictly proper scoring
    rules, prediction, and estimation", JASA 102 (2007).

    The interval score is ``2 / a`` times the sum of the pinball losses of
    its bounds at the quantiles ``a / 2`` and ``1 - a / 2``.

    Examples
    --------
    A 95 % interval (``2 / a = 40``) that misses the second point by 1, on a
    training series whose one-step changes are 2 on average:

    >>> from skrnn.metrics import mean_scaled_interval_score
    >>> msis = mean_scaled_interval_score(
    ...     [10.0, 13.0], [9.0, 10.0], [11.0, 12.0],
    ...     y_train=[0.0, 2.0, 4.0], coverage=0.95,
    ... )
    >>> round(msis, 9)
    11.0

    Widths 2 and 2 and a penalty of 40 x 1, over 2 points and a scale of 2:
    (2 + 2 + 40) / 2 / 2.
    """
    if (
        isinstance(coverage, bool)
        or not isinstance(coverage, numbers.Real)
        or not (0 < coverage < 1)
    ):
        raise ValueError(
            f"coverage must be a float between 0 and 1 (0.95 for 95 % "
            f"intervals); got {coverage!r}."
        )
    y_true = np.asarray(y_true, dtype=float)
    y_lower = np.asarray(y_lower, dtype=float)
    y_upper = np.asarray(y_upper, dtype=float)
    for name, values in (("y_lower", y_lower), ("y_upper", y_upper)):
        if values.shape != y_true.shape:
            raise ValueError(
                f"{name} has shape {values.shape} but y_true has {y_true.shape}."
            )
    for name, values in (
        ("y_true", y_true),
        ("y_lower", y_lower),
        ("y_upper", y_upper),
    ):
        _finite(name, values)
    if (y_lower > y_upper).any():
        raise ValueError(
            "y_lower exceeds y_upper at some points: the bounds are crossed or swapped."
        )
    scale = _naive_scale(y_train, sp)
    penalty = 2.0 / (1.0 - coverage)
    score = (
        (y_upper - y_lower)
        + penalty * np.clip(y_lower - y_true, 0, None)
        + penalty * np.clip(y_true - y_upper, 0, None)
    ).mean()
    return _scaled(score, scale)


def scaled_pinball_loss(y_true, y_pred, *, alpha, y_train, sp=1):
    r"""Pinball (quantile) loss, averaged over quantiles and horizon, scaled like MASE.

    For the forecast :math:`q` of the quantile :math:`\tau`, the pinball loss
    of the value :math:`y` is :math:`\tau (y - q)` when :math:`y \ge q` and
    :math:`(1 - \tau)(q - y)` otherwise, as sktime's
    :class:`~sktime.performance_metrics.forecasting.probabilistic.PinballLoss`
    computes it. Its mean over the horizon and the quantiles is divided by the
    in-sample mean absolute error of the seasonal naive forecast, as MASE is
    (the M5 competition's scaled pinball loss, with a seasonal scale). Lower
    is better; for the median alone it is half the MASE of the median
    forecast.

    Parameters
    ----------
    y_true : array-like of shape (h,)
        Values of the forecast period.
    y_pred : array-like of shape (h,) or (h, n_quantiles)
        Forecast quantiles, one column per entry of ``alpha``.
    alpha : float or array-like of shape (n_quantiles,)
        Quantile levels of the columns of ``y_pred``, in (0, 1). The bounds
        of a ``c`` interval are the quantiles ``(1 - c) / 2`` and
        ``(1 + c) / 2``.
    y_train : array-like of shape (n,)
        Training series the quantiles were forecast from, oldest first.
    sp : int, default=1
        Seasonal period of the scale, the ``sp`` of MASE on the same series.

    Returns
    -------
    float
        The scaled pinball loss; 0.0 when the loss is 0, ``inf`` when only
        the scale is (a constant training series).

    Raises
    ------
    ValueError
        If the shapes do not match, a value is missing, a level of ``alpha``
        is not in (0, 1) or ``y_train`` holds no more than ``sp`` points.

    See Also
    --------
    mean_scaled_interval_score : The interval score on the same scale.

    Examples
    --------
    Quantiles 0.1 and 0.9 of two points; the second point lies 1 above its
    0.9 quantile and 3 above its 0.1 quantile:

    >>> from skrnn.metrics import scaled_pinball_loss
    >>> scaled_pinball_loss(
    ...     [10.0, 13.0], [[9.0, 11.0], [10.0, 12.0]], alpha=[0.1, 0.9],
    ...     y_train=[0.0, 2.0, 4.0],
    ... )
    0.175

    Losses 0.1 and 0.1 at the first point, 0.3 and 0.9 at the second: a mean
    of 0.35, over a scale of 2.
    """
    levels = np.atleast_1d(np.asarray(alpha, dtype=float))
    if levels.ndim != 1 or levels.size == 0 or not ((levels > 0) & (levels < 1)).all():
        raise ValueError(
            f"alpha must be a quantile level or a list of them between 0 and 1; "
            f"got {alpha!r}."
        )
    y_true = _finite("y_true", np.asarray(y_true, dtype=float))
    y_pred = _finite("y_pred", np.asarray(y_pred, dtype=float))
    if y_true.ndim != 1:
        raise ValueError(f"y_true must be 1-D; got shape {y_true.shape}.")
    if y_pred.ndim == 1:
        y_pred = y_pred[:, None]
    if y_pred.shape != (len(y_true), levels.size):
        raise ValueError(
            f"y_pred has shape {y_pred.shape}; expected {(len(y_true), levels.size)}"
            f": one row per value of y_true and one column per level of alpha."
        )
    scale = _naive_scale(y_train, sp)
    diff = y_true[:, None] - y_pred
    loss = np.where(diff >= 0, levels * diff, (levels - 1) * diff).mean()
    return _scaled(loss, scale)
