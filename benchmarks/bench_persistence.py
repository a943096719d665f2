"""Cost of safe persistence: ``skrnn.persistence`` against joblib and pickle.

Saves and loads the same fitted pipelines with ``skrnn.persistence.save/load``
(weights as tensors, scikit-learn parts through ``skops.io``, no code run on
load), ``joblib.dump/load`` and ``pickle``, side by side (alternating rounds,
medians, one torch thread), and reports seconds and file sizes. Every loaded
pipeline is checked to predict exactly as the original.

It also measures the peak memory of ``load`` (Linux only: in a fresh process
each, after one load of a normal file, the growth of the peak resident size
from just before the call) for a normal
file and for hostile ones crafted as an attacker would: a stride-0 tensor of
4e8 numbers held in 8 bytes, a 1 GiB skops part deflated to 1 MB, and a
forecaster whose stored ``hidden_size`` was edited to 4000; every hostile file
carries a valid checksum.

Run: ``python benchmarks/bench_persistence.py [--quick]``; ``--markdown
docs/benchmarks.md`` rewrites its section of that page.
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import datetime
import io
import json
import os
import pathlib
import pickle
import subprocess
import sys
import tempfile
import zipfile
from functools import partial

import joblib
import numpy as np
import pandas as pd
import torch
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
from skrnn.persistence._format import checksum

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
        records.extend(load_memory(folder, X, y))
    return records


# ------------------------------------------------------- peak memory of load

_MEASURE = """
import json, resource, sys, time
import sklearn.pipeline, skops.io
from skrnn.persistence import load


def resident_mib(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1]) / 1024


load(sys.argv[2])  # a normal file first: what the first load imports is not counted
# Linux: writing 5 to clear_refs resets the peak (VmHWM) to the current size,
# so the peak is the load's own and not the imports'
with open("/proc/self/clear_refs", "w") as clear:
    clear.write("5")
before = resident_mib("VmRSS:")
start = time.perf_counter()
try:
    load(sys.argv[1])
    outcome = "loaded"
except ValueError as exc:
    outcome = "refused: " + str(exc).replace(sys.argv[1], "").strip()[:70]
seconds = time.perf_counter() - start
print(json.dumps({"peak_mib": resident_mib("VmHWM:") - before,
                  "seconds": seconds, "outcome": outcome}))
"""


def _resigned(path, edit, out):
    payload = torch.load(path, weights_only=True)
    edit(payload)
    payload["checksum"] = checksum(payload)  # anyone can
    torch.save(payload, out)
    return out


def _expand(payload):
    # 8 bytes in the file, 1.6 GB once made contiguous
    payload["models"][0]["arrays"]["y_mean_"] = torch.zeros(1).expand(4 * 10**8)


def _wider(payload):
    config = json.loads(payload["models"][0]["config"])
    config["params"]["hidden_size"] = 4000
    payload["models"][0]["config"] = json.dumps(config)


def _bomb(payload):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("schema.json", "w") as member:
            chunk = b" " * 2**24
            for _ in range(64):  # 1 GiB, written in 16 MiB chunks
                member.write(chunk)
    payload["skops"] = data.getvalue()


def load_memory(folder, X, y):
    """Peak memory of ``load`` on a normal file and on three hostile ones."""
    network = make_pipeline(
        LagWindowTransformer(window_length=20),
        LSTMForecaster(hidden_size=256, max_epochs=1, random_state=0),
    ).fit(X, y)
    normal = os.path.join(folder, "normal.skrnn")
    save(network, normal)
    alone = os.path.join(folder, "alone.skrnn")
    save(network[-1], alone)
    files = {
        "normal pipeline (LSTM 256)": normal,
        "stride-0 tensor (4e8 numbers)": _resigned(
            alone, _expand, os.path.join(folder, "expand.skrnn")
        ),
        "skops part: 1 GiB deflated": _resigned(
            normal, _bomb, os.path.join(folder, "bomb.skrnn")
        ),
        "hidden_size edited to 4000": _resigned(
            alone, _wider, os.path.join(folder, "wider.skrnn")
        ),
    }
    records = []
    for name, path in files.items():
        done = subprocess.run(
            [sys.executable, "-c", _MEASURE, path, normal],
            capture_output=True,
            text=True,
            check=True,
        )
        measured = json.loads(done.stdout.strip().splitlines()[-1])
        size = os.path.getsize(path) / 2**20
        records.append(
            {
                "bench": "persistence-load-memory",
                "file": name,
                "size_mib": size,
                **measured,
                "peak_vs_size": measured["peak_mib"] / size,
            }
        )
    return records


def memory_report(records):
    """Markdown table of the load-memory records."""
    return table(
        records,
        [
            ("file", "file"),
            ("size (MiB)", fmt("size_mib", ".2f")),
            ("load peak (MiB)", fmt("peak_mib", ".1f")),
            ("peak / size", fmt("peak_vs_size", ".1f")),
            ("load (s)", fmt("seconds", ".2f")),
            ("outcome", "outcome"),
        ],
        title="Persistence: peak memory of load, normal and hostile files",
    )


def report(records):
    """Markdown tables of the records: timings, then the load's peak memory."""
    timings = [r for r in records if r["bench"] == "persistence"]
    memory = [r for r in records if r["bench"] == "persistence-load-memory"]
    return _timing_report(timings) + "\n\n" + memory_report(memory)


def _timing_report(records):
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
    by = {(r["pipeline"], r["writer"]): r for r in records if "pipeline" in r}
    extra_save, extra_load, size = [], [], []
    for name in dict.fromkeys(r["pipeline"] for r in records if "pipeline" in r):
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
            "tensors.\n",
            "The load-memory table runs `load` in a fresh process per file, after "
            "one load of the normal file (so that lazy imports are not counted), "
            "and reports the growth of the peak resident size during the call. "
            "Every hostile file carries a valid checksum; each is refused "
            "before it costs more than a small multiple of its size (before "
            "this check, the stride-0 file peaked at 3.5 GB and the skops bomb "
            "at 2.5 GB in 10.5 s).",
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
