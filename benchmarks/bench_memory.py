"""Memory: peak extra RSS of a lag-window pipeline fit, each case in a subprocess."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc

import numpy as np
from _common import emit_json, fmt, table

MB = 1e6


def _reset_peak():
    """Reset the kernel's peak-RSS mark (Linux); False where unsupported.

    ``ru_maxrss`` survives ``fork`` + ``exec``: a child of a big parent starts
    with the parent's peak, so the peak is reset and read from /proc instead.
    """
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _peak_rss():
    """Peak RSS in bytes since the last reset (VmHWM), else ``ru_maxrss``."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _child(case, n, window, dtype):
    """Measure one case; print one JSON line. Runs in a fresh interpreter."""
    import psutil
    import torch
    from sklearn.pipeline import make_pipeline

    from skrnn import LagWindowTransformer, LSTMForecaster

    torch.set_num_threads(1)

    def model():
        return LSTMForecaster(
            hidden_size=4, max_epochs=1, batch_size=256, random_state=0
        )

    rng = np.random.default_rng(0)
    series = (100 + np.cumsum(rng.normal(size=n + 1))).astype(dtype)
    X, y = series[:-1, None], series[1:]
    # Warm up on a tiny series: lazy imports and torch's first allocations
    # belong to the baseline, not to the fit.
    make_pipeline(LagWindowTransformer(window_length=8), model()).fit(X[:300], y[:300])

    process = psutil.Process()
    reset = _reset_peak()
    rss_before = process.memory_info().rss
    maxrss_before = _peak_rss()
    start = time.perf_counter()
    if case == "copy":
        # Control: materialized windows, to show the measurement sees a copy.
        windows = np.array(LagWindowTransformer(window_length=window).fit_transform(X))
        fitted = model().fit(windows, y)
    else:
        fitted = make_pipeline(LagWindowTransformer(window_length=window), model()).fit(
            X, y
        )
    fit_s = time.perf_counter() - start
    fit_peak = _peak_rss()
    if case != "copy":
        fitted.predict(X)
    predict_peak = _peak_rss()
    # After the RSS peaks are read: tracemalloc must not perturb them.
    # Validation, NaN checks and moments must not copy the windows: numpy
    # reports its allocations to tracemalloc, so the peak shows any copy.
    windows = LagWindowTransformer(window_length=window).fit_transform(X)
    tracemalloc.start()
    est = model()
    est._validate_params()
    Xv, yv, _ = est._validate_training_data(windows, y, reset=True)
    from skrnn._scaling import nan_moments

    nan_moments(Xv)
    validation_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    shares = bool(np.shares_memory(Xv, windows))
    print(
        json.dumps(
            {
                "bench": "memory",
                "case": case,
                "series_length": n,
                "window": window,
                "dtype": np.dtype(dtype).name,
                "windows_as_float32_mb": n * window * 4 / MB,
                "budget_mb": n * window * 4 / 2 / MB,
                "rss_before_mb": rss_before / MB,
                "peak_before_mb": maxrss_before / MB,
                "peak_reset": reset,
                "fit_extra_peak_mb": (fit_peak - rss_before) / MB,
                "fit_predict_extra_peak_mb": (predict_peak - rss_before) / MB,
                "validation_numpy_peak_mb": validation_peak / MB,
                "validated_x_is_view": shares,
                "fit_s": fit_s,
            }
        )
    )


def measure(case, n, window, dtype="float32"):
    """Run one case in a subprocess and return its record."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", case, str(n), str(window), dtype],
        capture_output=True,
        text=True,
        check=True,
        cwd=os.path.dirname(os.path.abspath(__file__)),
    )
    record = json.loads(out.stdout.strip().splitlines()[-1])
    if case != "copy":
        record["target_met"] = record["fit_extra_peak_mb"] <= record["budget_mb"]
    return record


def run(quick=False, repeats=None, threads=1):
    """Run the memory benchmark; return its records."""
    window = 512
    if quick:
        cases = [("view", 50_000, "float32")]
    else:
        cases = [
            ("view", 50_000, "float32"),
            ("view", 100_000, "float32"),
            ("view", 200_000, "float32"),
            ("view", 200_000, "float64"),
            ("copy", 200_000, "float32"),
        ]
    return [measure(case, n, window, dtype) for case, n, dtype in cases]


def report(records):
    """Human table of the records."""
    return table(
        records,
        [
            ("input", "case"),
            ("series length", "series_length"),
            ("window", "window"),
            ("dtype", "dtype"),
            ("n x window x 4 B (MB)", fmt("windows_as_float32_mb", ".0f")),
            ("fit extra peak RSS (MB)", fmt("fit_extra_peak_mb", ".0f")),
            ("fit+predict extra peak (MB)", fmt("fit_predict_extra_peak_mb", ".0f")),
            (
                "validation+moments numpy peak (MB)",
                fmt("validation_numpy_peak_mb", ".2f"),
            ),
            ("validated X is a view", "validated_x_is_view"),
            ("fit (s)", fmt("fit_s", ".1f")),
            ("<= half budget", "target_met"),
        ],
        "Memory: Pipeline(LagWindowTransformer(window_length=512), "
        "LSTMForecaster(hidden_size=4, max_epochs=1, batch_size=256))",
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", nargs=4, metavar=("CASE", "N", "WINDOW", "DTYPE"))
    args, _ = parser.parse_known_args()
    if args.child:
        case, n, window, dtype = args.child
        _child(case, int(n), int(window), dtype)
        return
    records = run(args.quick)
    print(report(records))
    emit_json(records)


if __name__ == "__main__":
    main()
