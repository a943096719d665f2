"""
====================================
One network for many series (global)
====================================

Eight short noisy sine waves with different amplitudes, periods and phases
(:func:`skrnn.datasets.make_panel`). Instead of one network per series
(*local* models), a *global* model trains one network on the windows of all
series; windows never cross a series boundary.

We do it twice: with the scikit-learn face (a series-id column consumed by
``LagWindowTransformer(group_column="series")``) and with the sktime face
(:class:`skrnn.sktime.SktimeRecurrentForecaster` on a ``MultiIndex`` series,
which also gives conformal prediction intervals).
"""

# %%
# A panel in long format
# ----------------------
import os

import matplotlib.pyplot as plt
import numpy as np

from skrnn import LagWindowTransformer, LSTMForecaster
from skrnn.datasets import make_panel

QUICK = os.environ.get("SKRNN_QUICK") == "1"  # CI: fewer epochs, same code
EPOCHS = 3 if QUICK else 60

panel = make_panel(n_series=8, n_timepoints=150, noise=0.1, random_state=0)
long = panel.reset_index()  # columns: series, time, y
long["target"] = long.groupby("series")["y"].shift(-1)  # next value, same series
long = long.dropna(subset=["target"]).reset_index(drop=True)
print(long.head(3).round(3))

# %%
# Windows per series, one network
# -------------------------------
# The last 30 time steps of every series are the test period.
step = long.groupby("series").cumcount()
is_test = step >= step.max() - 29
windows = LagWindowTransformer(
    window_length=20, columns=["y"], group_column="series"
).fit_transform(long[["series", "y"]])  # (n_rows, 20, 1); restarts per series
print("windows:", windows.shape)


def lstm():
    return LSTMForecaster(hidden_size=32, max_epochs=EPOCHS, random_state=0)


train = ~is_test
global_model = lstm().fit(windows[train], long["target"][train])
pred_global = global_model.predict(windows[is_test])

# %%
# The same network, fitted to each series alone (local models), and the naive
# forecast (next value = current value).
pred_local = np.empty(is_test.sum())
test_series = long["series"][is_test].to_numpy()
for name in long["series"].unique():
    rows = long["series"] == name
    local = lstm().fit(windows[train & rows], long["target"][train & rows])
    pred_local[test_series == name] = local.predict(windows[is_test & rows])
truth = long["target"][is_test].to_numpy()
naive = long["y"][is_test].to_numpy()


def rmse(pred):
    return float(np.sqrt(np.mean((pred - truth) ** 2)))


print(f"one-step RMSE over {is_test.sum()} test points (noise std 0.1):")
for name, pred in [("global", pred_global), ("local", pred_local), ("naive", naive)]:
    print(f"  {name:<7}{rmse(pred):.3f}")

winner = "global" if rmse(pred_global) < rmse(pred_local) else "local"
print(f"lower error in this run: {winner}")

# %%
# A global model is not automatically better. These series share a shape (a
# sine) but not its period (5 to 30 steps), so one network has to recognize each
# series' period from a 20-step window, while each local network only ever sees
# one period. A global model pays off when the series share their dynamics and
# each one alone is too short to train a network; the printed numbers say which
# way it went here. Both are far better than the naive forecast.

# %%
# The sktime face: MultiIndex in, forecasts and intervals out
# -----------------------------------------------------------
# ``SktimeRecurrentForecaster`` standardizes each series with its own statistics,
# trains one network (its strategy, recursive or direct, chosen on the older
# windows) and forecasts every series.
# 20% of the most recent windows calibrate split-conformal intervals.
import warnings

from skrnn.sktime import SktimeRecurrentForecaster

# sktime 1.2 announces a future default change of its own at every fit.
warnings.filterwarnings("ignore", message=".*remember_data.*", category=FutureWarning)

y = panel.to_frame()
H = 10
times = y.index.get_level_values("time").unique()
y_train = y[y.index.get_level_values("time") <= times[-H - 1]]
y_test = y[y.index.get_level_values("time") > times[-H - 1]]
# The sines share no season (their periods run from 5 to 30 steps), so sp=1:
# from the daily dates alone the face would read a weekly season of 7.
forecaster = SktimeRecurrentForecaster(lstm(), window_length=20, sp=1)
forecaster.fit(y_train, fh=list(range(1, H + 1)))
point = forecaster.predict()
interval = forecaster.predict_interval(coverage=0.9)
lower = interval.iloc[:, 0].to_numpy()
upper = interval.iloc[:, 1].to_numpy()
actual = y_test.loc[point.index, "y"].to_numpy()
error = np.sqrt(np.mean((point["y"].to_numpy() - actual) ** 2))
coverage = np.mean((actual >= lower) & (actual <= upper))
print(f"RMSE over the {H} steps of the {len(actual) // H} series: {error:.3f}")
print(f"90% interval coverage on the test period: {coverage:.0%}")

# %%
# Three of the eight series, with the last 40 observations, the forecasts and
# the 90% intervals.
fig, axes = plt.subplots(1, 3, figsize=(13, 3.5), sharey=True)
for ax, name in zip(axes, ["s0", "s1", "s2"], strict=True):
    history = y.loc[name, "y"].iloc[-40:]
    ax.plot(history.index, history.to_numpy(), "k.-", label="observed")
    ax.plot(point.loc[name].index, point.loc[name, "y"], label="forecast")
    rows = point.index.get_level_values(0) == name
    ax.fill_between(
        point.loc[name].index, lower[rows], upper[rows], alpha=0.3, label="90% interval"
    )
    ax.set_title(f"series {name}")
    ax.tick_params(axis="x", rotation=30)
axes[0].legend(fontsize=8)
fig.tight_layout()
plt.show()
