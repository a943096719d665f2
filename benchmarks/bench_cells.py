"""Speed of the step-by-step cells (recurrent dropout, layer-normalized) vs fused.

Trains each variant through the estimator (so skorch's per-batch overhead is
included) on Géron's sine windows and prints milliseconds per training epoch,
as a table and as JSON lines. The loop variants are timed with the plain
Python loop that skrnn ships and with the same loop compiled by
``torch.jit.script`` (and, with ``--compile``, by ``torch.compile``).

Run: ``python benchmarks/bench_cells.py [--n-series 2000] [--epochs 3] [--compile]``
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import json
import time

import torch

import skrnn._cells as cells
from skrnn import RecurrentForecaster
from skrnn.datasets import make_sine_waves

VARIANTS = {
    "fused": {},
    "recurrent_dropout": {"recurrent_dropout": 0.2},
    "cell_layer_norm": {"layer_norm": "cell"},
}


def _epoch_ms(params, X, y, epochs):
    model = RecurrentForecaster(
        hidden_size=20, max_epochs=epochs, batch_size=32, scale=False, random_state=0
    )
    model.set_params(**params)
    start = time.perf_counter()
    model.fit(X, y)
    wall = time.perf_counter() - start
    # The first epoch pays one-time costs (TorchScript profiling, allocator).
    durations = model.history_[:, "dur"]
    steady = durations[1:] if len(durations) > 1 else durations
    return 1000 * sum(steady) / len(steady), wall


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-series", type=int, default=2000)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--compile", action="store_true", help="also torch.compile")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    series = make_sine_waves(args.n_series, n_steps=51, random_state=42)
    X, y = series[:, :50], series[:, 50, 0]

    python_loop = cells._cell_loop
    loops = {"python": python_loop, "torchscript": torch.jit.script(python_loop)}
    if args.compile:
        loops["torch.compile"] = torch.compile(python_loop, dynamic=True)
    rows = []
    for cell in ("lstm", "gru", "rnn"):
        fused_ms = None
        for variant, params in VARIANTS.items():
            variant_loops = loops.items() if variant != "fused" else [("", None)]
            for loop_name, loop in variant_loops:
                if loop is not None:
                    cells._cell_loop = loop
                try:
                    ms, wall = _epoch_ms({"cell": cell, **params}, X, y, args.epochs)
                finally:
                    cells._cell_loop = python_loop
                if variant == "fused":
                    fused_ms = ms
                row = {
                    "cell": cell,
                    "variant": variant,
                    "loop": loop_name or "fused kernel",
                    "ms_per_epoch": round(ms, 1),
                    "vs_fused": round(ms / fused_ms, 2),
                    "fit_seconds": round(wall, 2),
                    "n_series": args.n_series,
                    "threads": args.threads,
                }
                rows.append(row)
                print(json.dumps(row), flush=True)
    print()
    print(f"{'cell':6} {'variant':18} {'loop':14} {'ms/epoch':>9} {'x fused':>8}")
    for r in rows:
        print(
            f"{r['cell']:6} {r['variant']:18} {r['loop']:14} "
            f"{r['ms_per_epoch']:9.1f} {r['vs_fused']:8.2f}"
        )


if __name__ == "__main__":
    main()
