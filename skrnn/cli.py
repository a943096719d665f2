"""The ``skrnn`` command line: leaderboards, bundled datasets, a stock-price LSTM."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

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
from skrnn._cli_parser import build_parser

# pandas, scikit-learn, torch, sktime and matplotlib are imported by the
# commands that use them: ``skrnn --help`` and usage errors load none of them
# (tests/test_import.py). The arguments are declared in _cli_parser.py, the
# CSV input read in _cli_csv.py. From skrnn.compare the commands call the
# public functions, and check_model and auto_folds_of of its modules
# _registry and _folds (no private name crosses a module).


def _stock_lstm(args):
    """Backtest the lecture notes' LSTM pipeline on daily closes against naive."""
    from sklearn.metrics import mean_absolute_error, root_mean_squared_error
    from sklearn.model_selection import TimeSeriesSplit, cross_validate
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
    scores = cross_validate(
        pipe,
        X,
        y,
        cv=TimeSeriesSplit(args.folds),
        scoring={
            "LSTM RMSE": "neg_root_mean_squared_error",
            "LSTM MAE": "neg_mean_absolute_error",
            "naive RMSE": _naive_scorer(root_mean_squared_error),
            "naive MAE": _naive_scorer(mean_absolute_error),
        },
        return_indices=True,
        error_score="raise",
    )
    table = _fold_table(scores)
    print(table.round(2).to_string())
    skill = 1 - table.loc["mean", "LSTM RMSE"] / table.loc["mean", "naive RMSE"]
    verdict = "beats" if skill > 0 else "does NOT beat"
    print(
        f"\nRMSE skill vs naive: {skill:+.1%} -> the LSTM {verdict} "
        "'tomorrow = today' on these folds."
    )
    return 0


def _naive_scorer(metric):
    """Score "tomorrow = today" by ``metric``: today's close, column Close of X."""
    return lambda estimator, X, y: metric(y, X["Close"])


def _fold_table(scores):
    """Return ``cross_validate``'s scores as one row per fold, then their mean."""
    import pandas as pd

    table = pd.DataFrame(
        {
            "test days": [len(test) for test in scores["indices"]["test"]],
            "LSTM RMSE": -scores["test_LSTM RMSE"],  # scikit-learn's neg_ scorers
            "naive RMSE": scores["test_naive RMSE"],
            "LSTM MAE": -scores["test_LSTM MAE"],
            "naive MAE": scores["test_naive MAE"],
            "fit+predict s": scores["fit_time"] + scores["score_time"],
        },
        index=pd.RangeIndex(1, len(scores["fit_time"]) + 1, name="fold"),
    )
    table.loc["mean"] = table.mean()
    table["test days"] = table["test days"].round().astype(int)
    return table


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
    from skrnn.compare import default_forecasters

    _check_data_options(args)
    models = _named_models(args)
    own = [_import_model(spec) for spec in args.model]
    y, sp, what, note = _load_series(args)
    if own:
        models = [*(models or default_forecasters(sp)), *own]
    import torch

    torch.set_num_threads(args.threads)
    n_folds, folds_note = args.folds, None
    if n_folds is None:
        n_folds, folds_note = _auto_folds(args, y, models, sp, note)
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
    result = _backtest(args, y, models, sp, n_folds, note)
    seconds = time.perf_counter() - start
    print(f"\n{result.to_string()}\n\n{result.summary()}\nTotal {seconds:.0f} s.")
    for name, message in result.errors.items():
        print(f"{name} failed: {message}", file=sys.stderr)
    _write_outputs(args, result)
    return 0


def _check_data_options(args):
    """Refuse options that do not go together; --dataset airline by default."""
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


def _named_models(args):
    """Return the names of --models (None: the default line-up)."""
    if args.models is None:
        return None
    models = [name.strip().lower() for name in args.models.split(",")]
    models = [name for name in models if name]
    if not models and not args.model:
        raise UsageError(
            "--models is empty: give comma-separated names, e.g. --models "
            "lstm,ets,naive (or leave it out for the default line-up)."
        )
    return models


def _usage_error(exc, sp, note):
    """Return a UsageError for an error of the models or options given.

    ``note``: how the seasonal period of a CSV series was chosen (None when it
    was given): a period inferred from the dates may be why too few points.
    """
    message = str(exc)
    if note is not None and sp > 1 and "points" in message:
        message += (
            f" The seasonal period {sp} was inferred from the dates; a smaller "
            "--seasonal-period needs fewer points."
        )
    return UsageError(message)


def _auto_folds(args, y, models, sp, note):
    """Return ``(n_folds, note)`` without --folds: as many origins as fit, said here.

    A first run on a short file works; the note says why fewer than three.
    """
    from skrnn.compare._folds import AUTO_FOLDS, auto_folds_of

    try:
        n_folds, min_train = auto_folds_of(
            len(y), models, fh=args.fh, seasonal_period=sp, coverage=args.coverage
        )
    except (TypeError, ValueError) as exc:
        raise _usage_error(exc, sp, note) from None
    # when not even one fits, the backtest's error says so (no note first)
    if n_folds >= AUTO_FOLDS or len(y) < min_train + args.fh:
        return n_folds, None
    return n_folds, (
        f"{len(y)} points leave room for {count(n_folds, 'test window')} "
        f"of {args.fh} after the {min_train} the models need to train on, "
        f"so the backtest uses {count(n_folds, 'origin')}, not "
        f"{AUTO_FOLDS} ({AUTO_FOLDS} need "
        f"{min_train + AUTO_FOLDS * args.fh} points; --folds N sets the "
        "number)."
    )


def _backtest(args, y, models, sp, n_folds, note):
    """Run ``compare_forecasters`` and print its warnings, each on a line."""
    from skrnn.compare import compare_forecasters

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
            raise _usage_error(exc, sp, note) from None
        finally:
            _print_warnings(caught, () if result is None else result.errors)
    return result


def _write_outputs(args, result):
    """Write the leaderboard of --csv-out and the figure of --plot."""
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
    parser = build_parser(
        {"compare": _compare, "datasets": _datasets, "stock-lstm": _stock_lstm}
    )
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
