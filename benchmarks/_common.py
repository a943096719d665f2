"""Shared helpers of the benchmarks: data, alternating timers, tables, JSON lines."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import json
import os
import platform
import statistics
import time

import numpy as np


def set_threads(threads):
    """Pin torch's intra-op threads: timings on a shared machine need it."""
    import torch

    torch.set_num_threads(threads)
    return threads


def random_walk(n, dtype=np.float32, seed=0):
    """A univariate random walk with an offset, like a price series."""
    rng = np.random.default_rng(seed)
    return (100.0 + np.cumsum(rng.normal(size=n))).astype(dtype)


def windows_of(series, n_windows, window):
    """``n_windows`` read-only strided windows ``(n, window, 1)`` and next values."""
    X = np.lib.stride_tricks.sliding_window_view(series[:-1], window)[:n_windows]
    y = series[window : window + n_windows]
    return X[:, :, None], y


def time_once(fn):
    """Wall-clock and process-CPU seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def alternate(candidates, repeats, warmup=True):
    """Time candidates side by side, rotating their order every round.

    Other processes load the machine in bursts; alternating spreads the bursts
    over every candidate, and medians drop the worst of them.

    Parameters
    ----------
    candidates : dict of name -> callable
    repeats : int
    warmup : bool
        Run each candidate once, untimed, first (lazy imports, allocator).

    Returns
    -------
    dict of name -> {"wall": [...], "cpu": [...]}
    """
    names = list(candidates)
    if warmup:
        for name in names:
            candidates[name]()
    times = {name: {"wall": [], "cpu": []} for name in names}
    for r in range(repeats):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            wall, cpu = time_once(candidates[name])
            times[name]["wall"].append(wall)
            times[name]["cpu"].append(cpu)
    return times


def median(values):
    """Median of a list."""
    return statistics.median(values)


def ratio(times, num, den, kind="wall"):
    """Ratio of medians, and the median of the per-round ratios."""
    a, b = times[num][kind], times[den][kind]
    return median(a) / median(b), median([x / y for x, y in zip(a, b, strict=True)])


def machine():
    """Describe the machine and the library versions."""
    import sklearn
    import skorch
    import torch

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = None
    try:
        import psutil

        memory = round(psutil.virtual_memory().total / 2**30, 1)
    except ImportError:
        pass
    return {
        "cpu": cpu,
        "logical_cores": os.cpu_count(),
        "memory_gib": memory,
        "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        "python": platform.python_version(),
        "os": platform.platform(),
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "skorch": skorch.__version__,
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def main_for(description, run, report):
    """Command line shared by the timing benchmarks: run, print table and JSON."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeats", type=int)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    records = run(args.quick, args.repeats, args.threads)
    print(report(records))
    emit_json(records)


def emit_json(records):
    """Print one JSON object per line, tagged so that tables and JSON mix."""
    for record in records:
        print(json.dumps(record, default=float))


def table(records, columns, title=None):
    """Format records as a Markdown table (readable in a terminal too)."""
    lines = []
    if title:
        lines.append(f"### {title}\n")
    lines.append("| " + " | ".join(header for header, _ in columns) + " |")
    lines.append("|" + "|".join("---" for _ in columns) + "|")
    for record in records:
        cells = []
        for _, fmt in columns:
            cells.append(fmt(record) if callable(fmt) else str(record.get(fmt, "")))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def fmt(key, spec):
    """A table cell formatter for ``record[key]`` with a format spec."""

    def cell(record):
        value = record.get(key)
        return "" if value is None else format(value, spec)

    return cell


def replace_section(text, section, start_marker, end_marker):
    """Put ``section`` between two markers of a Markdown text.

    Parameters
    ----------
    text : str
        The file's content; everything outside the markers is kept.
    section : str
        The new content between the markers.
    start_marker, end_marker : str
        The markers, e.g. ``"<!-- accuracy:start -->"``.

    Returns
    -------
    str
        ``text`` with the old section replaced, or with the markers and the
        section appended when ``text`` has no markers.
    """
    block = f"{start_marker}\n{section.strip()}\n{end_marker}"
    start, end = text.find(start_marker), text.find(end_marker)
    if start != -1 and end > start:
        return text[:start] + block + text[end + len(end_marker) :]
    if text and not text.endswith("\n"):
        text += "\n"
    return text + ("\n" if text else "") + block + "\n"
