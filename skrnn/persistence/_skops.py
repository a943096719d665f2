"""scikit-learn objects through ``skops.io``, with skrnn's forecasters stored beside.

skops builds only the types it trusts (scikit-learn, numpy, scipy), skrnn's
transformers and the types the caller names in ``load(trusted=...)``. Its part
of the file is a zip archive whose uncompressed size is checked against its
compressed size before anything is read from it.
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import copy
import io
import sys
import types
import zipfile

import pandas as pd
import skorch
import torch

from skrnn.persistence._entries import estimator_classes, model_entry
from skrnn.persistence._tree import type_name

SKOPS_MISSING = (
    "Saving and loading scikit-learn pipelines needs skops, an optional "
    "dependency of skrnn. Install it with: pip install skrnn[skops]"
)
# skops's JSON compresses about 5x; a part that inflates more than this (an
# array of zeros, say) is written uncompressed, so a larger ratio on load means
# a file built to exhaust memory.
MAX_INFLATION = 32
# Modules whose functions and types run code or touch the system when built:
# a model file has no reason to name them.
_CODE_RUNNING = frozenset(
    "builtins os posix nt subprocess sys shutil importlib runpy pty socket "
    "ctypes pickle _pickle marshal code codeop functools operator webbrowser "
    "multiprocessing io pathlib tempfile signal asyncio pdb timeit pydoc "
    "threading _thread types inspect gc".split()
)


class StoredModel:
    """Marks where a skrnn forecaster stood; its weights are stored beside."""

    def __init__(self, index):
        self.index = index


def _skops_io():
    try:
        import skops.io
    except ImportError as error:
        raise ImportError(SKOPS_MISSING) from error
    return skops.io


def _skops_trusted():
    """Types skops may build besides its defaults (scikit-learn, numpy, scipy)."""
    from skrnn.impute import RecurrentImputer
    from skrnn.preprocessing import LagWindowTransformer, MovingAverageTransformer

    return [
        type_name(cls)
        for cls in (
            StoredModel,
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


def skops_bytes(obj, models):
    """Write ``obj`` with skops, its skrnn forecasters appended to ``models``."""
    sio = _skops_io()
    classes = set(estimator_classes().values())
    face = getattr(sys.modules.get("skrnn.sktime"), "SktimeRecurrentForecaster", ())

    def swap_out(value, where):
        if type(value) in classes:
            models.append(model_entry(value))
            return StoredModel(len(models) - 1)
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
        data = sio.dumps(stripped, compression=zipfile.ZIP_DEFLATED)
        if _inflated_size(data) > _inflation_limit(len(data)):
            # load() would refuse it as a zip bomb
            data = sio.dumps(stripped, compression=zipfile.ZIP_STORED)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"This {type(obj).__name__} holds something skops cannot store safely "
            f"({error}). Use pickle/joblib for files you trust."
        ) from error
    return data


def _inflation_limit(n_bytes):
    return MAX_INFLATION * n_bytes + 2**20


def _inflated_size(data):
    """Return the uncompressed size of a zip archive, as its directory declares it.

    Python's zipfile never inflates a member past its declared size (a member
    that would is an error), so this bounds what reading the archive costs.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(info.file_size for info in archive.infolist())


def _untrusted_message(path, untrusted):
    code = sorted(n for n in untrusted if n.split(".")[0] in _CODE_RUNNING)
    if code:
        return (
            f"{path} names {code}, which would run code or touch your system if "
            "built: a model file has no reason to hold them. Do not load this "
            "file; it was probably made to attack whoever loads it."
        )
    return (
        f"{path} holds types that are not trusted: {untrusted}. Building "
        "them could run code chosen by whoever wrote the file; skrnn trusts "
        "its own classes and what skops trusts by default (scikit-learn's "
        "estimators, numpy, scipy). If you trust the file's author and these "
        f"types, load it with load(path, trusted={untrusted!r})."
    )


def skops_object(data, models, trusted, path):
    """Build the object of :func:`skops_bytes` back, its forecasters put back in."""
    sio = _skops_io()
    from skops.io.exceptions import UntrustedTypesFoundException

    try:
        inflated = _inflated_size(data)
    except (zipfile.BadZipFile, EOFError) as exc:
        raise ValueError(
            f"{path} was damaged or altered: its scikit-learn part is not a zip "
            f"archive ({exc})."
        ) from exc
    if inflated > _inflation_limit(len(data)):
        raise ValueError(
            f"{path} was altered: its scikit-learn part of {len(data)} bytes "
            f"would inflate to {inflated} bytes, more than skrnn ever writes."
        )
    allowed = _skops_trusted() + [
        t if isinstance(t, str) else type_name(t) for t in trusted
    ]
    try:
        obj = sio.loads(data, trusted=allowed)
    except UntrustedTypesFoundException as error:
        # skops checks every type before it builds anything
        untrusted = sorted(set(sio.get_untrusted_types(data=data)) - set(allowed))
        raise ValueError(_untrusted_message(path, untrusted)) from error

    def swap_in(value, where):
        if isinstance(value, StoredModel):
            return models[value.index]
        return None

    return _substitute(obj, swap_in, {}, "")
