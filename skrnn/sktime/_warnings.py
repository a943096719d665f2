"""What the sktime face warns of, pointed at the user's line, and refuses."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import functools
import sys
import warnings

import numpy as np
from sktime.forecasting.base import BaseForecaster


def intervals_needed(name, what):
    """Sktime's probabilistic method ``name``, first checking the face has intervals.

    With ``calibration_fraction=0`` the ``capability:pred_int`` tag is off, and
    sktime's public method refuses before any private hook runs, asking the
    user to "open an issue on sktime"; this says which parameter to change.
    ``what`` names the output as sktime's own refusal does (its checks read it).
    """
    method = getattr(BaseForecaster, name)

    @functools.wraps(method)
    def checked(self, *args, **kwargs):
        if not self.get_tag("capability:pred_int"):
            raise NotImplementedError(
                f"{type(self).__name__}(calibration_fraction=0) holds out no "
                f"calibration windows, so it cannot return {what}. Set "
                "calibration_fraction > 0 (default 0.2) and fit again to get them."
            )
        return method(self, *args, **kwargs)

    return checked


def caller_stacklevel():
    """``stacklevel`` that points a warning at the first caller outside sktime.

    predict_interval reaches ``_predict_quantiles`` through more of sktime's
    frames than predict_quantiles does: no fixed level names the user's line.
    The frames of this package (``skrnn.sktime``) are skipped too.
    """
    level, frame = 1, sys._getframe(1)
    while frame.f_back is not None and frame.f_globals.get("__name__", "").startswith(
        ("skrnn.sktime.", "sktime.")
    ):
        level, frame = level + 1, frame.f_back
    return level


def warn_if_irregular(keys, n_series, freq):
    """Warn of panel series whose dates have gaps where the others' are regular."""
    if keys:
        warnings.warn(
            f"{len(keys)} of {n_series} series (the first: {keys[0]}) have "
            "dates with gaps or no regular frequency, unlike the others' "
            f"({freq}): their rows are read as consecutive steps, so their "
            "seasons and windows do not line up with the dates (their forecasts "
            f"are still dated at {freq} steps after their last date). Fill the "
            "gaps first, for example y.groupby(level=0).apply(lambda s: "
            f"s.droplevel(0).asfreq('{freq}').ffill()).",
            UserWarning,
            stacklevel=caller_stacklevel(),
        )


def warn_random_walk():
    """Say that ``y`` is forecast by its last value, and how to train anyway."""
    warnings.warn(
        "y looks like a random walk without drift: its changes show neither "
        "autocorrelation (Ljung-Box test) nor a drift (t-test) at the 5% "
        "level. The last value is the best forecast of such a series, so "
        "this forecaster forecasts it and trains no network (random_walk_ is "
        "True). Pass random_walk=False (skrnn compare: --always-train) to "
        "train the network anyway.",
        UserWarning,
        stacklevel=caller_stacklevel(),
    )


def warn_if_bounded(forecasts, bounds, keys):
    """Warn when the forecasts of some series reached their ``bounds``."""
    bounded = [i for i, f in enumerate(forecasts) if np.isin(f, bounds[i]).any()]
    if not bounded:
        return
    first = f" (the first: {keys[bounded[0]]})" if len(forecasts) > 1 else ""
    warnings.warn(
        f"The forecasts of {len(bounded)} of {len(forecasts)} series{first} "
        "reached y_bounds_ and were clipped there: the observed range "
        "widened by its width on each side (by more for horizons longer "
        "than the series). A network that "
        "forecasts so far outside a series' history has not learned it: "
        "check that series, or try log=False, a longer window or more epochs.",
        UserWarning,
        stacklevel=caller_stacklevel(),
    )


def warn_if_too_few_residuals(residuals, steps, coverages, fraction):
    """Warn for each coverage that some step's residuals cannot support.

    ``conformal_quantile`` falls back to the largest of ``n`` residuals when
    ``ceil((n + 1) c) > n``, that is when ``c > n / (n + 1)``: the same test
    decides here. ``fraction`` is the forecaster's ``calibration_fraction``.
    """
    counts = np.sum(~np.isnan(residuals[:, steps - 1]), axis=0)
    for coverage in sorted(coverages):
        short = np.ceil((counts + 1) * coverage) > counts
        if not short.any():
            continue
        fewest = int(counts[short].min())
        level = f"{100 * coverage:g}%"
        need = f"{level} needs more than any number of them"
        if coverage < 1:
            need = f"{level} needs {_needed(coverage)} per step"
        steps_short = steps[short]
        where = "step" if len(steps_short) == 1 else "steps"
        warnings.warn(
            f"Too few calibration residuals for {level} prediction intervals: "
            f"horizon {where} {steps_text(steps_short)} "
            f"{'has' if len(steps_short) == 1 else 'have'} as few as {fewest} "
            "(n residuals support coverage up to n / (n + 1): "
            f"{100 * fewest / (fewest + 1):.1f}% here), and {need}. These "
            "intervals use the largest residual and may cover less than asked; "
            "the bounds of higher coverages coincide. Use a longer series, a "
            f"larger calibration_fraction (now {fraction}) or a "
            "lower coverage.",
            UserWarning,
            stacklevel=caller_stacklevel(),
        )


def _needed(coverage):
    """Return the fewest residuals ``n`` with ``ceil((n + 1) coverage) <= n``."""
    n = max(int(coverage / (1 - coverage)) - 1, 0)
    while np.ceil((n + 1) * coverage) > n:
        n += 1
    return n


def steps_text(steps):
    """``"3"``, ``"9 to 12"`` or ``"1, 4"``."""
    steps = [int(h) for h in steps]
    if len(steps) > 1 and steps[-1] - steps[0] == len(steps) - 1:
        return f"{steps[0]} to {steps[-1]}"
    return ", ".join(map(str, steps))
