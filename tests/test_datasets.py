"""Tests for the bundled datasets and synthetic generators of skrnn.datasets."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

from importlib.resources import files

import numpy as np
import pandas as pd
import pytest

import skrnn.datasets
from skrnn.datasets import (
    list_datasets,
    load_airline,
    load_co2,
    load_dataset,
    load_prices,
    load_sunspots,
    make_panel,
    make_sine_series,
    make_sine_waves,
)
from skrnn.datasets._base import _DATASETS

DATASET_NAMES = ["airline", "co2", "prices", "sunspots"]
PRICE_COLUMNS = ["Open", "High", "Low", "Close", "Adj Close", "Volume"]


@pytest.fixture(scope="module")
def prices():
    """Load the S&P 500 prices once for the module."""
    return load_prices()


# --------------------------------------------------------------------------
# Public namespace
# --------------------------------------------------------------------------


def test_all_is_sorted_and_exported():
    """``__all__`` is sorted, complete and every name resolves."""
    expected = [
        "list_datasets",
        "load_airline",
        "load_co2",
        "load_dataset",
        "load_prices",
        "load_sunspots",
        "make_panel",
        "make_sine_series",
        "make_sine_waves",
    ]
    assert skrnn.datasets.__all__ == expected
    for name in expected:
        assert callable(getattr(skrnn.datasets, name))


# --------------------------------------------------------------------------
# Bundled data files
# --------------------------------------------------------------------------


def test_data_files_match_registry_and_readme():
    """Every bundled CSV is registered and documented, and vice versa."""
    data_dir = files("skrnn.datasets") / "data"
    csv_files = {p.name for p in data_dir.iterdir() if p.name.endswith(".csv")}
    assert csv_files == {info.filename for info in _DATASETS.values()}
    readme = (data_dir / "README.md").read_text(encoding="utf-8")
    for name in csv_files:
        assert f"`{name}`" in readme
    assert "licen" in readme.lower()


# --------------------------------------------------------------------------
# load_prices
# --------------------------------------------------------------------------


def test_load_prices_structure(prices):
    """Columns, dtypes and index of the S&P 500 prices."""
    assert isinstance(prices, pd.DataFrame)
    assert prices.shape == (1258, 6)
    assert prices.columns.tolist() == PRICE_COLUMNS
    for column in PRICE_COLUMNS[:-1]:
        assert prices[column].dtype == np.float64
    assert prices["Volume"].dtype == np.int64

    index = prices.index
    assert isinstance(index, pd.DatetimeIndex)
    assert index.name == "Date"
    assert index.freq is None
    assert index.tz is None
    assert index[0] == pd.Timestamp("2014-01-02")
    assert index[-1] == pd.Timestamp("2018-12-31")
    assert index.is_unique
    assert index.is_monotonic_increasing
    # Business days only: Monday (0) to Friday (4), no time of day.
    assert index.dayofweek.max() <= 4
    assert (index == index.normalize()).all()
    # Roughly 252 trading days per year over five years.
    assert index.year.value_counts().between(250, 253).all()


def test_load_prices_ohlc_consistency(prices):
    """High >= max(Open, Close) >= min(Open, Close) >= Low on every row."""
    upper = prices[["Open", "Close"]].max(axis=1)
    lower = prices[["Open", "Close"]].min(axis=1)
    assert (prices["High"] >= upper).all()
    assert (upper >= lower).all()
    assert (lower >= prices["Low"]).all()
    assert (prices["Volume"] > 0).all()
    # An index pays no dividend: the adjusted close is the close.
    np.testing.assert_array_equal(prices["Adj Close"], prices["Close"])


def test_load_prices_known_values(prices):
    """Published S&P 500 closing levels on the first and last days."""
    assert prices["Close"].iloc[0] == pytest.approx(1831.98, abs=0.005)
    assert prices["Close"].iloc[-1] == pytest.approx(2506.85, abs=0.005)
    # All-time high close of 2018 (2930.75 on 2018-09-20).
    assert prices["Close"].idxmax() == pd.Timestamp("2018-09-20")
    assert prices["Close"].max() == pytest.approx(2930.75, abs=0.005)


# --------------------------------------------------------------------------
# load_airline, load_sunspots, load_co2
# --------------------------------------------------------------------------


def test_load_airline():
    """Box-Jenkins airline series: index, dtype and known values."""
    y = load_airline()
    assert isinstance(y, pd.Series)
    assert y.name == "Passengers"
    assert y.dtype == np.float64
    assert isinstance(y.index, pd.PeriodIndex)
    assert y.index.name == "Period"
    assert y.index.equals(pd.period_range("1949-01", "1960-12", freq="M"))
    assert y.iloc[0] == 112.0
    assert y.iloc[-1] == 432.0
    assert y.loc["1949"].sum() == 1520.0
    assert y.loc["1960"].sum() == 5714.0
    assert y.idxmax() == pd.Period("1960-07", freq="M")
    assert y.max() == 622.0
    assert y.min() == 104.0


def test_load_sunspots():
    """Yearly sunspot series: index, dtype and known values."""
    y = load_sunspots()
    assert isinstance(y, pd.Series)
    assert y.name == "Sunspots"
    assert y.dtype == np.float64
    assert isinstance(y.index, pd.PeriodIndex)
    assert y.index.name == "Year"
    assert y.index.equals(pd.period_range("1700", "2008", freq="Y"))
    assert len(y) == 309
    assert y.iloc[0] == 5.0
    assert y.iloc[-1] == 2.9
    # The largest yearly value is the 1957 maximum of solar cycle 19.
    assert y.idxmax() == pd.Period("1957", freq="Y")
    assert y.max() == 190.2
    assert (y >= 0).all()


def test_load_co2():
    """Monthly Mauna Loa CO2: index, dtype, trend and interpolated months."""
    y = load_co2()
    assert isinstance(y, pd.Series)
    assert y.name == "CO2"
    assert y.dtype == np.float64
    assert isinstance(y.index, pd.PeriodIndex)
    assert y.index.name == "Month"
    assert y.index.equals(pd.period_range("1958-03", "2001-12", freq="M"))
    assert len(y) == 526
    assert y.iloc[0] == pytest.approx(316.1)
    assert y.between(310.0, 380.0).all()
    # Rising trend of roughly 55 ppm over the period.
    assert y.loc["2001"].mean() - y.loc["1959"].mean() == pytest.approx(55, abs=1)

    # Months without observations are linear interpolations of their
    # neighbours (values are rounded to 3 decimals in the CSV).
    assert y.loc["1958-06"] == pytest.approx(
        (y.loc["1958-05"] + y.loc["1958-07"]) / 2, abs=1e-3
    )
    assert y.loc["1958-10"] == pytest.approx(
        (y.loc["1958-09"] + y.loc["1958-11"]) / 2, abs=1e-3
    )
    gap = y.loc["1964-01":"1964-05"].to_numpy()
    np.testing.assert_allclose(gap, np.linspace(gap[0], gap[-1], 5), atol=1e-3)


@pytest.mark.parametrize("name", DATASET_NAMES)
def test_loaders_have_no_missing_values(name):
    """No NaN anywhere in the bundled data."""
    data = load_dataset(name, target_only=False)
    assert not data.isna().to_numpy().any()
    assert not data.index.hasnans


def test_loaders_return_independent_copies():
    """Modifying a loaded dataset does not affect the next load."""
    y = load_airline()
    y.iloc[0] = -1.0
    assert load_airline().iloc[0] == 112.0


# --------------------------------------------------------------------------
# list_datasets and load_dataset
# --------------------------------------------------------------------------


def test_list_datasets_structure():
    """Index, columns and dtypes of the metadata table."""
    table = list_datasets()
    assert isinstance(table, pd.DataFrame)
    assert table.index.name == "name"
    assert table.index.tolist() == DATASET_NAMES
    assert table.columns.tolist() == [
        "loader",
        "n_obs",
        "frequency",
        "seasonal_period",
        "target",
        "description",
        "source",
    ]
    assert table["n_obs"].dtype == np.int64
    assert table["seasonal_period"].dtype == np.int64
    assert table["seasonal_period"].to_dict() == {
        "airline": 12,
        "co2": 12,
        "prices": 1,
        "sunspots": 11,
    }
    assert table["frequency"].to_dict() == {
        "airline": "M",
        "co2": "M",
        "prices": "B",
        "sunspots": "Y",
    }
    assert table.loc["prices", "target"] == "Close"
    for column in ["description", "source"]:
        assert table[column].str.len().gt(10).all()


@pytest.mark.parametrize("name", DATASET_NAMES)
def test_list_datasets_consistent_with_loaders(name):
    """Metadata agree with what the loaders actually return."""
    row = list_datasets().loc[name]
    loader = getattr(skrnn.datasets, row["loader"])
    data = loader()
    assert row["n_obs"] == len(data)

    if isinstance(data, pd.DataFrame):
        assert row["target"] in data.columns
    else:
        assert row["target"] == data.name

    index = data.index
    if isinstance(index, pd.PeriodIndex):
        expected = pd.period_range(index[0], periods=len(index), freq=row["frequency"])
        assert index.equals(expected)
    else:
        assert row["frequency"] == "B"
        offset = pd.tseries.frequencies.to_offset(row["frequency"])
        assert all(offset.is_on_offset(ts) for ts in index)


@pytest.mark.parametrize("name", DATASET_NAMES)
def test_load_dataset_target_only(name):
    """``target_only=True`` returns the target series of the loader output."""
    target = list_datasets().loc[name, "target"]
    full = load_dataset(name, target_only=False)
    y = load_dataset(name)
    assert isinstance(y, pd.Series)
    assert y.name == target
    assert y.dtype == np.float64
    expected = full[target] if isinstance(full, pd.DataFrame) else full
    pd.testing.assert_series_equal(y, expected)


def test_load_dataset_full_output_matches_loaders(prices):
    """``target_only=False`` returns the loader output unchanged."""
    pd.testing.assert_frame_equal(load_dataset("prices", target_only=False), prices)
    pd.testing.assert_series_equal(load_dataset("co2", target_only=False), load_co2())
    close = load_dataset("prices")
    assert isinstance(close.index, pd.DatetimeIndex)
    pd.testing.assert_index_equal(close.index, prices.index)


@pytest.mark.parametrize("name", ["foo", "Airline", "", None, 3])
def test_load_dataset_unknown_name(name):
    """Unknown names raise a ValueError listing the available datasets."""
    with pytest.raises(ValueError, match="Unknown dataset") as excinfo:
        load_dataset(name)
    message = str(excinfo.value)
    for available in DATASET_NAMES:
        assert f"'{available}'" in message


# --------------------------------------------------------------------------
# make_sine_series
# --------------------------------------------------------------------------


def test_make_sine_series_structure():
    """Length, dtype and index of the generated series."""
    y = make_sine_series(n_timepoints=30, random_state=0, start="2020-02-27")
    assert isinstance(y, pd.Series)
    assert y.shape == (30,)
    assert y.dtype == np.float64
    assert y.name == "y"
    assert isinstance(y.index, pd.DatetimeIndex)
    assert y.index.freqstr == "D"
    assert y.index[0] == pd.Timestamp("2020-02-27")
    assert y.index[-1] == pd.Timestamp("2020-03-27")
    assert len(make_sine_series()) == 200

    minutely = make_sine_series(n_timepoints=5, freq="min", random_state=0)
    assert minutely.index[-1] - minutely.index[0] == pd.Timedelta(minutes=4)


def test_make_sine_series_values():
    """Without noise the series is exactly the sine plus trend."""
    steps = np.arange(40)
    y = make_sine_series(n_timepoints=40, period=8.0, noise=0.0, trend=0.5)
    expected = np.sin(2 * np.pi * steps / 8.0) + 0.5 * steps
    np.testing.assert_allclose(y.to_numpy(), expected, atol=1e-12)

    # The noise has the requested standard deviation.
    noisy = make_sine_series(n_timepoints=5000, period=8.0, noise=0.3, random_state=1)
    residual = noisy.to_numpy() - np.sin(2 * np.pi * np.arange(5000) / 8.0)
    assert residual.std() == pytest.approx(0.3, rel=0.05)
    assert residual.mean() == pytest.approx(0.0, abs=0.03)


def test_make_sine_series_random_state():
    """Same seed gives the same series, different seeds differ."""
    a = make_sine_series(random_state=3)
    pd.testing.assert_series_equal(a, make_sine_series(random_state=3))
    assert not np.allclose(a, make_sine_series(random_state=4))
    rng_a, rng_b = np.random.default_rng(5), np.random.default_rng(5)
    pd.testing.assert_series_equal(
        make_sine_series(random_state=rng_a), make_sine_series(random_state=rng_b)
    )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_timepoints": 0}, "n_timepoints must be a positive integer"),
        ({"n_timepoints": -3}, "n_timepoints must be a positive integer"),
        ({"n_timepoints": 2.5}, "n_timepoints must be a positive integer"),
        ({"n_timepoints": True}, "n_timepoints must be a positive integer"),
        ({"period": 0.0}, "period must be > 0"),
        ({"period": np.nan}, "period must be a finite real number"),
        ({"noise": -0.1}, "noise must be >= 0"),
        ({"trend": np.inf}, "trend must be a finite real number"),
        ({"trend": "up"}, "trend must be a finite real number"),
    ],
)
def test_make_sine_series_invalid_arguments(kwargs, match):
    """Invalid arguments raise a ValueError naming the parameter."""
    with pytest.raises(ValueError, match=match):
        make_sine_series(**kwargs)


# --------------------------------------------------------------------------
# make_panel
# --------------------------------------------------------------------------


def test_make_panel_structure():
    """Shape, index levels and ids of the generated panel."""
    y = make_panel(n_series=4, n_timepoints=25, random_state=0)
    assert isinstance(y, pd.Series)
    assert y.shape == (100,)
    assert y.dtype == np.float64
    assert isinstance(y.index, pd.MultiIndex)
    assert y.index.names == ["series", "time"]
    assert y.index.is_unique
    ids = y.index.get_level_values("series").unique().tolist()
    assert ids == ["s0", "s1", "s2", "s3"]
    for series_id in ids:
        times = y.loc[series_id].index
        assert isinstance(times, pd.DatetimeIndex)
        assert len(times) == 25
        assert times[0] == pd.Timestamp("2000-01-01")
        assert (np.diff(times.asi8) == pd.Timedelta(days=1).value).all()
    assert len(make_panel()) == 300


def test_make_panel_series_differ_and_reproducible():
    """Series differ from each other; the seed controls the output."""
    y = make_panel(n_series=3, n_timepoints=60, random_state=7)
    wide = y.unstack("series")
    assert wide.shape == (60, 3)
    correlation = np.corrcoef(wide.to_numpy().T)
    assert not np.allclose(correlation[np.triu_indices(3, k=1)], 1.0)
    pd.testing.assert_series_equal(y, make_panel(3, 60, random_state=7))
    assert not np.allclose(y, make_panel(3, 60, random_state=8))

    clean = make_panel(n_series=5, n_timepoints=200, random_state=0, noise=0.0)
    amplitudes = clean.abs().groupby(level="series").max()
    assert amplitudes.between(0.5, 2.0).all()
    assert amplitudes.nunique() == 5


def test_make_panel_is_sktime_pd_multiindex():
    """The panel is a valid sktime ``pd-multiindex`` mtype."""
    datatypes = pytest.importorskip("sktime.datatypes")
    y = make_panel(n_series=3, n_timepoints=20, random_state=0)
    assert datatypes.check_is_mtype(y.to_frame(), "pd-multiindex")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_series": 0}, "n_series must be a positive integer"),
        ({"n_series": 1.0}, "n_series must be a positive integer"),
        ({"n_timepoints": -1}, "n_timepoints must be a positive integer"),
        ({"noise": -1.0}, "noise must be >= 0"),
    ],
)
def test_make_panel_invalid_arguments(kwargs, match):
    """Invalid arguments raise a ValueError naming the parameter."""
    with pytest.raises(ValueError, match=match):
        make_panel(**kwargs)


# --------------------------------------------------------------------------
# make_sine_waves
# --------------------------------------------------------------------------


def _geron_reference(n_series, n_steps, seed):
    """Géron's ``generate_time_series`` written with a seeded Generator."""
    rng = np.random.default_rng(seed)
    freq1, freq2, offsets1, offsets2 = rng.random((4, n_series, 1))
    time = np.linspace(0, 1, n_steps)
    series = 0.5 * np.sin((time - offsets1) * (freq1 * 10 + 10))
    series += 0.2 * np.sin((time - offsets2) * (freq2 * 20 + 20))
    series += 0.1 * (rng.random((n_series, n_steps)) - 0.5)
    return series[..., np.newaxis].astype(np.float32)


def test_make_sine_waves_shape_and_values():
    """Shape, dtype, range and exact agreement with the book's generator."""
    waves = make_sine_waves(64, 50, random_state=42)
    assert waves.shape == (64, 50, 1)
    assert waves.dtype == np.float32
    assert np.isfinite(waves).all()
    assert waves.min() >= -0.75
    assert waves.max() <= 0.75
    np.testing.assert_array_equal(waves, _geron_reference(64, 50, 42))
    # Sums of two sines with random phases: centred, spread well inside bounds.
    assert abs(float(waves.mean())) < 0.1
    assert 0.2 < float(waves.std()) < 0.5
    assert make_sine_waves(1, 1, random_state=0).shape == (1, 1, 1)


def test_make_sine_waves_random_state():
    """Same seed gives the same batch, different seeds differ."""
    a = make_sine_waves(8, 20, random_state=0)
    np.testing.assert_array_equal(a, make_sine_waves(8, 20, random_state=0))
    assert not np.allclose(a, make_sine_waves(8, 20, random_state=1))
    b = make_sine_waves(8, 20, random_state=np.random.default_rng(0))
    np.testing.assert_array_equal(a, b)
    assert make_sine_waves(2, 10).shape == (2, 10, 1)


@pytest.mark.parametrize(
    ("n_series", "n_steps", "match"),
    [
        (0, 10, "n_series must be a positive integer"),
        (-2, 10, "n_series must be a positive integer"),
        (2.0, 10, "n_series must be a positive integer"),
        (2, 0, "n_steps must be a positive integer"),
        (2, "10", "n_steps must be a positive integer"),
        (2, None, "n_steps must be a positive integer"),
    ],
)
def test_make_sine_waves_invalid_arguments(n_series, n_steps, match):
    """Non-positive or non-integer sizes raise a ValueError."""
    with pytest.raises(ValueError, match=match):
        make_sine_waves(n_series, n_steps)


def test_make_sine_waves_accepts_numpy_integers():
    """NumPy integer sizes are accepted."""
    waves = make_sine_waves(np.int64(3), np.int32(7), random_state=0)
    assert waves.shape == (3, 7, 1)
