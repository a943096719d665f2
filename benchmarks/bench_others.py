"""Training time of other PyTorch forecasting libraries at matched settings.

The same 20,000 windows of 48 steps of a random walk, an LSTM with 64 units and
a linear head, Adam at lr 1e-3, batch 64, 3 epochs, no validation, one torch
thread, timed side by side with skrnn and the minimal loop of
``bench_training.py``:

- darts' ``BlockRNNModel`` (``input_chunk_length=48``, ``output_chunk_length=1``:
  exactly the 20,000 windows), trained through PyTorch Lightning;
- neuralforecast's ``LSTM`` (``input_size=48``, ``h=1``, one encoder layer,
  windows sampled 64 at a time for ``3 * 20,000 / 64`` steps); its decoder is an
  MLP on the hidden state, so its network is not identical.

Neither library is a dependency of skrnn: run this script in an environment
where they are installed (``pip install -c constraints-cpu.txt darts
neuralforecast``); a library that does not import is reported as such.

Run: ``python benchmarks/bench_others.py [--quick] [--repeats 3]``
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import logging
import math
import warnings
from functools import partial

import numpy as np
from _common import (
    alternate,
    fmt,
    main_for,
    median,
    random_walk,
    ratio,
    set_threads,
    table,
    windows_of,
)
from bench_training import (
    BATCH_SIZE,
    EPOCHS,
    _standardized_tensors,
    hand_loop,
    skrnn_fit,
)

HIDDEN = 64
WINDOW = 48
_QUIET_TRAINER = dict(
    accelerator="cpu",
    enable_progress_bar=False,
    enable_model_summary=False,
    enable_checkpointing=False,
    logger=False,
)


def darts_fit(series, seed=0):
    """darts' BlockRNNModel on the whole series (one window per position)."""
    from darts import TimeSeries
    from darts.models import BlockRNNModel

    model = BlockRNNModel(
        input_chunk_length=WINDOW,
        output_chunk_length=1,
        model="LSTM",
        hidden_dim=HIDDEN,
        n_rnn_layers=1,
        batch_size=BATCH_SIZE,
        n_epochs=EPOCHS,
        optimizer_kwargs={"lr": 1e-3},
        random_state=seed,
        pl_trainer_kwargs=_QUIET_TRAINER,
    )
    return model.fit(TimeSeries.from_values(series.astype(np.float32)))


def neuralforecast_fit(series, n_windows, seed=0):
    """neuralforecast's LSTM, as many gradient steps as the other candidates."""
    import pandas as pd
    from neuralforecast import NeuralForecast
    from neuralforecast.losses.pytorch import MSE
    from neuralforecast.models import LSTM

    steps = EPOCHS * math.ceil(n_windows / BATCH_SIZE)
    model = LSTM(
        h=1,
        input_size=WINDOW,
        encoder_n_layers=1,
        encoder_hidden_size=HIDDEN,
        decoder_layers=1,
        loss=MSE(),
        max_steps=steps,
        learning_rate=1e-3,
        batch_size=1,
        windows_batch_size=BATCH_SIZE,
        scaler_type="standard",
        random_seed=seed,
        **_QUIET_TRAINER,
    )
    df = pd.DataFrame(
        {"unique_id": 0, "ds": np.arange(len(series)), "y": series.astype(np.float32)}
    )
    return NeuralForecast(models=[model], freq=1).fit(df, val_size=0)


def _importable(name):
    try:
        __import__(name)
    except ImportError as exc:
        return str(exc)
    return None


def run(quick=False, repeats=None, threads=1):
    """Time the candidates that import; return the records."""
    set_threads(threads)
    logging.getLogger("lightning").setLevel(logging.ERROR)
    logging.getLogger("pytorch_lightning").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")
    n_windows = 5_000 if quick else 20_000
    repeats = repeats or (2 if quick else 3)
    series = random_walk(n_windows + WINDOW)
    X, y = windows_of(series, n_windows, WINDOW)
    Xt, yt = _standardized_tensors(X, y)
    candidates = {
        "torch": partial(hand_loop, Xt, yt, "lstm", HIDDEN),
        "skrnn": partial(skrnn_fit, X, y, "lstm", HIDDEN),
    }
    missing = {}
    others = {
        "darts": partial(darts_fit, series),
        "neuralforecast": partial(neuralforecast_fit, series, n_windows),
    }
    for name, fit in others.items():
        error = _importable(name)
        if error is None:
            candidates[name] = fit
        else:
            missing[name] = error
    times = alternate(candidates, repeats)
    records = []
    for name in candidates:
        records.append(
            {
                "bench": "others",
                "library": name,
                "n_windows": n_windows,
                "repeats": repeats,
                "fit_s": median(times[name]["wall"]),
                "fit_cpu_s": median(times[name]["cpu"]),
                "vs_torch": ratio(times, name, "torch", kind="cpu")[0],
                "vs_skrnn": ratio(times, name, "skrnn", kind="cpu")[0],
            }
        )
    for name, error in missing.items():
        records.append({"bench": "others", "library": name, "missing": error})
    return records


def report(records):
    """Human table of the records."""
    return table(
        records,
        [
            ("library", "library"),
            ("fit wall (s)", fmt("fit_s", ".2f")),
            ("fit CPU (s)", fmt("fit_cpu_s", ".2f")),
            ("CPU time / torch loop", fmt("vs_torch", ".2f")),
            ("CPU time / skrnn", fmt("vs_skrnn", ".2f")),
            ("not installed", "missing"),
        ],
        f"Other libraries: LSTM {HIDDEN}, {records[0].get('n_windows')} windows of "
        f"{WINDOW}, batch {BATCH_SIZE}, {EPOCHS} epochs",
    )


def main():
    main_for(__doc__, run, report)


if __name__ == "__main__":
    main()
