"""The ``skrnn`` command line's arguments: commands, options and their help."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse

# Nothing heavy here: ``skrnn --help`` and usage errors stop at this module.
# Only ``skrnn compare --help`` imports skrnn.compare, for the model names.

_COMPARE_EXAMPLES = """\
examples:
  skrnn compare --dataset airline --fh 12 --plot leaderboard.png
  skrnn compare --dataset sunspots --fh 11 --models lstm,gru,naive,theta
  skrnn compare --dataset prices --fh 5 --folds 4 --quick
  skrnn compare --csv sales.csv --column units --date-column month --fh 6

models (--models, comma-separated; default: all, snaive only if seasonal):
{models}
names joined by '+' combine models: the mean of their forecasts (gru+theta);
a combination has no intervals, and joins built-in names only.

your own models: --model [NAME=]MODULE:OBJECT (repeatable) imports MODULE,
which runs its code, and adds its OBJECT to the line-up: an sktime
forecaster, a skrnn estimator, or a scikit-learn regressor or pipeline
(reduced to forecasting on lagged values). MODULE must be importable:
installed, or on PYTHONPATH (PYTHONPATH=. for a file in this folder).
  PYTHONPATH=. skrnn compare --dataset airline --model ridge=mymodels:pipe

seasonal period: a --dataset's own; for --csv, inferred from the frequency of
--freq or of the dates in --date-column (monthly 12, quarterly 4, weekly 52,
daily 7, business days 5, hourly 24, yearly 1), else found in the values
(their autocorrelation; 1 when they show no season); --seasonal-period N
overrides it. Missing dates (days without a row) put a season out of step:
--freq D --fill ffill fills them with the last value.

columns: MASE/sMAPE/RMSE are means over the folds (*_std: spread);
skill_vs_naive = 1 - MASE / MASE of the naive forecast; persistence near 0
means the forecast barely moves away from the last observed value;
flag '≈ naive' marks models that mostly repeat it without beating it by 5 %,
'worse than naive' the other models with a higher MASE than the naive forecast.
fit_s and predict_s are wall-clock seconds per fold. settings: what each
model read and chose at the last origin: the networks' input window (1.25
seasons or horizons, at least 8) and strategy (recursive or direct, the one
with the smaller error on held-out data), a scikit-learn regressor's lags
(window 15, recursive).
warnings: what the models (or their libraries) warn of while fitting
(convergence, for example) is printed after the backtest, once per message,
with how often and for which models; those fits still forecast and are
scored. A model that fails is flagged 'failed'
and ranked last.
With --coverage 0.8,0.95, coverage_80 and coverage_95 give the share of test
points inside each model's 80 % and 95 % prediction intervals (- for models
without intervals); MSIS_80 and MSIS_95 their interval scores (M4's: width
plus 2 / (1 - coverage) times each miss, scaled like MASE; lower is better)
and SPL the pinball loss of the bounds as quantiles, scaled like MASE. The
networks then train a second network per fold to calibrate theirs.
"""


def _coverages(text):
    """Parse ``--coverage 0.8,0.95`` (compare_forecasters checks the values)."""
    try:
        return [float(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated coverages between 0 and 1 such as "
            f"0.8,0.95, got {text!r}"
        ) from None


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a positive integer, got {text!r}"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


class _ArgumentParser(argparse.ArgumentParser):
    """An argument parser whose epilog may be a function, called for the help.

    ``skrnn compare --help`` lists the models of :mod:`skrnn.compare`, which
    imports pandas; deferring it keeps ``skrnn --help`` and usage errors fast.
    """

    def format_help(self):
        if callable(self.epilog):
            self.epilog = self.epilog()
        return super().format_help()


def _compare_epilog():
    """Return the help text after the options of ``skrnn compare``."""
    from skrnn.compare._registry import DESCRIPTIONS

    return _COMPARE_EXAMPLES.format(
        models="\n".join(f"  {name:<8} {text}" for name, text in DESCRIPTIONS.items())
    )


def build_parser(commands):
    """Return the parser of the ``skrnn`` command line.

    ``commands`` maps each command's name (``"compare"``, ``"datasets"``,
    ``"stock-lstm"``) to the function that runs it, ``run(args)``, which the
    parsed arguments hold as ``args.run``.
    """
    parser = _ArgumentParser(
        prog="skrnn",
        description=(
            "Recurrent neural network forecasters for scikit-learn: compare LSTM, "
            "GRU and simple RNN against classical forecasters on a rolling-origin "
            "backtest."
        ),
        epilog="Run `skrnn COMMAND --help` for the options of a command.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    compare = subparsers.add_parser(
        "compare",
        help="leaderboard of networks vs naive/ETS/Theta/ARIMA on a backtest",
        description=(
            "Backtest recurrent networks and classical forecasters on the same "
            "rolling origins and print a leaderboard sorted by MASE."
        ),
        epilog=_compare_epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_data_options(compare.add_argument_group("data (one of --dataset or --csv)"))
    _add_backtest_options(compare.add_argument_group("backtest"))
    out = compare.add_argument_group("output")
    out.add_argument("--plot", metavar="FILE", help="write a forecast + score figure")
    out.add_argument("--csv-out", metavar="FILE", help="write the leaderboard as CSV")
    out.add_argument(
        "--no-progress", action="store_true", help="no progress bar on stderr"
    )
    compare.set_defaults(run=commands["compare"])

    datasets = subparsers.add_parser("datasets", help="list the bundled datasets")
    datasets.set_defaults(run=commands["datasets"])
    _add_stock_lstm(subparsers, commands["stock-lstm"])
    return parser


def _add_data_options(data):
    """Add the options of ``skrnn compare`` that choose and read the series."""
    data.add_argument(
        "--dataset",
        help="bundled dataset: airline (default), co2, sunspots, prices",
    )
    data.add_argument("--csv", metavar="FILE", help="CSV file holding the series")
    data.add_argument(
        "--column", help="column of --csv to forecast (default: the only numeric one)"
    )
    data.add_argument("--date-column", metavar="NAME", help="time column of --csv")
    data.add_argument(
        "--dayfirst",
        action="store_true",
        help="read dates such as 01/02/2020 as day/month/year (1 February)",
    )
    data.add_argument(
        "--freq",
        help="pandas frequency of --date-column (e.g. D, MS); default: rows as given",
    )
    data.add_argument(
        "--fill",
        choices=["ffill", "interpolate"],
        help=(
            "fill the time points --freq adds between the dates: with the last "
            "value or a straight line (default: refuse gaps)"
        ),
    )


def _add_backtest_options(run):
    """Add the options of ``skrnn compare`` that set the backtest and its models."""
    run.add_argument(
        "--fh", type=_positive_int, default=12, help="forecast horizon (default 12)"
    )
    run.add_argument(
        "--folds",
        type=_positive_int,
        help="origins (default: 3, or as many as a short series holds, at least 1)",
    )
    run.add_argument(
        "--models",
        help="comma-separated names of: lstm,gru,rnn,naive,snaive,ets,theta,arima,"
        " or of combinations joined by '+' (lstm+ets)",
    )
    run.add_argument(
        "--model",
        action="append",
        default=[],
        metavar="[NAME=]MODULE:OBJECT",
        help=(
            "add your own model: imports MODULE (its code runs) and backtests its "
            "OBJECT; repeatable (see below)"
        ),
    )
    run.add_argument(
        "--seasonal-period",
        type=_positive_int,
        metavar="N",
        help=(
            "seasonal period (default: the dataset's; for --csv inferred from the "
            "dates' frequency, else found in the values)"
        ),
    )
    run.add_argument(
        "--always-train",
        action="store_true",
        help=(
            "train the networks even on a series that looks like a random walk "
            "without drift (by default they then forecast its last value)"
        ),
    )
    run.add_argument(
        "--quick", action="store_true", help="half the networks' epochs (15, not 30)"
    )
    run.add_argument(
        "--coverage",
        type=_coverages,
        metavar="LEVELS",
        help=(
            "also measure prediction intervals of these coverages, e.g. 0.8,0.95: "
            "coverage_80 and MSIS_80 columns per level, and SPL"
        ),
    )
    run.add_argument("--random-state", type=int, default=0, help="seed of the networks")
    run.add_argument(
        "--threads",
        type=_positive_int,
        default=1,
        help=(
            "torch CPU threads (default 1: the small networks train fastest on one "
            "thread, more only add synchronization)"
        ),
    )


def _add_stock_lstm(subparsers, run):
    """Add the ``skrnn stock-lstm`` command and its options."""
    stock = subparsers.add_parser(
        "stock-lstm",
        help=(
            "the lecture notes' LSTM pipeline on daily S&P 500 closes against "
            "'tomorrow = today'"
        ),
        description=(
            "Backtest a scikit-learn pipeline (moving averages, 20-day windows, "
            "an LSTM) on the bundled daily S&P 500 prices with TimeSeriesSplit, "
            "against the naive forecast 'tomorrow = today'."
        ),
    )
    stock.add_argument(
        "--folds", type=_positive_int, default=5, help="time-series folds (default 5)"
    )
    stock.add_argument(
        "--epochs", type=_positive_int, default=30, help="training epochs (default 30)"
    )
    stock.set_defaults(run=run)
