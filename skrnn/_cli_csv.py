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
    y = _values(frame, path, column, date_column)
    if date_column is None:
        return pd.Series(y.to_numpy(), name=y.name), 0
    index = _dates(frame, path, date_column, dayfirst)
    if not index.is_monotonic_increasing:
        order = index.argsort(kind="stable")
        index, y = index[order], y.iloc[order]
    if index.has_duplicates:
        raise UsageError(
            f"column {date_column!r} of {path} has duplicated dates, first "
            f"{index[index.duplicated()][0]}; aggregate them first."
        )
    y = pd.Series(y.to_numpy(), index=index, name=y.name)
    if freq is None:
        return y, 0
    return _on_frequency(y, path, date_column, freq, fill)


def _values(frame, path, column, date_column):
    """Return the column to forecast (the only numeric one when None) as floats."""
    import pandas as pd

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
                f"{_thousands_hint(frame)}"
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
            f"holds {frame[column].iloc[row]!r}.{_thousands_hint(frame[[column]])}"
        )
    if y.isna().any():
        raise UsageError(
            f"column {column!r} of {path} has "
            f"{count(y.isna().sum(), 'empty cell')}; "
            "fill or drop them first."
        )
    return y


def _dates(frame, path, date_column, dayfirst):
    """Return ``date_column`` parsed as a DatetimeIndex, in the file's order."""
    import pandas as pd

    if date_column not in frame.columns:
        columns = ", ".join(map(str, frame.columns))
        raise UsageError(
            f"date column {date_column!r} not in {path}; its columns: {columns}."
        )
    where = f"column {date_column!r} of {path}"
    try:
        dates = _to_datetime(frame[date_column], dayfirst)
    except (ValueError, TypeError) as exc:
        _check_one_offset(frame[date_column], dayfirst, where)
        hint = "" if dayfirst else "day first (31/01/2020)? Pass --dayfirst. "
        raise UsageError(
            f"cannot parse the dates in {where}: {hint}(pandas: {exc})"
        ) from None
    if dates.dtype == object:  # pandas 2 leaves mixed UTC offsets as objects
        _check_one_offset(frame[date_column], dayfirst, where)
        raise UsageError(f"cannot read the dates in {where} as one time zone.")
    _check_day_month_order(frame[date_column], dates, dayfirst, where)
    return pd.DatetimeIndex(dates, name=date_column)


def _on_frequency(y, path, date_column, freq, fill):
    """Return ``y`` on the steps of ``freq`` with its gaps filled, and their count."""
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
    if 2 * n_filled > len(y):
        # filled, the series would be mostly made up, and so its scores
        raise UsageError(
            f"with --freq {freq} the series has {n_filled} empty time points "
            f"among {len(y)}: filling them would invent "
            f"{n_filled / len(y):.0%} of the series, on which every model "
            "would then be scored. Check that the dates follow --freq and "
            "read as meant (--dayfirst for 31/01/2020), or leave out --freq "
            "to backtest on the rows as they are."
        )
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


def _to_datetime(column, dayfirst, utc=False):
    """``pandas.to_datetime`` of a column of dates, without pandas' warnings."""
    import pandas as pd

    with warnings.catch_warnings():
        # pandas warns when the dates' order contradicts dayfirst, yet
        # reads them the only way they parse (13/01/2020, 2020-01-13)
        warnings.filterwarnings(
            "ignore", "Parsing dates in .* when dayfirst", UserWarning
        )
        # pandas 2 reads mixed UTC offsets as objects, warning that pandas 3
        # raises: both are told apart by the caller
        warnings.filterwarnings("ignore", ".*mixed time zones", FutureWarning)
        return pd.to_datetime(column, errors="raise", dayfirst=dayfirst, utc=utc)


def _check_one_offset(column, dayfirst, where):
    """Raise a ``UsageError`` if the dates of ``column`` have different UTC offsets.

    Converting them to UTC would move local dates (midnight at +02:00 is 22:00
    the day before in UTC), dropping the offsets would read them as local
    times: which one is right, only the user knows.
    """
    import pandas as pd

    try:
        # in UTC, dates with offsets parse whatever the offsets; other dates
        # fail as they did without it, and need no scan
        _to_datetime(column, dayfirst, utc=True)
    except (ValueError, TypeError):
        return
    first = None
    for row, value in enumerate(column):
        try:
            offset = _to_datetime(pd.Series([value]), dayfirst)[0].utcoffset()
        except (ValueError, TypeError):
            continue  # not a date: the caller says so
        if first is None:
            first = row, offset
        elif offset != first[1]:
            break
    else:
        return

    def text(offset):
        if offset is None:
            return "no offset"
        sign, offset = ("-", -offset) if offset < pd.Timedelta(0) else ("+", offset)
        hours, minutes = divmod(int(offset.total_seconds()) // 60, 60)
        return f"{sign}{hours:02d}:{minutes:02d}"

    raise UsageError(
        f"the dates in {where} have different UTC offsets ({text(first[1])} in "
        f"row {first[0] + 2} of the file, {text(offset)} in row {row + 2}), as "
        "local times have across a change to or from daylight saving time; "
        "converting them to UTC would move the dates, dropping the offsets would "
        "read them as local times. Write them with one offset first: in UTC "
        "(pandas: pd.to_datetime(dates, utc=True)), or as local times without "
        "offsets."
    )


def _check_day_month_order(column, dates, dayfirst, where):
    """Raise a ``UsageError`` when the other order of day and month is regular.

    ``01/02/1991`` reads as 2 January (month first) or 1 February (day first).
    Monthly dates read the wrong way look like a few days of every year, whose
    rows then go out of time order, with hundreds of "missing" days between.
    """
    import pandas as pd

    from skrnn._seasonality import index_freq

    index = pd.DatetimeIndex(dates).sort_values()
    if len(index) < 3 or index_freq(index) is not None:
        return
    if not dayfirst and column.astype(str).str.match(r"\s*\d{4}\D").any():
        # year first (2020-01-02) is never day first, but pandas' dayfirst
        # reads it so (1 February): no advice to pass --dayfirst
        return
    try:
        other = _to_datetime(column, not dayfirst)
    except (ValueError, TypeError):
        return
    if other.dtype == object or other.equals(dates):
        return
    freq = index_freq(pd.DatetimeIndex(other).sort_values())
    if freq is None:
        return
    row = int((other != dates).to_numpy().nonzero()[0][0])
    read, fix = (
        ("day first", "leave out --dayfirst")
        if dayfirst
        else ("month first", "pass --dayfirst")
    )
    other_read = "month first" if dayfirst else "day first"
    as_read, as_other = dates.iloc[row], other.iloc[row]
    raise UsageError(
        f"the dates in {where} read {read} ({column.iloc[row]!r} as "
        f"{as_read.day} {as_read:%B %Y}) have no regular frequency, but read "
        f"{other_read} ({as_other.day} {as_other:%B %Y}) they follow frequency "
        f"{pd.tseries.frequencies.to_offset(freq).freqstr}: {fix}."
    )


def _thousands_hint(frame):
    """Return a sentence on columns of numbers with thousands separators, or ""."""
    import pandas as pd

    from skrnn._validation import numbers_as_text

    text = [
        repr(name)
        for name in frame.columns
        if not pd.api.types.is_numeric_dtype(frame[name])
        and numbers_as_text(frame[name]) == "thousands"
    ]
    if not text:
        return ""
    return (
        f" {', '.join(text)} {'holds' if len(text) == 1 else 'hold'} numbers "
        "written with ',' between thousands (1,234): save the file without the "
        "separators (in pandas, read it with pd.read_csv(path, thousands=',') "
        "and write it back with to_csv)."
    )


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
    if missing > len(index):
        return ""  # --fill would invent most of the series: read_csv_series refuses
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


def _period_of_values(y, why, override, hint=""):
    """Return the period the values show (``detect_sp``), with a note saying so."""
    from skrnn._seasonality import detect_period

    period = detect_period([y.to_numpy(dtype=float)])
    if period > 1:
        return period, (
            f"Seasonal period {period}, found in the values (their "
            f"autocorrelation peaks every {period} rows): {why}; override with "
            f"--seasonal-period N.{hint}"
        )
    return 1, f"Seasonal period 1: {why}, and the values show none; {override}{hint}"


def infer_seasonal_period(y, date_column):
    """Return ``(seasonal_period, note)`` from the frequency of ``y``'s dates.

    The frequency is the index's own (set by ``--freq``) or the one
    ``pandas.infer_freq`` finds in the dates; statsmodels' ``freq_to_period``
    maps it to a period. Without dates, or with irregular ones, the period is
    the one the values show (:func:`skrnn.sktime.detect_sp`). Whatever the
    outcome, ``note`` tells the user how the period was chosen and how to
    override it.
    """
    import pandas as pd

    override = "pass --seasonal-period N if the series is seasonal."
    if date_column is None:
        return _period_of_values(y, "no --date-column to infer it from", override)
    from skrnn._seasonality import index_freq, period_of_frequency

    freq = index_freq(y.index)
    if freq is None:
        return _period_of_values(
            y,
            f"the dates in {date_column!r} are irregular, so no frequency could be "
            "inferred (--freq sets one)",
            override,
            gap_hint(y.index),
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
