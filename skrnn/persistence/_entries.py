"""skrnn forecasters as plain data: parameters and state as JSON, weights as tensors."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import json

import numpy as np
import torch

import skrnn


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


def _restore_param(value):
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
    if params.get("callbacks"):
        raise ValueError(
            "Custom skorch callbacks cannot be saved in the safe format. Set "
            "callbacks=None before saving, or use pickle/joblib for trusted files."
        )
    config = {"params": {k: _jsonable_param(k, v) for k, v in params.items()}}
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
