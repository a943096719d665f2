"""Tests of ComparisonResult: its tables, its summary and its repr."""

import numpy as np
import pandas as pd

from skrnn.compare import ComparisonResult


def test_text_table_and_summary(airline_naive):
    text = airline_naive.to_string().splitlines()
    assert text[0].split()[:3] == ["MASE", "MASE_std", "sMAPE"]
    assert [line.split()[0] for line in text[2:]] == ["snaive", "naive"]
    mase = airline_naive.leaderboard.loc["snaive", "MASE"]
    assert airline_naive.summary() == f"Best MASE: snaive ({mase:.3f})."


def test_summary_names_the_best_network_and_its_rival():
    board = pd.DataFrame(
        {
            "MASE": [0.5, 0.8, 1.0, np.nan],
            "persistence": [0.6, 0.1, 0.0, np.nan],
            "flag": ["", "≈ naive", "", ""],
        },
        index=pd.Index(["theta", "lstm", "naive", "gru"], name="model"),
    )
    result = ComparisonResult(
        board,
        pd.DataFrame(),
        pd.DataFrame(),
        pd.Series(dtype=float),
        np.array([1]),
        1,
        recurrent=("lstm", "gru"),
    )
    assert result.summary() == (
        "Best MASE: theta (0.500). Best network: lstm (rank 2), MASE 1.60x that "
        "of the best classical model theta. lstm mostly repeats the last value "
        "(flag '≈ naive')."
    )
    # a combination with a network is neither a network nor the classical rival
    result.leaderboard = board.rename(index={"theta": "lstm+theta"})
    result.combined = ("lstm+theta",)
    assert result.summary() == (
        "Best MASE: lstm+theta (0.500). Best network: lstm (rank 2), MASE 0.80x "
        "that of the best classical model naive. Best combination: lstm+theta "
        "(rank 1), MASE 0.50x that of the best classical model naive. lstm mostly "
        "repeats the last value (flag '≈ naive')."
    )
    # networks that trained none (a random walk) tie with naive and say why
    result.leaderboard = board.assign(
        MASE=[0.5, 1.0, 1.0, 1.0 + 1e-12], persistence=[0.6, 0.0, 0.0, 0.0]
    )
    result.combined = ()
    assert result.summary() == (
        "Best MASE: theta (0.500). Best network: lstm (rank 2), MASE 2.00x that "
        "of the best classical model theta. lstm and gru forecast the last value "
        "at every origin: the series looks like a random walk without drift, so "
        "they trained no network (see the warning; random_walk=False, or "
        "--always-train on the command line, trains one)."
    )
    result.leaderboard = result.leaderboard.drop(index="theta")
    assert result.summary().startswith("Best MASE: lstm, naive and gru tie (1.000).")


def test_repr_is_short_and_points_to_the_tables(airline_naive):
    text = repr(airline_naive)
    assert text == (
        "ComparisonResult(2 models, 2 folds, fh=[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, "
        "11, 12], best='snaive'; see .leaderboard, .to_string(), .summary())"
    )


def test_markdown_table(airline_naive):
    lines = airline_naive.to_markdown_table().splitlines()
    assert lines[0].startswith("| model | MASE |")
    assert len(lines) == 2 + 2
    assert lines[2].startswith("| snaive |")
