"""Scaling: fit time against the number of windows and the window length."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

from functools import partial

import numpy as np
from _common import (
    alternate,
    fmt,
    main_for,
    median,
    random_walk,
    set_threads,
    table,
    windows_of,
)

from skrnn import LSTMForecaster

HIDDEN = 64
BATCH_SIZE = 64
EPOCHS = 1


def _fit(X, y):
    LSTMForecaster(
        hidden_size=HIDDEN, batch_size=BATCH_SIZE, max_epochs=EPOCHS, random_state=0
    ).fit(X, y)


def _linearity(sizes, seconds):
    """Least-squares line through the points: slope, intercept, R^2."""
    sizes, seconds = np.asarray(sizes, float), np.asarray(seconds, float)
    slope, intercept = np.polyfit(sizes, seconds, 1)
    residual = seconds - (slope * sizes + intercept)
    r2 = 1 - residual.var() / seconds.var()
    return float(slope), float(intercept), float(r2)


def _curve(name, cases, repeats):
    """Time every case side by side; return one record per case."""
    times = alternate(
        {key: partial(_fit, X, y) for key, (X, y) in cases.items()}, repeats
    )
    records = []
    for (n_windows, window), _ in cases.items():
        wall = median(times[(n_windows, window)]["wall"])
        cpu = median(times[(n_windows, window)]["cpu"])
        records.append(
            {
                "bench": "scaling",
                "curve": name,
                "n_windows": n_windows,
                "window": window,
                "fit_s": wall,
                "fit_cpu_s": cpu,
                "us_per_window_step": cpu / (n_windows * window) * 1e6,
            }
        )
    return records


def run(quick=False, repeats=None, threads=1):
    """Run the scaling benchmark; return its records."""
    set_threads(threads)
    repeats = repeats or (1 if quick else 3)
    sizes = (2_500, 5_000, 10_000) if quick else (10_000, 20_000, 40_000, 80_000)
    windows = (24, 48, 96)
    base = 5_000 if quick else 20_000
    series = random_walk(max(sizes) + max(windows) + 1)
    records = _curve(
        "windows",
        {(n, 48): windows_of(series, n, 48) for n in sizes},
        repeats,
    )
    records += _curve(
        "window length",
        {(base, w): windows_of(series, base, w) for w in windows},
        repeats,
    )
    for curve, key in (("windows", "n_windows"), ("window length", "window")):
        points = [r for r in records if r["curve"] == curve]
        slope, intercept, r2 = _linearity(
            [p[key] for p in points], [p["fit_cpu_s"] for p in points]
        )
        for p in points:
            p.update(fit_slope_s=slope, fit_intercept_s=intercept, fit_r2=r2)
    return records


def report(records):
    """Human table of the records."""
    return table(
        records,
        [
            ("curve", "curve"),
            ("windows", "n_windows"),
            ("window length", "window"),
            ("fit wall (s)", fmt("fit_s", ".2f")),
            ("fit CPU (s)", fmt("fit_cpu_s", ".2f")),
            ("CPU us per window-step", fmt("us_per_window_step", ".3f")),
            ("linear fit R^2 (CPU)", fmt("fit_r2", ".4f")),
        ],
        f"Scaling: LSTM hidden {HIDDEN}, batch {BATCH_SIZE}, {EPOCHS} epoch",
    )


def main():
    main_for(__doc__, run, report)


if __name__ == "__main__":
    main()
