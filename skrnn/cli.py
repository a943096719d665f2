"""The ``skrnn`` command line."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import sys
import time


def _demo(args):
    """Backtest an LSTM pipeline on the bundled daily prices against naive."""
    import numpy as np
    import pandas as pd
    from sklearn.model_selection import TimeSeriesSplit
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from skrnn import (
        LagWindowTransformer,
        LSTMForecaster,
        MovingAverageTransformer,
        make_supervised,
    )
    from skrnn.datasets import load_prices

    prices = load_prices()
    X, y = make_supervised(prices, "Close", horizon=1)
    pipe = make_pipeline(
        MovingAverageTransformer(windows=(3, 5), columns=["Close"]),
        StandardScaler(),
        LagWindowTransformer(window=20),
        LSTMForecaster(hidden_size=32, max_epochs=args.epochs, random_state=0),
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
    print(table.round(2).to_string())
    skill = 1 - table.loc["mean", "LSTM RMSE"] / table.loc["mean", "naive RMSE"]
    verdict = "beats" if skill > 0 else "does NOT beat"
    print(
        f"\nRMSE skill vs naive: {skill:+.1%} -> the LSTM {verdict} "
        "'tomorrow = today' on these folds."
    )
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
        Exit status.
    """
    parser = argparse.ArgumentParser(
        prog="skrnn",
        description="Recurrent neural network forecasters for scikit-learn.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser(
        "demo",
        help="backtest an LSTM pipeline on bundled daily prices against naive",
    )
    demo.add_argument("--folds", type=int, default=5, help="time-series folds")
    demo.add_argument("--epochs", type=int, default=30, help="training epochs")
    demo.set_defaults(run=_demo)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
