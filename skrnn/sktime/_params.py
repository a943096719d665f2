"""The face's parameters: what each may be, checked when ``fit`` starts.

sktime checks no parameters of its own, and scikit-learn's constraints
(which skrnn's estimators declare) would word the errors its own way; every
check here is a test and the text "``name`` must be ...".
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np

from skrnn._training import check_device


def _positive_int(value):
    return (
        not isinstance(value, bool | np.bool_)
        and isinstance(value, Integral | np.integer)
        and value >= 1
    )


def _bool(value):
    return isinstance(value, bool | np.bool_)


def _fraction(value):
    return isinstance(value, Real) and 0 <= value < 1


def _weight(value):
    return not isinstance(value, bool) and isinstance(value, Real) and 0 <= value <= 1


# parameter: (whether a value is allowed, what it must be)
CHECKS = {
    "strategy": (
        lambda v: v in ("auto", "direct", "recursive"),
        "'auto', 'direct' or 'recursive'",
    ),
    "window_length": (
        lambda v: v is None or _positive_int(v),
        "a positive integer or None (sized from sp and the horizon)",
    ),
    "sp": (
        lambda v: v is None or _positive_int(v),
        "a positive integer (1: no seasonality) or None (from the frequency of "
        "y's time index)",
    ),
    "log": (lambda v: v == "auto" or _bool(v), "'auto', True or False"),
    "deseasonalize": (
        lambda v: _bool(v) or (isinstance(v, str) and v in ("auto", "both")),
        "'auto', 'both', True or False",
    ),
    "random_walk": (lambda v: v == "auto" or v is False, "'auto' or False"),
    "calibration_fraction": (_fraction, "in [0, 1)"),
    "naive_weight": (
        lambda v: v == "auto" or _weight(v),
        "'auto' or a number in [0, 1] (0: the network alone)",
    ),
}


def check_params(params):
    """Raise a ``ValueError`` naming the first parameter with a bad value.

    ``params`` are the face's ``get_params(deep=False)``.
    """
    for name, (allowed, text) in CHECKS.items():
        value = params[name]
        if not allowed(value):
            raise ValueError(f"{name} must be {text}; got {value!r}.")
    estimator = params["estimator"]
    if estimator is not None:
        # a random walk is forecast without fitting the estimator: its
        # device is checked here, so that every fit accepts the same devices
        for key, value in estimator.get_params().items():
            if (key == "device" or key.endswith("__device")) and value is not None:
                check_device(value)
