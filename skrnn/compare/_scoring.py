"""Scores of a backtest: the rows of ``folds`` and the ranked leaderboard."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import numbers
import warnings

import numpy as np
import pandas as pd

from skrnn.metrics import mean_scaled_interval_score, scaled_pinball_loss

# sktime (an optional extra) and torch (through skrnn.sktime) are imported
# where they are used, so that ``import skrnn.compare`` loads neither.

METRICS = ("MASE", "sMAPE", "RMSE")
# Below this persistence a forecast stays within 20 % of the naive forecast's
# error range: it mostly repeats the last value.
PERSISTENCE_THRESHOLD = 0.2
# "No real skill": within 5 % of naive's MASE, or worse.
SKILL_THRESHOLD = 0.05
# how the leaderboard names a network's window_norm_ ("last" is the rule)
_NORMS = {
    "last": "",
    None: ", level kept",
    "mean": ", window mean",
    "last+level": ", level input",
}


def metrics(sp: int) -> dict:
    """Return sktime's metrics of ``METRICS``, MASE scaled one season back."""
    from sktime.performance_metrics.forecasting import (
        MeanAbsolutePercentageError,
        MeanAbsoluteScaledError,
        MeanSquaredError,
    )

    return {
        "MASE": MeanAbsoluteScaledError(sp=sp),
        "sMAPE": MeanAbsolutePercentageError(symmetric=True),
        "RMSE": MeanSquaredError(square_root=True),
    }


def coverage_column(level: float) -> str:
    """Leaderboard column of an interval coverage: 0.8 -> ``coverage_80``."""
    return f"coverage_{100 * level:g}"


def msis_column(level: float) -> str:
    """Leaderboard column of an interval's MSIS: 0.95 -> ``MSIS_95``."""
    return f"MSIS_{100 * level:g}"


def interval_columns(levels: tuple) -> list:
    """Return the interval columns: coverage and MSIS per level, then SPL."""
    if not levels:
        return []
    return [*map(coverage_column, levels), *map(msis_column, levels), "SPL"]


def fold_table(rows: list, levels: tuple) -> pd.DataFrame:
    """Return the rows of :func:`fold_rows` as ``ComparisonResult.folds``."""
    columns = [
        "model",
        "fold",
        "cutoff",
        "n_train",
        "MASE",
        "sMAPE",
        "RMSE",
        "MASE_naive",
        "naive_error",
        "persistence",
        *interval_columns(levels),
        "fit_s",
        "predict_s",
    ]
    return pd.DataFrame(rows, columns=columns)


def fold_rows(name, result, scoring, levels, intervals, index, sp=1):
    """Return one row of ``folds`` per fold of sktime's ``evaluate`` result.

    ``levels``: the coverages of the interval columns, NaN unless the model
    made ``intervals``; ``index``: the time labels of ``y`` (``evaluate`` ran
    on positions); ``sp``: the seasonal period of MASE's scale.
    """
    mase = scoring[0]
    rows = []
    for fold, rec in enumerate(result.itertuples(index=False)):
        y_train, y_test = rec.y_train, rec.y_test
        y_pred = rec.y_pred.reindex(y_test.index)
        naive = pd.Series(float(y_train.iloc[-1]), index=y_test.index, name=y_test.name)
        spread = np.abs(y_test - naive).sum()
        rows.append(
            {
                "model": name,
                "fold": fold,
                "cutoff": index[int(y_train.index[-1])],
                "n_train": len(y_train),
                "MASE": getattr(rec, f"test_{type(scoring[0]).__name__}"),
                "sMAPE": getattr(rec, f"test_{type(scoring[1]).__name__}"),
                "RMSE": getattr(rec, f"test_{type(scoring[2]).__name__}"),
                "MASE_naive": mase(y_test, naive, y_train=y_train),
                "naive_error": spread,
                "persistence": (
                    np.abs(y_pred - naive).sum() / spread if spread > 0 else np.nan
                ),
                **(
                    _interval_scores(
                        name, y_test, y_train, rec.y_pred_interval, levels, sp
                    )
                    if intervals
                    else dict.fromkeys(interval_columns(levels), np.nan)
                ),
                "fit_s": rec.fit_time,
                "predict_s": rec.pred_time,
            }
        )
    return rows


def _interval_scores(name, y_test, y_train, bounds, levels, sp) -> dict:
    """Coverage and MSIS of every level of ``bounds``, and the SPL of them all.

    ``bounds``: the fold's ``predict_interval`` frame. MSIS and SPL are scaled
    by the in-sample seasonal naive error of ``y_train``, as MASE is; the SPL
    averages the pinball loss over the quantiles of every bound. A fold they
    cannot be scored on (crossed bounds, a training window of ``sp`` points
    or fewer) gets NaN, with a warning that says why.
    """
    scores = {
        coverage_column(level): _empirical_coverage(y_test, bounds, level)
        for level in levels
    }
    found = bounds.columns.get_level_values(1).astype(float)
    sides = bounds.columns.get_level_values(2)
    truth = y_test.to_numpy(dtype=float)
    quantiles, alphas = [], []
    try:
        for level in levels:
            at = np.isclose(found, level)
            lower = bounds.loc[y_test.index, at & (sides == "lower")]
            upper = bounds.loc[y_test.index, at & (sides == "upper")]
            lower = lower.to_numpy(dtype=float).ravel()
            upper = upper.to_numpy(dtype=float).ravel()
            scores[msis_column(level)] = mean_scaled_interval_score(
                truth, lower, upper, y_train=y_train, coverage=level, sp=sp
            )
            quantiles += [lower, upper]
            alphas += [(1 - level) / 2, (1 + level) / 2]
        scores["SPL"] = scaled_pinball_loss(
            truth, np.column_stack(quantiles), alpha=alphas, y_train=y_train, sp=sp
        )
    except ValueError as exc:
        warnings.warn(
            f"The intervals of {name} could not be scored on the fold ending at "
            f"position {int(y_train.index[-1])} (MSIS and SPL are NaN): {exc}",
            UserWarning,
            stacklevel=2,
        )
        scores.update({msis_column(level): np.nan for level in levels})
        scores["SPL"] = np.nan
    return scores


def _empirical_coverage(y_test, bounds, level: float) -> float:
    """Share of ``y_test`` inside the ``level`` interval of ``bounds``.

    ``bounds`` is a ``predict_interval`` frame that may hold several levels;
    sktime's ``EmpiricalCoverage`` scores the one asked (ends included).
    """
    from sktime.performance_metrics.forecasting.probabilistic import (
        EmpiricalCoverage,
    )

    at = np.isclose(bounds.columns.get_level_values(1).astype(float), level)
    return float(EmpiricalCoverage()(y_test, bounds.loc[y_test.index, at]))


def leaderboard(
    folds: pd.DataFrame,
    names: list,
    errors: dict,
    levels: tuple = (),
    settings: dict | None = None,
) -> pd.DataFrame:
    """Aggregate the per-fold table into the ranked leaderboard."""
    grouped = folds.groupby("model", sort=False)
    board = pd.DataFrame(index=pd.Index(names, name="model"))
    for metric in METRICS:
        board[metric] = grouped[metric].mean()
        board[f"{metric}_std"] = grouped[metric].std(ddof=1)
    board["skill_vs_naive"] = 1.0 - board["MASE"] / grouped["MASE_naive"].mean()
    # pooled over folds: sum |forecast - naive| / sum |truth - naive|
    moved = folds["persistence"] * folds["naive_error"]
    board["persistence"] = moved.groupby(folds["model"]).sum(min_count=1) / (
        folds["naive_error"].where(moved.notna()).groupby(folds["model"]).sum()
    )
    for column in interval_columns(levels):
        board[column] = grouped[column].mean()
    repeats = (board["persistence"] < PERSISTENCE_THRESHOLD) & (
        board["skill_vs_naive"] < SKILL_THRESHOLD
    )
    board["flag"] = np.where(
        repeats,
        "≈ naive",
        np.where(board["skill_vs_naive"] < 0, "worse than naive", ""),
    )
    # the naive forecast is the reference of both, not a model to warn about
    board.loc[board.index == "naive", "flag"] = ""
    board.loc[board.index.isin(list(errors)), "flag"] = "failed"
    board["fit_s"] = grouped["fit_s"].mean()
    board["predict_s"] = grouped["predict_s"].mean()
    board["settings"] = pd.Series(settings or {}, dtype=object).reindex(board.index)
    board["settings"] = board["settings"].fillna("")
    # a stable sort keeps the line-up order among ties (naive and a copy of it)
    return board.sort_values("MASE", kind="stable", na_position="last")


def describe_settings(forecaster) -> str:
    """Describe what a fitted model read and chose: window, strategy, levels, mix.

    For skrnn's networks (both of a seasonal pair, where they differ) and
    sktime's reductions of a scikit-learn regressor; a combination shows its
    members'; "" for models without a window.
    """
    from skrnn.sktime import SktimeRecurrentForecaster

    if isinstance(forecaster, SktimeRecurrentForecaster):
        parts = forecaster.members_ or [forecaster]
        if all(part.random_walk_ for part in parts):
            return "last value (random walk)"
        return " / ".join(
            dict.fromkeys(
                f"window {p.window_length_}, {p.strategy_}{_NORMS[p.window_norm_]}"
                + (f", {p.naive_weight_:.0%} seasonal naive" if p.naive_weight_ else "")
                for p in parts
            )
        )
    window = getattr(forecaster, "window_length_", None)
    # sktime's reductions (NaiveForecaster has a window_length_ of its own)
    reduction = type(forecaster).__module__.startswith("sktime.forecasting.compose")
    if reduction and isinstance(window, numbers.Integral):
        kind = type(forecaster).__name__
        strategy = next(
            (s for s in ("recursive", "direct", "multioutput") if s in kind.lower()),
            "",
        )
        return f"window {window}" + (f", {strategy}" if strategy else "")
    members = getattr(forecaster, "forecasters_", None)
    if isinstance(members, list):
        return "; ".join(
            text for _, member in members if (text := describe_settings(member))
        )
    return ""
