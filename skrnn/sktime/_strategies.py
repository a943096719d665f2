"""Strategies and held-out choices: training, calibration, strategy, naive weight.

A strategy cuts a series into windows (:class:`Reduction`); the networks
trained on the older part of every series forecast its held-out end
(:func:`calibrate`), which chooses the strategy (:func:`choose_strategy`) and
the seasonal naive forecast's weight (:func:`weigh_naive`), and calibrates the
conformal intervals with the residuals.
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import warnings
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from skrnn._reduction import (
    conformal_quantile,
    origin_inputs,
    roll_out,
    seasonal_naive,
    training_windows,
    with_naive,
)
from skrnn._windows import check_window_length
from skrnn.sktime._warnings import caller_stacklevel

# the seasonal naive forecast's weights that naive_weight="auto" compares
NAIVE_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)


class Reduction(NamedTuple):
    """How a strategy cuts windows: its name, window length and outputs."""

    strategy: str  # "recursive" or "direct"
    window: int
    horizons: int  # outputs per window: max(fh) (direct) or 1 (recursive)

    @property
    def lead(self):
        """0: a row reads X of its own step (direct); 1: of the next (recursive)."""
        return 0 if self.strategy == "direct" else 1


class HeldOut(NamedTuple):
    """Forecasts of held-out time points, and the truth, in model space."""

    pred: np.ndarray  # the network's
    naive: np.ndarray  # the seasonal naive forecast's
    truth: np.ndarray


class TrainingData(NamedTuple):
    """What held-out choices read of the training series."""

    values: list  # every series in the units of y
    exog: list  # its exogenous values, or None
    steps: int | None  # the furthest horizon of fh over the series, None without
    sp: int
    # (series, n_old) -> series in model space, standardized on its first n_old
    # points with transforms fitted on them only
    standardize: Callable
    # n_horizons -> an unfitted estimator with that many outputs
    new_estimator: Callable


def reduction(strategy, steps, window_for):
    """Return the :class:`Reduction` of ``strategy`` for ``fh`` up to ``steps``.

    ``window_for`` sizes the window of a network with a number of outputs.
    """
    horizons = steps if strategy == "direct" else 1
    return Reduction(strategy, window_for(horizons), horizons)


def train(estimator, z, exog, red):
    """Fit ``estimator`` on the windows of every series, oldest first."""
    L, H = red.window, red.horizons
    windows, targets, order = [], [], []
    for zi, xi in zip(z, exog, strict=True):
        if len(zi) < H + 1:
            continue  # no window with all of its targets observed
        # a series shorter than a window and its targets still trains, on
        # windows with at least half of its history (NaN before it starts)
        min_history = None if len(zi) >= L + H else max(1, (len(zi) - H + 1) // 2)
        w, t, ends = training_windows(zi, xi, L, H, red.lead, min_history)
        windows.append(w)
        targets.append(t)
        # align series on their last observation, for time order across series
        order.append(ends - len(zi))
    # time order across series: the estimator's validation split (if any)
    # then holds the most recent windows of every series, never the past
    order = np.argsort(np.concatenate(order), kind="stable")
    windows = np.concatenate(windows)[order]
    targets = np.concatenate(targets)[order]
    if red.strategy == "recursive":
        targets = targets[:, 0]
    with warnings.catch_warnings():
        # The first feature is the target's own past by construction; the
        # estimator's check for a foreign level (meant for hand-built X)
        # misreads a panel whose multi-step growth exceeds the spread of its
        # centred series. Fits hold a process-wide lock (seeding) anyway.
        warnings.filterwarnings(
            "ignore", message=r"window_norm=.* takes the targets relative"
        )
        return estimator.fit(windows, targets)


def held_out_points(values, steps, fraction, window, targets):
    """Time points held out at the end of every series to calibrate.

    ``fraction`` of the windows of ``window`` steps and their ``targets``,
    at least ``steps``.
    """
    return [
        max(steps or 1, int(np.ceil(fraction * (len(v) - window - targets + 1))))
        for v in values
    ]


def calibrate(data, red, held):
    """Train on older windows; return the network and its held-out forecasts.

    The forecasts (the network's and the seasonal naive one's, with the
    truth: a :class:`HeldOut`, or None when nothing could be held out) are
    in each series' standardized model space (logs, deseasonalized), where
    the intervals are built. ``held``: the time points held out of every
    series.
    """
    L, H = red.window, red.horizons
    values = data.values
    short = [len(v) - m < L + H for v, m in zip(values, held, strict=True)]
    if all(short):
        longest = int(np.argmax([len(v) for v in values]))
        warnings.warn(
            f"The series are too short to hold out calibration windows (the "
            f"longest has {len(values[longest])} points; after holding out "
            f"{held[longest]} of them, a window of {L} and {H} target(s) must "
            "remain): predict_interval and "
            "predict_quantiles will not be available. Use longer series or a "
            "shorter window_length.",
            UserWarning,
            stacklevel=caller_stacklevel(),
        )
        return None, None
    # a series too short to hold anything out trains the calibrator whole
    # and adds no residuals: the others' (in units of each series' scale)
    # calibrate its intervals too
    held = [0 if too_short else m for too_short, m in zip(short, held, strict=True)]
    # transforms and statistics of the older part only: nothing of the
    # held-out part leaks into the calibrator
    z = [data.standardize(v, len(v) - m) for v, m in zip(values, held, strict=True)]
    x_old = [
        None if x is None else x[: len(v) - m]
        for v, x, m in zip(values, data.exog, held, strict=True)
    ]
    z_old = [zi[: len(zi) - m] for zi, m in zip(z, held, strict=True)]
    calibrator = train(data.new_estimator(H), z_old, x_old, red)
    n_steps = data.steps
    if n_steps is None:
        n_steps = min(min(m for m in held if m), L)
    out = [
        _forecast_held_out(calibrator, zi, x, m, red, n_steps, data.sp)
        for zi, x, m in zip(z, data.exog, held, strict=True)
        if m
    ]
    return calibrator, HeldOut(*map(np.concatenate, zip(*out, strict=True)))


def _forecast_held_out(calibrator, z, x, held, red, n_steps, sp):
    """Forecasts ``n_steps`` ahead from each of the last ``held`` origins of ``z``."""
    ends = np.arange(len(z) - held - 1, len(z) - 1)
    z_ctx, x_fut = origin_inputs(z, x, ends, red.window, n_steps, red.lead)
    truth_at = ends[:, np.newaxis] + np.arange(1, n_steps + 1)
    return HeldOut(
        roll_out(calibrator, z_ctx, x_fut, n_steps, red.strategy),
        seasonal_naive(z, ends, n_steps, sp),
        np.where(truth_at < len(z), z[np.minimum(truth_at, len(z) - 1)], np.nan),
    )


def compares_strategies(values, steps, fraction, window):
    """Whether the held-out split can tell the strategies apart.

    It must hold two horizons (``steps``) of the median series, with the
    direct strategy's ``window``: on shorter series (M1 monthly) the
    comparison picked the direct one, which was worse on the validation
    hold-out.
    """
    n = np.median([len(v) for v in values])
    return (fraction or 0.2) * (n - window - steps + 1) >= 2 * steps


def choose_strategy(data, fraction, window_for):
    """Keep the strategy whose calibration network forecasts held-out data best.

    Both strategies are trained on the older part of every series and
    forecast the same held-out time points, ``data.steps`` ahead from every
    origin; the one with the smaller mean absolute error (in units of each
    series' scale) is kept, with its calibration network and residuals
    when ``fraction`` (``calibration_fraction``) is above 0. Held out as for
    calibration, with a fraction of 0.2 when ``fraction`` is 0.

    Returns
    -------
    red : Reduction
        The strategy kept.
    errors : dict
        The mean absolute held-out error of each strategy.
    calibrator, held_out
        As :func:`calibrate` returns them.
    """
    steps = data.steps
    # the direct strategy's split: its longer windows and targets fit in it
    held = held_out_points(
        data.values, steps, fraction or 0.2, window_for(steps), steps
    )
    errors, fitted = {}, {}
    for strategy in ("recursive", "direct"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            fitted[strategy] = calibrate(
                data, reduction(strategy, steps, window_for), held
            )
        out = fitted[strategy][1]
        errors[strategy] = (
            np.inf if out is None else np.nanmean(np.abs(out.pred - out.truth))
        )
    chosen = min(errors, key=errors.get)
    if not np.isfinite(errors[chosen]):
        chosen = "recursive"  # nothing could be held out
    red = reduction(chosen, steps, window_for)
    if fitted[chosen][1] is None and fraction != 0:
        # warns why: no intervals
        held = held_out_points(data.values, steps, fraction, red.window, red.horizons)
        return red, errors, *calibrate(data, red, held)
    return red, errors, *fitted[chosen]


def weigh_naive(held, naive_weight):
    """Return the seasonal naive weight, its errors and the mix's residuals.

    ``"auto"`` keeps the weight, among 0, 0.25, .., 1, whose mix with the
    held-out network forecasts has the smallest mean absolute error per
    horizon step (the smallest weight on ties). The origins near the end of
    the held-out part have truth for their first steps only, so a mean over
    all errors would mostly score one-step forecasts. The errors of every
    weight are returned then, None otherwise. The residuals are the absolute
    held-out errors of the mix (None without held-out forecasts, and "auto"
    is then 0).
    """
    if held is None:
        return (0.0 if naive_weight == "auto" else float(naive_weight)), None, None
    pred, naive, truth = held
    errors = None
    if naive_weight == "auto":
        errors = {
            w: _per_step_error(with_naive(pred, naive, w), truth) for w in NAIVE_WEIGHTS
        }
        weight = min(errors, key=errors.get)
    else:
        weight = float(naive_weight)
    return weight, errors, np.abs(with_naive(pred, naive, weight) - truth)


def _per_step_error(forecast, truth):
    """Mean absolute error of every horizon step with a truth, then their mean."""
    errors = np.abs(forecast - truth)
    seen = ~np.isnan(errors).all(axis=0)
    return float(np.mean(np.nanmean(errors[:, seen], axis=0)))


def check_lengths(series, red, name, remedy):
    """Refuse series too short for any target; warn of those with none.

    ``series`` are ``(key, times, values)``; windows mostly before the
    longest series are refused too, before they are allocated, naming the
    window (``name``) and the ``remedy`` (given the longest length).
    """
    H = red.horizons
    short = [key for key, _, v in series if len(v) < H + 1]
    if len(short) == len(series):
        where = f"Series {short[0]} has" if short[0] else "y has"
        raise ValueError(
            f"{where} {len(series[0][2])} time points, but the largest horizon "
            f"{H} needs at least {H + 1} to train on. Use a shorter forecasting "
            "horizon or a longer series."
        )
    if short:
        # a global model forecasts them from the windows of the others
        warnings.warn(
            f"{len(short)} of {len(series)} series (the first: {short[0]}) have "
            f"fewer than {H + 1} time points, too few for a window and its "
            f"{H} targets: they add no training windows and are forecast by "
            "the network trained on the other series.",
            UserWarning,
            stacklevel=caller_stacklevel(),
        )
    n = max(len(v) for _, _, v in series)
    where = f"the longest series of y ({n} time points)"
    check_window_length(red.window, n, where, f"{remedy(n)}.", name=name)


def forecast(estimator, tails, red, n_steps, sp, naive_weight):
    """Model-space forecasts of steps ``1 .. n_steps`` after every series' end.

    ``tails`` are ``(z, x)`` of every series: its last standardized values
    and exogenous rows (with those of the steps forecast, for the recursive
    strategy), or None. The network's forecasts of all series come from one
    roll-out, mixed with the seasonal naive forecast by ``naive_weight``.
    """
    contexts, exogs = [], []
    for z, x in tails:
        z_ctx, x_fut = origin_inputs(z, x, [len(z) - 1], red.window, n_steps, red.lead)
        contexts.append(z_ctx)
        exogs.append(x_fut)
    x_all = None if exogs[0] is None else np.concatenate(exogs)
    pred = roll_out(estimator, np.concatenate(contexts), x_all, n_steps, red.strategy)
    if naive_weight == 0:  # the default: no seasonal naive forecasts to build
        return pred
    naive = np.concatenate(
        [seasonal_naive(z, [len(z) - 1], n_steps, sp) for z, _ in tails]
    )
    return with_naive(pred, naive, naive_weight)


def conformal_shifts(residuals, steps, coverages, alpha, width):
    """Signed model-space offsets of the quantiles ``alpha`` from the forecast.

    One row per level: ``sign(a - 0.5) q_h`` at the horizon ``steps`` (the
    conformal quantile of step ``h``'s residuals at ``coverages``), 0 at the
    other of the ``width`` steps.
    """
    shifts = np.zeros((len(alpha), width))
    for row, (a, coverage) in enumerate(zip(alpha, coverages, strict=True)):
        for h in steps:
            q = conformal_quantile(residuals[:, h - 1], coverage)
            shifts[row, h - 1] = np.sign(a - 0.5) * q
    return shifts
