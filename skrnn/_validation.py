"""Input checks that explain themselves, shared by estimators and transformers."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import re

import numpy as np
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
    positions = [
        i
        for i, dtype in enumerate(X.dtypes)
        if not (
            pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
        )
    ]
    if not positions:
        return
    bad = [str(X.columns[i]) for i in positions]
    # numbers read as text (a thousands separator, say) need converting, not encoding
    kinds = [numbers_as_text(X.iloc[:, i]) for i in positions]
    text = [c for c, kind in zip(bad, kinds, strict=True) if kind is not None]
    others = [c for c, kind in zip(bad, kinds, strict=True) if kind is None]
    message = f"{name} has non-numeric columns {bad}."
    if text:
        first = positions[bad.index(text[0])]
        value = X.iloc[:, first].dropna().iloc[0]
        if "thousands" in kinds:
            how = (
                f"pd.to_numeric({name}[column].str.replace(',', '')), or read the "
                "file with pd.read_csv(..., thousands=',')"
            )
        else:
            how = f"pd.to_numeric({name}[column])"
        message += (
            f" {text} hold numbers stored as text (such as {value!r}): "
            f"convert them with {how}."
        )
    if others:
        message += (
            f" Encode {others if text else 'them'} as numbers (for example with "
            "sklearn's OneHotEncoder) or drop them; dates belong in the index."
        )
    raise ValueError(message)


def check_not_1d(X, estimator="The forecaster"):
    """Refuse a 1-D ``X`` with a message that says how to build windows.

    scikit-learn's own message prints the whole array; this one gives the
    shape. It keeps scikit-learn's "Reshape your data", which its estimator
    checks look for.

    Parameters
    ----------
    X : object
        Anything; only what has (or converts to) a 1-D shape is refused.
    estimator : str, default="The forecaster"
        Name used in the error message.
    """
    shape = getattr(X, "shape", None)
    if shape is None and isinstance(X, list | tuple):
        try:
            shape = np.shape(X)
        except ValueError:  # ragged: scikit-learn's validation explains it
            return
    if shape is None or len(shape) != 1:
        return
    raise ValueError(
        f"X is 1-D (shape {tuple(shape)}), but {estimator} reads X as windows, one "
        "per row: 2-D (n_samples, n_steps) or 3-D (n_samples, n_steps, "
        "n_features). Reshape your data: X.reshape(-1, 1) for one value per row "
        "(windows of a single step), X.reshape(1, -1) for a single window; to "
        "forecast a series from its past values, build windows with "
        "LagWindowTransformer(window_length=...) and align the targets with "
        "make_supervised."
    )


# A number with "," between groups of three digits: 1,234 or -12,345,678.9
_THOUSANDS = r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?"


def numbers_as_text(column):
    """Whether a text column holds numbers, and how they are written.

    Parameters
    ----------
    column : pandas.Series
        A column that is not numeric.

    Returns
    -------
    {"thousands", "plain"} or None
        ``"thousands"`` when every value is a number and some are written with
        ``,`` between groups of three digits (``"1,234"``), ``"plain"`` when
        every value is a number as it is (``"12.5"``), None otherwise (text,
        dates, a decimal comma such as ``"1,5"``, or no values at all).
    """
    values = column.dropna().astype(object)  # categories too
    if values.empty or not values.map(lambda v: isinstance(v, str)).all():
        return None
    text = values.astype(str).str.strip()
    grouped = text.str.fullmatch(_THOUSANDS)
    plain = text.where(~grouped, text.str.replace(",", ""))
    parsed = pd.to_numeric(plain, errors="coerce")
    if parsed.isna().any():
        return None
    return "thousands" if grouped.any() else "plain"


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
