"""Prediction: skrnn ``predict`` against a bare ``torch.no_grad()`` forward."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

from functools import partial

import numpy as np
import torch
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

from skrnn import RecurrentForecaster
from skrnn._training import eval_batch_size

OLD_CHUNK = 4096  # windows per forward pass of skrnn's predict before tuning


def bare_forward(module, Xt, chunk=None):
    """The baseline: ready float32 tensor, eval mode, no autograd."""
    module.eval()
    with torch.no_grad():
        if chunk is None:
            return module(Xt)
        return torch.cat([module(Xt[i : i + chunk]) for i in range(0, len(Xt), chunk)])


def per_call_us(candidates, rounds, calls=200):
    """Median CPU microseconds per call, the candidates alternating each round."""
    batches = {
        name: partial(lambda fn: [fn() for _ in range(calls)], fn)
        for name, fn in candidates.items()
    }
    times = alternate(batches, rounds)
    return {name: median(t["cpu"]) / calls * 1e6 for name, t in times.items()}


def run(quick=False, repeats=None, threads=1):
    """Run the prediction benchmark; return its records."""
    set_threads(threads)
    n_windows = 5_000 if quick else 20_000
    window = 48
    repeats = repeats or (5 if quick else 9)
    X, y = windows_of(random_walk(n_windows + window), n_windows, window)
    records = []
    for cell in ("lstm", "gru", "rnn"):
        model = RecurrentForecaster(
            cell,
            hidden_size=64,
            max_epochs=1,
            batch_size=256,
            window_norm="last",
            random_state=0,
        ).fit(X[:2000], y[:2000])
        module = model.net_.module_
        level = np.asarray(X[:, -1:], dtype=np.float64)  # window_norm="last"
        Xs = (np.asarray(X, dtype=np.float64) - level - model.x_mean_) / model.x_scale_
        Xt = torch.as_tensor(Xs, dtype=torch.float32).contiguous()
        bare = {
            "bare_same_chunks": partial(
                bare_forward, module, Xt, eval_batch_size(window)
            ),
            "bare_4096_chunks": partial(bare_forward, module, Xt, OLD_CHUNK),
            "bare_one_pass": partial(bare_forward, module, Xt),
        }
        times = alternate({"skrnn": partial(model.predict, X), **bare}, repeats)
        skrnn_s = median(times["skrnn"]["wall"])
        bare_s = min(median(times[name]["wall"]) for name in bare)
        bare_cpu = min(median(times[name]["cpu"]) for name in bare)
        # One window per call: what an online forecaster pays per request.
        single = per_call_us(
            {
                "skrnn": partial(model.predict, X[-1:]),
                "bare": partial(bare_forward, module, Xt[-1:]),
            },
            rounds=repeats,
        )
        expected = bare_forward(module, Xt).numpy()[:, 0] * model.y_scale_[0]
        expected += model.y_mean_[0] + level[:, 0, 0]
        records.append(
            {
                "bench": "predict",
                "cell": cell,
                "hidden_size": 64,
                "n_windows": n_windows,
                "window": window,
                "repeats": repeats,
                "skrnn_s": skrnn_s,
                "chunk": eval_batch_size(window),
                "bare_same_chunks_s": median(times["bare_same_chunks"]["wall"]),
                "bare_4096_chunks_s": median(times["bare_4096_chunks"]["wall"]),
                "bare_one_pass_s": median(times["bare_one_pass"]["wall"]),
                "skrnn_vs_bare": skrnn_s / bare_s,
                "skrnn_vs_bare_cpu": median(times["skrnn"]["cpu"]) / bare_cpu,
                "target_met": skrnn_s / bare_s <= 1.10,
                "single_window_us": single["skrnn"],
                "bare_single_window_us": single["bare"],
                "single_vs_bare_cpu": single["skrnn"] / single["bare"],
                "single_target_met": single["skrnn"] / single["bare"] <= 1.3,
                "max_abs_diff_vs_bare": float(
                    np.max(np.abs(model.predict(X) - expected))
                ),
            }
        )
    return records


def report(records):
    """Human table of the records."""
    return table(
        records,
        [
            ("cell", "cell"),
            ("skrnn predict (s)", fmt("skrnn_s", ".3f")),
            ("chunk", "chunk"),
            ("bare, same chunks (s)", fmt("bare_same_chunks_s", ".3f")),
            ("bare, 4096 chunks (s)", fmt("bare_4096_chunks_s", ".3f")),
            ("bare, one pass (s)", fmt("bare_one_pass_s", ".3f")),
            ("skrnn / best bare", fmt("skrnn_vs_bare", ".3f")),
            ("CPU-time ratio", fmt("skrnn_vs_bare_cpu", ".3f")),
            ("<= 1.10", "target_met"),
            ("1-window predict (us CPU)", fmt("single_window_us", ".0f")),
            ("1-window bare (us CPU)", fmt("bare_single_window_us", ".0f")),
            ("1-window ratio", fmt("single_vs_bare_cpu", ".2f")),
            ("<= 1.3", "single_target_met"),
        ],
        f"Prediction of {records[0]['n_windows']} windows (hidden 64, window "
        f"{records[0]['window']})",
    )


def main():
    main_for(__doc__, run, report)


if __name__ == "__main__":
    main()
