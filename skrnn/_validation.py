"""Input checks that explain themselves, shared by estimators and transformers."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import re

import pandas as pd


def check_numeric_columns(X, name="X"):
    """Raise a ``ValueError`` naming the non-numeric columns of a DataFrame.

    Bool columns count as numeric (0/1); strings, objects, categories and dates
    do not, because a forecaster cannot multiply them by weights.

    Parameters
    ----------
    X : object
        Anything; only pandas DataFrames are inspected.
    name : str, default="X"
        Name used in the error message.
    """
    if not isinstance(X, pd.DataFrame):
        return
    bad = [
        str(column)
        for column, dtype in X.dtypes.items()
        if not (
            pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
        )
    ]
    if bad:
        raise ValueError(
            f"{name} has non-numeric columns {bad}. Encode them as numbers (for "
            "example with sklearn's OneHotEncoder) or drop them; dates belong in "
            "the index."
        )


# A column name that ends in a step number: its stem and the number.
_STEP_NAME = re.compile(r"(.*?)(\d+)", re.DOTALL)


def check_window_columns(X, n_features=None, estimator="The forecaster"):
    """Refuse a DataFrame whose named columns are quantities, not time steps.

    A forecaster reads each row of a 2-D ``X`` as one window, oldest step
    first (``n_features`` features per step). Column names that say so are
    accepted: every name ends in a step number, and the names of one feature
    differ only by that number, consecutive from step to step, like
    ``Close_lag2, Close_lag1, Close_lag0`` (``LagWindowTransformer(flatten=True)``),
    ``x0, x1, x2`` or ``col_0, col_1, col_2``. Names such as ``Open, High, Low,
    Close, Volume`` are five different quantities, which would be read as a
    five-step window of one series: a ``ValueError`` says how to build windows.
    Non-string names (positions) and a one-step window of ``n_features``
    features are not checked.

    Parameters
    ----------
    X : object
        Anything; only pandas DataFrames with string column names are inspected.
    n_features : int, default=None
        Features per time step (None: one).
    estimator : str, default="The forecaster"
        Name used in the error message.
    """
    if not isinstance(X, pd.DataFrame) or X.shape[1] == 0:
        return
    columns = list(X.columns)
    width = n_features or 1
    if not all(isinstance(c, str) for c in columns) or len(columns) % width:
        return  # positions, not names; or a width that as_windows rejects
    if n_features is not None and len(columns) == n_features:
        return  # one step: the columns are the declared features
    matches = [_STEP_NAME.fullmatch(c) for c in columns]
    if all(matches) and all(_is_one_feature(matches[f::width]) for f in range(width)):
        return
    shown = columns if len(columns) <= 8 else [*columns[:8], "..."]
    per_step = "" if n_features is None else f" of {n_features} features each"
    raise ValueError(
        f"X is a DataFrame whose columns {shown} are not the time steps of a "
        f"window: {estimator} reads each row of a 2-D X as one window, oldest "
        f"step first, so these {len(columns)} columns would be "
        f"{len(columns) // width} time steps{per_step} of one series. Build "
        "windows from the table with LagWindowTransformer(window_length=...) "
        "(3-D windows of every column; or flatten=True, whose '{column}_lag{k}' "
        "columns are accepted, with n_features_per_step=<number of windowed "
        "columns>), "
        "or pass X.to_numpy() if the columns are consecutive time steps."
    )


def _is_one_feature(matches):
    """Whether the names of one feature share a stem and count steps one by one."""
    numbers = [int(m[2]) for m in matches]
    steps = {b - a for a, b in zip(numbers, numbers[1:], strict=False)}
    return len({m[1] for m in matches}) == 1 and (steps <= {1} or steps <= {-1})
