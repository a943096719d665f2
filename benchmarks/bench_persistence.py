"""Cost of safe persistence: ``skrnn.persistence`` against joblib and pickle.

Saves and loads the same fitted pipelines with ``skrnn.persistence.save/load``
(weights as tensors, scikit-learn parts through ``skops.io``, no code run on
load), ``joblib.dump/load`` and ``pickle``, side by side (alternating rounds,
medians, one torch thread), and reports seconds and file sizes. Every loaded
pipeline is checked to predict exactly as the original.

Run: ``python benchmarks/bench_persistence.py [--quick]``; ``--markdown
docs/benchmarks.md`` rewrites its section of that page.
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import datetime
import os
import pathlib
import pickle
import tempfile
from functools import partial

import joblib
import numpy as np
import pandas as pd
from _common import (
    alternate,
    emit_json,
    fmt,
    median,
    random_walk,
    ratio,
    set_threads,
    table,
)
from _common import replace_section as _common_replace_section
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skrnn import LagWindowTransformer, LSTMForecaster, MovingAverageTransformer
from skrnn.persistence import load, save

START, END = "<!-- persistence:start -->", "<!-- persistence:end -->"


def pipelines():
    """The fitted pipelines compared: name -> unfitted pipeline."""
    return {
        "lags + scaler + Ridge": make_pipeline(
            MovingAverageTransformer(windows=(3, 5), columns=["close"]),
            LagWindowTransformer(window_length=20, flatten=True),
            StandardScaler(),
            SimpleImputer(),
            Ridge(),
        ),
        "moving average + LSTM(64)": make_pipeline(
            MovingAverageTransformer(windows=(3, 5), columns=["close"]),
            LagWindowTransformer(window_length=20),
            LSTMForecaster(hidden_size=64, max_epochs=1, random_state=0),
        ),
        "moving average + LSTM(256)": make_pipeline(
            MovingAverageTransformer(windows=(3, 5), columns=["close"]),
            LagWindowTransformer(window_length=20),
            LSTMForecaster(hidden_size=256, max_epochs=1, random_state=0),
        ),
    }


def _pickle_dump(obj, path):
    with open(path, "wb") as f:
        pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)


def _pickle_load(path):
    with open(path, "rb") as f:
        return pickle.load(f)


WRITERS = {
    "skrnn (safe)": (save, load),
    "joblib": (joblib.dump, joblib.load),
    "pickle": (_pickle_dump, _pickle_load),
}


def run(quick=False, repeats=None, threads=1):
    """Time save and load of every pipeline with every writer."""
    set_threads(threads)
    repeats = repeats or (3 if quick else 9)
    n = 1000 if quick else 3000
    X = pd.DataFrame({"close": random_walk(n, np.float64), "open": random_walk(n)})
    y = X["close"].shift(-1).ffill().to_numpy()
    records = []
    with tempfile.TemporaryDirectory() as folder:
        for name, pipe in pipelines().items():
            pipe.fit(X, y)
            expected = pipe.predict(X)
            paths = {
                w: os.path.join(folder, f"model.{i}") for i, w in enumerate(WRITERS)
            }
            saving = alternate(
                {w: partial(WRITERS[w][0], pipe, paths[w]) for w in WRITERS}, repeats
            )
            loading = alternate(
                {w: partial(WRITERS[w][1], paths[w]) for w in WRITERS}, repeats
            )
            for writer, (_, reader) in WRITERS.items():
                records.append(
                    {
                        "bench": "persistence",
                        "pipeline": name,
                        "writer": writer,
                        "rows": n,
                        "repeats": repeats,
                        "save_s": median(saving[writer]["wall"]),
                        "load_s": median(loading[writer]["wall"]),
                        "size_kib": os.path.getsize(paths[writer]) / 1024,
                        "save_vs_pickle_cpu": ratio(saving, writer, "pickle", "cpu")[0],
                        "load_vs_pickle_cpu": ratio(loading, writer, "pickle", "cpu")[
                            0
                        ],
                        "exact": bool(
                            np.array_equal(reader(paths[writer]).predict(X), expected)
                        ),
                    }
                )
    return records


def report(records):
    """Markdown table of the records."""
    return table(
        records,
        [
            ("pipeline", "pipeline"),
            ("writer", "writer"),
            ("save (ms)", lambda r: format(1000 * r["save_s"], ".1f")),
            ("load (ms)", lambda r: format(1000 * r["load_s"], ".1f")),
            ("file (KiB)", fmt("size_kib", ".0f")),
            ("save / pickle, CPU", fmt("save_vs_pickle_cpu", ".1f")),
            ("load / pickle, CPU", fmt("load_vs_pickle_cpu", ".1f")),
            ("same predictions", "exact"),
        ],
        title="Persistence: save and load of a fitted pipeline",
    )


def replace_section(text, section):
    """Put ``section`` between this benchmark's markers (see ``_common``)."""
    return _common_replace_section(text, section, START, END)


def markdown_section(records, command):
    """The section of docs/benchmarks.md: how it was run, the table, a summary."""
    first = records[0]
    by = {(r["pipeline"], r["writer"]): r for r in records}
    extra_save, extra_load, size = [], [], []
    for name in dict.fromkeys(r["pipeline"] for r in records):
        safe, pickled = by[name, "skrnn (safe)"], by[name, "pickle"]
        extra_save.append(1000 * (safe["save_s"] - pickled["save_s"]))
        extra_load.append(1000 * (safe["load_s"] - pickled["load_s"]))
        size.append(safe["size_kib"] - pickled["size_kib"])
    return "\n".join(
        [
            "## Persistence\n",
            f"`{command}` on {datetime.date.today().isoformat()}, one torch "
            f"thread: each pipeline fitted on {first['rows']} rows of a random "
            "walk, saved and loaded with every writer side by side (alternating "
            f"rounds, medians of {first['repeats']}). `skrnn (safe)` is "
            "`skrnn.persistence.save/load` (no code runs on load); wall-clock "
            "milliseconds, and ratios to pickle on process CPU time.\n",
            report(records) + "\n",
            f"Against pickle, the safe format added {min(extra_save):.0f} to "
            f"{max(extra_save):.0f} ms to a save and {min(extra_load):.0f} to "
            f"{max(extra_load):.0f} ms to a load, and {min(size):.0f} to "
            f"{max(size):.0f} KiB to a file: skops writes and audits the "
            "scikit-learn part (a fixed cost, the whole cost for a pipeline "
            "without a network), and the checksum reads every byte. With a "
            "network the weights dominate: every writer's file holds the same "
            "tensors.",
            "",
        ]
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeats", type=int)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--markdown", help="write the report section into this file")
    args = parser.parse_args()
    records = run(args.quick, args.repeats, args.threads)
    print(report(records))
    emit_json(records)
    if args.markdown:
        path = pathlib.Path(args.markdown)
        root = pathlib.Path(__file__).resolve().parent.parent
        command = "python benchmarks/bench_persistence.py" + (
            " --quick" if args.quick else ""
        )
        command += f" --markdown {os.path.relpath(path.resolve(), root)}"
        text = path.read_text() if path.exists() else ""
        path.write_text(replace_section(text, markdown_section(records, command)))


if __name__ == "__main__":
    main()
