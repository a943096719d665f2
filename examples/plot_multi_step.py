"""
===============================================================
Several steps ahead: recursive, direct and sequence-to-sequence
===============================================================

Forecasting ``H = 10`` steps of a noisy sine wave with the same LSTM in three
ways:

* **recursive**: a one-step network applied 10 times, each forecast appended
  to the window as if it had been observed;
* **direct**: one network with 10 outputs, trained on targets of shape
  ``(n, 10)``;
* **sequence-to-sequence**: ``output="sequence"``; at every step of the window
  the network predicts the next 10 values (targets ``(n, n_steps, 10)``), and
  the forecast is the prediction at the last step.

Two baselines keep them honest: the naive forecast (the last value, repeated)
and a linear model (``Ridge`` on the same lags, from
``LagWindowTransformer(flatten=True)``).
"""

# %%
# Data and targets
# ----------------
import os

import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import Ridge

from skrnn import LagWindowTransformer, LSTMForecaster, make_supervised
from skrnn.datasets import make_sine_series

QUICK = os.environ.get("SKRNN_QUICK") == "1"  # CI: fewer epochs, same code
EPOCHS = 3 if QUICK else 40

H, n_steps = 10, 40
series = make_sine_series(n_timepoints=1500, period=30.0, noise=0.1, random_state=0)
frame = series.to_frame()
# Row t: features up to t, targets y[t+1] .. y[t+H]
X, Y = make_supervised(frame, "y", horizon=list(range(1, H + 1)))
windows = LagWindowTransformer(window_length=n_steps).fit_transform(X)  # (n, 40, 1)
Y = Y.to_numpy()  # (n, 10)
# Seq-to-seq targets: the direct targets of every step of the window.
Y_seq = LagWindowTransformer(window_length=n_steps).fit_transform(Y)  # (n, 40, 10)

# Skip the first rows (incomplete windows) and hold out the last 300 origins;
# H rows between the parts keep training targets out of the test period.
start, n_test = n_steps - 1, 300
train = np.arange(start, len(X) - n_test - H)
test = np.arange(len(X) - n_test, len(X))
print(f"windows {windows.shape}, direct targets {Y.shape}, seq targets {Y_seq.shape}")
print(f"{len(train)} training origins, {len(test)} test origins")


# %%
# Three LSTMs
# -----------
def lstm(**kwargs):
    return LSTMForecaster(hidden_size=32, max_epochs=EPOCHS, random_state=0, **kwargs)


forecasts = {}

# Direct: one output per horizon.
direct = lstm().fit(windows[train], Y[train])
forecasts["direct"] = direct.predict(windows[test])

# Sequence-to-sequence: 10 outputs at every step, keep the last step's.
seq = lstm(output="sequence").fit(windows[train], Y_seq[train])
forecasts["seq-to-seq"] = seq.predict(windows[test])[:, -1, :]

# Recursive: a one-step model, then feed each forecast back into the window.
one_step = lstm().fit(windows[train], Y[train, 0])
current = windows[test].copy()
steps = []
for _ in range(H):
    next_value = one_step.predict(current)
    steps.append(next_value)
    current = np.concatenate([current[:, 1:], next_value[:, None, None]], axis=1)
forecasts["recursive"] = np.column_stack(steps)

# %%
# Baselines
# ---------
# The same 40 lags as a flat table: (n, 40) columns y_lag39 .. y_lag0.
lags = LagWindowTransformer(window_length=n_steps, flatten=True).fit_transform(X)
linear = Ridge(alpha=1.0).fit(lags[train], Y[train])
forecasts["linear (Ridge)"] = linear.predict(lags[test])
forecasts["naive"] = np.repeat(X["y"].to_numpy()[test, None], H, axis=1)

# %%
# Error by horizon
# ----------------
# The noise has standard deviation 0.1, a floor no forecast can go below.
rmse = {
    name: np.sqrt(np.mean((pred - Y[test]) ** 2, axis=0))
    for name, pred in forecasts.items()
}
print(f"{'method':<16}" + "".join(f"{f'h={h}':>7}" for h in (1, 5, 10)) + "   mean")
for name, errors in rmse.items():
    print(
        f"{name:<16}"
        + "".join(f"{errors[h - 1]:>7.3f}" for h in (1, 5, 10))
        + f"{errors.mean():>7.3f}"
    )

# %%
# A sine wave satisfies a linear recurrence (``x[t] = 2 cos(w) x[t-1] - x[t-2]``),
# so a linear model on 40 lags is a strong baseline here, and the noise sets a
# floor of 0.1 that nothing can beat. Compare the networks with the Ridge line,
# not only with naive: the table above says whether any of them improves on it.
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
for name, errors in rmse.items():
    style = "--" if name in ("naive", "linear (Ridge)") else "-"
    axes[0].plot(np.arange(1, H + 1), errors, style, marker=".", label=name)
axes[0].axhline(0.1, color="grey", linewidth=0.8, linestyle=":")
axes[0].set(xlabel="steps ahead", ylabel="RMSE", title="Test error by horizon")
axes[0].legend()

origin = test[150]
past = np.arange(origin - 60, origin + 1)
axes[1].plot(past, X["y"].to_numpy()[past], "k-", label="observed")
axes[1].plot(origin + np.arange(1, H + 1), Y[origin], "k.", label="truth")
for name, pred in forecasts.items():
    if name != "naive":
        axes[1].plot(origin + np.arange(1, H + 1), pred[150], label=name)
axes[1].set(xlabel="time step", title="Forecasts from one origin")
axes[1].legend(fontsize=8)
fig.tight_layout()
plt.show()
