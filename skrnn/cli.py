"""The ``skrnn`` command line: leaderboards, bundled datasets, a stock-price LSTM."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import sys
import time
import warnings

from skrnn._cli_csv import (
    UsageError,
    count,
    date_gaps,
    infer_seasonal_period,
    read_csv_series,
)

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


def _stock_lstm(args):
    """Backtest the lecture notes' LSTM pipeline on daily closes against naive."""
    import numpy as np
    import pandas as pd
    from sklearn.model_selection import TimeSeriesSplit
    from sklearn.pipeline import make_pipeline

    from skrnn import (
        LagWindowTransformer,
        LSTMForecaster,
        MovingAverageTransformer,
        make_supervised,
    )
    from skrnn.datasets import load_prices

    prices = load_prices()
    # the target's past first: window_norm="last" reads every window relative
    # to its last day and the targets relative to the last close (the
    # getting-started setup; levels without it lose to "tomorrow = today")
    ohlcv = prices[["Close", "Open", "High", "Low", "Volume"]]
    X, y = make_supervised(ohlcv, "Close", horizon=1)
    pipe = make_pipeline(
        MovingAverageTransformer(windows=(3, 5), columns=["Close"]),
        LagWindowTransformer(window_length=20),
        LSTMForecaster(
            hidden_size=32,
            max_epochs=args.epochs,
            window_norm="last",
            random_state=0,
        ),
    )
    print(
        f"S&P 500 daily closes {prices.index[0]:%Y-%m-%d}..{prices.index[-1]:%Y-%m-%d}"
        f" ({len(prices)} days): predict tomorrow's close from the last 20 days of "
        "OHLCV + 3/5-day moving averages.\nRolling-origin backtest, "
        f"TimeSeriesSplit({args.folds}); naive = today's close.\n"
    )
    rows = []
    for fold, (train, test) in enumerate(TimeSeriesSplit(args.folds).split(X), 1):
        start = time.perf_counter()
        pipe.fit(X.iloc[train], y.iloc[train])
        pred = pipe.predict(X.iloc[test])
        seconds = time.perf_counter() - start
        truth = y.iloc[test].to_numpy()
        naive = X["Close"].iloc[test].to_numpy()
        rows.append(
            {
                "fold": fold,
                "test days": len(test),
                "LSTM RMSE": np.sqrt(np.mean((pred - truth) ** 2)),
                "naive RMSE": np.sqrt(np.mean((naive - truth) ** 2)),
                "LSTM MAE": np.mean(np.abs(pred - truth)),
                "naive MAE": np.mean(np.abs(naive - truth)),
                "fit+predict s": seconds,
            }
        )
    table = pd.DataFrame(rows).set_index("fold")
    table.loc["mean"] = table.mean()
    table["test days"] = table["test days"].round().astype(int)
    print(table.round(2).to_string())
    skill = 1 - table.loc["mean", "LSTM RMSE"] / table.loc["mean", "naive RMSE"]
    verdict = "beats" if skill > 0 else "does NOT beat"
    print(
        f"\nRMSE skill vs naive: {skill:+.1%} -> the LSTM {verdict} "
        "'tomorrow = today' on these folds."
    )
    return 0


def _load_series(args):
    """Return ``(y, seasonal_period, description, note)`` from --dataset or --csv.

    ``note`` says how the seasonal period of a CSV series was chosen (None when
    it was given or comes with a bundled dataset).
    """
    from skrnn.datasets import list_datasets, load_dataset

    if args.csv is not None:
        y, n_filled = read_csv_series(
            args.csv,
            args.column,
            args.date_column,
            args.freq,
            args.dayfirst,
            args.fill,
        )
        what = f"{args.csv} [{y.name}]"
        notes = []
        if n_filled:
            how = "the last value" if args.fill == "ffill" else "a straight line"
            notes.append(
                f"Filled {count(n_filled, 'empty time point')} between the "
                f"dates with {how} (--fill {args.fill}); they are scored too."
            )
        if args.seasonal_period is None:
            sp, note = infer_seasonal_period(y, args.date_column)
            notes.append(note)
        else:
            sp = args.seasonal_period
            if sp > 1 and args.date_column is not None and date_gaps(y):
                notes.append(
                    f"The dates in {args.date_column!r} have gaps or no regular "
                    "frequency: the rows are read as consecutive steps, so a "
                    f"season of {sp} goes out of step after each gap. --freq "
                    "with --fill fills the gaps."
                )
        return y, sp, what, " ".join(notes) or None
    table = list_datasets()
    if args.dataset not in table.index:
        raise UsageError(
            f"unknown dataset {args.dataset!r}; bundled: {', '.join(table.index)} "
            "(see `skrnn datasets`)."
        )
    y = load_dataset(args.dataset)
    sp = args.seasonal_period or int(table.loc[args.dataset, "seasonal_period"])
    return y, sp, f"{args.dataset} [{y.name}]", None


def _import_model(spec):
    """Return ``(name, object)`` for ``--model [NAME=]MODULE:OBJECT``.

    The module is imported (its code runs) only because the user named it;
    the current folder is not added to the import path.
    """
    import importlib

    from skrnn._warnings import sktime_remember_data, warnings_once

    name, _, target = spec.rpartition("=")
    module_name, _, attribute = target.partition(":")
    if not module_name or not attribute:
        raise UsageError(
            f"--model {spec!r}: expected [NAME=]MODULE:OBJECT, e.g. --model "
            "ridge=mymodels:pipeline for the object `pipeline` of mymodels.py."
        )
    try:
        # the module may build sktime forecasters, which warn of remember_data
        with warnings_once(drop=sktime_remember_data):
            obj = importlib.import_module(module_name)
    except ImportError as exc:
        hint = (
            f" Name the module without '.py': {module_name.removesuffix('.py')}."
            if module_name.endswith(".py")
            else ""
        )
        raise UsageError(
            f"--model {spec}: cannot import {module_name!r} ({exc}).{hint} The "
            "module must be installed or on PYTHONPATH; for a file in the current "
            "folder run PYTHONPATH=. skrnn compare ..."
        ) from None
    for part in attribute.split("."):
        if not hasattr(obj, part):
            raise UsageError(f"--model {spec}: {module_name} has no {attribute!r}.")
        obj = getattr(obj, part)
    from skrnn.compare._registry import check_model

    try:
        check_model(obj)
    except TypeError as error:
        raise UsageError(f"--model {spec}: {error}") from None
    return name or attribute.rpartition(".")[2], obj


def _compare(args):
    """Run the rolling-origin leaderboard and print it."""
    from skrnn.compare import compare_forecasters, default_forecasters

    if args.csv is not None and args.dataset is not None:
        raise UsageError("give either --dataset or --csv, not both.")
    if args.csv is None:
        given = [
            flag
            for flag, value in [
                ("--column", args.column),
                ("--date-column", args.date_column),
                ("--freq", args.freq),
                ("--dayfirst", args.dayfirst or None),
                ("--fill", args.fill),
            ]
            if value is not None
        ]
        if given:
            verb = "applies" if len(given) == 1 else "apply"
            raise UsageError(f"{', '.join(given)} only {verb} to --csv FILE.")
        args.dataset = args.dataset or "airline"
    elif args.dayfirst and args.date_column is None:
        raise UsageError("--dayfirst reads the dates of --date-column NAME; give it.")
    if args.fill is not None and args.freq is None:
        raise UsageError(
            "--fill fills the time points that --freq adds between the dates; "
            "give --freq too (e.g. --freq D)."
        )
    models = None
    if args.models is not None:
        models = [name.strip().lower() for name in args.models.split(",")]
        models = [name for name in models if name]
        if not models and not args.model:
            raise UsageError(
                "--models is empty: give comma-separated names, e.g. --models "
                "lstm,ets,naive (or leave it out for the default line-up)."
            )
    own = [_import_model(spec) for spec in args.model]
    y, sp, what, note = _load_series(args)
    if own:
        models = [*(models or default_forecasters(sp)), *own]
    import torch

    def usage_error(exc):  # the models or options given
        message = str(exc)
        if note is not None and sp > 1 and "points" in message:
            message += (
                f" The seasonal period {sp} was inferred from the dates; a smaller "
                "--seasonal-period needs fewer points."
            )
        return UsageError(message)

    torch.set_num_threads(args.threads)
    n_folds, folds_note = args.folds, None
    if n_folds is None:
        # a first run on a short file works: as many origins as fit, said here
        from skrnn.compare._folds import AUTO_FOLDS, auto_folds_of

        try:
            n_folds, min_train = auto_folds_of(
                len(y), models, fh=args.fh, seasonal_period=sp, coverage=args.coverage
            )
        except (TypeError, ValueError) as exc:
            raise usage_error(exc) from None
        # when not even one fits, the backtest's error says so (no note first)
        if n_folds < AUTO_FOLDS and len(y) >= min_train + args.fh:
            folds_note = (
                f"{len(y)} points leave room for {count(n_folds, 'test window')} "
                f"of {args.fh} after the {min_train} the models need to train on, "
                f"so the backtest uses {count(n_folds, 'origin')}, not "
                f"{AUTO_FOLDS} ({AUTO_FOLDS} need "
                f"{min_train + AUTO_FOLDS * args.fh} points; --folds N sets the "
                "number)."
            )
    print(
        f"{what}: {len(y)} points, seasonal period {sp}; forecasting "
        f"{count(args.fh, 'step')} ahead from "
        + ("the last origin" if n_folds == 1 else f"each of the last {n_folds} origins")
        + " (expanding window).",
        flush=True,
    )
    for line in (note, folds_note):
        if line is not None:
            print(line, flush=True)
    start = time.perf_counter()
    result = None
    # compare_forecasters warns once per message, naming the models; printed
    # here, each on a line of its own, without the file and line it came from
    with warnings.catch_warnings(record=True) as caught:
        warnings.filterwarnings("always", append=True)
        try:
            result = compare_forecasters(
                y,
                forecasters=models,
                fh=args.fh,
                seasonal_period=sp,
                n_folds=n_folds,
                quick=args.quick,
                progress=not args.no_progress,
                random_state=args.random_state,
                coverage=args.coverage,
                random_walk=False if args.always_train else "auto",
            )
        except (TypeError, ValueError) as exc:
            raise usage_error(exc) from None
        finally:
            _print_warnings(caught, () if result is None else result.errors)
    seconds = time.perf_counter() - start
    print(f"\n{result.to_string()}\n\n{result.summary()}\nTotal {seconds:.0f} s.")
    for name, message in result.errors.items():
        print(f"{name} failed: {message}", file=sys.stderr)
    if args.csv_out is not None:
        result.leaderboard.to_csv(args.csv_out)
        print(f"Leaderboard written to {args.csv_out}")
    if args.plot is not None:
        import matplotlib

        # a file is wanted, not a window: Agg works without a display
        matplotlib.use("Agg")
        from skrnn.plotting import plot_leaderboard

        plot_leaderboard(result, path=args.plot)
        print(f"Plot written to {args.plot}")
    return 0


def _print_warnings(records, failed):
    """Print each distinct warning once on stderr, as one line of its own.

    ``failed``: models whose failure is printed after the leaderboard, so
    the warning that says so is left out.
    """
    shown = set()
    for record in records:
        text = " ".join(str(record.message).split())
        if text in shown or any(
            text.startswith(f"{name} failed during the backtest") for name in failed
        ):
            continue
        shown.add(text)
        print(f"warning: {text}", file=sys.stderr, flush=True)


def _datasets(args):
    """Print the bundled datasets."""
    import pandas as pd

    from skrnn.datasets import list_datasets

    table = list_datasets()[["n_obs", "frequency", "seasonal_period", "target"]]
    with pd.option_context("display.width", 200):
        print(table.to_string())
    print(
        "\nseasonal_period: what skrnn compare uses (prices: trading days "
        "without\na weekly season, so 1; sunspots: the 11-year solar cycle)."
    )
    print("Use one with: skrnn compare --dataset NAME")
    return 0


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
    from skrnn.compare._registry import DESCRIPTIONS

    return _COMPARE_EXAMPLES.format(
        models="\n".join(f"  {name:<8} {text}" for name, text in DESCRIPTIONS.items())
    )


def _parser():
    parser = _ArgumentParser(
        prog="skrnn",
        description=(
            "Recurrent neural network forecasters for scikit-learn: compare LSTM, "
            "GRU and simple RNN against classical forecasters on a rolling-origin "
            "backtest."
        ),
        epilog="Run `skrnn COMMAND --help` for the options of a command.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    compare = commands.add_parser(
        "compare",
        help="leaderboard of networks vs naive/ETS/Theta/ARIMA on a backtest",
        description=(
            "Backtest recurrent networks and classical forecasters on the same "
            "rolling origins and print a leaderboard sorted by MASE."
        ),
        epilog=_compare_epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    data = compare.add_argument_group("data (one of --dataset or --csv)")
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
    run = compare.add_argument_group("backtest")
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
    out = compare.add_argument_group("output")
    out.add_argument("--plot", metavar="FILE", help="write a forecast + score figure")
    out.add_argument("--csv-out", metavar="FILE", help="write the leaderboard as CSV")
    out.add_argument(
        "--no-progress", action="store_true", help="no progress bar on stderr"
    )
    compare.set_defaults(run=_compare)

    datasets = commands.add_parser("datasets", help="list the bundled datasets")
    datasets.set_defaults(run=_datasets)

    stock = commands.add_parser(
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
    stock.set_defaults(run=_stock_lstm)
    return parser


def main(argv=None):
    """Run the ``skrnn`` command line.

    Parameters
    ----------
    argv : list of str, default=None
        Arguments; ``sys.argv[1:]`` when None.

    Returns
    -------
    int
        Exit status: 0 on success, 2 for a usage error (message on stderr).

    Examples
    --------
    >>> from skrnn.cli import main
    >>> main(["datasets"])  # doctest: +NORMALIZE_WHITESPACE
              n_obs frequency  seasonal_period      target
    name
    airline     144         M               12  Passengers
    co2         526         M               12         CO2
    prices     1258         B                1       Close
    sunspots    309         Y               11    Sunspots
    <BLANKLINE>
    seasonal_period: what skrnn compare uses (prices: trading days without
    a weekly season, so 1; sunspots: the 11-year solar cycle).
    Use one with: skrnn compare --dataset NAME
    0
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return args.run(args)
    except UsageError as exc:
        print(f"skrnn {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
