"""The outcome of a backtest: ``ComparisonResult``, its tables and its summary."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from skrnn._warnings import join_words
from skrnn.compare._registry import FORECASTER_NAMES


@dataclass
class ComparisonResult:
    """Outcome of :func:`compare_forecasters`.

    Attributes
    ----------
    leaderboard : pandas.DataFrame
        One row per model (index ``model``), sorted by mean MASE, best first;
        the columns are described in :func:`compare_forecasters`.
    folds : pandas.DataFrame
        One row per model and fold: ``model``, ``fold`` (0 = oldest origin),
        ``cutoff`` (last training time point), ``n_train``, ``MASE``,
        ``sMAPE``, ``RMSE``, ``MASE_naive``, ``naive_error`` (the naive
        forecast's absolute error summed over the fold's test points),
        ``persistence`` (of the fold alone), with ``coverage`` a
        ``coverage_80``-like and an ``MSIS_80``-like column per level and
        ``SPL`` (see :func:`compare_forecasters`), ``fit_s``, ``predict_s``.
    forecasts : pandas.DataFrame
        The last fold's forecasts, one column per model, indexed by the
        forecast time points (a sub-index of ``y``).
    y : pandas.Series
        The series that was backtested, with its original index.
    fh : numpy.ndarray
        Relative forecasting horizon (steps after each cutoff).
    seasonal_period : int
        Seasonal period used by MASE and the seasonal models.
    errors : dict of str to str
        Models that failed, with the error message (their rows hold NaN).
    recurrent : tuple of str
        Names of the models that are skrnn networks (for plots and summaries).
    combined : tuple of str
        Names of the combinations that hold a skrnn network (``"lstm+ets"``,
        or an sktime ``EnsembleForecaster`` with one).
    coverage : tuple of float
        Interval coverages measured (``coverage`` of
        :func:`compare_forecasters`), empty for point forecasts only.
    """

    leaderboard: pd.DataFrame
    folds: pd.DataFrame
    forecasts: pd.DataFrame
    y: pd.Series
    fh: np.ndarray
    seasonal_period: int
    errors: dict = field(default_factory=dict)
    recurrent: tuple = ()
    coverage: tuple = ()
    combined: tuple = ()

    def __repr__(self):
        best = self.leaderboard.index[0] if len(self.leaderboard) else None
        n_folds = self.folds["fold"].nunique() if len(self.folds) else 0
        return (
            f"ComparisonResult({len(self.leaderboard)} models, {n_folds} folds, "
            f"fh={self.fh.tolist()}, best={best!r}; see .leaderboard, "
            ".to_string(), .summary())"
        )

    @property
    def cutoff(self):
        """Last training time point of the last fold (a label of ``y``)."""
        return self.folds["cutoff"].iloc[-1] if len(self.folds) else None

    def to_string(self, digits=3):
        """Format the leaderboard as a plain-text table, as ``skrnn compare`` prints it.

        Parameters
        ----------
        digits : int, default=3
            Decimals of the float columns.

        Returns
        -------
        str
        """
        with pd.option_context("display.width", 200, "display.max_columns", 50):
            return _display_table(self.leaderboard, digits).to_string()

    def summary(self):
        """Read the leaderboard in a sentence or two.

        The best model by MASE (the models tied with it); the best network
        and the best combination with a network, their ranks and their MASE
        relative to the best model that is neither; the networks that
        forecast exactly the last value (the sktime face's ``random_walk``
        test) and the models that mostly repeat it (flag ``"≈ naive"``).

        Returns
        -------
        str
        """
        board = self.leaderboard.dropna(subset=["MASE"])
        if board.empty:
            return "Every model failed."
        best = board.index[0]
        # equal up to rounding (a network's last value passes through logs)
        tied = list(
            board.index[np.isclose(board["MASE"], board["MASE"].iloc[0], rtol=1e-9)]
        )
        if len(tied) > 1:
            lines = [
                f"Best MASE: {join_words(tied)} tie ({board['MASE'].iloc[0]:.3f})."
            ]
        else:
            lines = [f"Best MASE: {best} ({board['MASE'].iloc[0]:.3f})."]
        ranked = list(board.index)
        others = [
            name
            for name in ranked
            if name not in self.recurrent and name not in self.combined
        ]
        rival = others[0] if others else None
        kinds = (("network", self.recurrent), ("combination", self.combined))
        for kind, names in kinds:
            candidates = [name for name in ranked if name in names]
            if not candidates:
                continue
            top = candidates[0]
            verdict = f"Best {kind}: {top} (rank {ranked.index(top) + 1})"
            if rival is not None:
                ratio = board.loc[top, "MASE"] / board.loc[rival, "MASE"]
                verdict += (
                    f", MASE {ratio:.2f}x that of the best classical model {rival}"
                    if rival in FORECASTER_NAMES
                    else f", MASE {ratio:.2f}x that of {rival}, the best model that "
                    "is not a network"
                )
            lines.append(verdict + ".")
        # only a network that trained none repeats the last value exactly
        copies = [
            name
            for name in board.index
            if name in self.recurrent and board.loc[name, "persistence"] < 1e-9
        ]
        if copies:
            lines.append(
                f"{join_words(copies)} forecast{'s' if len(copies) == 1 else ''} the "
                "last value at every origin: the "
                "series looks like a random walk without drift, so "
                f"{'it' if len(copies) == 1 else 'they'} trained no network (see "
                "the warning; random_walk=False, or --always-train on the "
                "command line, trains one)."
            )
        flagged = [
            name
            for name in board.index[board["flag"] == "≈ naive"]
            if name not in copies
        ]
        if flagged:
            lines.append(
                f"{join_words(flagged)} mostly repeat"
                f"{'s' if len(flagged) == 1 else ''} the last value (flag '≈ naive')."
            )
        return " ".join(lines)

    def to_markdown_table(self, digits=3):
        """Format the leaderboard as a GitHub-flavoured Markdown table.

        Parameters
        ----------
        digits : int, default=3
            Decimals of the float columns.

        Returns
        -------
        str
            The table, one line per model, without a trailing newline.
        """
        table = _display_table(self.leaderboard, digits)
        columns = ["model", *table.columns]
        lines = [
            "| " + " | ".join(columns) + " |",
            "|" + "|".join(["---"] + ["---:"] * (len(columns) - 1)) + "|",
        ]
        for name, row in table.iterrows():
            lines.append("| " + " | ".join([str(name), *map(str, row)]) + " |")
        return "\n".join(lines)


def _display_table(leaderboard: pd.DataFrame, digits: int = 3) -> pd.DataFrame:
    """Round and stringify a leaderboard for printing (NaN as ``-``)."""
    table = leaderboard.copy()
    for column in table.columns:
        if column in ("flag", "settings"):
            continue
        # sMAPE is a fraction: 0.0012 on a series like CO2 needs more places
        places = (
            2 if column.endswith("_s") else digits + 1 if "sMAPE" in column else digits
        )
        table[column] = table[column].map(
            lambda v, p=places: "-" if pd.isna(v) else f"{v:.{p}f}"
        )
    return table
