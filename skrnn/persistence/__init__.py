"""Save and load fitted models and pipelines in a format that cannot execute code.

What :func:`save` accepts and how each part is stored:

- skrnn forecasters (``LSTMForecaster`` ... ``WaveNetForecaster``): parameters,
  fitted statistics and history as JSON, weights and optimizer state as tensors;
  skorch's display callbacks (``PrintLog``, ``ProgressBar``, ``EpochTimer``) by
  class name and parameters, built back from that list.
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

Everything lives in one file written atomically with :func:`torch.save` and
read with ``torch.load(weights_only=True)``, which refuses anything but tensors
and plain containers, with a SHA-256 checksum over all of it. Reading a file
costs at most a small multiple of its size (see ``docs/reliability.rst``).
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import json
import os
import sys

import sklearn
import skorch
import torch
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

import skrnn
from skrnn._training import check_device
from skrnn.persistence._entries import model_from_entry, parse_json
from skrnn.persistence._format import (
    FORMAT,
    FORMAT_VERSION,
    checksum,
    read_payload,
    write_atomic,
)
from skrnn.persistence._skops import skops_bytes, skops_object
from skrnn.persistence._tree import TreeReader, TreeWriter

__all__ = ["load", "save"]


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
        ``pip install skrnn[skops]``). A forecaster's ``callbacks`` are
        stored when they are skorch's display callbacks only (``PrintLog``,
        ``ProgressBar``, ``EpochTimer``, which change nothing it learns or
        predicts): by class name and plain parameters, built back from that
        list on load (``PrintLog`` with its default ``sink``). Other callbacks
        may change training and run any code, and objects as parameters cannot
        be stored safely: such estimators raise ``ValueError``.
    path : str or path-like
        Destination file (conventionally ``*.skrnn``).

    The file is written atomically: to a temporary file beside ``path``,
    flushed to the disk, then renamed over ``path``. A failure (a full disk,
    say) leaves an existing file at ``path`` as it was.

    Raises
    ------
    OSError
        If ``path`` is a folder, its folder does not exist or the file cannot
        be written; an existing file at ``path`` is then left untouched.
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
    writer = TreeWriter()
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
        content = {"skops": skops_bytes(obj, writer.models)}
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
    payload["checksum"] = checksum(payload)
    write_atomic(payload, path)


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
        If the file is not a skrnn model file, was damaged or altered (also
        when built to exhaust memory or to run code), names a type that is not
        trusted, or uses another version of the format. The message says which.
    OSError
        If the file cannot be read.
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
    if os.path.isdir(path):
        raise IsADirectoryError(
            f"{path} is a folder: give load() the path of a file written by save()."
        )
    if not os.path.isfile(path):
        raise FileNotFoundError(f"No model file at {path}.")
    if device is not None:
        check_device(device)
    payload = read_payload(path)
    # The checksum finds damage, not intent: anyone can write a file with a
    # valid one, so a malformed content is refused here too.
    try:
        models = [model_from_entry(entry, device) for entry in payload["models"]]
        if "skops" in payload:
            return skops_object(payload["skops"], models, trusted or [], path)
        tree = parse_json(payload["tree"], "value tree")
        return TreeReader(payload["arrays"], models).decode(tree)
    except (KeyError, TypeError, IndexError, AttributeError, RuntimeError) as exc:
        raise ValueError(
            f"{path} is damaged or altered: it is not a valid skrnn model file "
            f"({type(exc).__name__}: {exc})."
        ) from exc
