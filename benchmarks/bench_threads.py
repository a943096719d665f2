"""Torch threads: the default ``num_threads=None`` against forced thread counts.

Unlike the other benchmarks, this one leaves torch's thread setting as PyTorch
sets it (one thread per core): the choice of threads is what is measured. Each
row times fits with ``num_threads=None`` (skrnn's choice), ``1`` and the number
of cores (PyTorch's default, what skrnn used before ``num_threads``), alone and
inside ``GridSearchCV(n_jobs=2)``, on the airline series (windows of 12 months).
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import os
from functools import partial

import numpy as np
import torch
from _common import alternate, emit_json, fmt, median, table
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from skrnn import RecurrentForecaster
from skrnn._threads import resolve_threads
from skrnn.datasets import load_airline

WINDOW = 12


def airline_windows():
    """Windows of 12 months of the airline series and the next month."""
    series = load_airline().to_numpy(dtype=float)
    X = np.lib.stride_tricks.sliding_window_view(series[:-1], WINDOW)[:, :, None]
    return X, series[WINDOW:]


def fit_alone(X, y, params, num_threads):
    """One fit in this process."""
    RecurrentForecaster(**params, num_threads=num_threads, random_state=0).fit(X, y)


def grid_search(X, y, params, num_threads, scores):
    """A small grid (cell x hidden size x 3 folds) with two joblib workers."""
    search = GridSearchCV(
        RecurrentForecaster(**params, num_threads=num_threads, random_state=0),
        {"cell": ["lstm", "gru", "rnn"], "hidden_size": [16, 32]},
        cv=TimeSeriesSplit(3),
        scoring="neg_root_mean_squared_error",
        n_jobs=2,
    ).fit(X, y)
    scores[num_threads] = search.cv_results_["mean_test_score"]


def _record(bench, label, params, times, cores, extra=None):
    """Medians, and how the default compares with the best forced count."""
    walls = {name: median(t["wall"]) for name, t in times.items()}
    best = min(walls["1"], walls[str(cores)])
    record = {
        "bench": bench,
        "model": label,
        **params,
        "auto_threads": (extra or {}).pop("auto_threads", None),
        "default_s": walls["None"],
        "one_thread_s": walls["1"],
        "all_cores_s": walls[str(cores)],
        "default_vs_best": walls["None"] / best,
        "target_met": walls["None"] / best <= 1.10,
        "cores": cores,
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "times": times,
    }
    record.update(extra or {})
    return record


def run(quick=False, repeats=None):
    """Run the thread benchmark; return its records."""
    cores = os.cpu_count() or 1
    repeats = repeats or (2 if quick else 5)
    epochs = 10 if quick else 100
    X, y = airline_windows()
    counts = [None, 1, cores]
    models = [
        ("default LSTM", {"cell": "lstm"}),
        ("GRU, hidden 16", {"cell": "gru", "hidden_size": 16}),
        ("LSTM, hidden 128, batch 128", {"hidden_size": 128, "batch_size": 128}),
        ("LSTM, hidden 256, batch 128", {"hidden_size": 256, "batch_size": 128}),
    ]
    records = []
    for label, params in models:
        params = {**params, "max_epochs": epochs}
        model = RecurrentForecaster(**params)
        auto = resolve_threads(None, model.batch_size * model.hidden_size)
        times = alternate(
            {str(n): partial(fit_alone, X, y, params, n) for n in counts}, repeats
        )
        records.append(
            _record("alone", label, params, times, cores, {"auto_threads": auto})
        )
    scores = {}
    params = {"max_epochs": 5 if quick else 30}
    times = alternate(
        {str(n): partial(grid_search, X, y, params, n, scores) for n in counts},
        repeats,
    )
    same = all(np.allclose(scores[n], scores[None], atol=1e-6) for n in counts)
    records.append(
        _record(
            "GridSearchCV(n_jobs=2)",
            "cell x hidden 16/32, 3 folds",
            params,
            times,
            cores,
            {"same_scores": same},
        )
    )
    return records


def report(records):
    """Human table of the records."""
    return table(
        records,
        [
            ("run", "bench"),
            ("model", "model"),
            ("epochs", "max_epochs"),
            ("threads chosen", "auto_threads"),
            ("default (s)", fmt("default_s", ".2f")),
            ("1 thread (s)", fmt("one_thread_s", ".2f")),
            ("all cores (s)", fmt("all_cores_s", ".2f")),
            ("default / best", fmt("default_vs_best", ".2f")),
            ("<= 1.10", "target_met"),
            ("load", fmt("load_average", ".1f")),
        ],
        "Threads: num_threads=None against 1 thread and one per core",
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeats", type=int)
    args = parser.parse_args()
    print(f"torch threads at start: {torch.get_num_threads()}")
    records = run(args.quick, args.repeats)
    print(report(records))
    emit_json(records)


if __name__ == "__main__":
    main()
