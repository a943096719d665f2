"""The command line's CSV input: one column as a series, its dates and gaps."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import warnings
from pathlib import Path


class UsageError(Exception):
    """A problem with the user's input, reported without a traceback."""


def read_csv_series(path, column, date_column, freq, dayfirst=False, fill=None):
    """Read one numeric column of a CSV file as a time-indexed series.

    Returns the series and how many time points ``fill`` filled (those that
    ``freq`` added between the file's dates).
    """
    import pandas as pd

    file = Path(path)
    if not file.is_file():
        raise UsageError(f"no such file: {path}")
    try:
        frame = pd.read_csv(file)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path} as CSV: {exc}") from None
    columns = ", ".join(map(str, frame.columns))
    if column is None:
        numeric = [
            name
            for name in frame.columns
            if name != date_column and pd.api.types.is_numeric_dtype(frame[name])
        ]
        if not numeric:
            raise UsageError(
                f"{path} has no numeric column to forecast; its columns: {columns}."
            )
        if len(numeric) > 1:
            raise UsageError(
                f"{path} has {len(numeric)} numeric columns "
                f"({', '.join(map(str, numeric))}); choose the one to forecast "
                "with --column NAME."
            )
        column = numeric[0]
    if column not in frame.columns:
        raise UsageError(f"column {column!r} not in {path}; its columns: {columns}.")
    y = pd.to_numeric(frame[column], errors="coerce")
    bad = y.isna() & frame[column].notna()
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        raise UsageError(
            f"column {column!r} of {path} is not numeric: row {row + 2} of the file "
            f"holds {frame[column].iloc[row]!r}."
        )
    if y.isna().any():
        raise UsageError(
            f"column {column!r} of {path} has "
            f"{count(y.isna().sum(), 'empty cell')}; "
            "fill or drop them first."
        )
    if date_column is None:
        return pd.Series(y.to_numpy(), name=column), 0
    if date_column not in frame.columns:
        raise UsageError(
            f"date column {date_column!r} not in {path}; its columns: {columns}."
        )
    try:
        with warnings.catch_warnings():
            # pandas warns when the dates' order contradicts dayfirst, yet
            # reads them the only way they parse (13/01/2020, 2020-01-13)
            warnings.filterwarnings(
                "ignore", "Parsing dates in .* when dayfirst", UserWarning
            )
            dates = pd.to_datetime(
                frame[date_column], errors="raise", dayfirst=dayfirst
            )
    except (ValueError, TypeError) as exc:
        hint = "" if dayfirst else "day first (31/01/2020)? Pass --dayfirst. "
        raise UsageError(
            f"cannot parse the dates in column {date_column!r} of {path}: "
            f"{hint}(pandas: {exc})"
        ) from None
    index = pd.DatetimeIndex(dates, name=date_column)
    if not index.is_monotonic_increasing:
        order = index.argsort(kind="stable")
        index, y = index[order], y.iloc[order]
    if index.has_duplicates:
        raise UsageError(
            f"column {date_column!r} of {path} has duplicated dates, first "
            f"{index[index.duplicated()][0]}; aggregate them first."
        )
    y = pd.Series(y.to_numpy(), index=index, name=column)
    if freq is not None:
        try:
            regular = y.asfreq(freq)
        except ValueError as exc:
            raise UsageError(f"invalid --freq {freq!r}: {exc}") from None
        off = ~y.index.isin(regular.index)
        if off.any():
            raise UsageError(
                f"{count(off.sum(), 'date')} in {date_column!r} of {path} "
                f"{'falls' if off.sum() == 1 else 'fall'} between the steps of "
                f"--freq {freq} (first {y.index[off][0]}); give the frequency "
                "the dates follow (MS: month starts, ME: month ends, W-SUN: weeks "
                "ending on Sunday)."
            )
        y = regular
        n_filled = int(y.isna().sum())
        if n_filled and fill is None:
            empty = count(n_filled, "empty time point")
            raise UsageError(
                f"with --freq {freq} the series has {empty} "
                f"(first {y.index[y.isna()][0]}); fill them with --fill ffill "
                "(the last value) or --fill interpolate (a straight line), or "
                "leave out --freq to backtest on the rows as they are."
            )
        if n_filled:
            y = y.ffill() if fill == "ffill" else y.interpolate(method="time")
        return y, n_filled
    return y, 0


def date_gaps(y):
    """Whether ``y``'s dates have no regular frequency (gaps, for example)."""
    from skrnn._seasonality import index_freq

    return len(y) >= 3 and index_freq(y.index) is None


# the usual step between dates, the --freq that keeps it, and its name
_STEPS = {"D": "day", "B": "business day", "h": "hour"}


def gap_hint(index):
    """Return a hint on filling the gaps of dates mostly one step apart, or ""."""
    import pandas as pd

    steps = index.to_series().diff().dropna()
    if steps.empty:
        return ""
    step = steps.mode().iloc[0]
    if step == pd.Timedelta(days=1):
        # trading days: no weekend dates, so weekends are not gaps
        freq = "B" if (index.dayofweek < 5).all() else "D"
    elif step == pd.Timedelta(hours=1):
        freq = "h"
    else:
        return ""
    regular = pd.date_range(index[0], index[-1], freq=freq)
    missing = len(regular.difference(index))
    if not missing or len(index.difference(regular)):
        return ""  # no gaps, or dates off that grid: not a gap to fill
    return (
        f" Most dates are one {_STEPS[freq]} apart, with "
        f"{count(missing, _STEPS[freq])} missing: --freq {freq} --fill ffill "
        "fills them (and the seasonal period is then inferred)."
    )


def count(n, noun):
    """``"1 empty cell"``, ``"3 empty cells"``."""
    n = int(n)
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


# the periods statsmodels' freq_to_period returns: (adjective, unit)
_PERIOD_WORDS = {
    1: ("yearly", "years"),
    4: ("quarterly", "quarters"),
    12: ("monthly", "months"),
    52: ("weekly", "weeks"),
    7: ("daily", "days"),
    5: ("business-day", "business days"),
    24: ("hourly", "hours"),
}


def infer_seasonal_period(y, date_column):
    """Return ``(seasonal_period, note)`` from the frequency of ``y``'s dates.

    The frequency is the index's own (set by ``--freq``) or the one
    ``pandas.infer_freq`` finds in the dates; statsmodels' ``freq_to_period``
    maps it to a period. Whatever the outcome, ``note`` tells the user how the
    period was chosen and how to override it.
    """
    import pandas as pd

    override = "pass --seasonal-period N if the series is seasonal."
    if date_column is None:
        return 1, f"Seasonal period 1: no --date-column to infer it from; {override}"
    from skrnn._seasonality import index_freq, period_of_frequency

    freq = index_freq(y.index)
    if freq is None:
        return 1, (
            f"Seasonal period 1: the dates in {date_column!r} are irregular, so no "
            f"frequency could be inferred (--freq sets one); {override}"
            f"{gap_hint(y.index)}"
        )
    offset = pd.tseries.frequencies.to_offset(freq)
    code = offset.freqstr
    try:
        import statsmodels  # noqa: F401 - its freq_to_period maps the frequency
    except ImportError:
        return 1, (
            f"Seasonal period 1: inferring it from {code} dates needs statsmodels "
            f"(pip install statsmodels); {override}"
        )
    step = period_of_frequency(offset.base)  # the period of one unit (MS of 2MS)
    if step is None:
        return 1, f"Seasonal period 1: none is standard for {code} dates; {override}"
    adjective, unit = _PERIOD_WORDS.get(step, (code, f"{code} steps"))
    dates = f"{adjective} dates (frequency {code})"
    period = period_of_frequency(offset)
    if offset.n != 1:
        dates = f"dates {offset.n} {unit} apart (frequency {code})"
        if period is None:
            return 1, f"Seasonal period 1: none is whole for {dates}; {override}"
    if period > 1 and len(y) < 2 * period:
        return 1, (
            f"Seasonal period 1: {dates} suggest {period}, but {len(y)} points "
            f"hold fewer than two seasons; {override}"
        )
    return period, (
        f"Seasonal period {period}, inferred from {dates}; override with "
        "--seasonal-period N."
    )
