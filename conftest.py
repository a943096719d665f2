"""Doctest collection of optional modules only where their extras are installed."""

import importlib.util

collect_ignore = []
if importlib.util.find_spec("sktime") is None:
    collect_ignore += ["skrnn/sktime", "skrnn/_reduction.py", "skrnn/compare"]
if importlib.util.find_spec("matplotlib") is None:
    collect_ignore.append("skrnn/plotting.py")
