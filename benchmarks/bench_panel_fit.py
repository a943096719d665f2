"""Fit time of the default sktime face on a large panel, as a user runs it.

A panel of 400 series of 1,000 hourly-like points (a daily season of 24, a
weekly one, a trend and noise; an integer index, as many competition files
have, so that the season must be found in the values) is fitted by
``SktimeRecurrentForecaster()`` with ``fh = 1 .. 48`` and nothing else set:
the default network, the seasonal pair, ``strategy="auto"``, calibration.
The last 48 points of every series are held out and forecast, against the
seasonal naive forecast of period 24.
The time is wall-clock with the thread count a default user gets (torch's
default, all cores), the number that matters to that user; the target is at
most 15 minutes on 2 cores.

Run: ``python benchmarks/bench_panel_fit.py [--quick]`` (``--quick``: 40
series of 400 points).
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import json
import os
import time
import warnings

import numpy as np
import pandas as pd
import torch

from skrnn.sktime import SktimeRecurrentForecaster


def hourly_panel(n_series, n_points, seed=0):
    """Positive hourly-like series: daily and weekly seasons, trend, noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(n_points)
    frames = {}
    for i in range(n_series):
        level = rng.uniform(50, 500)
        day = rng.uniform(0.1, 0.4) * np.sin(2 * np.pi * (t + rng.integers(24)) / 24)
        week = rng.uniform(0.0, 0.2) * np.sin(2 * np.pi * t / 168)
        trend = rng.normal(0, 0.0003) * t
        noise = rng.normal(0, rng.uniform(0.02, 0.08), n_points)
        values = level * np.exp(day + week + trend + noise)
        frames[f"H{i}"] = pd.Series(values, index=pd.RangeIndex(n_points))
    return pd.concat(frames, names=["series", "time"]).to_frame("y")


def run(quick=False):
    """Fit the default face once; return what it chose, its time and its error.

    The last 48 points of every series are held out; the error is the mean
    absolute error of the forecast relative to that of the seasonal naive
    forecast (period 24) of the same points, over all series.
    """
    n_series, n_points = (40, 400) if quick else (400, 1000)
    y = hourly_panel(n_series, n_points + 48)
    times = y.index.get_level_values("time")
    train, test = y[times < n_points], y[times >= n_points]
    forecaster = SktimeRecurrentForecaster(random_state=0)
    load = os.getloadavg()[0]
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        forecaster.fit(train, fh=np.arange(1, 49))
    seconds = time.perf_counter() - start
    pred = forecaster.predict().loc[test.index]
    last_day = train.groupby(level="series").tail(24)["y"].to_numpy()
    naive = np.tile(last_day.reshape(n_series, 24), 2).ravel()
    truth = test["y"].to_numpy()
    relative = (
        np.abs(pred["y"].to_numpy() - truth).mean() / np.abs(naive - truth).mean()
    )
    members = forecaster.members_ or [forecaster]
    return {
        "bench": "panel-fit",
        "series": n_series,
        "points": n_points,
        "h": 48,
        "torch_threads": torch.get_num_threads(),
        "fit_s": seconds,
        "sp_": int(forecaster.sp_),
        "strategy_": forecaster.strategy_,
        "window_length_": [int(m.window_length_) for m in members],
        "strategy_errors_": [m.strategy_errors_ for m in members],
        "window_norm_": forecaster.window_norm_,
        "mae_vs_seasonal_naive": relative,
        "load_average_at_start": load,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    record = run(parser.parse_args().quick)
    print(
        f"{record['series']} series x {record['points']} points, h=48, "
        f"{record['torch_threads']} torch threads: fit {record['fit_s'] / 60:.1f} "
        f"min; sp_={record['sp_']}, strategy_={record['strategy_']}, windows "
        f"{record['window_length_']}, window_norm_={record['window_norm_']}; "
        f"MAE {record['mae_vs_seasonal_naive']:.3f} x the seasonal naive's on the "
        f"last 48 points (load average {record['load_average_at_start']:.1f} "
        "at the start)"
    )
    print(json.dumps(record, default=float))


if __name__ == "__main__":
    main()
