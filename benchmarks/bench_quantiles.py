"""Cost of a quantile head: 3 and 9 quantiles against the point head.

Fits each forecaster three ways side by side (alternating rounds, medians of
process CPU time): the point head (``loss="mse"``), and quantile heads
(``loss="pinball"``) of 3 levels (0.1, 0.5, 0.9) and 9 levels (0.1 to 0.9),
on windows of a random walk: windows of 24 steps, 12 horizons (the sktime
face's default shape), batch 32, 10 epochs. The head then has 36 or 108
outputs instead of 12, mapped to non-decreasing quantiles, and the loss is the
pinball loss over all of them. The target of issue 28: at most 1.2 times the
point head.

Run: ``python benchmarks/bench_quantiles.py [--quick] [--repeats N]``
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from _common import alternate, fmt, main_for, median, random_walk, set_threads, table

from skrnn import RecurrentForecaster, WaveNetForecaster

WINDOW, HORIZON = 24, 12
TARGET = 1.2
HEADS = {
    "point": {},
    "q3": dict(loss="pinball", quantiles=(0.1, 0.5, 0.9)),
    "q9": dict(loss="pinball", quantiles=tuple(np.round(np.arange(1, 10) / 10, 1))),
}
CONFIGS = [
    ("lstm", 16),
    ("lstm", 64),
    ("gru", 16),
    ("rnn", 16),
    ("wavenet", 20),
]


def _forecaster(name, width, threads, epochs, **head):
    common = dict(max_epochs=epochs, num_threads=threads, random_state=0, **head)
    if name == "wavenet":
        return WaveNetForecaster(filters=width, **common)
    return RecurrentForecaster(name, hidden_size=width, **common)


def run(quick=False, repeats=None, threads=1):
    """Time the point head and quantile heads of 3 and 9 levels per network."""
    set_threads(threads)
    repeats = repeats or (2 if quick else 5)
    epochs = 3 if quick else 10
    series = random_walk(1000 if quick else 3000).astype(float)
    X = np.lib.stride_tricks.sliding_window_view(series[:-HORIZON], WINDOW)
    y = np.lib.stride_tricks.sliding_window_view(series[WINDOW:], HORIZON)
    RecurrentForecaster(hidden_size=4, max_epochs=1).fit(X[:64], y[:64])  # imports
    records = []
    for name, width in CONFIGS:

        def fit(head, name=name, width=width):
            _forecaster(name, width, threads, epochs, **HEADS[head]).fit(X, y)

        candidates = {head: (lambda head=head: fit(head)) for head in HEADS}
        times = alternate(candidates, repeats, warmup=True)
        point = median(times["point"]["cpu"])
        record = {"bench": "quantiles", "network": name, "width": width}
        record.update(n_windows=len(X), epochs=epochs, repeats=repeats)
        record["point_s"] = point
        for head in ("q3", "q9"):
            record[f"{head}_s"] = median(times[head]["cpu"])
            record[f"{head}_ratio"] = record[f"{head}_s"] / point
            record[f"{head}_wall_ratio"] = median(times[head]["wall"]) / median(
                times["point"]["wall"]
            )
        record["target"] = TARGET
        record["target_met"] = max(record["q3_ratio"], record["q9_ratio"]) <= TARGET
        records.append(record)
    return records


def report(records):
    """Markdown table of the records."""
    return table(
        records,
        [
            ("network", "network"),
            ("width", "width"),
            ("point (s CPU)", fmt("point_s", ".2f")),
            ("3 quantiles (s CPU)", fmt("q3_s", ".2f")),
            ("9 quantiles (s CPU)", fmt("q9_s", ".2f")),
            ("3q / point", fmt("q3_ratio", ".3f")),
            ("9q / point", fmt("q9_ratio", ".3f")),
            ("3q / point wall", fmt("q3_wall_ratio", ".3f")),
            ("9q / point wall", fmt("q9_wall_ratio", ".3f")),
            (f"<= {TARGET}", "target_met"),
        ],
        "Quantile heads: training time against the point head (one torch thread)",
    )


def main():
    main_for(__doc__, run, report)


if __name__ == "__main__":
    main()
