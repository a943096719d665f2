"""Validation error of each ``window_norm`` on stationary series, and what "auto" picks.

The scikit-learn estimators on synthetic stationary data, where a shift by
the window's last value hides the level that forecasts a mean-reverting
series:

- ``sines``: the textbook's series (Géron, *Hands-On Machine Learning*,
  ch. 15: two noisy sines of random phases and frequencies, with the book's
  seed), 10,000 series of 60 steps: 50 in, the next 10 out, the first 7,000
  train and the next 2,000 validate, as in the book;
- ``arma``: 10,000 stationary ARMA(2, 1) series of 60 steps with random
  coefficients, laid out the same way;
- ``arma-long``: one ARMA(2, 1) series of 6,000 steps windowed in time
  order (50 in, 10 out), the first 70% of the windows train, the last 20%
  validate (the 10% between are dropped, so no target is shared).

Each estimator (the book's two stacked simple RNN layers of 20 units, and
an LSTM with the defaults; 20 epochs each, as the book) is fitted with
every ``window_norm`` for each seed. The table gives the mean validation MSE
over the seeds, what ``"auto"`` chose and the ratio of its error to the best
setting's.

Run: ``python benchmarks/accuracy_window_norm.py [--quick] [--seeds 0,1]``
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import time

import numpy as np
from _datasets import generate_arma, generate_sines

from skrnn import LSTMForecaster, SimpleRNNForecaster

NORMS = ("auto", None, "last", "mean", "last+level")
N_IN, N_OUT = 50, 10


def rows(series, train, valid):
    """Independent series as rows: 50 steps in, the next 10 out."""
    X, y = series[:, :N_IN, None], series[:, N_IN:]
    return (X[:train], y[:train]), (X[train : train + valid], y[train : train + valid])


def long_series(series):
    """One series windowed in time order: oldest 70% train, last 20% validate."""
    w = np.lib.stride_tricks.sliding_window_view(series, N_IN + N_OUT)
    X, y = w[:, :N_IN, None], w[:, N_IN:]
    n = len(X)
    train, valid = slice(0, int(0.7 * n)), slice(int(0.8 * n), n)
    return (X[train], y[train]), (X[valid], y[valid])


def datasets(quick):
    n = 2000 if quick else 10_000
    train, valid = int(0.7 * n), int(0.2 * n)
    yield "sines", rows(generate_sines(n, N_IN + N_OUT), train, valid)
    yield "arma", rows(generate_arma(n, N_IN + N_OUT, burn_in=100)[0], train, valid)
    yield "arma-long", long_series(generate_arma(1, 1200 if quick else 6000)[0][0])


ESTIMATORS = {
    "simple RNN 2x20 (book)": lambda: SimpleRNNForecaster(hidden_size=20, num_layers=2),
    "LSTM (defaults)": LSTMForecaster,
}


def run(quick=False, seeds=(0, 1)):
    records = []
    for name, ((X, y), (Xv, yv)) in datasets(quick):
        for label, make in ESTIMATORS.items():
            for seed in seeds:
                auto = None
                for norm in NORMS:
                    if auto is not None and norm == auto["chosen"]:
                        # "auto" chose it: the same seeded fit, not run twice
                        records.append({**auto, "window_norm": norm})
                        continue
                    start = time.perf_counter()
                    model = make().set_params(
                        window_norm=norm,
                        max_epochs=5 if quick else 20,
                        random_state=seed,
                    )
                    model.fit(X, y)
                    records.append(
                        {
                            "data": name,
                            "estimator": label,
                            "window_norm": norm,
                            "chosen": model.window_norm_,
                            "seed": seed,
                            "mse": float(np.mean((model.predict(Xv) - yv) ** 2)),
                            "seconds": time.perf_counter() - start,
                        }
                    )
                    print(records[-1], flush=True)
                    if norm == "auto":
                        auto = records[-1]
    return records


def table(records):
    lines = [
        "| data | estimator | auto chose | auto | None | last | mean | last+level "
        "| auto / best |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    keys = dict.fromkeys((r["data"], r["estimator"]) for r in records)
    for data, estimator in keys:
        mine = [r for r in records if (r["data"], r["estimator"]) == (data, estimator)]
        mse = {
            norm: np.mean([r["mse"] for r in mine if r["window_norm"] == norm])
            for norm in NORMS
        }
        chosen = {r["chosen"] for r in mine if r["window_norm"] == "auto"}
        best = min(mse[norm] for norm in NORMS[1:])
        cells = " | ".join(f"{mse[norm]:.4f}" for norm in NORMS)
        lines.append(
            f"| {data} | {estimator} | {', '.join(map(str, chosen))} | {cells} "
            f"| {mse['auto'] / best:.2f} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller data, 5 epochs")
    parser.add_argument("--seeds", default="0,1", help="network seeds (default 0,1)")
    parser.add_argument("--threads", type=int, default=1, help="torch threads")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    seeds = tuple(int(s) for s in args.seeds.split(","))
    print(table(run(args.quick, seeds)))


if __name__ == "__main__":
    main()
