"""Save and load fitted models and pipelines in a format that cannot execute code.

What :func:`save` accepts and how each part is stored:

- skrnn forecasters (``LSTMForecaster`` ... ``WaveNetForecaster``): parameters,
  fitted statistics and history as JSON, weights and optimizer state as tensors.
- :class:`~skrnn.RecurrentImputer` and
  :class:`~skrnn.sktime.SktimeRecurrentForecaster`: their fitted state as JSON
  and tensors, built back from an allowlist of classes (numpy and pandas
  values, sktime's forecasting horizon and deseasonalizers); their networks as
  above.
- scikit-learn objects (``Pipeline``, ``ColumnTransformer``,
  ``TransformedTargetRegressor``, any estimator) holding skrnn steps: the
  object is written with ``skops.io`` (``pip install skrnn[skops]``) after
  every skrnn forecaster in it is swapped for a marker; the forecasters are
  stored as above and put back on load. skops builds only the types it trusts
  (scikit-learn, numpy, scipy), skrnn's own transformers and the types the
  caller names in ``load(trusted=...)``.

Everything lives in one file written with :func:`torch.save` and read with
``torch.load(weights_only=True)``, which refuses anything but tensors and plain
containers, with a SHA-256 checksum over all of it.
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import copy
import enum
import hashlib
import importlib
import inspect
import json
import os
import sys
import types
import zipfile

import numpy as np
import pandas as pd
import sklearn
import skorch
import torch
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

import skrnn

FORMAT = "skrnn-model"
# 1: one forecaster, checksum over its config and weights (still read).
# 2: forecasters, imputers, the sktime face and scikit-learn objects, checksum
#    over the whole payload.
FORMAT_VERSION = 2
_SKOPS_MISSING = (
    "Saving and loading scikit-learn pipelines needs skops, an optional "
    "dependency of skrnn. Install it with: pip install skrnn[skops]"
)


def _estimator_classes():
    """Map names to the skrnn estimators a file may name; nothing else is built."""
    from skrnn._base import BaseWindowForecaster

    public = {name: getattr(skrnn, name) for name in skrnn.__all__}
    return {
        name: obj
        for name, obj in public.items()
        if isinstance(obj, type) and issubclass(obj, BaseWindowForecaster)
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


# ---------------------------------------------------------------- forecasters


def _model_entry(estimator):
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


def _model_from_entry(entry, device):
    """Build the forecaster of :func:`_model_entry` back, on ``device`` if given."""
    cls = _estimator_classes().get(entry["estimator"])
    if cls is None:
        raise ValueError(
            f"The file names an unknown estimator {entry['estimator']!r}; only "
            f"skrnn's forecasters ({', '.join(_estimator_classes())}) are built."
        )
    config = json.loads(entry["config"])
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
    # files written before WindowLoss name the masked loss's class
    masked = config.get("masked", config.get("criterion") == "MaskedMSELoss")
    estimator._set_fitted_state(
        {
            "attributes": attributes,
            "module": entry["module"],
            "optimizer": entry["optimizer"],
            "history": config["history"],
            "masked": masked,
        }
    )
    return estimator


# ------------------------------------------- imputer and sktime face: a value tree


# Types the value tree may build, by the stable name the file gives them: the
# module to import and the attribute. A file naming anything else is refused.
_TREE_TYPES = {
    "skrnn.RecurrentImputer": ("skrnn.impute", "RecurrentImputer"),
    "skrnn.sktime.SktimeRecurrentForecaster": (
        "skrnn.sktime",
        "SktimeRecurrentForecaster",
    ),
    # what the face forecasts with in place of a network on a random walk
    "skrnn.LastValue": ("skrnn._random_walk", "LastValue"),
    "sktime.ForecastingHorizon": ("sktime.forecasting.base", "ForecastingHorizon"),
    "sktime.Deseasonalizer": (
        "sktime.transformations.series.detrend",
        "Deseasonalizer",
    ),
    "sktime.ConditionalDeseasonalizer": (
        "sktime.transformations.series.detrend",
        "ConditionalDeseasonalizer",
    ),
    # the kind of y's values in the metadata sktime keeps after fit
    "sktime.DtypeKind": ("sktime.datatypes._dtypekind", "DtypeKind"),
    # a function, stored by name: the test a fitted ConditionalDeseasonalizer ran
    "sktime.autocorrelation_seasonality_test": (
        "sktime.utils.seasonality",
        "autocorrelation_seasonality_test",
    ),
}


def _tree_type(name):
    if name not in _TREE_TYPES:
        raise ValueError(
            f"The file names the type {name!r}, which skrnn does not build from a "
            f"file; it builds only {sorted(_TREE_TYPES)}."
        )
    module, attribute = _TREE_TYPES[name]
    return getattr(importlib.import_module(module), attribute)


def _tree_names():
    """Map the tree's types to their names; sktime's only once the face is used."""
    face = "skrnn.sktime" in sys.modules
    names = {}
    for name in _TREE_TYPES:
        if face or not name.startswith(("sktime.", "skrnn.sktime.")):
            try:
                names[_tree_type(name)] = name
            except (ImportError, AttributeError):  # moved in another sktime
                continue
    return names


def _type_name(cls):
    return f"{cls.__module__}.{cls.__qualname__}"


class _TreeWriter:
    """Encode a fitted object as JSON-able nodes plus a list of tensors.

    Scalars are JSON values; everything else is a dict tagged ``"__t"``.
    Networks go to ``models`` (see :func:`_model_entry`).
    """

    def __init__(self):
        self.arrays, self.models, self._model_index = [], [], {}
        self.names = _tree_names()
        self.forecasters = set(_estimator_classes().values())

    def encode(self, value, where):
        if value is None or type(value) in (bool, int, float, str):
            return value
        if type(value) in (list, tuple):
            items = [self.encode(v, f"{where}[{i}]") for i, v in enumerate(value)]
            return {"__t": type(value).__name__, "v": items}
        if type(value) is dict:
            items = [
                [self.encode(k, where), self.encode(v, f"{where}[{k!r}]")]
                for k, v in value.items()
            ]
            return {"__t": "dict", "v": items}
        if isinstance(value, np.generic) and value.dtype.kind in "biuf":
            return {"__t": "np", "dtype": value.dtype.str, "v": value.item()}
        if isinstance(value, np.ndarray):
            return self._array(value, where)
        if isinstance(value, pd.Timestamp):
            tz = None if value.tz is None else str(value.tz)
            return {
                "__t": "timestamp",
                "v": value.isoformat(),
                "tz": tz,
                "unit": value.unit,
            }
        if isinstance(value, pd.Period):
            return {"__t": "period", "v": value.ordinal, "freq": value.freqstr}
        if isinstance(value, pd.offsets.BaseOffset):
            return {"__t": "offset", "v": value.freqstr}
        if isinstance(value, pd.Index):
            return self._index(value, where)
        if isinstance(value, pd.Series):
            return {
                "__t": "series",
                "v": self._array(value.to_numpy(), where),
                "dtype": str(value.dtype),
                "index": self._index(value.index, where),
                "name": self.encode(value.name, where),
            }
        if isinstance(value, pd.DataFrame):
            return {
                "__t": "frame",
                "v": [self._array(c.to_numpy(), where) for _, c in value.items()],
                "dtypes": [str(t) for t in value.dtypes],
                "index": self._index(value.index, where),
                "columns": self._index(value.columns, where),
            }
        if type(value) in self.forecasters:
            if id(value) not in self._model_index:
                self._model_index[id(value)] = len(self.models)
                self.models.append(_model_entry(value))
            return {"__t": "model", "v": self._model_index[id(value)]}
        if isinstance(value, enum.Enum) and type(value) in self.names:
            return {"__t": "enum", "type": self.names[type(value)], "v": value.value}
        if inspect.isfunction(value) and value in self.names:
            return {"__t": "function", "type": self.names[value], "v": None}
        if type(value) in self.names:
            state = {}
            for key, attr in vars(value).items():
                if key == "random_state" and not isinstance(attr, int | None):
                    attr = None  # only used when fitting, as for forecasters
                state[key] = self.encode(attr, f"{where}.{key}")
            return {"__t": "object", "type": self.names[type(value)], "v": state}
        raise TypeError(
            f"{where} is a {_type_name(type(value))}, which the safe format does "
            "not store. Use pickle/joblib for files you trust."
        )

    def _array(self, value, where):
        if value.dtype.kind not in "biufmM":  # objects, strings
            items = [self.encode(v, f"{where}[...]") for v in value.ravel().tolist()]
            return {"__t": "objects", "shape": list(value.shape), "v": items}
        native = np.ascontiguousarray(value, dtype=value.dtype.newbyteorder("="))
        if native.dtype.kind in "mM":  # torch has no datetimes: their int64 ticks
            native = native.view(np.int64)
        self.arrays.append(torch.from_numpy(native))
        return {"__t": "array", "dtype": value.dtype.str, "v": len(self.arrays) - 1}

    def _index(self, value, where):
        if isinstance(value, pd.MultiIndex):
            return {
                "__t": "multiindex",
                "v": [self._index(level, where) for level in value.levels],
                "codes": [self._array(np.asarray(c), where) for c in value.codes],
                "names": self.encode(list(value.names), where),
            }
        if isinstance(value, pd.RangeIndex):
            return {
                "__t": "range",
                "v": [value.start, value.stop, value.step],
                "name": self.encode(value.name, where),
            }
        # a PeriodIndex's frequency is part of its dtype
        freq = (
            None if isinstance(value, pd.PeriodIndex) else getattr(value, "freq", None)
        )
        return {
            "__t": "index",
            "v": self._array(value.to_numpy(), where),
            "dtype": str(value.dtype),
            "name": self.encode(value.name, where),
            "freq": self.encode(freq, where),
        }


class _TreeReader:
    """Decode the nodes of :class:`_TreeWriter`, building only allowlisted types."""

    def __init__(self, arrays, models):
        self.arrays, self.models = arrays, models

    def decode(self, node):
        if node is None or type(node) in (bool, int, float, str):
            return node
        tag, v = node["__t"], node["v"]
        if tag in ("list", "tuple"):
            items = [self.decode(item) for item in v]
            return items if tag == "list" else tuple(items)
        if tag == "dict":
            return {self.decode(k): self.decode(item) for k, item in v}
        if tag == "np":
            return _stored_dtype(node["dtype"], "biuf").type(v)
        if tag == "array":
            dtype = _stored_dtype(node["dtype"], "biufmM")
            array = self.arrays[v].numpy()
            return array.view(dtype) if dtype.kind in "mM" else array
        if tag == "objects":
            array = np.empty(len(v), dtype=object)
            for i, item in enumerate(v):
                array[i] = self.decode(item)
            return array.reshape(node["shape"])
        if tag == "timestamp":
            stamp = pd.Timestamp(v).as_unit(node["unit"])
            return stamp if node["tz"] is None else stamp.tz_convert(node["tz"])
        if tag == "period":
            return pd.Period(ordinal=v, freq=node["freq"])
        if tag == "offset":
            return pd.tseries.frequencies.to_offset(v)
        if tag == "range":
            return pd.RangeIndex(*v, name=self.decode(node["name"]))
        if tag == "index":
            index = pd.Index(
                self.decode(v), dtype=node["dtype"], name=self.decode(node["name"])
            )
            freq = self.decode(node["freq"])
            return index if freq is None else type(index)(index, freq=freq)
        if tag == "multiindex":
            return pd.MultiIndex(
                levels=[self.decode(level) for level in v],
                codes=[self.decode(c) for c in node["codes"]],
                names=self.decode(node["names"]),
            )
        if tag == "series":
            return pd.Series(
                self.decode(v),
                index=self.decode(node["index"]),
                dtype=node["dtype"],
                name=self.decode(node["name"]),
            )
        if tag == "frame":
            index = self.decode(node["index"])
            columns = {
                i: pd.Series(self.decode(c), index=index, dtype=t)
                for i, (c, t) in enumerate(zip(v, node["dtypes"], strict=True))
            }
            frame = pd.DataFrame(columns, index=index)
            frame.columns = self.decode(node["columns"])
            return frame
        if tag == "model":
            return self.models[v]
        if tag == "enum":
            cls = _tree_type(node["type"])
            if not (isinstance(cls, type) and issubclass(cls, enum.Enum)):
                raise ValueError(f"{node['type']!r} is not an enumeration.")
            return cls(v)
        if tag == "function":
            function = _tree_type(node["type"])
            if not inspect.isfunction(function):
                raise ValueError(f"{node['type']!r} is not a function.")
            return function
        if tag == "object":
            cls = _tree_type(node["type"])
            if not isinstance(cls, type):
                raise ValueError(f"{node['type']!r} is not a class.")
            obj = cls.__new__(cls)
            obj.__dict__.update({key: self.decode(item) for key, item in v.items()})
            return obj
        raise ValueError(f"The file holds a value of unknown kind {tag!r}.")


def _stored_dtype(name, kinds):
    dtype = np.dtype(name)
    if dtype.kind not in kinds:
        raise ValueError(f"The file holds data of unexpected dtype {name!r}.")
    return dtype


# ------------------------------------------------ scikit-learn objects: skops.io


class _StoredModel:
    """Marks where a skrnn forecaster stood; its weights are stored beside."""

    def __init__(self, index):
        self.index = index


def _skops_io():
    try:
        import skops.io
    except ImportError as error:
        raise ImportError(_SKOPS_MISSING) from error
    return skops.io


def _skops_trusted():
    """Types skops may build besides its defaults (scikit-learn, numpy, scipy)."""
    from skrnn.impute import RecurrentImputer
    from skrnn.preprocessing import LagWindowTransformer, MovingAverageTransformer

    return [
        _type_name(cls)
        for cls in (
            _StoredModel,
            LagWindowTransformer,
            MovingAverageTransformer,
            RecurrentImputer,
        )
    ] + [
        # (SimpleImputer keeps one) skops builds it from an empty array read
        # with numpy.load(allow_pickle=False), but does not trust it by default
        "numpy.dtype",
    ]


# Objects whose attributes are no place for an estimator (and pandas objects,
# which skops does not store anyway).
_OPAQUE = (
    type,
    types.ModuleType,
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    pd.Index,
    pd.Series,
    pd.DataFrame,
)


def _substitute(value, replace, memo, where):
    """Return ``value`` with ``replace(v, where)`` swapped in where it is not None.

    Walks containers and objects' ``__dict__`` (a search's scorer holds its
    estimator, for instance); objects on the way to a replaced value are
    shallow-copied, never changed, so the caller's object stays as it was.
    """
    if id(value) in memo:
        return memo[id(value)]
    new = replace(value, where)
    if new is not None:
        memo[id(value)] = new
        return new
    memo[id(value)] = value  # a cycle leads back to the original
    new = value
    if isinstance(value, dict):
        changed = {
            k: n
            for k, v in value.items()
            if (n := _substitute(v, replace, memo, f"{where}[{k!r}]")) is not v
        }
        if changed:
            new = copy.copy(value)
            new.update(changed)
    elif isinstance(value, list | tuple):
        items = [
            _substitute(v, replace, memo, f"{where}[{i}]") for i, v in enumerate(value)
        ]
        if any(n is not v for n, v in zip(items, value, strict=True)):
            make = getattr(type(value), "_make", type(value))  # namedtuples
            new = make(items)
    elif hasattr(value, "__dict__") and not isinstance(value, _OPAQUE):
        changed = {
            k: n
            for k, v in vars(value).items()
            if (n := _substitute(v, replace, memo, f"{where}.{k}")) is not v
        }
        if changed:
            new = copy.copy(value)
            new.__dict__.update(changed)
    memo[id(value)] = new
    return new


def _skops_bytes(obj, models):
    """Write ``obj`` with skops, its skrnn forecasters appended to ``models``."""
    sio = _skops_io()
    classes = set(_estimator_classes().values())
    face = getattr(sys.modules.get("skrnn.sktime"), "SktimeRecurrentForecaster", ())

    def swap_out(value, where):
        if type(value) in classes:
            models.append(_model_entry(value))
            return _StoredModel(len(models) - 1)
        if isinstance(value, face):
            raise TypeError(
                f"{where} is a SktimeRecurrentForecaster: save() stores it only "
                "on its own (save(forecaster, path)), not inside another object."
            )
        if isinstance(value, torch.nn.Module | torch.Tensor | skorch.NeuralNet):
            raise TypeError(
                f"{where} is a {type(value).__name__}: networks are stored safely "
                "only inside skrnn's own estimators (a subclass of them or a bare "
                "torch or skorch object is not). Use pickle/joblib for files you "
                "trust."
            )
        return None

    stripped = _substitute(obj, swap_out, {}, type(obj).__name__)
    try:
        # skops's JSON schema is verbose: compressed it is about 5x smaller
        return sio.dumps(stripped, compression=zipfile.ZIP_DEFLATED)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"This {type(obj).__name__} holds something skops cannot store safely "
            f"({error}). Use pickle/joblib for files you trust."
        ) from error


def _skops_object(data, models, trusted, path):
    sio = _skops_io()
    from skops.io.exceptions import UntrustedTypesFoundException

    allowed = _skops_trusted() + [
        t if isinstance(t, str) else _type_name(t) for t in trusted
    ]
    try:
        obj = sio.loads(data, trusted=allowed)
    except UntrustedTypesFoundException as error:
        # skops checks every type before it builds anything
        untrusted = sorted(set(sio.get_untrusted_types(data=data)) - set(allowed))
        raise ValueError(
            f"{path} holds types that are not trusted: {untrusted}. Building "
            "them could run code chosen by whoever wrote the file; skrnn trusts "
            "its own classes and what skops trusts by default (scikit-learn's "
            "estimators, numpy, scipy). If you trust the file's author and these "
            "types, load it with "
            f"load(path, trusted={untrusted!r})."
        ) from error

    def swap_in(value, where):
        if isinstance(value, _StoredModel):
            return models[value.index]
        return None

    return _substitute(obj, swap_in, {}, "")


# ------------------------------------------------------------------ checksums


def _checksum_v1(config, arrays, module):
    tensors = {f"array/{k}": v for k, v in arrays.items()}
    tensors.update({f"module/{k}": v for k, v in module.items()})
    digest = hashlib.sha256(config.encode())
    for name in sorted(tensors):
        digest.update(name.encode())
        digest.update(tensors[name].detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()


def _digest(value, digest):
    """Feed ``value`` to ``digest``, every part prefixed by its type and length."""
    if isinstance(value, torch.Tensor):
        data = value.detach().cpu().contiguous().reshape(-1).view(torch.uint8)
        digest.update(f"tensor {value.dtype} {tuple(value.shape)} ".encode())
        digest.update(data.numpy().tobytes())
    elif isinstance(value, dict):
        digest.update(f"dict {len(value)} ".encode())
        for key in sorted(value, key=repr):
            _digest(key, digest)
            _digest(value[key], digest)
    elif isinstance(value, list | tuple):
        digest.update(f"{type(value).__name__} {len(value)} ".encode())
        for item in value:
            _digest(item, digest)
    elif value is None or isinstance(value, bool | int | float | str | bytes):
        data = value if isinstance(value, bytes) else repr(value).encode()
        digest.update(f"{type(value).__name__} {len(data)} ".encode() + data)
    else:
        raise TypeError(f"unexpected {type(value).__name__} in the payload")


def _checksum(payload):
    digest = hashlib.sha256()
    _digest({k: v for k, v in payload.items() if k != "checksum"}, digest)
    return digest.hexdigest()


# ---------------------------------------------------------------- save / load


def save(obj, path):
    """Save a fitted skrnn model or scikit-learn pipeline without pickling code.

    Networks are stored as tensors, everything else as JSON (and, for
    scikit-learn objects, in the ``skops.io`` format); :func:`load` builds back
    only types it trusts. Versions of skrnn, torch, skorch, scikit-learn (and
    skops) are recorded, with a SHA-256 checksum of the content.

    Parameters
    ----------
    obj : estimator
        A fitted skrnn forecaster, :class:`~skrnn.RecurrentImputer`,
        :class:`~skrnn.sktime.SktimeRecurrentForecaster`, or scikit-learn
        estimator holding any of these and skrnn's transformers (``Pipeline``,
        ``ColumnTransformer``, ``TransformedTargetRegressor``, ...; needs
        ``pip install skrnn[skops]``). Custom ``callbacks`` and objects as
        parameters of a forecaster cannot be stored safely: such estimators
        raise ``ValueError``.
    path : str or path-like
        Destination file (conventionally ``*.skrnn``).

    Raises
    ------
    TypeError
        If ``obj`` or something inside it cannot be stored safely (another
        network than skrnn's, an object skops does not store).
    ValueError
        If ``obj`` is not fitted or a forecaster in it has a parameter that
        cannot be stored safely.

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
    >>> from sklearn.pipeline import make_pipeline
    >>> from skrnn import GRUForecaster, LagWindowTransformer
    >>> from skrnn.persistence import load, save
    >>> x = np.random.default_rng(0).normal(size=(40, 1))
    >>> model = make_pipeline(
    ...     LagWindowTransformer(window_length=5),
    ...     GRUForecaster(hidden_size=4, max_epochs=1, random_state=0),
    ... ).fit(x, x[:, 0])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.skrnn")
    >>> save(model, path)
    >>> bool(np.array_equal(load(path).predict(x), model.predict(x)))
    True
    """
    name = type(obj).__name__
    writer = _TreeWriter()
    in_tree = type(obj) in writer.forecasters or type(obj) in writer.names
    if not (in_tree or isinstance(obj, BaseEstimator)):
        raise TypeError(
            "save() stores skrnn forecasters, RecurrentImputer, "
            f"SktimeRecurrentForecaster and scikit-learn estimators; got {name}. "
            "Use pickle/joblib for other objects, only for files you trust."
        )
    fitted = getattr(obj, "is_fitted", None)  # sktime's own flag
    if fitted is None:
        try:
            check_is_fitted(obj)
            fitted = True
        except NotFittedError:
            fitted = False
    if not fitted:
        raise ValueError(f"This {name} is not fitted yet: call fit before save.")
    versions = {
        "skrnn": skrnn.__version__,
        "torch": str(torch.__version__),
        "skorch": str(skorch.__version__),
        "scikit-learn": str(sklearn.__version__),
    }
    if in_tree:
        tree = json.dumps(writer.encode(obj, name), default=float, sort_keys=True)
        content = {"tree": tree, "arrays": writer.arrays}
    else:
        content = {"skops": _skops_bytes(obj, writer.models)}
        versions["skops"] = sys.modules["skops"].__version__
    if "skrnn.sktime" in sys.modules:
        versions["sktime"] = sys.modules["sktime"].__version__
    payload = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "versions": versions,
        "models": writer.models,
        **content,
    }
    payload["checksum"] = _checksum(payload)
    torch.save(payload, path)


def load(path, device=None, trusted=None):
    """Load a model written by :func:`save`; never executes code from the file.

    Parameters
    ----------
    path : str or path-like
        File written by :func:`save`.
    device : str, default=None
        Override the saved ``device`` of every skrnn forecaster in the file
        (for example ``"cpu"`` for a model trained on a GPU).
    trusted : list of str or type, default=None
        Types, besides scikit-learn's, numpy's, scipy's and skrnn's, that a
        saved scikit-learn object may be built from, such as your own
        transformer in a pipeline. Give them only when you trust the file's
        author: building a type can run its code. The error for a file that
        needs them lists their names.

    Returns
    -------
    estimator : estimator
        The fitted object, predicting exactly as when it was saved.

    Raises
    ------
    ValueError
        If the file is not a skrnn model file, was modified or corrupted, names
        a type that is not trusted, or was written by a newer, incompatible
        version of the format.
    ImportError
        If the file holds a scikit-learn object and skops is not installed.
    """
    if trusted is not None and (
        isinstance(trusted, str | type)
        or not all(isinstance(t, str | type) for t in trusted)
    ):
        raise TypeError(
            "trusted must be a list of type names (as in the error that lists "
            f"them) or types; got {trusted!r}."
        )
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
    if version not in (1, FORMAT_VERSION):
        saved_by = payload.get("versions", {}).get("skrnn", "unknown")
        raise ValueError(
            f"{path} uses skrnn model format {version} (written by skrnn "
            f"{saved_by}); this skrnn {skrnn.__version__} reads formats 1 to "
            f"{FORMAT_VERSION}. Load it with a matching skrnn version."
        )
    try:
        if version == 1:
            intact = payload["checksum"] == _checksum_v1(
                payload["config"], payload["arrays"], payload["module"]
            )
        else:
            intact = payload["checksum"] == _checksum(payload)
    except (KeyError, TypeError, AttributeError, RuntimeError):
        intact = False
    if not intact:
        raise ValueError(
            f"{path} failed its integrity check: the file was modified or "
            "corrupted after it was saved."
        )
    # The checksum finds damage, not intent: anyone can write a file with a
    # valid one, so a malformed content is refused here too.
    try:
        if version == 1:
            return _model_from_entry(payload, device)
        models = [_model_from_entry(entry, device) for entry in payload["models"]]
        if "skops" in payload:
            return _skops_object(payload["skops"], models, trusted or [], path)
        return _TreeReader(payload["arrays"], models).decode(
            json.loads(payload["tree"])
        )
    except (KeyError, TypeError, IndexError, AttributeError) as exc:
        raise ValueError(
            f"{path} is not a valid skrnn model file ({type(exc).__name__}: {exc})."
        ) from exc
