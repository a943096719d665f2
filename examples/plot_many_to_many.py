"""
===========================================================
Many-to-many: a simple RNN and an LSTM with per-step output
===========================================================

The textbook many-to-many network reads a window of a scalar series and
predicts, at *every* step of the window, the value of the next step. In Keras
that is a recurrent layer with ``return_sequences=True`` followed by
``TimeDistributed(Dense(1))``; in skrnn it is ``output="sequence"``: the same
linear layer is applied to the hidden state of every step, and the network is
trained sequence-to-sequence on targets of shape ``(n_samples, n_steps)``.

We train a 100-unit simple RNN and a 100-unit LSTM on a noisy sine wave, then
score both on the most recent part of the series, which neither saw in
training, next to the naive forecast "next value = current value".
"""

# %%
# Data: windows and shifted windows
# ---------------------------------
# Rows are time steps, oldest first. :class:`~skrnn.LagWindowTransformer` turns
# row ``t`` into the window of rows ``t - 29 .. t``; the target window of row
# ``t`` is the window of row ``t + 1``, i.e. the input shifted by one step.
import os

import matplotlib.pyplot as plt
import numpy as np

from skrnn import LagWindowTransformer, LSTMForecaster, SimpleRNNForecaster
from skrnn.datasets import make_sine_series

QUICK = os.environ.get("SKRNN_QUICK") == "1"  # CI: fewer epochs, same code
EPOCHS = 3 if QUICK else 60

series = make_sine_series(n_timepoints=1000, period=25.0, noise=0.1, random_state=0)
n_steps = 30
windows = LagWindowTransformer(window_length=n_steps).fit_transform(series.to_frame())
X = windows[:-1]  # (n, 30, 1): input windows
Y = windows[1:, :, 0]  # (n, 30): the same windows one step later
# The first 29 rows have no full history yet (leading NaN): skip them here.
X, Y = X[n_steps - 1 :], Y[n_steps - 1 :]
print("X:", X.shape, " Y:", Y.shape)

# %%
# Hold out the last 20% of the windows. Training windows overlap the first test
# windows by up to 29 steps, so we drop that many rows between the two parts.
n_test = len(X) // 5
X_train, Y_train = X[: -n_test - n_steps], Y[: -n_test - n_steps]
X_test, Y_test = X[-n_test:], Y[-n_test:]

# %%
# Two networks, one per-step linear output
# ----------------------------------------
models = {
    "SimpleRNN": SimpleRNNForecaster(
        hidden_size=100, output="sequence", max_epochs=EPOCHS, random_state=0
    ),
    "LSTM": LSTMForecaster(
        hidden_size=100, output="sequence", max_epochs=EPOCHS, random_state=0
    ),
}
predictions = {}
for name, model in models.items():
    model.fit(X_train, Y_train)
    predictions[name] = model.predict(X_test)  # (n_test, 30): one per step
    print(f"{name}: prediction shape {predictions[name].shape}")


# %%
# Scores on the held-out windows
# ------------------------------
# The last step of each window is the genuine one-step-ahead forecast (the
# network saw the whole window); the earlier steps had less context.
# "naive" predicts that the next value equals the current one.
def rmse(pred, truth):
    return float(np.sqrt(np.mean((pred - truth) ** 2)))


naive = X_test[:, :, 0]
print(f"{'model':<10} {'RMSE last step':>15} {'RMSE all steps':>15}")
for name, pred in {**predictions, "naive": naive}.items():
    print(
        f"{name:<10} {rmse(pred[:, -1], Y_test[:, -1]):>15.3f} "
        f"{rmse(pred, Y_test):>15.3f}"
    )
# The noise has standard deviation 0.1: no model can beat an RMSE of about 0.1.

# %%
# Error by position in the window
# -------------------------------
# Early steps have seen only a few values, so their predictions are worse; the
# curve shows how much context each cell needs.
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
for name, pred in {**predictions, "naive": naive}.items():
    error = np.sqrt(np.mean((pred - Y_test) ** 2, axis=0))
    axes[0].plot(np.arange(1, n_steps + 1), error, marker=".", label=name)
axes[0].set(xlabel="step in window (values seen)", ylabel="RMSE", title="Error by step")
axes[0].legend()

row = 0
axes[1].plot(np.arange(1, n_steps + 1), Y_test[row], "k.-", label="next value (truth)")
for name, pred in predictions.items():
    axes[1].plot(np.arange(1, n_steps + 1), pred[row], label=name)
axes[1].set(xlabel="step in window", title="One held-out window")
axes[1].legend()
fig.tight_layout()
plt.show()
