"""
==============================================
The textbook's sequence benchmarks, reproduced
==============================================

Chapter 15 of A. Géron's *Hands-On Machine Learning with Scikit-Learn, Keras
and TensorFlow* (2nd edition) compares forecasters on sums of two noisy sine
waves (:func:`skrnn.datasets.make_sine_waves`): 7,000 training, 2,000
validation and 1,000 test series of 50 steps, all trained 20 epochs with Adam
(batch 32). This example builds every model of the chapter with skrnn's
estimators and reports the validation mean squared error next to the book's
Keras numbers:

* one step ahead: naive (last value), linear regression on the 50 lags, a
  one-unit simple RNN, a deep (two-layer) simple RNN;
* ten steps ahead, scored on the ten values after the window: a
  sequence-to-vector RNN (``y`` of shape ``(n, 10)``), sequence-to-sequence
  RNN, LSTM and GRU (``output="sequence"``: ten targets at every step, scored
  on the last step), a simple RNN with layer-normalized cells, a causal 1-D
  convolution with stride 2 before a GRU, WaveNet, and skrnn's encoder-decoder
  GRU (not in the book).

The series already lie in about [-0.75, 0.75], so, as in the book, nothing is
standardized (``scale=False``). Set the environment variable ``SKRNN_QUICK=1``
(or pass ``--quick``) for a small, fast run (documentation builds); the full run
takes several minutes on a laptop CPU.
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

# %%
# Data
# ----
import argparse
import json
import os
import sys
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.linear_model import LinearRegression

from skrnn import (
    GRUForecaster,
    LSTMForecaster,
    SimpleRNNForecaster,
    WaveNetForecaster,
)
from skrnn.datasets import make_sine_waves

parser = argparse.ArgumentParser(description="Géron chapter 15 benchmarks")
parser.add_argument("--quick", action="store_true", help="small, fast run")
parser.add_argument("--figure", default="textbook_benchmarks.png")
parser.add_argument("--json", default=None, help="write the results here")
parser.add_argument("--models", default=None, help="comma-separated subset to run")
parser.add_argument(
    "--from-json", default=None, help="comma-separated result files: plot them only"
)
args, _ = parser.parse_known_args(sys.argv[1:])
QUICK = args.quick or os.environ.get("SKRNN_QUICK") == "1"

N_TRAIN, N_VALID, N_TEST = (700, 200, 100) if QUICK else (7000, 2000, 1000)
EPOCHS = 2 if QUICK else 20
N_STEPS, HORIZON = 50, 10
# One thread: these networks are small, and on a busy machine two threads wait
# for each other at every operation (measured: several times slower).
torch.set_num_threads(1)

series = make_sine_waves(N_TRAIN + N_VALID + N_TEST, N_STEPS + HORIZON, random_state=42)
series = series.astype(np.float64)
train, valid = slice(0, N_TRAIN), slice(N_TRAIN, N_TRAIN + N_VALID)
X = series[:, :N_STEPS]  # (n, 50, 1) windows
y_next = series[:, N_STEPS, 0]  # one step ahead
Y_ahead = series[:, N_STEPS:, 0]  # the next ten values, (n, 10)
# Sequence-to-sequence targets: at every step t, the ten values after t.
Y_seq = np.stack(
    [series[:, h + 1 : h + 1 + N_STEPS, 0] for h in range(HORIZON)], axis=-1
)

# %%
# The models
# ----------
# Same sizes as the book: 20 units per layer, batch 32, Adam with learning rate
# 1e-3 (the book's one-unit simple RNN uses 5e-3).
common = dict(max_epochs=EPOCHS, batch_size=32, lr=1e-3, scale=False, random_state=0)
deep = dict(hidden_size=20, num_layers=2)
MODELS = {
    # name: (task, estimator or None, book's validation MSE)
    "naive": ("1 step", None, 0.020),
    "linear": ("1 step", LinearRegression(), 0.004),
    "simple RNN (1 unit)": (
        "1 step",
        SimpleRNNForecaster(hidden_size=1, **{**common, "lr": 5e-3}),
        0.014,
    ),
    "deep RNN": ("1 step", SimpleRNNForecaster(**deep, **common), 0.003),
    "seq-to-vector RNN": ("10 steps", SimpleRNNForecaster(**deep, **common), 0.008),
    "seq-to-seq RNN": (
        "10 steps, seq",
        SimpleRNNForecaster(**deep, output="sequence", **common),
        0.006,
    ),
    "seq-to-seq LSTM": (
        "10 steps, seq",
        LSTMForecaster(**deep, output="sequence", **common),
        0.009,
    ),
    "seq-to-seq GRU": (
        "10 steps, seq",
        GRUForecaster(**deep, output="sequence", **common),
        0.010,
    ),
    "layer-normalized RNN": (
        "10 steps, seq",
        SimpleRNNForecaster(**deep, layer_norm="cell", output="sequence", **common),
        None,
    ),
    "1-D conv + GRU": (
        "10 steps, seq",
        GRUForecaster(
            **deep,
            conv_filters=20,
            conv_kernel_size=4,
            conv_stride=2,
            output="sequence",
            **common,
        ),
        0.008,
    ),
    "WaveNet": (
        "10 steps, seq",
        WaveNetForecaster(
            filters=20, dilations=(1, 2, 4, 8), n_blocks=2, output="sequence", **common
        ),
        0.007,
    ),
    "encoder-decoder GRU": (
        "10 steps",
        GRUForecaster(**deep, decoder=True, **common),
        None,
    ),
}

# %%
# Training and validation
# -----------------------
# Sequence models are scored like the book's ``last_time_step_mse``: on the
# last step's ten forecasts, which are the ten values after the window.
results = []
selected = MODELS
if args.models:
    selected = {k: v for k, v in MODELS.items() if k in args.models.split(",")}
if args.from_json:
    selected = {}
    for path in args.from_json.split(","):
        with open(path) as f:
            results.extend(json.load(f))
    order = list(MODELS)
    results.sort(key=lambda r: order.index(r["model"]))
for name, (task, model, book) in selected.items():
    start = time.perf_counter()
    if model is None:  # naive: repeat the last value
        pred = X[valid, -1, 0] if task == "1 step" else None
        truth = y_next[valid]
    elif isinstance(model, LinearRegression):
        model.fit(X[train, :, 0], y_next[train])
        pred, truth = model.predict(X[valid, :, 0]), y_next[valid]
    elif task == "1 step":
        model.fit(X[train], y_next[train])
        pred, truth = model.predict(X[valid]), y_next[valid]
    elif task == "10 steps":
        model.fit(X[train], Y_ahead[train])
        pred, truth = model.predict(X[valid]), Y_ahead[valid]
    else:
        model.fit(X[train], Y_seq[train])
        pred, truth = model.predict(X[valid])[:, -1], Y_ahead[valid]
    seconds = time.perf_counter() - start
    mse = float(np.mean((pred - truth) ** 2))
    results.append(
        {"model": name, "task": task.split(",")[0], "valid_mse": mse, "book": book}
    )
    results[-1]["fit_seconds"] = round(seconds, 1)
    print(json.dumps(results[-1]), flush=True)

# %%
# Results
# -------
# A full run (7,000 / 2,000 series, 20 epochs, one CPU thread, skrnn 0.1.0,
# torch 2.13) gave these validation MSEs (book's Keras numbers in brackets):
# naive 0.0148 (0.020), linear 0.0025 (0.004), one-unit simple RNN 0.0092
# (0.014), deep RNN 0.0027 (0.003); ten steps ahead: seq-to-vector RNN 0.0118
# (0.008), seq-to-seq RNN 0.0128 (0.006), LSTM 0.0075 (~0.009), GRU 0.0084
# (~0.010), layer-normalized RNN 0.0148, 1-D conv + GRU 0.0064 (0.008),
# WaveNet 0.0097 (0.007), encoder-decoder GRU 0.0074. The data are drawn with
# another generator than the book's, so only the ranking is comparable.
print(f"\n{'model':22} {'task':9} {'valid MSE':>10} {'book':>7} {'seconds':>8}")
for r in results:
    book = "" if r["book"] is None else f"{r['book']:.3f}"
    print(
        f"{r['model']:22} {r['task']:9} {r['valid_mse']:10.4f} {book:>7} "
        f"{r['fit_seconds']:8.1f}"
    )
if args.json:
    with open(args.json, "w") as f:
        json.dump(results, f, indent=1)

fig, ax = plt.subplots(figsize=(8, 5))
names = [r["model"] for r in results]
positions = np.arange(len(results))
ax.barh(positions + 0.2, [r["valid_mse"] for r in results], 0.4, label="skrnn")
ax.barh(
    positions - 0.2,
    [np.nan if r["book"] is None else r["book"] for r in results],
    0.4,
    label="book (Keras)",
)
ax.set_yticks(positions, names)
ax.invert_yaxis()
ax.set_xlabel("validation MSE (lower is better)")
ax.set_title(
    f"Géron ch. 15 benchmarks, {EPOCHS} epochs" + (" (quick run)" if QUICK else "")
)
ax.legend()
fig.tight_layout()
if args.figure:
    fig.savefig(args.figure, dpi=100)
