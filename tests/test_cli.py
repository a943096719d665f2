"""Tests of the ``skrnn`` command line, run in-process through ``main``."""

import re
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("sktime")

from skrnn.cli import main  # noqa: E402
from skrnn.datasets import load_airline  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:.*remember_data:FutureWarning")

FAST = ["--fh", "6", "--folds", "2", "--no-progress"]


@pytest.fixture
def csv_file(tmp_path):
    y = load_airline()
    frame = pd.DataFrame(
        {
            "Date": y.index.to_timestamp().strftime("%Y-%m-%d"),
            "Close": y.to_numpy(),
            "Volume": np.arange(len(y)),
        }
    )
    path = tmp_path / "series.csv"
    frame.to_csv(path, index=False)
    return path


def test_compare_prints_the_leaderboard_and_writes_the_plot(tmp_path, capsys):
    plot = tmp_path / "board.png"
    table = tmp_path / "board.csv"
    code = main(
        ["compare", "--dataset", "airline", "--models", "naive,snaive,naive+snaive"]
        + FAST
        + ["--plot", str(plot), "--csv-out", str(table)]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "airline [Passengers]: 144 points, seasonal period 12" in out
    lines = out.splitlines()
    header = next(line for line in lines if line.lstrip().startswith("MASE"))
    assert "skill_vs_naive" in header and "flag" in header
    assert "Best MASE:" in out
    assert plot.stat().st_size > 1000
    board = pd.read_csv(table, index_col="model")
    assert set(board.index) == {"naive", "snaive", "naive+snaive"}
    assert board["MASE"].is_monotonic_increasing
    assert board.loc["naive", "skill_vs_naive"] == 0


def test_compare_defaults_to_airline_and_runs_a_quick_network(capsys):
    code = main(["compare", "--models", "lstm,naive", "--quick", *FAST])
    out = capsys.readouterr().out
    assert code == 0
    assert "airline" in out and "lstm" in out
    assert "Best network: lstm" in out


def test_compare_reads_a_csv_column(csv_file, tmp_path, capsys):
    args = ["compare", "--csv", str(csv_file), "--column", "Close"]
    args += ["--date-column", "Date", "--seasonal-period", "12"]
    from_csv, bundled = tmp_path / "csv.csv", tmp_path / "bundled.csv"
    assert (
        main([*args, "--models", "naive,snaive", *FAST, "--csv-out", str(from_csv)])
        == 0
    )
    out = capsys.readouterr().out
    assert f"{csv_file} [Close]: 144 points, seasonal period 12" in out
    # the same numbers as the bundled copy of the same data
    assert (
        main(["compare", "--models", "naive,snaive", *FAST, "--csv-out", str(bundled)])
        == 0
    )
    metrics = ["MASE", "sMAPE", "RMSE", "skill_vs_naive", "persistence"]
    pd.testing.assert_frame_equal(
        pd.read_csv(from_csv, index_col="model")[metrics],
        pd.read_csv(bundled, index_col="model")[metrics],
    )


def test_compare_csv_with_freq(csv_file, capsys):
    args = ["compare", "--csv", str(csv_file), "--column", "Close"]
    args += ["--date-column", "Date", "--freq", "MS", "--models", "naive,snaive"]
    # with the progress bar on (tqdm writes to stderr)
    assert main([*args, "--fh", "6", "--folds", "2", "--seasonal-period", "12"]) == 0
    captured = capsys.readouterr()
    assert "failed" not in captured.err
    assert "snaive" in captured.out


def test_compare_measures_interval_coverage(tmp_path, capsys):
    table = tmp_path / "board.csv"
    args = ["compare", "--models", "naive,snaive", *FAST, "--csv-out", str(table)]
    assert main([*args, "--coverage", "0.95,0.8"]) == 0
    header = next(
        line
        for line in capsys.readouterr().out.splitlines()
        if line.lstrip().startswith("MASE")
    )
    assert "coverage_80 coverage_95 MSIS_80 MSIS_95 SPL" in " ".join(header.split())
    board = pd.read_csv(table, index_col="model")
    shares = board[["coverage_80", "coverage_95"]]
    assert ((shares >= 0) & (shares <= 1)).all(axis=None)
    scores = board[["MSIS_80", "MSIS_95", "SPL"]]
    assert (scores > 0).all(axis=None)
    assert main([*args, "--coverage", "0.8,95"]) == 2
    assert "coverage must be a float or a list of floats between 0 and 1" in (
        capsys.readouterr().err
    )
    assert main([*args, "--coverage", "0.8,high"]) == 2
    assert "expected comma-separated coverages" in capsys.readouterr().err


@pytest.fixture
def models_module(tmp_path, monkeypatch):
    (tmp_path / "skrnn_test_models.py").write_text(
        "from sklearn.linear_model import Ridge\n"
        "from sklearn.pipeline import make_pipeline\n"
        "from sklearn.preprocessing import StandardScaler\n"
        "from skrnn import LSTMForecaster\n"
        "pipe = make_pipeline(StandardScaler(), Ridge())\n"
        "lstm = LSTMForecaster(hidden_size=4, max_epochs=2, random_state=0)\n"
        "scaler = StandardScaler()\n"
        "from sktime.forecasting.naive import NaiveForecaster\n"
        "class Bad(NaiveForecaster):\n"
        "    def _fit(self, y, X=None, fh=None):\n"
        "        raise ValueError('boom')\n"
        "bad = Bad()\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    return "skrnn_test_models"


def test_own_module_building_an_sktime_forecaster_does_not_warn(tmp_path, monkeypatch):
    import warnings

    from skrnn.cli import _import_model

    (tmp_path / "skrnn_test_sktime_models.py").write_text(
        "from sktime.forecasting.naive import NaiveForecaster\n"
        "naive = NaiveForecaster(strategy='mean')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        name, obj = _import_model("mean=skrnn_test_sktime_models:naive")
    assert name == "mean" and obj.strategy == "mean"
    assert not [w for w in caught if "remember_data" in str(w.message)]


def test_compare_backtests_your_own_models(models_module, tmp_path, capsys):
    table = tmp_path / "board.csv"
    args = ["compare", "--models", "naive", *FAST, "--csv-out", str(table)]
    args += ["--model", f"ridge={models_module}:pipe"]
    args += ["--model", f"{models_module}:lstm"]
    assert main(args) == 0
    out = capsys.readouterr().out
    board = pd.read_csv(table, index_col="model")
    assert set(board.index) == {"naive", "ridge", "lstm"}
    assert board[["MASE", "persistence"]].notna().all().all()
    assert "Best network: lstm" in out
    rival = next(name for name in board.index if name != "lstm")
    assert (
        "that of ridge, the best model that is not a network"
        if rival == "ridge"
        else "that of the best classical model naive"
    ) in out


@pytest.mark.parametrize(
    "spec, message",
    [
        ("pipe", "--model 'pipe': expected [NAME=]MODULE:OBJECT"),
        ("no_such_module_xyz:pipe", "cannot import 'no_such_module_xyz'"),
        ("mymodels.py:pipe", "Name the module without '.py': mymodels."),
        ("{module}:nothing", "has no 'nothing'"),
        ("{module}:scaler", ":scaler: Cannot backtest StandardScaler"),
    ],
)
def test_own_model_errors(models_module, spec, message, capsys):
    spec = spec.format(module=models_module)
    assert main(["compare", "--models", "naive", "--model", spec, *FAST]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_a_module_that_is_not_importable_points_to_pythonpath(capsys):
    assert main(["compare", "--model", "no_such_module_xyz:pipe", *FAST]) == 2
    assert "PYTHONPATH=. skrnn compare" in capsys.readouterr().err


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--csv", "missing.csv"], "no such file: missing.csv"),
        (["--dataset", "nope"], "unknown dataset 'nope'; bundled: airline, co2"),
        (
            ["--models", "naive,prophet"],
            "Unknown forecaster prophet. Valid names: lstm",
        ),
        (["--dataset", "airline", "--fh", "60", "--folds", "3"], "need at least"),
        (["--column", "Close"], "--column only applies to --csv FILE"),
        (
            ["--column", "Close", "--freq", "D"],
            "--column, --freq only apply to --csv FILE",
        ),
        (["--dataset", "co2", "--csv", "x.csv"], "either --dataset or --csv"),
    ],
)
def test_usage_errors_exit_2_with_a_message(extra, message, capsys):
    code = main(["compare", *extra, "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2
    assert message.replace("prophet", "'prophet'") in err
    assert err.startswith("skrnn compare: error:")
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--column", "Price"], "column 'Price' not in"),
        (["--column", "Close", "--date-column", "When"], "date column 'When' not in"),
        # the candidates are the numeric columns, not the dates
        ([], "has 2 numeric columns (Close, Volume); choose the one to forecast"),
    ],
)
def test_csv_errors(csv_file, extra, message, capsys):
    assert main(["compare", "--csv", str(csv_file), *extra]) == 2
    assert message in capsys.readouterr().err


def test_unparseable_dates_and_text_values(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("Date,Close\n2020-01-01,1\nyesterday,2\n2020-01-03,3\n")
    args = ["compare", "--csv", str(path), "--column", "Close"]
    assert main([*args, "--date-column", "Date"]) == 2
    assert "cannot parse the dates in column 'Date'" in capsys.readouterr().err
    path.write_text("Date,Close\n2020-01-01,1\n2020-01-02,n/a?\n")
    assert main(args) == 2
    assert "row 3 of the file holds 'n/a?'" in capsys.readouterr().err
    path.write_text("Date,Close\n2020-01-01,1\n2020-01-02,\n2020-01-03,3\n")
    assert main(args) == 2
    assert "column 'Close' of" in (err := capsys.readouterr().err)
    assert "has 1 empty cell; fill or drop" in err


def test_stock_lstm_backtests_the_lecture_pipeline_against_naive(capsys):
    assert main(["stock-lstm", "--folds", "2", "--epochs", "1"]) == 0
    out = capsys.readouterr().out
    assert "S&P 500 daily closes 2014-" in out and "TimeSeriesSplit(2)" in out
    folds = [line.split()[0] for line in out.splitlines() if re.match(r"\d ", line)]
    assert folds == ["1", "2"]  # one row per fold, then their mean
    assert re.search(r"^mean ", out, re.M)
    assert "RMSE skill vs naive:" in out and "'tomorrow = today'" in out
    # one demo is `make demo` (skrnn compare); no command of that name
    assert main(["demo"]) == 2
    assert "invalid choice: 'demo'" in capsys.readouterr().err


def test_argparse_errors_return_2(capsys):
    assert main(["compare", "--fh", "0"]) == 2
    assert "expected a positive integer" in capsys.readouterr().err
    assert main(["frobnicate"]) == 2


def test_empty_models_is_a_usage_error(capsys):
    assert main(["compare", "--models", " , "]) == 2
    assert "--models is empty: give comma-separated names" in capsys.readouterr().err


def test_datasets_lists_the_bundled_data(capsys):
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    for name in ["airline", "co2", "prices", "sunspots"]:
        assert name in out
    assert "seasonal_period" in out


def test_help_in_a_subprocess_without_heavy_imports():
    # one real process: --help works, exits 0, and neither building the parser
    # nor importing skrnn.compare / skrnn.plotting loads sktime or matplotlib
    code = (
        "import sys, skrnn.compare, skrnn.plotting; from skrnn.cli import main; "
        "status = main(['compare', '--help']); "
        "print(sorted(m for m in ('matplotlib', 'sktime') if m in sys.modules)); "
        "sys.exit(status)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "skrnn compare --dataset airline --fh 12 --plot leaderboard.png" in out
    assert "--seasonal-period" in out and "--quick" in out
    assert "lstm+ets" in out and "names joined by '+' combine models" in out
    assert out.rstrip().endswith("[]")


def _dated_csv(path, dates, values=None):
    values = np.arange(len(dates), dtype=float) if values is None else values
    frame = pd.DataFrame({"Date": dates.strftime("%Y-%m-%d %H:%M"), "Value": values})
    frame.to_csv(path, index=False)
    return path


def test_monthly_csv_infers_seasonal_period_12(csv_file, capsys):
    args = ["compare", "--csv", str(csv_file), "--column", "Close"]
    assert main([*args, "--date-column", "Date", "--models", "naive", *FAST]) == 0
    out = capsys.readouterr().out
    assert f"{csv_file} [Close]: 144 points, seasonal period 12;" in out
    assert (
        "Seasonal period 12, inferred from monthly dates (frequency MS); "
        "override with --seasonal-period N." in out
    )


def test_quarterly_csv_infers_seasonal_period_4(tmp_path, capsys):
    dates = pd.date_range("1990-01-01", periods=60, freq="QS")
    path = _dated_csv(tmp_path / "quarterly.csv", dates)
    args = ["compare", "--csv", str(path), "--date-column", "Date"]
    assert main([*args, "--models", "naive", *FAST]) == 0
    out = capsys.readouterr().out
    assert "60 points, seasonal period 4;" in out
    assert "Seasonal period 4, inferred from quarterly dates" in out


def test_explicit_seasonal_period_wins_over_the_dates(csv_file, capsys):
    args = ["compare", "--csv", str(csv_file), "--column", "Close"]
    args += ["--date-column", "Date", "--seasonal-period", "3"]
    assert main([*args, "--models", "naive", *FAST]) == 0
    out = capsys.readouterr().out
    assert "144 points, seasonal period 3;" in out
    assert "inferred" not in out and "Seasonal period" not in out


def test_irregular_dates_give_seasonal_period_1_with_a_message(tmp_path, capsys):
    rng = np.random.default_rng(0)
    days = np.cumsum(rng.integers(1, 5, size=60))
    dates = pd.Timestamp("2020-01-01") + pd.to_timedelta(days, unit="D")
    path = _dated_csv(tmp_path / "irregular.csv", pd.DatetimeIndex(dates))
    args = ["compare", "--csv", str(path), "--date-column", "Date"]
    assert main([*args, "--models", "naive", *FAST]) == 0
    out = capsys.readouterr().out
    assert "60 points, seasonal period 1;" in out
    assert "Seasonal period 1: the dates in 'Date' are irregular" in out
    assert "pass --seasonal-period N" in out
    assert "--fill" not in out  # no usual step to fill to


@pytest.mark.parametrize(
    "dates, hint",
    [
        (
            pd.date_range("2023-01-01", periods=50, freq="D").delete([9, 30]),
            "one day apart, with 2 days missing: --freq D --fill ffill",
        ),
        (  # trading days: weekends are not gaps, a holiday is
            pd.bdate_range("2023-01-02", periods=50).delete(12),
            "one business day apart, with 1 business day missing: --freq B",
        ),
    ],
)
def test_dates_with_gaps_get_a_fill_hint_that_works(tmp_path, capsys, dates, hint):
    path = _dated_csv(tmp_path / "gaps.csv", pd.DatetimeIndex(dates.values))
    args = ["compare", "--csv", str(path), "--date-column", "Date"]
    assert main([*args, "--models", "naive", *FAST]) == 0
    assert hint in capsys.readouterr().out
    # the hint, as given, fills the gaps and gives the dates a period
    freq = hint.split("--freq ")[1].split()[0]
    assert (
        main([*args, "--freq", freq, "--fill", "ffill", "--models", "naive", *FAST])
        == 0
    )
    out = capsys.readouterr().out
    assert "Filled" in out and f"(frequency {freq})" in out


def test_no_date_column_finds_the_season_in_the_values_and_says_so(csv_file, capsys):
    args = ["compare", "--csv", str(csv_file), "--column", "Close"]  # airline
    assert main([*args, "--models", "naive", *FAST]) == 0
    out = capsys.readouterr().out
    assert "144 points, seasonal period 12;" in out
    assert "Seasonal period 12, found in the values" in out
    assert "no --date-column to infer it from" in out
    args = ["compare", "--csv", str(csv_file), "--column", "Volume"]  # a line
    assert main([*args, "--models", "naive", *FAST]) == 0
    out = capsys.readouterr().out
    assert "144 points, seasonal period 1;" in out
    assert "no --date-column to infer it from, and the values show none" in out


def test_freq_sets_the_seasonal_period(tmp_path, capsys):
    # daily dates with a day missing are irregular; with the day added back,
    # --freq D gives the index its frequency
    dates = pd.date_range("2020-01-01", periods=40, freq="D").delete(5)
    path = _dated_csv(tmp_path / "gap.csv", dates)
    args = ["compare", "--csv", str(path), "--date-column", "Date"]
    assert main([*args, "--models", "naive", *FAST]) == 0
    assert "are irregular" in capsys.readouterr().out
    path.write_text(path.read_text() + "2020-01-06 00:00,5.0\n")
    assert main([*args, "--freq", "D", "--models", "naive", *FAST]) == 0
    assert "inferred from daily dates (frequency D)" in capsys.readouterr().out


def test_too_short_for_the_inferred_period_hints_at_the_option(tmp_path, capsys):
    dates = pd.date_range("2020-01-05", periods=150, freq="W-SUN")
    path = _dated_csv(tmp_path / "weekly.csv", dates)
    args = ["compare", "--csv", str(path), "--date-column", "Date"]
    # two seasons of 52 to train on leave 46 points: not one test window of 50
    assert main([*args, "--models", "naive", "--fh", "50", "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "1 fold(s) with fh up to 50 need at least 154" in err
    assert "seasonal period 52 was inferred from the dates" in err


@pytest.mark.parametrize(
    "freq, n, expected, words",
    [
        ("MS", 40, 12, "monthly dates (frequency MS)"),
        ("ME", 40, 12, "monthly dates (frequency ME)"),
        ("QE-DEC", 20, 4, "quarterly dates"),
        ("W-SUN", 120, 52, "weekly dates"),
        ("D", 30, 7, "daily dates"),
        ("B", 30, 5, "business-day dates"),
        ("h", 60, 24, "hourly dates"),
        ("YS", 30, 1, "yearly dates"),
        ("2MS", 40, 6, "dates 2 months apart (frequency 2MS)"),
        ("min", 100, 1, "none is standard for min dates"),
        ("2D", 30, 1, "none is whole for dates 2 days apart"),
        ("W-SUN", 60, 1, "suggest 52, but 60 points hold fewer than two seasons"),
    ],
)
def test_infer_seasonal_period_from_frequencies(freq, n, expected, words):
    from skrnn._cli_csv import infer_seasonal_period

    index = pd.DatetimeIndex(pd.date_range("2000-01-01", periods=n, freq=freq).values)
    assert index.freq is None  # inferred from the dates, not read off the index
    period, note = infer_seasonal_period(pd.Series(0.0, index=index), "Date")
    assert period == expected
    assert words in note
    assert note.startswith(f"Seasonal period {expected}")


def test_day_first_dates(tmp_path, capsys):
    path = tmp_path / "daily.csv"
    frame = pd.DataFrame({"Date": pd.date_range("2020-01-01", periods=60, freq="D")})
    frame["y"] = np.arange(60.0) % 7 + 10
    frame["Date"] = frame["Date"].dt.strftime("%d/%m/%Y")
    args = ["compare", "--csv", str(path), "--date-column", "Date", "--column", "y"]
    args += ["--models", "naive", *FAST]
    # only day first parses (13/01): read so, and pandas' warning stays inside
    frame.iloc[12:].to_csv(path, index=False)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", "Parsing dates", UserWarning)
        assert main(args) == 0
    assert "inferred from daily dates (frequency D)" in capsys.readouterr().out
    # 01/02/2020 first: pandas reads month first, then fails on 13/02
    frame.to_csv(path, index=False)
    assert main(args) == 2
    assert "Pass --dayfirst" in capsys.readouterr().err
    assert main([*args, "--dayfirst"]) == 0
    assert "inferred from daily dates (frequency D)" in capsys.readouterr().out


def test_dayfirst_needs_dates(csv_file, capsys):
    assert main(["compare", "--dayfirst"]) == 2
    assert "--dayfirst only applies to --csv FILE" in capsys.readouterr().err
    assert main(["compare", "--csv", str(csv_file), "--dayfirst"]) == 2
    assert "--dayfirst reads the dates of --date-column" in capsys.readouterr().err


def _daily_with_gaps(tmp_path):
    dates = pd.date_range("2023-01-01", periods=70, freq="D")
    frame = pd.DataFrame({"Date": dates, "y": np.arange(70.0) % 7 + 10})
    path = tmp_path / "gaps.csv"
    frame.drop(index=[20, 21, 40]).to_csv(path, index=False)
    return ["compare", "--csv", str(path), "--date-column", "Date", "--column", "y"]


def test_fill_fills_the_gaps_that_freq_adds(tmp_path, capsys):
    args = _daily_with_gaps(tmp_path)
    assert main([*args, "--freq", "D", "--models", "naive", *FAST]) == 2
    assert "has 3 empty time points" in (err := capsys.readouterr().err)
    assert "--fill ffill" in err
    for fill in ["ffill", "interpolate"]:
        run = [*args, "--freq", "D", "--fill", fill, "--models", "snaive", *FAST]
        assert main(run) == 0
        out = capsys.readouterr().out
        assert "Filled 3 empty time points between the dates with" in out
        assert "inferred from daily dates (frequency D)" in out
    assert main([*args, "--fill", "ffill"]) == 2
    assert "give --freq too" in capsys.readouterr().err


def test_fill_values_and_dates_off_the_freq_grid(tmp_path):
    from skrnn._cli_csv import read_csv_series

    path = tmp_path / "few.csv"
    path.write_text("Date,y\n2023-01-01,1\n2023-01-02,2\n2023-01-04,6\n")
    y, n = read_csv_series(path, "y", "Date", "D", fill="ffill")
    assert n == 1 and y.tolist() == [1, 2, 2, 6]
    y, n = read_csv_series(path, "y", "Date", "D", fill="interpolate")
    assert n == 1 and y.tolist() == [1, 2, 4, 6]
    # month-middle dates are not on month starts: refused, not lost
    path.write_text("Date,y\n2023-01-15,1\n2023-02-15,2\n2023-03-15,3\n")
    with pytest.raises(Exception, match="3 dates in 'Date'.*fall between the steps"):
        read_csv_series(path, "y", "Date", "MS", fill="ffill")


def test_a_given_season_on_dates_with_gaps_says_so(tmp_path, capsys):
    args = _daily_with_gaps(tmp_path)
    assert main([*args, "--seasonal-period", "7", "--models", "naive", *FAST]) == 0
    assert "a season of 7 goes out of step after each gap" in capsys.readouterr().out


def test_a_short_csv_backtests_as_many_origins_as_fit(tmp_path, capsys):
    # the README's --csv example on three years of monthly values
    dates = pd.date_range("2020-01-01", periods=36, freq="MS")
    path = _dated_csv(tmp_path / "short.csv", dates, 100 + np.arange(36.0) % 12)
    args = ["compare", "--csv", str(path), "--date-column", "Date", "--fh", "6"]
    args += ["--models", "naive,lstm", "--quick", "--no-progress"]
    assert main(args) == 0
    out = capsys.readouterr().out
    # the LSTM's window of 15 (1.25 seasons) + 6 targets + 8 samples: 29 to train
    assert "ahead from the last origin (expanding window)" in out
    assert "36 points leave room for 1 test window of 6 after the 29" in out
    assert "not 3 (3 need 47 points; --folds N sets the number)" in out
    assert "lstm" in out and "Best MASE" in out
    # --folds given: kept, or an error
    assert main([*args, "--folds", "3"]) == 2
    assert "3 fold(s) with fh up to 6 need at least 47" in capsys.readouterr().err
    # not even one fits: the error alone, no note promising an origin first
    args[args.index("6")] = "12"
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert "leave room" not in out and "1 fold(s) with fh up to 12" in err


def test_always_train_trains_the_networks_on_a_random_walk(tmp_path, capsys):
    rng = np.random.default_rng(0)
    values = 100 * np.exp(np.cumsum(rng.normal(0, 0.01, 120)))
    path = _dated_csv(
        tmp_path / "walk.csv", pd.date_range("2020-01-01", periods=120), values
    )
    args = ["compare", "--csv", str(path), "--date-column", "Date"]
    args += ["--seasonal-period", "1", "--models", "rnn,naive", "--fh", "1"]
    args += ["--folds", "2", "--no-progress", "--quick"]
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert "rnn forecasts the last value at every origin" in out
    assert "Best MASE: rnn and naive tie" in out
    assert "warning: y looks like a random walk without drift" in err
    with warnings.catch_warnings():
        warnings.filterwarnings("error", "y looks like a random walk")
        assert main([*args, "--always-train"]) == 0
    out, err = capsys.readouterr()
    assert "the last value at every origin" not in out
    assert "random walk" not in err


@pytest.mark.slow
def test_warnings_are_printed_once_each_on_lines_of_their_own(capsys):
    # every network tests the daily closes for a random walk at every origin
    # and AutoARIMA warns of convergence at most fits: each is said once,
    # after the progress bar (on here), naming the models, without file paths
    args = ["compare", "--dataset", "prices", "--fh", "1", "--quick"]
    with warnings.catch_warnings(record=True) as escaped:
        warnings.simplefilter("always")
        assert main(args) == 0
    assert [str(w.message) for w in escaped] == []
    err = capsys.readouterr().err
    # tqdm redraws its line after a carriage return
    lines = [line for line in re.split(r"[\r\n]", err) if "warn" in line.lower()]
    assert 1 <= len(lines) <= 3
    assert all(line.startswith("warning: ") for line in lines)
    assert ".py:" not in err and "site-packages" not in err
    (walk,) = [line for line in lines if "random walk" in line]
    assert walk.endswith("(12 times while backtesting lstm, gru, rnn and lstm+ets)")


def test_failures_are_printed_once(models_module, capsys):
    args = ["compare", "--models", "naive", *FAST, "--model", f"{models_module}:bad"]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert err.count("boom") == 1
    assert "bad failed: ValueError: boom" in err
