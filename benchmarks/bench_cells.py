"""Speed of the step-by-step cells (recurrent dropout, layer-normalized) vs fused.

Trains each variant through the estimator (so skorch's per-batch overhead is
included) on Géron's sine windows (hidden 20, batch 32) and reports the
steady-state milliseconds per training epoch. The loop variants are timed with
the plain Python loop that skrnn ships and with the same loop compiled by
``torch.jit.script``. (``torch.compile`` was also tried: about 2.4x faster per
epoch for the LSTM, but about 5 minutes of compilation in every new process.)

Run: ``python benchmarks/bench_cells.py [--quick]``
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import time

import torch
from _common import fmt, main_for, set_threads, table

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


def run(quick=False, repeats=None, threads=1):
    """Time every cell x variant x loop; return the records."""
    set_threads(threads)
    del repeats  # one fit per case: its epochs after the first are the repeats
    n_series = 500 if quick else 2000
    epochs = 3
    series = make_sine_waves(n_series, n_steps=51, random_state=42)
    X, y = series[:, :50], series[:, 50, 0]
    python_loop = cells._cell_loop
    loops = {"python": python_loop, "torchscript": torch.jit.script(python_loop)}
    records = []
    for cell in ("lstm", "gru", "rnn"):
        fused_ms = None
        for variant, params in VARIANTS.items():
            variant_loops = loops.items() if variant != "fused" else [("", None)]
            for loop_name, loop in variant_loops:
                if loop is not None:
                    cells._cell_loop = loop
                try:
                    ms, wall = _epoch_ms({"cell": cell, **params}, X, y, epochs)
                finally:
                    cells._cell_loop = python_loop
                if variant == "fused":
                    fused_ms = ms
                records.append(
                    {
                        "bench": "cells",
                        "cell": cell,
                        "variant": variant,
                        "loop": loop_name or "fused kernel",
                        "ms_per_epoch": ms,
                        "vs_fused": ms / fused_ms,
                        "fit_seconds": wall,
                        "n_series": n_series,
                        "epochs": epochs,
                    }
                )
    return records


def report(records):
    """Human table of the records."""
    return table(
        records,
        [
            ("cell", "cell"),
            ("variant", "variant"),
            ("loop", "loop"),
            ("ms per epoch", fmt("ms_per_epoch", ".1f")),
            ("x fused", fmt("vs_fused", ".2f")),
        ],
        f"Step-by-step cells: {records[0]['n_series']} windows of 50 steps, "
        "hidden 20, batch 32",
    )


def main():
    main_for(__doc__, run, report)


if __name__ == "__main__":
    main()
