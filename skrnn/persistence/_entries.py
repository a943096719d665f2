"""skrnn forecasters as plain data: parameters and state as JSON, weights as tensors."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import inspect
import json

import numpy as np
import torch
from skorch.callbacks import EpochTimer, PrintLog, ProgressBar

import skrnn

# skorch's callbacks that only display or time training: they change nothing a
# forecaster learns or predicts, so a file stores them by name with their plain
# parameters and builds them back from this list (nothing else).
DISPLAY_CALLBACKS = {cls.__name__: cls for cls in (PrintLog, ProgressBar, EpochTimer)}


def estimator_classes():
    """Map names to the skrnn estimators a file may name; nothing else is built."""
    from skrnn._base import BaseWindowForecaster

    public = {name: getattr(skrnn, name) for name in skrnn.__all__}
    return {
        name: obj
        for name, obj in public.items()
        if isinstance(obj, type) and issubclass(obj, BaseWindowForecaster)
    }


def parse_json(text, what):
    """``json.loads`` whose failures on a damaged or hostile text are ValueErrors."""
    if not isinstance(text, str):
        raise TypeError(f"the {what} is a {type(text).__name__}, not JSON text")
    try:
        return json.loads(text)
    except RecursionError as exc:  # the decoder recurses once per level
        raise ValueError(f"the {what} is nested too deeply") from exc


def _jsonable_param(name, value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, np.integer | np.floating):
        return value.item()
    if isinstance(value, tuple | list) and all(
        isinstance(v, bool | int | float | str) for v in value
    ):
        return list(value)
    if isinstance(value, torch.device):
        return str(value)
    if isinstance(value, type) and issubclass(value, torch.optim.Optimizer):
        if getattr(torch.optim, value.__name__, None) is value:
            return {"torch.optim": value.__name__}
    if name == "random_state":
        # Only used when fitting; a generator object cannot be stored safely.
        return None
    raise ValueError(
        f"Parameter {name}={value!r} cannot be saved in the safe format (only "
        "numbers, strings, None and torch.optim classes can). Set it to a plain "
        "value before saving, or use pickle/joblib for files you trust."
    )


def _plain(value):
    """Whether ``value`` is a number, a string, None or a list of those."""
    scalar = (bool, int, float, str, type(None))
    if isinstance(value, list | tuple):
        return all(isinstance(v, scalar) for v in value)
    return isinstance(value, scalar)


def _jsonable_callbacks(callbacks):
    """Return the ``callbacks`` parameter as plain data (display callbacks only).

    Each item is a callback instance or class, or a ``(name, callback)`` pair,
    as skorch takes them. Other callbacks may change training (scoring, early
    stopping, checkpoints) and run arbitrary code: they stay unsaveable.
    """
    entries = []
    for item in callbacks:
        name, callback = None, item
        if isinstance(item, tuple | list) and len(item) == 2:
            name, callback = item
        cls = callback if isinstance(callback, type) else type(callback)
        if (
            not isinstance(name, str | None)
            or DISPLAY_CALLBACKS.get(cls.__name__) is not cls
        ):
            raise ValueError(
                f"Custom skorch callbacks cannot be saved in the safe format "
                f"(got {cls.__name__}; only skorch's display callbacks "
                f"{', '.join(DISPLAY_CALLBACKS)} can). Set callbacks=None before "
                "saving, or use pickle/joblib for trusted files."
            )
        entry = {"class": cls.__name__}
        if name is not None:
            entry["name"] = name
        if not isinstance(callback, type):
            params = callback.get_params(deep=False)
            sink = params.pop("sink", print)
            if sink is not print or not all(map(_plain, params.values())):
                raise ValueError(
                    f"{cls.__name__} with {params if sink is print else 'a sink'} "
                    "cannot be saved in the safe format: only plain parameters "
                    "(numbers, strings, lists of them) and the default sink "
                    "(print) can. Set callbacks=None before saving, or use "
                    "pickle/joblib for trusted files."
                )
            entry["params"] = {k: _jsonable_param(k, v) for k, v in params.items()}
        entries.append(entry)
    return {"skorch.callbacks": entries}


def _plain_parameters(cls):
    """Named parameters of a display callback that a file may set (not ``sink``)."""
    return {
        name
        for name, p in inspect.signature(cls).parameters.items()
        if p.kind is p.POSITIONAL_OR_KEYWORD and name != "sink"
    }


def _restore_callbacks(entries):
    """Build the display callbacks of :func:`_jsonable_callbacks` back."""
    callbacks = []
    for entry in entries:
        cls = DISPLAY_CALLBACKS.get(entry["class"])
        params = entry.get("params")
        allowed = () if cls is None else _plain_parameters(cls)
        if (
            cls is None
            or set(entry) - {"class", "name", "params"}
            or not isinstance(entry.get("name", ""), str)
            or not (params is None or isinstance(params, dict))
            or not set(params or {}) <= allowed
            or not all(map(_plain, (params or {}).values()))
        ):
            raise ValueError(
                f"The file holds a callback the safe format never writes "
                f"({str(entry)[:80]}): it was damaged or altered."
            )
        callback = cls if params is None else cls(**params)
        callbacks.append(callback if "name" not in entry else (entry["name"], callback))
    return callbacks


def _restore_param(value):
    if isinstance(value, dict) and set(value) == {"skorch.callbacks"}:
        return _restore_callbacks(value["skorch.callbacks"])
    if isinstance(value, dict) and set(value) == {"torch.optim"}:
        optimizer = getattr(torch.optim, value["torch.optim"], None)
        if not (
            isinstance(optimizer, type) and issubclass(optimizer, torch.optim.Optimizer)
        ):
            raise ValueError(f"Unknown optimizer {value['torch.optim']!r} in file.")
        return optimizer
    return value


def model_entry(estimator):
    """Parameters, fitted state and weights of one skrnn forecaster, as plain data.

    An unfitted forecaster (the template of a ``TransformedTargetRegressor`` or
    of the sktime face) keeps its parameters only.
    """
    name = type(estimator).__name__
    params = estimator.get_params(deep=False)
    config = {"params": {}}
    for key, value in params.items():
        if key == "callbacks" and value:
            config["params"][key] = _jsonable_callbacks(value)
        else:
            config["params"][key] = _jsonable_param(key, value)
    if not hasattr(estimator, "net_"):
        return {"estimator": name, "config": json.dumps(config, sort_keys=True)}
    state = estimator._fitted_state()
    arrays, fitted = {}, {}
    for key, value in state["attributes"].items():
        if isinstance(value, np.ndarray) and value.dtype.kind in "fiub":
            arrays[key] = torch.from_numpy(np.ascontiguousarray(value))
        elif isinstance(value, np.ndarray):
            fitted[key] = {"str_array": [str(v) for v in value]}
        else:
            fitted[key] = _jsonable_param(key, value)
    config.update(fitted=fitted, masked=state["masked"], history=state["history"])
    return {
        "estimator": name,
        "config": json.dumps(config, default=float, sort_keys=True),
        "arrays": arrays,
        "module": state["module"],
        "optimizer": state["optimizer"],
    }


def model_from_entry(entry, device):
    """Build the forecaster of :func:`model_entry` back, on ``device`` if given."""
    cls = estimator_classes().get(entry["estimator"])
    if cls is None:
        raise ValueError(
            f"The file names an unknown estimator {entry['estimator']!r}; only "
            f"skrnn's forecasters ({', '.join(estimator_classes())}) are built."
        )
    config = parse_json(entry["config"], "configuration of a forecaster")
    params = {k: _restore_param(v) for k, v in config["params"].items()}
    if device is not None:
        params["device"] = device
    estimator = cls(**params)
    estimator._validate_params()
    if "module" not in entry:
        return estimator
    attributes = {key: value.numpy() for key, value in entry["arrays"].items()}
    for key, value in config["fitted"].items():
        if isinstance(value, dict) and "str_array" in value:
            value = np.asarray(value["str_array"], dtype=object)
        attributes[key] = value
    estimator._set_fitted_state(
        {
            "attributes": attributes,
            "module": entry["module"],
            "optimizer": entry["optimizer"],
            "history": config["history"],
            "masked": config["masked"],
        }
    )
    return estimator
