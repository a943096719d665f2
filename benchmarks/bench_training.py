"""Training overhead: skrnn ``fit`` against a hand-written loop and plain skorch."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import timeit
from functools import partial

import numpy as np
import torch
from _common import (
    alternate,
    fmt,
    main_for,
    median,
    random_walk,
    ratio,
    set_threads,
    table,
    windows_of,
)
from skorch import NeuralNetRegressor

from skrnn import RecurrentForecaster
from skrnn._network import RecurrentNetwork
from skrnn._training import WindowDataset

BATCH_SIZE = 64
EPOCHS = 3


def _standardized_tensors(X, y):
    """What a hand-written loop would start from: scaled, contiguous float32."""
    Xs = (X - X.mean()) / X.std()
    ys = ((y - y.mean()) / y.std())[:, None]
    return (
        torch.as_tensor(np.ascontiguousarray(Xs, dtype=np.float32)),
        torch.as_tensor(np.ascontiguousarray(ys, dtype=np.float32)),
    )


def hand_loop(Xt, yt, cell, hidden, epochs=EPOCHS, batch_size=BATCH_SIZE, seed=0):
    """The minimal PyTorch loop: same module class, Adam, batch size, shuffling."""
    torch.manual_seed(seed)
    module = RecurrentNetwork(1, 1, cell=cell, hidden_size=hidden)
    optimizer = torch.optim.Adam(module.parameters(), lr=1e-3)
    criterion = torch.nn.MSELoss()
    module.train()
    n = len(Xt)
    for _ in range(epochs):
        order = torch.randperm(n)
        for start in range(0, n, batch_size):
            rows = order[start : start + batch_size]
            optimizer.zero_grad()
            loss = criterion(module(Xt[rows]), yt[rows])
            loss.backward()
            optimizer.step()
    return module


def plain_skorch(Xs, ys, cell, hidden, epochs=EPOCHS, batch_size=BATCH_SIZE, seed=0):
    """skorch's defaults (DataLoader, per-sample collation), no validation split."""
    torch.manual_seed(seed)
    net = NeuralNetRegressor(
        RecurrentNetwork,
        module__n_features=1,
        module__n_outputs=1,
        module__cell=cell,
        module__hidden_size=hidden,
        optimizer=torch.optim.Adam,
        lr=1e-3,
        max_epochs=epochs,
        batch_size=batch_size,
        train_split=None,
        iterator_train__shuffle=True,
        verbose=0,
    )
    return net.fit(Xs, ys)


def skrnn_fit(
    X, y, cell, hidden, epochs=EPOCHS, batch_size=BATCH_SIZE, seed=0, **params
):
    """The estimator under test, from the strided windows."""
    return RecurrentForecaster(
        cell,
        hidden_size=hidden,
        batch_size=batch_size,
        max_epochs=epochs,
        random_state=seed,
        **params,
    ).fit(X, y)


def data_path(X, y, repeats=5):
    """Cost of gathering + scaling one batch, float64 arithmetic vs float32 copy."""
    rng = np.random.default_rng(0)
    stats = (np.array([float(X.mean())]), np.array([float(X.std())]))
    y_stats = (np.array([float(y.mean())]), np.array([float(y.std())]))
    dataset = WindowDataset(X, y[:, None], stats, y_stats, False, torch.float32)
    Xt, yt = _standardized_tensors(X, y)
    records = []
    for batch_size in (64, 1024):
        rows = rng.permutation(len(X))[:batch_size]
        trows = torch.as_tensor(rows)
        skrnn_us = min(
            timeit.repeat(partial(dataset.batch, rows), number=200, repeat=repeats)
        )
        bare_us = min(
            timeit.repeat(lambda r=trows: (Xt[r], yt[r]), number=200, repeat=repeats)
        )
        records.append(
            {
                "bench": "batch",
                "batch_size": batch_size,
                "skrnn_batch_us": skrnn_us / 200 * 1e6,
                "tensor_index_us": bare_us / 200 * 1e6,
            }
        )
    return records


def run(quick=False, repeats=None, threads=1):
    """Run the training benchmark; return its records."""
    set_threads(threads)
    n_windows = 5_000 if quick else 20_000
    window = 48
    repeats = repeats or (3 if quick else 7)
    X, y = windows_of(random_walk(n_windows + window), n_windows, window)
    Xt, yt = _standardized_tensors(X, y)
    Xs, ys = Xt.numpy(), yt.numpy()
    records = []
    configs = [(cell, 64) for cell in ("lstm", "gru", "rnn")]
    configs += [(cell, 8) for cell in ("lstm", "gru", "rnn")]
    for cell, hidden in configs:
        times = alternate(
            {
                "torch": partial(hand_loop, Xt, yt, cell, hidden),
                "skrnn": partial(skrnn_fit, X, y, cell, hidden),
                # what "auto" chooses for a random walk, without the
                # stationarity test that chooses it
                "skrnn_last": partial(
                    skrnn_fit, X, y, cell, hidden, window_norm="last"
                ),
                "skorch": partial(plain_skorch, Xs, ys, cell, hidden),
            },
            repeats,
        )
        vs_torch, vs_torch_paired = ratio(times, "skrnn", "torch")
        vs_torch_cpu, _ = ratio(times, "skrnn", "torch", kind="cpu")
        vs_skorch, _ = ratio(times, "skrnn", "skorch")
        last_vs_torch_cpu, _ = ratio(times, "skrnn_last", "torch", kind="cpu")
        records.append(
            {
                "bench": "training",
                "cell": cell,
                "hidden_size": hidden,
                "n_windows": n_windows,
                "window": window,
                "batch_size": BATCH_SIZE,
                "epochs": EPOCHS,
                "repeats": repeats,
                "torch_s": median(times["torch"]["wall"]),
                "skrnn_s": median(times["skrnn"]["wall"]),
                "skorch_s": median(times["skorch"]["wall"]),
                "skrnn_vs_torch": vs_torch,
                "skrnn_vs_torch_paired": vs_torch_paired,
                "skrnn_vs_torch_cpu": vs_torch_cpu,
                "skrnn_vs_skorch": vs_skorch,
                "skrnn_last_vs_torch_cpu": last_vs_torch_cpu,
                "target_met": vs_torch_cpu <= 1.10,
                "times": times,
            }
        )
    records.extend(data_path(X, y))
    return records


def report(records):
    """Human tables of the records."""
    training = [r for r in records if r["bench"] == "training"]
    batch = [r for r in records if r["bench"] == "batch"]
    parts = [
        table(
            training,
            [
                ("cell", "cell"),
                ("hidden", "hidden_size"),
                ("torch loop (s)", fmt("torch_s", ".2f")),
                ("skrnn fit (s)", fmt("skrnn_s", ".2f")),
                ("plain skorch (s)", fmt("skorch_s", ".2f")),
                ("skrnn / torch", fmt("skrnn_vs_torch", ".3f")),
                ("paired median", fmt("skrnn_vs_torch_paired", ".3f")),
                ("CPU-time ratio", fmt("skrnn_vs_torch_cpu", ".3f")),
                ("skrnn / skorch", fmt("skrnn_vs_skorch", ".3f")),
                (
                    "window_norm='last': CPU ratio",
                    fmt("skrnn_last_vs_torch_cpu", ".3f"),
                ),
                ("<= 1.10", "target_met"),
            ],
            "Training: fit vs hand-written loop vs plain skorch",
        ),
        table(
            batch,
            [
                ("batch size", "batch_size"),
                ("skrnn gather+scale (us)", fmt("skrnn_batch_us", ".1f")),
                ("index of ready tensor (us)", fmt("tensor_index_us", ".1f")),
            ],
            "Data path: one training batch from strided float32 windows",
        ),
    ]
    return "\n\n".join(parts)


def main():
    main_for(__doc__, run, report)


if __name__ == "__main__":
    main()
