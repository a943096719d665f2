"""A value tree: the fitted imputer and sktime face as JSON and tensors.

Scalars are JSON values; everything else is a dict tagged ``"__t"``. Only the
types of :data:`TREE_TYPES` are built back from a file, and a tree deeper than
:data:`MAX_DEPTH` is refused.
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import enum
import importlib
import inspect
import sys

import numpy as np
import pandas as pd
import torch

from skrnn.persistence._entries import estimator_classes, model_entry

# Far deeper than any tree skrnn writes (about 10 levels), far shallower than
# Python's recursion limit.
MAX_DEPTH = 100


# Types the value tree may build, by the stable name the file gives them: the
# module to import and the attribute. A file naming anything else is refused.
TREE_TYPES = {
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
    if name not in TREE_TYPES:
        raise ValueError(
            f"The file names the type {name!r}, which skrnn does not build from a "
            f"file; it builds only {sorted(TREE_TYPES)}."
        )
    module, attribute = TREE_TYPES[name]
    return getattr(importlib.import_module(module), attribute)


def tree_names():
    """Map the tree's types to their names; sktime's only once the face is used."""
    face = "skrnn.sktime" in sys.modules
    names = {}
    for name in TREE_TYPES:
        if face or not name.startswith(("sktime.", "skrnn.sktime.")):
            try:
                names[_tree_type(name)] = name
            except (ImportError, AttributeError):  # moved in another sktime
                continue
    return names


def type_name(cls):
    """Return the importable name of a class, as skops and error messages give it."""
    return f"{cls.__module__}.{cls.__qualname__}"


class TreeWriter:
    """Encode a fitted object as JSON-able nodes plus a list of tensors.

    Scalars are JSON values; everything else is a dict tagged ``"__t"``.
    Networks go to ``models`` (see :func:`~skrnn.persistence._entries.model_entry`).
    """

    def __init__(self):
        self.arrays, self.models, self._model_index = [], [], {}
        self.names = tree_names()
        self.forecasters = set(estimator_classes().values())

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
                self.models.append(model_entry(value))
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
            f"{where} is a {type_name(type(value))}, which the safe format does "
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


class TreeReader:
    """Decode the nodes of :class:`TreeWriter`, building only allowlisted types."""

    def __init__(self, arrays, models):
        self.arrays, self.models = arrays, models
        self._depth = 0

    def decode(self, node):
        """Build the value that ``node`` describes."""
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise ValueError(f"the value tree is nested more than {MAX_DEPTH} deep")
            return self._build(node)
        finally:
            self._depth -= 1

    def _build(self, node):
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
