"""Plots of backtest results: forecasts over the actual series and score bars."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

# matplotlib is imported inside the functions: ``import skrnn`` must work
# without it (it is the optional ``plot`` extra).

import numpy as np
import pandas as pd

__all__ = ["plot_forecasts", "plot_leaderboard", "plot_scores"]

_RECURRENT_STYLE = {"linewidth": 2.0, "linestyle": "-"}
_CLASSICAL_STYLE = {"linewidth": 1.3, "linestyle": "--"}


def _is_recurrent(name: str, result) -> bool:
    return name in getattr(result, "recurrent", ())


def _x(index) -> np.ndarray:
    """Plottable x values: timestamps for time indexes, numbers otherwise."""
    if isinstance(index, pd.PeriodIndex):
        return index.to_timestamp().to_numpy()
    if isinstance(index, pd.DatetimeIndex):
        return index.to_numpy()
    return np.asarray(index)


def _axes(ax):
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    return ax


def plot_forecasts(result, ax=None, n_history=None):
    """Plot the last fold's forecasts of every model over the actual series.

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`skrnn.compare.compare_forecasters`.
    ax : matplotlib.axes.Axes, default=None
        Axes to draw on; a new figure when None.
    n_history : int, default=None
        Training points shown before the last cutoff. None: four horizons or
        three seasons, whichever is longer.

    Returns
    -------
    matplotlib.axes.Axes
        The axes. Recurrent networks are drawn as solid lines, classical
        models dashed, the actual series in black.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from skrnn.compare import compare_forecasters
    >>> from skrnn.datasets import load_airline
    >>> from skrnn.plotting import plot_forecasts
    >>> result = compare_forecasters(
    ...     load_airline(), ["naive", "snaive"], fh=12, seasonal_period=12,
    ...     n_folds=2,
    ... )
    >>> ax = plot_forecasts(result)
    >>> ax.get_legend_handles_labels()[1]
    ['actual', 'naive', 'snaive']
    """
    ax = _axes(ax)
    y, forecasts = result.y, result.forecasts
    if n_history is None:
        n_history = max(4 * int(np.max(result.fh)), 3 * result.seasonal_period)
    if len(forecasts):
        start = y.index.get_loc(forecasts.index[0])
        stop = y.index.get_loc(forecasts.index[-1]) + 1
    else:
        start = stop = len(y)
    shown = y.iloc[max(0, start - n_history) : stop]
    ax.plot(
        _x(shown.index), shown.to_numpy(), color="black", linewidth=1.5, label="actual"
    )
    if result.cutoff is not None and len(forecasts):
        ax.axvline(
            _x(y.index[start - 1 : start])[0],
            color="grey",
            linewidth=0.8,
            linestyle=":",
        )
    for name in forecasts.columns:
        style = _RECURRENT_STYLE if _is_recurrent(name, result) else _CLASSICAL_STYLE
        ax.plot(_x(forecasts.index), forecasts[name].to_numpy(), label=name, **style)
    ax.set_title("Last fold: forecasts from the last origin")
    ax.set_ylabel(y.name if y.name is not None else "y")
    ax.legend(fontsize="small", ncol=2)
    return ax


def plot_scores(result, metric="MASE", ax=None):
    """Bar chart of a backtest metric per model, with the spread over folds.

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`skrnn.compare.compare_forecasters`.
    metric : {"MASE", "sMAPE", "RMSE"}, default="MASE"
        Leaderboard column to draw; the error bars are ``{metric}_std``, the
        standard deviation over folds.
    ax : matplotlib.axes.Axes, default=None
        Axes to draw on; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes
        The axes: one horizontal bar per model, best on top (recurrent
        networks orange, classical models blue), with a dotted vertical line
        at the naive forecast's score.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from skrnn.compare import compare_forecasters
    >>> from skrnn.datasets import load_airline
    >>> from skrnn.plotting import plot_scores
    >>> result = compare_forecasters(
    ...     load_airline(), ["naive", "snaive"], fh=12, seasonal_period=12,
    ...     n_folds=2,
    ... )
    >>> ax = plot_scores(result)
    >>> len(ax.patches)
    2
    """
    if metric not in ("MASE", "sMAPE", "RMSE"):
        raise ValueError(f"metric must be 'MASE', 'sMAPE' or 'RMSE'; got {metric!r}.")
    ax = _axes(ax)
    board = result.leaderboard.iloc[::-1]  # barh draws bottom-up: best on top
    values = board[metric].to_numpy(dtype=float)
    errors = board[f"{metric}_std"].fillna(0.0).to_numpy(dtype=float)
    colors = [
        "tab:orange" if _is_recurrent(name, result) else "tab:blue"
        for name in board.index
    ]
    positions = np.arange(len(board))
    ax.barh(positions, np.nan_to_num(values), xerr=errors, color=colors, capsize=3)
    ax.set_yticks(positions, labels=list(board.index))
    if "naive" in result.leaderboard.index:
        ax.axvline(
            result.leaderboard.loc["naive", metric],
            color="grey",
            linestyle=":",
            linewidth=1,
        )
    if any(_is_recurrent(name, result) for name in board.index):
        from matplotlib.patches import Patch

        ax.legend(
            handles=[
                Patch(color="tab:orange", label="recurrent network"),
                Patch(color="tab:blue", label="classical"),
            ],
            fontsize="small",
            loc="best",  # where it hides the fewest bars and error bars
        )
    folds = result.folds["fold"].nunique()
    ax.set_xlabel(f"{metric}, mean ± std over {folds} fold(s) (lower is better)")
    ax.set_title(f"{metric} by model")
    return ax


def plot_leaderboard(result, path=None, metric="MASE"):
    """Two-panel figure: the last fold's forecasts and the scores by model.

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`skrnn.compare.compare_forecasters`.
    path : str or path-like, default=None
        If given, the figure is saved there (format from the extension).
    metric : {"MASE", "sMAPE", "RMSE"}, default="MASE"
        Metric of the score panel.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from skrnn.compare import compare_forecasters
    >>> from skrnn.datasets import load_airline
    >>> from skrnn.plotting import plot_leaderboard
    >>> result = compare_forecasters(
    ...     load_airline(), ["naive", "snaive"], fh=12, seasonal_period=12,
    ...     n_folds=2,
    ... )
    >>> len(plot_leaderboard(result).axes)
    2
    """
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(
        1, 2, figsize=(13, 4.5), gridspec_kw={"width_ratios": [1.8, 1]}
    )
    plot_forecasts(result, ax=left)
    plot_scores(result, metric=metric, ax=right)
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=110)
    return fig
