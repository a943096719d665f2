"""Input checks that explain themselves, shared by estimators and transformers."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

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
