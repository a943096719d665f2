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

Each network is trained with the book's settings (including Keras' weight
initialization, ``weight_init="keras"``, except for WaveNet, which keeps its
own default, ``weight_init="he"``: see below), then at the same 20 epochs with
standardized series (skrnn's default ``scale=True``) and with learning rate
0.01; ``--seeds 0,1,2`` averages over seeds. The series already
lie in about [-0.75, 0.75], so, as in the book, nothing is standardized
(``scale=False``). Set the environment variable ``SKRNN_QUICK=1``
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
from sklearn.base import clone
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
    "--seeds", default="0", help="comma-separated random_state values to average over"
)
parser.add_argument(
    "--weight-init",
    default=None,
    choices=["keras", "pytorch", "he"],
    help="every network's (default: keras, WaveNet he); see below",
)
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

# As in the book, the one-step series are drawn with 51 points and the
# ten-step series with 60: ``np.linspace(0, 1, n)`` then samples the one-step
# series more coarsely, so that task is harder than it looks (naive MSE about
# 0.020 against about 0.015 on 60 points).
one = make_sine_waves(N_TRAIN + N_VALID + N_TEST, N_STEPS + 1, random_state=42)
ten = make_sine_waves(N_TRAIN + N_VALID + N_TEST, N_STEPS + HORIZON, random_state=42)
one, ten = one.astype(np.float64), ten.astype(np.float64)
train, valid = slice(0, N_TRAIN), slice(N_TRAIN, N_TRAIN + N_VALID)
X1, y_next = one[:, :N_STEPS], one[:, N_STEPS, 0]  # (n, 50, 1) windows, next value
X = ten[:, :N_STEPS]
Y_ahead = ten[:, N_STEPS:, 0]  # the next ten values, (n, 10)
# Sequence-to-sequence targets: at every step t, the ten values after t.
Y_seq = np.stack([ten[:, h + 1 : h + 1 + N_STEPS, 0] for h in range(HORIZON)], axis=-1)

# %%
# The models
# ----------
# The book's models and settings: 20 units per layer, batch 32, Adam with
# learning rate 1e-3 (its one-unit simple RNN uses 5e-3, its
# sequence-to-sequence simple RNN 1e-2), and Keras' weight initialization
# (``weight_init="keras"``: Glorot-uniform, orthogonal recurrent weights, zero
# biases; ``--weight-init pytorch`` compares PyTorch's defaults), and no
# per-window normalization (``window_norm=None``: the book has none).
# WaveNet keeps its default ``weight_init="he"``: He-uniform kernels, which keep
# the window's signal at the same scale through its eight ReLU layers, zero
# biases and a zero head (``--weight-init keras`` gives it the book's). Every
# network is also trained at the same budget of 20 epochs
# with two changes, one at a time: standardized inputs and targets (skrnn's
# default ``scale=True``) and a learning rate of 1e-2.
CONFIGS = {
    "book settings": {},
    "scale=True": {"scale": True},
    "lr 0.01": {"lr": 1e-2},
}
common = dict(
    max_epochs=EPOCHS,
    batch_size=32,
    lr=1e-3,
    scale=False,
    weight_init=args.weight_init or "keras",
    window_norm=None,
    random_state=0,
)
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
        SimpleRNNForecaster(**deep, output="sequence", **{**common, "lr": 1e-2}),
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
            filters=20,
            dilations=(1, 2, 4, 8),
            n_blocks=2,
            output="sequence",
            **{**common, "weight_init": args.weight_init or "he"},
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
seeds = [int(seed) for seed in args.seeds.split(",")]


def score(task, model):
    """Fit ``model`` on the training series; validation MSE as the book scores it."""
    if model is None:  # naive: repeat the last value
        return np.mean((X1[valid, -1, 0] - y_next[valid]) ** 2)
    if isinstance(model, LinearRegression):
        model.fit(X1[train, :, 0], y_next[train])
        return np.mean((model.predict(X1[valid, :, 0]) - y_next[valid]) ** 2)
    if task == "1 step":
        pred = model.fit(X1[train], y_next[train]).predict(X1[valid])
        return np.mean((pred - y_next[valid]) ** 2)
    if task == "10 steps":
        pred = model.fit(X[train], Y_ahead[train]).predict(X[valid])
    else:
        pred = model.fit(X[train], Y_seq[train]).predict(X[valid])[:, -1]
    return np.mean((pred - Y_ahead[valid]) ** 2)


def scores(task, model, params):
    """Mean and standard deviation of the validation MSE over the seeds."""
    mses = [
        score(task, clone(model).set_params(random_state=s, **params)) for s in seeds
    ]
    return float(np.mean(mses)), float(np.std(mses))


for name, (task, model, book) in selected.items():
    start = time.perf_counter()
    if model is None or isinstance(model, LinearRegression):
        # Nothing random to average over, nothing to configure.
        skrnn = {"book settings": (float(score(task, model)), 0.0)}
    else:
        skrnn = {}
        for config, params in CONFIGS.items():
            unchanged = all(model.get_params()[k] == v for k, v in params.items())
            # A change the book's model already has (the lr 0.01 of its
            # sequence-to-sequence RNN) gives the book-settings scores again.
            if unchanged and skrnn:
                skrnn[config] = skrnn["book settings"]
            else:
                skrnn[config] = scores(task, model, params)
    results.append(
        {
            "model": name,
            "task": task.split(",")[0],
            "book": book,
            "skrnn": skrnn,
            "seeds": len(seeds),
            "fit_seconds": round((time.perf_counter() - start) / len(seeds), 1),
        }
    )
    print(json.dumps(results[-1]), flush=True)

# %%
# Results
# -------
# A full run (7,000 / 2,000 series, 20 epochs, seeds 0, 1, 2, one CPU thread,
# torch 2.13) gave these validation MSEs, means over the seeds: the book's
# Keras number, then skrnn at the book's settings, with ``scale=True``, and
# with lr 0.01.
#
# ======================  ======  ======  ==========  =======
# model                   Keras   skrnn   scale=True  lr 0.01
# ======================  ======  ======  ==========  =======
# naive                   0.020   0.0196
# linear                  0.004   0.0030
# simple RNN (1 unit)     0.014   0.057   0.057       0.0110
# deep RNN                0.003   0.0029  0.0025      0.0038
# seq-to-vector RNN       0.008   0.0092  0.0075      0.019
# seq-to-seq RNN          0.006   0.0074  0.0073      0.0074
# seq-to-seq LSTM         0.009   0.0080  0.0061      0.0026
# seq-to-seq GRU          0.010   0.0073  0.0056      0.0037
# layer-normalized RNN            0.0137  0.0085      0.0125
# 1-D conv + GRU          0.008   0.0086  0.0050      0.0034
# WaveNet                 0.007   0.0065  0.0069      0.0056
# encoder-decoder GRU             0.0071  0.0078      0.0024
# ======================  ======  ======  ==========  =======
#
# At the book's own settings, skrnn matches or beats the book on the
# baselines, the deep RNN, the LSTM, the GRU and WaveNet, and trails it by 8
# to 23% on the sequence-to-vector RNN, the sequence-to-sequence simple RNN
# (the notebook's 0.006) and the convolution + GRU. The Keras defaults are
# reproduced (initialization, optimizer, batch), but the book reports one
# Keras run per model, and these series are other draws from the same
# generator: the book's WaveNet itself, run in Keras 3 (torch backend) on
# these series with seeds 0, 1, 2, gave 0.0083 ± 0.0012 (0.0067 to 0.0094),
# and skrnn's with Keras' initialization (``--weight-init keras``)
# 0.0086 ± 0.0003, the same within the seeds' spread. WaveNet's row uses its
# default initialization, ``weight_init="he"``: He-uniform kernels keep the
# window's signal at the same scale through the eight ReLU layers, where
# Keras' Glorot kernels halve its variance at each layer and PyTorch's
# defaults (``--weight-init pytorch``: 0.0100 ± 0.0003) lose it under their
# random biases. Within the same 20 epochs, skrnn beats each of the book's
# numbers with one of the two changes, except the notebook's
# sequence-to-sequence simple RNN. Standardizing helps every model but the
# one-unit RNN, the encoder-decoder and WaveNet (and barely moves the
# sequence-to-sequence simple RNN); a learning rate of 0.01 more than halves
# the error of the gated models and of the convolution + GRU, and takes
# WaveNet to 0.0056. The simple
# RNNs are the fragile ones: with one unit, an orthogonal 1x1 recurrent
# weight of -1 failed to train for one seed in three (0.057 ± 0.065), and at
# lr 0.01 the sequence-to-vector RNN diverged toward 0.02 for some seeds.
print(
    f"\n{'model':22} {'task':9} {'book':>6} "
    + " ".join(f"{'skrnn, ' + c:>21}" for c in CONFIGS)
)
for r in results:
    book = "" if r["book"] is None else f"{r['book']:.3f}"
    cells = []
    for config in CONFIGS:
        mean, std = r["skrnn"].get(config, (None, None))
        cells.append("" if mean is None else f"{mean:.4f} ± {std:.4f}")
    print(
        f"{r['model']:22} {r['task']:9} {book:>6} "
        + " ".join(f"{c:>21}" for c in cells)
    )
if args.json:
    with open(args.json, "w") as f:
        json.dump(results, f, indent=1)

fig, ax = plt.subplots(figsize=(8, 6))
names = [r["model"] for r in results]
positions = np.arange(len(results))
bars = {"book (Keras)": ([r["book"] for r in results], None)}
for config in CONFIGS:
    pairs = [r["skrnn"].get(config, (None, None)) for r in results]
    bars[f"skrnn, {config}"] = ([m for m, _ in pairs], [e for _, e in pairs])
height = 0.8 / len(bars)
for i, (label, (values, errors)) in enumerate(bars.items()):
    values = [np.nan if v is None else v for v in values]
    if errors is not None:
        # Log axis: the lower error bar stops short of zero.
        upper = [0.0 if e is None else e for e in errors]
        errors = [np.minimum(upper, 0.9 * np.nan_to_num(values)), upper]
    offset = (i - (len(bars) - 1) / 2) * height
    ax.barh(positions + offset, values, height, xerr=errors, label=label)
ax.set_yticks(positions, names)
ax.invert_yaxis()
ax.set_xscale("log")
ax.set_xlabel("validation MSE (log scale, lower is better)")
ax.set_title(
    f"Géron ch. 15 benchmarks, {EPOCHS} epochs" + (" (quick run)" if QUICK else "")
)
ax.legend()
fig.tight_layout()
if args.figure:
    fig.savefig(args.figure, dpi=100)
