"""
==============================================
Grid search over the cell and the hidden units
==============================================

Which cell, and how wide? Treat both as hyper-parameters and let
:class:`~sklearn.model_selection.GridSearchCV` decide, with
:class:`~sklearn.model_selection.TimeSeriesSplit` so that every validation
fold lies *after* its training rows. The data are the yearly sunspot numbers
(1700-2008), whose roughly 11-year cycle needs a window of a few cycles.
"""

# %%
# A pipeline with a searchable forecaster
# ---------------------------------------
import os

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline

from skrnn import LagWindowTransformer, RecurrentForecaster, make_supervised
from skrnn.datasets import load_sunspots

QUICK = os.environ.get("SKRNN_QUICK") == "1"  # CI: fewer epochs, same code
EPOCHS = 3 if QUICK else 60

sunspots = load_sunspots()
X, y = make_supervised(sunspots.to_frame(), "Sunspots", horizon=1)  # next year
pipe = make_pipeline(
    LagWindowTransformer(window_length=22),  # two solar cycles
    RecurrentForecaster(max_epochs=EPOCHS, lr=0.005, random_state=0),
)

# %%
# Search
# ------
# The first 21 rows have less than 22 years of history: their windows start
# with NaN, which the network reads as a shorter sequence.
param_grid = {
    "recurrentforecaster__cell": ["rnn", "lstm", "gru"],
    "recurrentforecaster__hidden_size": [8, 32] if QUICK else [8, 32, 64],
}
search = GridSearchCV(
    pipe,
    param_grid,
    cv=TimeSeriesSplit(n_splits=3, test_size=40),
    scoring="neg_root_mean_squared_error",
)
search.fit(X, y)

results = pd.DataFrame(search.cv_results_)
table = pd.DataFrame(
    {
        "cell": results["param_recurrentforecaster__cell"],
        "hidden": results["param_recurrentforecaster__hidden_size"],
        "RMSE": -results["mean_test_score"],
        "RMSE std": results["std_test_score"],
        "fit s": results["mean_fit_time"],
    }
).sort_values("RMSE")
print(table.round(2).to_string(index=False))
print("best:", search.best_params_)

# %%
# The same folds for two baselines: last year's value and the value one cycle
# (11 years) ago.
naive, cycle = [], []
for _, test in search.cv.split(X):
    truth = y.iloc[test].to_numpy()
    last = X["Sunspots"].iloc[test].to_numpy()  # y[t] forecast by y[t - 1]
    naive.append(np.sqrt(np.mean((last - truth) ** 2)))
    ago = sunspots.to_numpy()[test + 1 - 11]  # same phase, one cycle earlier
    cycle.append(np.sqrt(np.mean((ago - truth) ** 2)))
print(f"naive (last year) RMSE: {np.mean(naive):.2f}")
print(f"seasonal naive (11 years ago) RMSE: {np.mean(cycle):.2f}")
print(
    f"best network RMSE: {-search.best_score_:.2f} "
    f"({1 + search.best_score_ / np.mean(naive):+.0%} skill vs last year's value)"
)

# %%
# Heat map of the validation RMSE
# -------------------------------
# Three folds of 40 years each are a small validation set: differences of one
# or two RMSE points between cells are within the fold-to-fold spread printed
# in the table (``RMSE std``), so read the map as a ranking of plausible
# settings, not as a verdict on the cells.
grid = table.pivot(index="cell", columns="hidden", values="RMSE")
fig, ax = plt.subplots(figsize=(5.5, 3.5))
image = ax.imshow(grid.to_numpy(), cmap="viridis_r")
ax.set_xticks(range(grid.shape[1]), labels=grid.columns)
ax.set_yticks(range(grid.shape[0]), labels=grid.index)
for (i, j), value in np.ndenumerate(grid.to_numpy()):
    ax.text(j, i, f"{value:.1f}", ha="center", va="center", color="white")
ax.set(xlabel="hidden units", ylabel="cell", title="Mean validation RMSE (3 folds)")
fig.colorbar(image, ax=ax, label="RMSE (lower is better)")
fig.tight_layout()

# %%
# The best model's forecasts on the last fold, refitted on the rows before it.
train, test = list(search.cv.split(X))[-1]
best = search.best_estimator_.fit(X.iloc[train], y.iloc[train])
fig, ax = plt.subplots(figsize=(9, 3.5))
years = sunspots.index.to_timestamp()
ax.plot(years[1:][test], y.iloc[test], "k.-", label="observed")
ax.plot(years[1:][test], best.predict(X.iloc[test]), label="best network")
ax.set(xlabel="year", ylabel="sunspots", title="Last fold: one year ahead")
ax.legend()
plt.show()
