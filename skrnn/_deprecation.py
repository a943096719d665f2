"""The forecasters' old ``n_features`` name, until ``skrnn/_base.py`` drops it.

0.1.0 is the first release, so no user holds an old name: this module is
what ``_base.py`` still imports (``n_features``, renamed
``n_features_per_step``), and goes with it. Nothing else may use it.

A renamed parameter stays in the signature with the default ``"deprecated"``
(hidden from the constraints' messages); setting it warns once per fit and
wins over the new name.
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import sys
import warnings

from sklearn.utils._param_validation import Hidden, StrOptions

#: Default of a renamed parameter: "not set".
DEPRECATED = "deprecated"
#: Constraint that lets the default through without naming it in messages.
DEPRECATED_CONSTRAINT = Hidden(StrOptions({DEPRECATED}))

_SINCE, _REMOVED = "0.1.0", "0.2.0"


def is_set(value):
    """Whether a renamed parameter was given (it is not at its default)."""
    return not (isinstance(value, str) and value == DEPRECATED)


def renamed(estimator, old, new):
    """Return the value of parameter ``new``, or of its old name ``old`` if set.

    Parameters
    ----------
    estimator : object
    old, new : str
        The parameter's old and new names.

    Returns
    -------
    object
    """
    value = getattr(estimator, old)
    if not is_set(value):
        return getattr(estimator, new)
    warnings.warn(
        f"{type(estimator).__name__}: {old}={value!r} is deprecated since skrnn "
        f"{_SINCE} and will be removed in {_REMOVED}; use {new}={value!r} "
        f"instead ({new} is ignored while {old} is set).",
        FutureWarning,
        stacklevel=_outside_stacklevel(),
    )
    return value


def _outside_stacklevel():
    """``stacklevel`` of the first caller outside skrnn and scikit-learn.

    The user's ``fit`` call reaches :func:`renamed` through a varying number
    of frames (scikit-learn's fit context, a pipeline, skrnn's validation).
    """
    level, frame = 1, sys._getframe(1)
    while frame.f_back is not None and frame.f_globals.get("__name__", "").startswith(
        ("skrnn.", "sklearn.")
    ):
        level, frame = level + 1, frame.f_back
    return level
