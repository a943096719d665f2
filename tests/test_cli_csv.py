"""Tests of skrnn._cli_csv: one column of a CSV file read as a dated series.

The command line's own behaviour (exit codes, what it prints) is tested in
``test_cli.py``; here, what the reading functions accept and refuse.
"""

import numpy as np
import pandas as pd
import pytest

from skrnn._cli_csv import UsageError, gap_hint, read_csv_series


def _csv(path, dates, values=None):
    values = np.arange(len(dates), dtype=float) if values is None else values
    pd.DataFrame({"Date": dates, "y": values}).to_csv(path, index=False)
    return path


def _message(*args, **kwargs):
    with pytest.raises(UsageError) as info:
        read_csv_series(*args, **kwargs)
    return str(info.value)


# ------------------------------------------------------------- UTC offsets


def test_mixed_utc_offsets_are_a_clear_error(tmp_path):
    # local times across daylight saving: +01:00 in winter, +02:00 in summer
    path = tmp_path / "dst.csv"
    path.write_text(
        "Date,y\n2020-01-01 00:00+01:00,1\n2020-07-01 00:00+02:00,2\n"
        "2020-08-01 00:00+02:00,3\n"
    )
    message = _message(path, "y", "Date", None)
    assert message.startswith(f"the dates in column 'Date' of {path} have different")
    assert "UTC offsets (+01:00 in row 2 of the file, +02:00 in row 3)" in message
    assert "pd.to_datetime(dates, utc=True)" in message
    assert "without offsets" in message


def test_mixed_offsets_through_the_command_line_end_without_a_traceback(
    tmp_path, capsys
):
    pytest.importorskip("sktime")
    from skrnn.cli import main

    path = _csv(
        tmp_path / "dst.csv",
        ["2020-03-28 00:00+01:00", "2020-03-29 00:00+01:00", "2020-03-30 00:00+02:00"],
    )
    args = ["compare", "--csv", str(path), "--date-column", "Date", "--column", "y"]
    assert main([*args, "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("skrnn compare: error: the dates in column 'Date'")
    assert "+01:00 in row 2 of the file, +02:00 in row 4" in err
    assert "Traceback" not in err


def test_one_utc_offset_is_kept_as_written(tmp_path):
    path = _csv(
        tmp_path / "cet.csv",
        ["2020-01-01 00:00-05:30", "2020-01-02 00:00-05:30", "2020-01-03 00:00-05:30"],
    )
    y, _ = read_csv_series(path, "y", "Date", None)
    # the dates keep their offset: midnight stays midnight, not moved to UTC
    assert y.index[0] == pd.Timestamp("2020-01-01 05:30", tz="UTC")
    assert (y.index.hour == 0).all()
    assert y.index.tz.utcoffset(None) == pd.Timedelta(hours=-5, minutes=-30)


# ------------------------------------------------------- day first, month first


def _monthly_day_first(tmp_path, n=36):
    months = pd.date_range("1991-01-01", periods=n, freq="MS")
    return _csv(tmp_path / "monthly.csv", months.strftime("%d/%m/%Y"))


def test_day_first_monthly_dates_ask_for_dayfirst_instead_of_a_fill(tmp_path):
    # issue 31.1: 01/02/1991 is 1 February; read month first, the dates were a
    # dozen January days a year, with "missing days" for --fill to invent
    path = _monthly_day_first(tmp_path)
    message = _message(path, "y", "Date", None)
    assert "read month first ('01/02/1991' as 2 January 1991) have no regular" in (
        message
    )
    assert message.endswith(
        "read day first (1 February 1991) they follow frequency MS: pass --dayfirst."
    )
    # the fill that the irregular dates used to suggest is refused the same way
    assert "pass --dayfirst" in _message(path, "y", "Date", "D", fill="ffill")
    y, n_filled = read_csv_series(path, "y", "Date", None, dayfirst=True)
    assert n_filled == 0
    assert pd.infer_freq(y.index) == "MS"
    assert y.tolist() == list(range(36))  # in the file's order, none moved


def test_dayfirst_on_month_first_dates_says_to_leave_it_out(tmp_path):
    months = pd.date_range("1991-01-01", periods=24, freq="MS")
    path = _csv(tmp_path / "us.csv", months.strftime("%m/%d/%Y"))
    message = _message(path, "y", "Date", None, dayfirst=True)
    assert "read day first ('02/01/1991' as 2 January 1991)" in message
    assert message.endswith("frequency MS: leave out --dayfirst.")
    assert pd.infer_freq(read_csv_series(path, "y", "Date", None)[0].index) == "MS"


def test_irregular_year_first_dates_get_no_dayfirst_advice(tmp_path):
    # pandas' dayfirst reads 2020-01-02 as 1 February: these would be daily
    dates = pd.DatetimeIndex(["2020-01-02", "2020-02-02", "2020-03-02"])
    path = _csv(tmp_path / "iso.csv", dates.strftime("%Y-%m-%d"))
    y, _ = read_csv_series(path, "y", "Date", None)
    assert y.index.equals(pd.DatetimeIndex(dates, name="Date"))


def test_irregular_dates_either_way_are_read_as_given(tmp_path):
    # neither order is regular: no advice on the order, the rows as they are
    dates = pd.DatetimeIndex(["1991-01-02", "1991-01-05", "1991-02-03", "1991-03-11"])
    path = _csv(tmp_path / "irregular.csv", dates.strftime("%d/%m/%Y"))
    y, _ = read_csv_series(path, "y", "Date", None, dayfirst=True)
    assert y.index.equals(pd.DatetimeIndex(dates, name="Date"))


# ------------------------------------------------------------ filling gaps


def _paired_days(tmp_path):
    """Two consecutive days out of every ten: mostly one day apart, 79 % missing."""
    days = pd.date_range("2023-01-01", periods=200, freq="D")
    dates = days[(np.arange(200) % 10) < 2]
    return dates, _csv(tmp_path / "sparse.csv", dates.strftime("%Y-%m-%d"))


def test_a_fill_that_would_invent_most_of_the_series_is_refused(tmp_path):
    dates, path = _paired_days(tmp_path)
    assert len(dates) == 40
    for fill in [None, "ffill", "interpolate"]:
        message = _message(path, "y", "Date", "D", fill=fill)
        assert message.startswith(
            "with --freq D the series has 152 empty time points among 192: "
            "filling them would invent 79% of the series"
        )
        assert "--dayfirst" in message and "leave out --freq" in message
        assert "--fill" not in message
    # and the irregular dates no longer suggest that fill
    assert gap_hint(dates) == ""


def test_a_fill_of_half_the_points_or_fewer_still_works(tmp_path):
    days = pd.date_range("2023-01-01", periods=41, freq="D")
    path = _csv(tmp_path / "every_other.csv", days[::2].strftime("%Y-%m-%d"))
    y, n_filled = read_csv_series(path, "y", "Date", "D", fill="ffill")
    assert (n_filled, len(y)) == (20, 41)  # 20 of 41: fewer than half
    assert y.iloc[:4].tolist() == [0.0, 0.0, 1.0, 1.0]
    assert "--freq D --fill ffill fills them" in gap_hint(days.delete([5, 9]))


# ---------------------------------------------------------- numbers as text


def test_numbers_with_thousands_separators_say_how_to_read_them(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(
        'Date,units\n2020-01-01,"1,234"\n2020-01-02,"12,500"\n2020-01-03,9\n'
    )
    message = _message(path, "units", "Date", None)
    assert "row 2 of the file holds '1,234'" in message
    assert "'units' holds numbers written with ',' between thousands" in message
    assert "pd.read_csv(path, thousands=',')" in message
    # without --column, the column is not numeric to pandas either
    message = _message(path, None, "Date", None)
    assert "has no numeric column to forecast" in message
    assert "thousands=','" in message


def test_other_text_gets_no_thousands_hint(tmp_path):
    path = tmp_path / "text.csv"
    path.write_text('Date,units\n2020-01-01,"1,5"\n2020-01-02,"2,25"\n')
    message = _message(path, "units", "Date", None)
    assert "holds '1,5'" in message and "thousands" not in message
