"""The steps of the face's fit, predict and update, on its fitted attributes.

:class:`FaceSteps` is a mixin of
:class:`~skrnn.sktime.SktimeRecurrentForecaster`: each method reads the
parameters and writes or reads the fitted attributes the class documents,
and hands the computation to a plain function of ``_transforms``,
``_strategies`` or ``_panels``. The sktime hooks themselves (``_fit``,
``_predict``, ``_predict_quantiles``, ``_update``) are in ``_face.py``.
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import pandas as pd
from sklearn.base import clone

from skrnn._random_walk import LastValue
from skrnn._scaling import scale_values, unscale_values
from skrnn._warnings import warnings_once
from skrnn.sktime._defaults import default_network, default_window_length
from skrnn.sktime._diagnostics import looks_like_random_walk, mean_reverting
from skrnn.sktime._panels import (
    date_freq,
    future_exog,
    series_horizons,
)
from skrnn.sktime._strategies import (
    Reduction,
    TrainingData,
    calibrate,
    choose_strategy,
    compares_strategies,
    forecast,
    held_out_points,
    train,
    weigh_naive,
)
from skrnn.sktime._transforms import (
    fit_deseasonalizer,
    forecast_bounds,
    from_model_space,
    series_scale,
    to_model_space,
    widened_bounds,
)


class FaceSteps:
    """Steps of :class:`~skrnn.sktime.SktimeRecurrentForecaster` (a mixin)."""

    def _remember_series(self, y, X, series):
        """Keep the keys, ends, dates and names of ``y``; return the irregular."""
        self._keys = [key for key, _, _ in series]
        self._last_times = [times[-1] for _, times, _ in series]
        self._freq, irregular = date_freq(self.cutoff, series)
        self._index_names = list(y.index.names)
        self._y_name = y.name if isinstance(y, pd.Series) else None
        self._y_columns = None if isinstance(y, pd.Series) else y.columns
        self._exog_columns = None if X is None else list(X.columns)
        return irregular

    def _blends(self, values):
        """Whether to average a deseasonalized and a raw forecaster."""
        if self.sp_ < 2 or not isinstance(self.deseasonalize, str):
            return False
        if all(len(v) < 2 * self.sp_ for v in values):
            return False  # nothing to deseasonalize: the two would be alike
        # "both", or "auto" on a panel (a single series gets the test)
        return self.deseasonalize == "both" or self._panel

    def _fit_members(self, y, X, fh):
        """Fit a copy that deseasonalizes every series and one that does none."""
        self.members_ = [
            self.clone().set_params(sp=self.sp_, deseasonalize=deseasonalize)
            for deseasonalize in (True, False)
        ]
        # the members check the data; what both warn of is said once
        with warnings_once():
            for member in self.members_:
                member.fit(y, X=X, fh=fh)
        self.strategy_ = _common(m.strategy_ for m in self.members_)
        self.window_norm_ = _common(m.window_norm_ for m in self.members_)
        self.naive_weight_ = float(np.mean([m.naive_weight_ for m in self.members_]))
        return self

    def _fit_transforms(self, values, exog):
        """Fit the model space of every series; return the series in it.

        Also decides what the data decide: ``random_walk_`` and, for an
        estimator left at ``window_norm="auto"``, ``window_norm_``.
        """
        self.deseasonalizers_ = [
            fit_deseasonalizer(v, self.sp_, self.deseasonalize, self.log_, self._panel)
            for v in values
        ]
        self._n_seen = [len(v) for v in values]
        self.y_bounds_ = np.array(
            [forecast_bounds(v, self.n_horizons_) for v in values]
        )
        t = [
            to_model_space(v, 0, d, self.log_)
            for v, d in zip(values, self.deseasonalizers_, strict=True)
        ]
        self.y_mean_ = np.array([ti.mean() for ti in t])
        self.y_scale_ = np.array([series_scale(ti, self.log_) for ti in t])
        self.random_walk_ = self.random_walk == "auto" and looks_like_random_walk(
            t, exog, self.sp_
        )
        z = [
            scale_values(ti, m, s)
            for ti, m, s in zip(t, self.y_mean_, self.y_scale_, strict=True)
        ]
        # the default network leaves window_norm at "auto"
        asked = "auto"
        if self.estimator is not None:
            asked = self.estimator.get_params().get("window_norm")
        if asked == "auto":
            asked = None if mean_reverting(z, self.sp_) else "last"
        self.window_norm_ = asked
        return z

    def _fit_networks(self, values, exog, z, steps):
        """Choose on held-out data, calibrate, and train on every window."""
        data = TrainingData(
            values, exog, steps, self.sp_, self._standardized, self._new_estimator
        )
        fraction = self.calibration_fraction
        if self._compares_strategies(values, steps):
            red, self.strategy_errors_, self.calibrator_, held = choose_strategy(
                data, fraction, self._window_for
            )
            self._use(red)
        elif fraction != 0:
            red = self._reduction()
            points = held_out_points(values, steps, fraction, red.window, red.horizons)
            self.calibrator_, held = calibrate(data, red, points)
        else:
            self.calibrator_, held = None, None
        self.naive_weight_, self.naive_weight_errors_, self.residuals_ = weigh_naive(
            held, self.naive_weight
        )
        if fraction == 0:
            self.calibrator_ = self.residuals_ = None
        estimator = self._new_estimator(self.n_horizons_)
        self.estimator_ = train(estimator, z, exog, self._reduction())

    def _compares_strategies(self, values, steps):
        """Whether ``strategy="auto"`` has two strategies to compare."""
        if self.strategy != "auto" or steps is None or steps < 2 or self.random_walk_:
            return False
        if self.estimator is not None:
            if self.estimator.get_params().get("output", "last") != "last":
                return False
        fraction, window = self.calibration_fraction, self._window_for(steps)
        return compares_strategies(values, steps, fraction, window)

    def _standardized(self, values, n_old):
        """Return ``values`` in model space, standardized on its first ``n_old``.

        The transforms and statistics are those of the first ``n_old`` points
        only: nothing of the held-out part leaks into the calibrator.
        """
        old = values[:n_old]
        d = fit_deseasonalizer(
            old, self.sp_, self.deseasonalize, self.log_, self._panel
        )
        t = to_model_space(values, 0, d, self.log_)
        return scale_values(t, t[:n_old].mean(), series_scale(t[:n_old], self.log_))

    def _new_estimator(self, n_horizons):
        """Return an unfitted network of ``n_horizons`` outputs (or the last value)."""
        if self.random_walk_:
            return LastValue(n_horizons)
        if self.estimator is None:
            estimator = default_network("lstm", random_state=self.random_state)
        else:
            estimator = clone(self.estimator)
        if estimator.get_params().get("window_norm") == "auto":
            # the first feature of every window is the target's own past, which
            # the estimator cannot tell across a panel's series
            estimator.set_params(window_norm=self.window_norm_)
        return estimator

    def _window_for(self, n_horizons):
        """Return the window of a network with ``n_horizons`` outputs per window."""
        if self.window_length is not None:
            return int(self.window_length)
        return default_window_length(self.sp_, n_horizons or 1)

    def _window_names(self):
        """Return the window's name and the remedy for a series of ``n`` points."""
        L = self.window_length_
        if self.window_length is None:
            return (
                f"The window sized from sp={self.sp_} and the horizon ({L} steps)",
                lambda n: f"Pass window_length (at most {n}) or a smaller sp",
            )
        return f"window_length={L}", lambda n: f"Use a window_length of at most {n}"

    def _use(self, red):
        """Set what the strategy decides: outputs per window and window."""
        self.strategy_ = red.strategy
        self.n_horizons_ = red.horizons
        self.window_length_ = red.window

    def _reduction(self):
        return Reduction(self.strategy_, self.window_length_, self.n_horizons_)

    def _tail_length(self):
        """Return the steps of every series kept for predict: a window, a season."""
        return max(self.window_length_ + self.n_horizons_ - 1, self.sp_)

    # --------------------------------------------------- predict and update

    def _original(self, i, z):
        """Forecasts of series ``i`` in its model space, in the units of ``y``.

        Kept within ``y_bounds_``: a network that has not learned a series can
        forecast far outside anything it did, and in logs a modest error
        becomes a huge one once exponentiated.
        """
        t = unscale_values(z, self.y_mean_[i], self.y_scale_[i])
        d = self.deseasonalizers_[i]
        return np.clip(
            from_model_space(t, self._n_seen[i], d, self.log_), *self.y_bounds_[i]
        )

    def _horizons(self, fh):
        """Relative steps and absolute times of ``fh`` for every series."""
        ends = dict(zip(self._keys, self._last_times, strict=True))
        return series_horizons(fh, self.cutoff, self._freq, ends, type(self).__name__)

    def _forecast(self, fh, X):
        """Per-series horizons and model-space forecasts of steps 1 .. max(fh).

        The network's, mixed with the seasonal naive forecast by
        ``naive_weight_``.
        """
        horizons = self._horizons(fh)
        n_steps = max(int(steps.max()) for steps, _ in horizons)
        if self.strategy_ == "direct" and n_steps > self.n_horizons_:
            raise ValueError(
                f"The direct network was trained for horizons up to "
                f"{self.n_horizons_}, but fh reaches {n_steps}. Fit again with the "
                "longer forecasting horizon."
            )
        future = [None] * len(self._keys)
        if self._exog_columns is not None and self.strategy_ != "direct":
            ends = dict(zip(self._keys, self._last_times, strict=True))
            future = future_exog(
                X, self.cutoff, self._freq, ends, self._exog_columns, n_steps
            )
        tails = []
        for z, x, x_next in zip(self._z_tail, self._x_tail, future, strict=True):
            if x is not None and x_next is not None:
                x = np.concatenate([x, x_next])
            tails.append((z, x))
        pred = forecast(
            self.estimator_,
            tails,
            self._reduction(),
            n_steps,
            self.sp_,
            self.naive_weight_,
        )
        return horizons, pred

    def _append(self, i, times, values, x_new):
        """Append new observations of series ``i``; return its tail and theirs.

        ``x_new``: the exogenous values at ``times``, or None.
        """
        if self.log_ and (values <= 0).any():
            raise ValueError(
                "The forecaster models this series in logs (log='auto' found "
                "it positive in fit), but update got values <= 0. Fit again "
                "with log=False."
            )
        t = to_model_space(values, self._n_seen[i], self.deseasonalizers_[i], self.log_)
        z_new = scale_values(t, self.y_mean_[i], self.y_scale_[i])
        z = np.concatenate([self._z_tail[i], z_new])
        x = self._x_tail[i]
        if x is not None:
            if x_new is None:
                raise ValueError(
                    "The forecaster was fitted with exogenous X: pass X for the "
                    "new observations to update."
                )
            x = np.concatenate([x, x_new])
        self._z_tail[i] = z[-self._tail_length() :]
        self._x_tail[i] = None if x is None else x[-self._tail_length() :]
        self._last_times[i] = times[-1]
        self._n_seen[i] += len(values)
        self.y_bounds_[i] = widened_bounds(self.y_bounds_[i], values)
        return z, x


def _common(choices):
    """Return the one choice of the members, or ``"mixed"``."""
    choices = set(choices)
    return choices.pop() if len(choices) == 1 else "mixed"
