"""Save and load fitted forecasters in a format that cannot execute code."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import hashlib
import json
import os

import numpy as np
import sklearn
import skorch
import torch
from skorch.history import History

import skrnn

FORMAT = "skrnn-model"
FORMAT_VERSION = 1
# Fitted attributes stored as tensors; everything else fitted goes to JSON.
_NOT_SAVED = {"net_", "history_"}


def _estimator_classes():
    """Map names to the skrnn estimators a file may name; nothing else is built."""
    return {
        name: getattr(skrnn, name)
        for name in skrnn.__all__
        if hasattr(getattr(skrnn, name), "_build_net")
    }


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


def _checksum(config, arrays, module):
    tensors = {f"array/{k}": v for k, v in arrays.items()}
    tensors.update({f"module/{k}": v for k, v in module.items()})
    digest = hashlib.sha256(config.encode())
    for name in sorted(tensors):
        digest.update(name.encode())
        digest.update(tensors[name].detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()


def save(estimator, path):
    """Save a fitted skrnn forecaster to ``path`` without pickling any code.

    The file holds parameters, fitted statistics and training history as JSON,
    and the network's weights as tensors, written with :func:`torch.save` and read
    back by :func:`load` with ``torch.load(weights_only=True)``, which refuses
    anything but tensors and plain containers. Versions of skrnn, torch, skorch
    and scikit-learn are recorded, with a SHA-256 checksum of the content.

    Parameters
    ----------
    estimator : RecurrentForecaster or subclass
        A fitted forecaster. Custom ``callbacks`` and objects as parameters
        cannot be stored safely: such estimators raise ``ValueError``.
    path : str or path-like
        Destination file (conventionally ``*.skrnn``).

    See Also
    --------
    load : Read the file back.

    Notes
    -----
    ``pickle``/``joblib`` also work and keep everything, but loading a pickle
    runs code chosen by whoever wrote the file: use them only for files you
    trust, as scikit-learn's documentation advises.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from skrnn import GRUForecaster
    >>> from skrnn.persistence import load, save
    >>> X = np.random.default_rng(0).normal(size=(30, 5))
    >>> model = GRUForecaster(hidden_size=4, max_epochs=1, random_state=0)
    >>> model = model.fit(X, X[:, -1])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.skrnn")
    >>> save(model, path)
    >>> bool(np.array_equal(load(path).predict(X), model.predict(X)))
    True
    """
    classes = _estimator_classes()
    name = type(estimator).__name__
    if classes.get(name) is not type(estimator):
        raise TypeError(f"save() stores skrnn forecasters; got {name}.")
    if not hasattr(estimator, "net_"):
        raise ValueError(f"This {name} is not fitted yet: call fit before save.")
    params = estimator.get_params(deep=False)
    if params.get("callbacks"):
        raise ValueError(
            "Custom skorch callbacks cannot be saved in the safe format. Set "
            "callbacks=None before saving, or use pickle/joblib for trusted files."
        )
    arrays, fitted = {}, {}
    for key, value in vars(estimator).items():
        if key in _NOT_SAVED or not (key.endswith("_") or key == "_y_ndim"):
            continue
        if isinstance(value, np.ndarray) and value.dtype.kind in "fiub":
            arrays[key] = torch.from_numpy(np.ascontiguousarray(value))
        elif isinstance(value, np.ndarray):
            fitted[key] = {"str_array": [str(v) for v in value]}
        else:
            fitted[key] = _jsonable_param(key, value)
    net = estimator.net_
    config = json.dumps(
        {
            "params": {k: _jsonable_param(k, v) for k, v in params.items()},
            "fitted": fitted,
            "criterion": type(net.criterion_).__name__,
            "masked": bool(getattr(net.criterion_, "masked", False)),
            "history": net.history.to_list(),
        },
        default=float,
        sort_keys=True,
    )
    module = {k: v.detach().cpu() for k, v in net.module_.state_dict().items()}
    payload = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "versions": {
            "skrnn": skrnn.__version__,
            "torch": str(torch.__version__),
            "skorch": str(skorch.__version__),
            "scikit-learn": str(sklearn.__version__),
        },
        "estimator": name,
        "config": config,
        "arrays": arrays,
        "module": module,
        "optimizer": net.optimizer_.state_dict(),
        "checksum": _checksum(config, arrays, module),
    }
    torch.save(payload, path)


def load(path, device=None):
    """Load a forecaster written by :func:`save`; never executes code from the file.

    Parameters
    ----------
    path : str or path-like
        File written by :func:`save`.
    device : str, default=None
        Override the saved ``device`` (for example ``"cpu"`` for a model trained
        on a GPU).

    Returns
    -------
    estimator : RecurrentForecaster or subclass
        The fitted forecaster, predicting exactly as when it was saved.

    Raises
    ------
    ValueError
        If the file is not a skrnn model file, was modified or corrupted, or was
        written by a newer, incompatible version of the format.
    """
    if not os.path.isfile(path):
        raise FileNotFoundError(f"No model file at {path}.")
    try:
        payload = torch.load(path, weights_only=True, map_location="cpu")
    except Exception as exc:  # any unreadable or unsafe content: one clear error
        raise ValueError(
            f"{path} is not a skrnn model file that can be loaded safely: it holds "
            "something other than tensors and plain data, or it is damaged "
            f"({type(exc).__name__})."
        ) from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ValueError(f"{path} is not a skrnn model file (written by save()).")
    version = payload.get("format_version")
    if version != FORMAT_VERSION:
        saved_by = payload.get("versions", {}).get("skrnn", "unknown")
        raise ValueError(
            f"{path} uses skrnn model format {version} (written by skrnn "
            f"{saved_by}); this skrnn {skrnn.__version__} reads format "
            f"{FORMAT_VERSION}. Load it with a matching skrnn version."
        )
    try:
        config, arrays, module = payload["config"], payload["arrays"], payload["module"]
        intact = _checksum(config, arrays, module) == payload["checksum"]
    except (KeyError, TypeError, AttributeError):
        intact = False
    if not intact:
        raise ValueError(
            f"{path} failed its integrity check: the file was modified or "
            "corrupted after it was saved."
        )
    cls = _estimator_classes().get(payload["estimator"])
    if cls is None:
        raise ValueError(f"{path} names an unknown estimator {payload['estimator']!r}.")
    config = json.loads(config)
    params = {k: _restore_param(v) for k, v in config["params"].items()}
    if device is not None:
        params["device"] = device
    estimator = cls(**params)
    estimator._validate_params()
    for key, value in config["fitted"].items():
        if isinstance(value, dict) and "str_array" in value:
            value = np.asarray(value["str_array"], dtype=object)
        setattr(estimator, key, value)
    for key, value in arrays.items():
        setattr(estimator, key, value.numpy())
    with torch.random.fork_rng(devices=[]):  # initial weights are overwritten
        net = estimator._initialized_net(
            n_samples=np.iinfo(np.int32).max,
            # files written before WindowLoss name the masked loss's class
            has_missing=config.get("masked", config["criterion"] == "MaskedMSELoss"),
        )
    net.module_.load_state_dict(module)
    net.optimizer_.load_state_dict(payload["optimizer"])
    net.history = History(config["history"])
    estimator.net_ = net
    estimator.history_ = net.history
    return estimator
