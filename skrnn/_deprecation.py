"""Renamed parameters and positional arguments, deprecated the scikit-learn way.

A renamed parameter stays in the signature with the default ``"deprecated"``
(hidden from the constraints' messages), so that ``get_params``, ``clone`` and
saved models keep working; setting it warns once per fit and wins over the new
name. Positional arguments of a constructor that became keyword-only still
work for two releases, with a warning.
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import functools
import inspect
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


def renamed(estimator, old, new, convert=None):
    """Return the value of parameter ``new``, or of its old name ``old`` if set.

    Parameters
    ----------
    estimator : object
    old, new : str
        The parameter's old and new names.
    convert : callable, default=None
        Maps an old value to the new parameter's (``output="2d"`` to
        ``flatten=True``); None: the same value.

    Returns
    -------
    object
    """
    value = getattr(estimator, old)
    if not is_set(value):
        return getattr(estimator, new)
    new_value = value if convert is None else convert(value)
    warnings.warn(
        f"{type(estimator).__name__}: {old}={value!r} is deprecated since skrnn "
        f"{_SINCE} and will be removed in {_REMOVED}; use {new}={new_value!r} "
        f"instead ({new} is ignored while {old} is set).",
        FutureWarning,
        stacklevel=_outside_stacklevel(),
    )
    return new_value


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


def positional_deprecated(*names):
    """Let a keyword-only ``__init__`` still take ``names`` positionally, warning.

    Parameters
    ----------
    *names : str
        The parameters the positional arguments used to fill, in order.
    """

    def decorate(init):
        @functools.wraps(init)
        def wrapper(self, *args, **kwargs):
            if args:
                if len(args) > len(names):
                    raise TypeError(
                        f"{type(self).__name__}() takes at most {len(names)} "
                        f"positional arguments; got {len(args)}."
                    )
                given = dict(zip(names, args, strict=False))
                twice = sorted(set(given) & set(kwargs))
                if twice:
                    raise TypeError(
                        f"{type(self).__name__}() got {twice[0]!r} twice, "
                        "positionally and by keyword."
                    )
                shown = ", ".join(f"{k}={v!r}" for k, v in given.items())
                warnings.warn(
                    f"Positional arguments of {type(self).__name__} are "
                    f"deprecated since skrnn {_SINCE} and will be an error in "
                    f"{_REMOVED}; pass them by keyword: "
                    f"{type(self).__name__}({shown}).",
                    FutureWarning,
                    stacklevel=2,
                )
                kwargs.update(given)
            init(self, **kwargs)

        # scikit-learn reads the parameters from the signature
        wrapper.__signature__ = inspect.signature(init)
        return wrapper

    return decorate
