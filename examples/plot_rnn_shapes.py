"""
=======================================================
A single-layer RNN made concrete: shapes and arithmetic
=======================================================

What does a simple RNN actually compute? Take **5 input features** (Open, High,
Low, Close, Volume) over **3 days** of one stock index, a recurrent layer of
**4 hidden units** and one output, tomorrow's close. We fit the network, read
its weight matrices, and recompute its forecast by hand with

.. math::

   h_t = \\tanh(W_{xh} x_t + b_{xh} + W_{hh} h_{t-1} + b_{hh}),
   \\qquad \\hat y = w_{hy}^\\top h_3 + b_y,

starting from :math:`h_0 = 0`: one input-to-hidden matrix and one
hidden-to-hidden matrix, **shared by every time step**.
"""

# %%
# Three-day windows of five features
# ----------------------------------
import os

import matplotlib.pyplot as plt
import numpy as np

from skrnn import LagWindowTransformer, SimpleRNNForecaster, make_supervised
from skrnn.datasets import load_prices

QUICK = os.environ.get("SKRNN_QUICK") == "1"  # CI: fewer epochs, same code
EPOCHS = 3 if QUICK else 50

prices = load_prices()[["Open", "High", "Low", "Close", "Volume"]]
X, y = make_supervised(prices, "Close", horizon=1)  # y[t] = Close[t + 1]
windows = LagWindowTransformer(window_length=3).fit_transform(X)[
    2:
]  # full windows only
y = y.to_numpy()[2:]
print("windows:", windows.shape, "(days, steps, features)")

# window_norm=None: levels, so that the forecast by hand below needs no shift
model = SimpleRNNForecaster(
    hidden_size=4, max_epochs=EPOCHS, random_state=0, window_norm=None
)
model = model.fit(windows, y)

# %%
# The weights
# -----------
# ``net_`` is the skorch net, ``net_.module_`` the torch module and
# ``layers[0]`` its ``torch.nn.RNN``. PyTorch keeps two bias vectors; only
# their sum matters.
rnn = model.net_.module_.layers[0]
head = model.net_.module_.head
W_xh = rnn.weight_ih_l0.detach().double().numpy()
W_hh = rnn.weight_hh_l0.detach().double().numpy()
b = (rnn.bias_ih_l0 + rnn.bias_hh_l0).detach().double().numpy()
w_hy = head.weight.detach().double().numpy()
b_y = head.bias.detach().double().numpy()
for name, value in [("W_xh", W_xh), ("W_hh", W_hh), ("b", b), ("w_hy", w_hy)]:
    print(f"{name}: {value.shape}")
n_params = sum(p.numel() for p in model.net_.module_.parameters())
print("parameters:", n_params, "= 4*5 + 4*4 + 4 + 4 (two biases) + 4 + 1")

# %%
# The forecast by hand
# --------------------
# With ``scale=True`` the network sees standardized inputs and predicts a
# standardized target, both with statistics of the training rows.
x = (windows[-1] - model.x_mean_) / model.x_scale_  # (3 steps, 5 features)
h = np.zeros(4)
hidden = [h]
for t in range(3):
    h = np.tanh(W_xh @ x[t] + W_hh @ h + b)
    hidden.append(h)
by_hand = (w_hy @ h + b_y)[0] * model.y_scale_[0] + model.y_mean_[0]
by_model = model.predict(windows[-1:])[0]
print(f"by hand: {by_hand:.4f}  predict: {by_model:.4f}")
print("equal up to float32 rounding:", bool(np.isclose(by_hand, by_model, rtol=1e-5)))

# %%
# Pictures of the arithmetic
# --------------------------
fig, axes = plt.subplots(
    1, 4, figsize=(12, 3.2), gridspec_kw={"width_ratios": [5, 4, 1, 3]}
)
panels = [
    (W_xh, "W_xh  (4 x 5)", ["Open", "High", "Low", "Close", "Vol."]),
    (W_hh, "W_hh  (4 x 4)", ["h1", "h2", "h3", "h4"]),
    (b[:, None], "b  (4,)", [""]),
    (np.array(hidden[1:]).T, "h_t over the 3 days", ["day 1", "day 2", "day 3"]),
]
limit = max(abs(p[0]).max() for p in panels)
for ax, (matrix, title, labels) in zip(axes, panels, strict=True):
    ax.imshow(matrix, cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set_xticks(range(matrix.shape[1]), labels=labels, rotation=45)
    ax.set_yticks(range(4), labels=["h1", "h2", "h3", "h4"])
    ax.set_title(title)
    for (i, j), value in np.ndenumerate(matrix):
        ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=7)
fig.suptitle(f"Last window: forecast {by_model:.1f}, actual next close {y[-1]:.1f}")
fig.tight_layout()
plt.show()
