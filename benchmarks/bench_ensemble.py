"""Cost of ``ensemble_size``: k members trained together against one network.

Fits ``RecurrentForecaster(ensemble_size=k)`` for k = 1, 5 and 10 side by side
(alternating rounds, medians of process CPU time) on windows of a random walk:
windows of 24 steps, 12 outputs, batch 32, 10 epochs, the sizes of the sktime
face's default network (5 LSTM members of 16 units), at 16, 32 and 64 units
for every cell. The targets of the issue: 5 members cost at most 2x one
network at 16 and 32 units and at most 3x at 64. The alternative, k separate
fits, costs k x one network.

Run: ``python benchmarks/bench_ensemble.py [--quick] [--repeats N]``
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from _common import alternate, fmt, main_for, median, random_walk, set_threads, table

from skrnn import RecurrentForecaster

WINDOW, HORIZON = 24, 12
SIZES = (5, 10)
TARGETS = {16: 2.0, 32: 2.0, 64: 3.0}  # most a 5-member ensemble may cost


def run(quick=False, repeats=None, threads=1):
    """Time one network and ensembles of 5 and 10 for each cell and width."""
    set_threads(threads)
    repeats = repeats or (2 if quick else 3)
    series = random_walk(1000 if quick else 3000).astype(float)
    X = np.lib.stride_tricks.sliding_window_view(series[:-HORIZON], WINDOW)
    y = np.lib.stride_tricks.sliding_window_view(series[WINDOW:], HORIZON)
    RecurrentForecaster(hidden_size=4, max_epochs=1).fit(X[:64], y[:64])  # imports
    records = []
    for cell in ("lstm", "gru", "rnn"):
        for hidden in TARGETS:
            params = dict(
                cell=cell,
                hidden_size=hidden,
                max_epochs=3 if quick else 10,
                num_threads=threads,
                random_state=0,
            )

            def fit(k, params=params):
                RecurrentForecaster(**params, ensemble_size=k).fit(X, y)

            candidates = {k: (lambda k=k: fit(k)) for k in (1, *SIZES)}
            times = alternate(candidates, repeats, warmup=False)
            one = median(times[1]["cpu"])
            record = {"bench": "ensemble", "cell": cell, "hidden": hidden}
            record["one_s"] = one
            for k in SIZES:
                record[f"k{k}_s"] = median(times[k]["cpu"])
                record[f"k{k}_ratio"] = record[f"k{k}_s"] / one
                record[f"k{k}_wall_ratio"] = median(times[k]["wall"]) / median(
                    times[1]["wall"]
                )
            record["target"] = TARGETS[hidden]
            record["target_met"] = record["k5_ratio"] <= TARGETS[hidden]
            records.append(record)
    return records


def report(records):
    """Markdown table of the records."""
    return table(
        records,
        [
            ("cell", "cell"),
            ("hidden", "hidden"),
            ("1 network (s CPU)", fmt("one_s", ".2f")),
            ("5 members (s CPU)", fmt("k5_s", ".2f")),
            ("10 members (s CPU)", fmt("k10_s", ".2f")),
            ("5 / 1", fmt("k5_ratio", ".2f")),
            ("10 / 1", fmt("k10_ratio", ".2f")),
            ("5 / 1 wall", fmt("k5_wall_ratio", ".2f")),
            ("target (5 / 1)", fmt("target", ".0f")),
            ("met", "target_met"),
        ],
        title="Ensembles: k members trained together vs one network (CPU time)",
    )


if __name__ == "__main__":
    main_for(__doc__.splitlines()[0], run, report)
