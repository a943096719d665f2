"""Cost of ``ensemble_size``: k members in one fused network against one network.

Fits ``RecurrentForecaster(ensemble_size=k)`` and ``ensemble_size=1`` side by
side (alternating rounds, medians) on windows of a random walk: windows of 24
steps, 12 outputs, batch 32, 10 epochs, the sizes of the sktime face's default
network. The target of the issue: an ensemble of 5 small networks costs at
most 2x one network. The alternative, k separate fits, costs k x one network.

Run: ``python benchmarks/bench_ensemble.py [--quick]``
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from _common import alternate, fmt, main_for, median, random_walk, set_threads, table

from skrnn import RecurrentForecaster

WINDOW, HORIZON = 24, 12


def run(quick=False, repeats=None, threads=1):
    """Time one network and ensembles of 5 for each cell and width."""
    set_threads(threads)
    repeats = repeats or (2 if quick else 5)
    series = random_walk(1000 if quick else 3000).astype(float)
    X = np.lib.stride_tricks.sliding_window_view(series[:-HORIZON], WINDOW)
    y = np.lib.stride_tricks.sliding_window_view(series[WINDOW:], HORIZON)
    records = []
    for cell in ("lstm", "gru", "rnn"):
        for hidden in (16, 32):
            params = dict(
                cell=cell,
                hidden_size=hidden,
                max_epochs=3 if quick else 10,
                num_threads=threads,
                random_state=0,
            )

            def fit(k, params=params):
                RecurrentForecaster(**params, ensemble_size=k).fit(X, y)

            times = alternate({1: lambda: fit(1), 5: lambda: fit(5)}, repeats)
            one, five = median(times[1]["wall"]), median(times[5]["wall"])
            records.append(
                {
                    "bench": "ensemble",
                    "cell": cell,
                    "hidden": hidden,
                    "one_s": one,
                    "five_s": five,
                    "ratio": five / one,
                    "cpu_ratio": median(times[5]["cpu"]) / median(times[1]["cpu"]),
                    "within_2x": five / one <= 2.0,
                }
            )
    return records


def report(records):
    """Markdown table of the records."""
    return table(
        records,
        [
            ("cell", "cell"),
            ("hidden", "hidden"),
            ("1 network (s)", fmt("one_s", ".2f")),
            ("5 members (s)", fmt("five_s", ".2f")),
            ("5 / 1", fmt("ratio", ".2f")),
            ("CPU-time ratio", fmt("cpu_ratio", ".2f")),
            ("<= 2", "within_2x"),
        ],
        title="Ensembles: 5 members in one fused network vs one network",
    )


if __name__ == "__main__":
    main_for(__doc__.splitlines()[0], run, report)
