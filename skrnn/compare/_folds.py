"""The origins of a backtest: how many fit, and the fewest points a model trains on."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import numbers
import warnings

import numpy as np

from skrnn.compare._checks import check_coverage, check_seasonal_period, relative_fh
from skrnn.compare._lineup import resolve_lineup
from skrnn.compare._registry import FaceOptions, members

# sktime (an optional extra) and torch (through skrnn.sktime) are imported
# where they are used, so that ``import skrnn.compare`` loads neither.

# n_folds="auto": this many origins, or as many as a short series holds
AUTO, AUTO_FOLDS = "auto", 3


def check_n_folds(n_folds):
    """Raise a ValueError unless ``n_folds`` is a positive int or ``"auto"``."""
    if n_folds != AUTO and (
        isinstance(n_folds, bool)
        or not isinstance(n_folds, numbers.Integral)
        or n_folds < 1
    ):
        raise ValueError(f"n_folds must be a positive int or 'auto'; got {n_folds!r}.")


def min_train_of(lineup: dict, sp: int, fh_max: int, intervals=False) -> int:
    """Fewest training points every model of the line-up can be fitted on."""
    from skrnn.sktime import SktimeRecurrentForecaster, default_window_length

    need = max(3, 2 * sp if sp > 1 else 3)
    for forecaster in members(lineup.values()):
        params = forecaster.get_params(deep=False)
        window = params.get("window_length", False)
        # the face sizes its window itself; NaiveForecaster's None is "all data"
        if window is None and isinstance(forecaster, SktimeRecurrentForecaster):
            steps = fh_max if params.get("strategy") == "direct" else 1
            window = default_window_length(params.get("sp", sp), steps)
        if isinstance(window, numbers.Integral) and not isinstance(window, bool):
            # a window plus fh_max targets per training sample (the direct
            # strategy's need, enough for the recursive one), and a handful
            # of samples to learn from
            need = max(need, int(window) + fh_max + 8)
            fraction = params.get("calibration_fraction")
            if intervals and fraction:
                # split conformal holds out max(fh_max, fraction x windows) points;
                # what is left must still train the calibrator on 9+ windows
                need = max(
                    need,
                    int(window) + 2 * fh_max + 8,
                    int(window) + fh_max - 1 + int(np.ceil(10 / (1 - fraction))),
                )
    return need


def auto_folds(n_points: int, fh_max: int, min_train: int) -> int:
    """Folds of ``n_folds="auto"``: as many as fit, at most three, at least one.

    One that does not fit is left to :func:`expanding_splitter` to explain.
    """
    return int(np.clip((n_points - min_train) // fh_max, 1, AUTO_FOLDS))


def auto_folds_of(n_points, forecasters, *, fh, seasonal_period, coverage=None):
    """Return ``(n_folds, min_train)`` that ``n_folds="auto"`` gives.

    For ``skrnn compare``, which says how many origins it backtests before
    the run; the line-up is built only to read its windows (the run warns of
    what building it warns of).
    """
    steps = relative_fh(fh)
    fh_max = int(steps.max())
    sp = check_seasonal_period(seasonal_period)
    intervals = bool(check_coverage(coverage))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lineup = resolve_lineup(
            forecasters,
            sp=sp,
            fh_max=fh_max,
            random_state=0,
            quick=False,
            positive=True,
            face=FaceOptions(intervals=intervals),
        )
    need = min_train_of(lineup, sp, fh_max, intervals=intervals)
    return auto_folds(n_points, fh_max, need), need


def default_splitter(n_points, steps, n_folds, min_train):
    """Return the splitter of ``cv=None``, warning when "auto" fits fewer than 3.

    The warning points at the caller of :func:`compare_forecasters`.
    """
    fh_max = int(steps.max())
    if n_folds == AUTO:
        n_folds = auto_folds(n_points, fh_max, min_train)
        if n_folds < AUTO_FOLDS:
            warnings.warn(
                f"n_folds='auto': y has {n_points} points, which hold "
                f"{n_folds} fold(s) with fh up to {fh_max} after the "
                f"{min_train} the models need to train on, so the backtest "
                f"uses {n_folds}, not {AUTO_FOLDS} ({AUTO_FOLDS} need "
                f"{min_train + AUTO_FOLDS * fh_max} points). Pass n_folds to "
                "choose the number.",
                UserWarning,
                stacklevel=3,
            )
    return expanding_splitter(n_points, steps, n_folds, min_train)


def expanding_splitter(n_points, steps, n_folds, min_train):
    """Return the default folds: the last ``n_folds`` origins, ``max(fh)`` apart.

    ``min_train``: the fewest points the line-up trains on (:func:`min_train_of`).
    """
    from sktime.forecasting.base import ForecastingHorizon
    from sktime.split import ExpandingWindowSplitter

    fh_max = int(steps.max())
    needed = min_train + (n_folds - 1) * fh_max + fh_max
    if n_points < needed:
        fewer = "fewer folds, " if n_folds > 1 else ""
        raise ValueError(
            f"y has {n_points} points; {n_folds} fold(s) with fh up to {fh_max} "
            f"need at least {needed}: {min_train} to train on before the "
            f"first origin (the models' minimum, including the networks' "
            f"input window) + {n_folds} x {fh_max} to test. Use {fewer}"
            "a shorter fh, or a longer series."
        )
    return ExpandingWindowSplitter(
        fh=ForecastingHorizon(steps, is_relative=True),
        initial_window=n_points - (n_folds - 1) * fh_max - fh_max,
        step_length=fh_max,
    )
