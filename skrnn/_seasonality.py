"""Time frequencies and their seasonal periods (light: pandas, statsmodels on use)."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import pandas as pd


def period_of_frequency(freq):
    """Seasonal period of a time frequency, or None when it has none.

    statsmodels' ``freq_to_period`` maps one step of the unit (yearly 1,
    quarterly 4, monthly 12, weekly 52, daily 7, business days 5, hourly 24);
    a multiple of the unit divides it (two months: 6).

    Parameters
    ----------
    freq : str or pandas.DateOffset
        A frequency such as ``"MS"``, ``"2MS"`` or ``"Q"``.

    Returns
    -------
    int or None
        None when the unit has no standard period, or the multiple does not
        divide it.
    """
    from statsmodels.tsa.tsatools import freq_to_period

    offset = pd.tseries.frequencies.to_offset(freq)
    try:
        period = freq_to_period(offset.base)
    except ValueError:
        return None
    if offset.n == 1:
        return period
    return period // offset.n if offset.n > 0 and period % offset.n == 0 else None


def index_freq(index):
    """Return the index's frequency, else what ``pandas.infer_freq`` finds, or None.

    ``infer_freq`` needs three dates; duplicated or unordered dates have none.
    """
    freq = getattr(index, "freq", None)
    if freq is None and isinstance(index, pd.DatetimeIndex) and len(index) >= 3:
        try:
            freq = pd.infer_freq(index)
        except (TypeError, ValueError):  # e.g. duplicated dates
            freq = None
    return freq
