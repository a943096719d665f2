"""Loaders for the small real-world datasets bundled with skrnn."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files

import pandas as pd

__all__ = [
    "list_datasets",
    "load_airline",
    "load_co2",
    "load_dataset",
    "load_prices",
    "load_sunspots",
]

_PRICE_COLUMNS = ["Open", "High", "Low", "Close", "Adj Close"]


def _read_csv(filename: str, dtype: dict[str, str]) -> pd.DataFrame:
    """Read a CSV file shipped in ``skrnn/datasets/data``.

    Parameters
    ----------
    filename : str
        Name of the file inside the ``data`` directory.
    dtype : dict of str to str
        Column dtypes passed to :func:`pandas.read_csv`.

    Returns
    -------
    pandas.DataFrame
        The raw table, with a default ``RangeIndex``.
    """
    resource = files("skrnn.datasets") / "data" / filename
    with resource.open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=dtype)


def load_prices() -> pd.DataFrame:
    """Load daily S&P 500 index prices from 2014-01-02 to 2018-12-31.

    One row per trading day (1,258 rows). The index is a ``DatetimeIndex``
    named ``"Date"`` holding business days only; its ``freq`` is not set
    because exchange holidays are missing.

    Returns
    -------
    pandas.DataFrame
        Columns ``Open``, ``High``, ``Low``, ``Close`` and ``Adj Close``
        (float64, index points) and ``Volume`` (int64, shares traded).

    See Also
    --------
    load_dataset : Load the ``Close`` column as a univariate target.

    Notes
    -----
    The data come from Yahoo Finance through the copy bundled with the
    ``arch`` package (``arch.data.sp500``); see ``data/README.md`` for the
    provenance. ``Adj Close`` equals ``Close`` because an index pays no
    dividends.

    Examples
    --------
    >>> from skrnn.datasets import load_prices
    >>> prices = load_prices()
    >>> prices.shape
    (1258, 6)
    >>> print(prices.index[0].date(), prices.index[-1].date())
    2014-01-02 2018-12-31
    >>> print(round(prices["Close"].iloc[-1], 2))
    2506.85
    """
    frame = _read_csv(
        "prices.csv",
        dtype={
            "Date": "str",
            **dict.fromkeys(_PRICE_COLUMNS, "float64"),
            "Volume": "int64",
        },
    )
    index = pd.DatetimeIndex(pd.to_datetime(frame.pop("Date"), format="%Y-%m-%d"))
    frame.index = index.rename("Date")
    return frame


def load_airline() -> pd.Series:
    """Load the Box-Jenkins monthly airline passengers series.

    Monthly totals of international airline passengers, in thousands,
    from January 1949 to December 1960 (144 observations), known as
    "Series G" in Box, Jenkins and Reinsel (1976).

    Returns
    -------
    pandas.Series
        Float64 series named ``"Passengers"`` with a monthly
        ``PeriodIndex`` named ``"Period"``.

    References
    ----------
    .. [1] Box, G. E. P., Jenkins, G. M. and Reinsel, G. C. (1976). Time
       Series Analysis, Forecasting and Control. Third Edition. Holden-Day.
       Series G.

    Examples
    --------
    >>> from skrnn.datasets import load_airline
    >>> y = load_airline()
    >>> y.shape
    (144,)
    >>> print(y.index[0], y.index[-1], y.index.freqstr)
    1949-01 1960-12 M
    >>> print(y.iloc[0], y.iloc[-1])
    112.0 432.0
    """
    frame = _read_csv("airline.csv", dtype={"Period": "str", "Passengers": "float64"})
    index = pd.to_datetime(frame["Period"], format="%Y-%m").dt.to_period("M")
    return pd.Series(
        frame["Passengers"].to_numpy(),
        index=pd.PeriodIndex(index, name="Period"),
        name="Passengers",
    )


def load_sunspots() -> pd.Series:
    """Load yearly sunspot numbers from 1700 to 2008.

    Yearly mean sunspot numbers (309 observations). The series shows the
    roughly 11-year solar cycle, whose length varies between about 9 and
    14 years.

    Returns
    -------
    pandas.Series
        Float64 series named ``"Sunspots"`` with an annual ``PeriodIndex``
        named ``"Year"``.

    Notes
    -----
    Public-domain data from the NOAA National Geophysical Data Center, as
    distributed by ``statsmodels.datasets.sunspots``.

    Examples
    --------
    >>> from skrnn.datasets import load_sunspots
    >>> y = load_sunspots()
    >>> y.shape
    (309,)
    >>> print(y.index[0], y.index[-1])
    1700 2008
    >>> print(y.iloc[0], y.max())
    5.0 190.2
    """
    frame = _read_csv("sunspots.csv", dtype={"Year": "int64", "Sunspots": "float64"})
    index = pd.PeriodIndex(
        pd.to_datetime(frame["Year"].astype(str), format="%Y").dt.to_period("Y"),
        name="Year",
    )
    return pd.Series(frame["Sunspots"].to_numpy(), index=index, name="Sunspots")


def load_co2() -> pd.Series:
    """Load monthly Mauna Loa atmospheric CO2 concentrations, 1958-03 to 2001-12.

    Monthly means (526 observations, in ppm) of the weekly flask samples
    of Keeling and Whorf. The five months without any weekly observation
    (1958-06, 1958-10, 1964-02, 1964-03 and 1964-04) were filled by linear
    interpolation between neighbouring monthly means, so the series has no
    gaps; see ``data/README.md`` for the exact procedure.

    Returns
    -------
    pandas.Series
        Float64 series named ``"CO2"`` with a monthly ``PeriodIndex`` named
        ``"Month"``.

    Examples
    --------
    >>> from skrnn.datasets import load_co2
    >>> y = load_co2()
    >>> y.shape
    (526,)
    >>> print(y.index[0], y.index[-1])
    1958-03 2001-12
    >>> print(round(y.iloc[0], 1), round(y.iloc[-1], 1))
    316.1 371.0
    """
    frame = _read_csv("co2.csv", dtype={"Month": "str", "CO2": "float64"})
    index = pd.to_datetime(frame["Month"], format="%Y-%m").dt.to_period("M")
    return pd.Series(
        frame["CO2"].to_numpy(),
        index=pd.PeriodIndex(index, name="Month"),
        name="CO2",
    )


@dataclass(frozen=True)
class _DatasetInfo:
    """Metadata of one bundled dataset.

    Parameters
    ----------
    loader : callable
        Function returning the dataset.
    filename : str
        CSV file in ``skrnn/datasets/data``.
    n_obs : int
        Number of time points.
    frequency : str
        Pandas frequency string of the time index.
    seasonal_period : int
        Length of the dominant seasonal cycle in time points, 1 if none.
    target : str
        Name of the series used for univariate forecasting.
    description : str
        Short human-readable description.
    source : str
        Where the data come from.
    """

    loader: Callable[[], pd.Series | pd.DataFrame]
    filename: str
    n_obs: int
    frequency: str
    seasonal_period: int
    target: str
    description: str
    source: str


# Single source of truth for the bundled datasets, sorted by name.
_DATASETS: dict[str, _DatasetInfo] = {
    "airline": _DatasetInfo(
        loader=load_airline,
        filename="airline.csv",
        n_obs=144,
        frequency="M",
        seasonal_period=12,
        target="Passengers",
        description=(
            "Monthly international airline passengers (thousands), "
            "1949-01 to 1960-12 (Box-Jenkins Series G)."
        ),
        source=(
            "Box, Jenkins & Reinsel (1976), Time Series Analysis, Series G; "
            "copied from sktime.datasets.load_airline."
        ),
    ),
    "co2": _DatasetInfo(
        loader=load_co2,
        filename="co2.csv",
        n_obs=526,
        frequency="M",
        seasonal_period=12,
        target="CO2",
        description=(
            "Monthly mean atmospheric CO2 (ppm) at Mauna Loa, 1958-03 to "
            "2001-12, from weekly flask samples; 5 empty months linearly "
            "interpolated."
        ),
        source=(
            "Keeling & Whorf (2004), Scripps/CDIAC, public domain; "
            "via statsmodels.datasets.co2."
        ),
    ),
    "prices": _DatasetInfo(
        loader=load_prices,
        filename="prices.csv",
        n_obs=1258,
        frequency="B",
        # A weekly trading cycle would be 5; the series has no seasonality
        # worth modelling, so it is recorded as 1.
        seasonal_period=1,
        target="Close",
        description=(
            "Daily S&P 500 index prices (OHLC, adjusted close, volume), "
            "2014-01-02 to 2018-12-31, trading days only."
        ),
        source="Yahoo Finance; via arch.data.sp500 (arch package).",
    ),
    "sunspots": _DatasetInfo(
        loader=load_sunspots,
        filename="sunspots.csv",
        n_obs=309,
        frequency="Y",
        # The solar cycle is about 11 years long but varies (9 to 14 years).
        seasonal_period=11,
        target="Sunspots",
        description="Yearly mean sunspot numbers, 1700 to 2008.",
        source=(
            "NOAA National Geophysical Data Center, public domain; "
            "via statsmodels.datasets.sunspots."
        ),
    ),
}


def list_datasets() -> pd.DataFrame:
    """List the datasets bundled with skrnn.

    Returns
    -------
    pandas.DataFrame
        One row per dataset, indexed by its name (``"airline"``, ``"co2"``,
        ``"prices"``, ``"sunspots"``), with columns:

        - ``loader``: name of the loader function in :mod:`skrnn.datasets`;
        - ``n_obs``: number of time points;
        - ``frequency``: pandas frequency string of the time index (``"B"``
          for the trading days of ``prices``, whose index has no ``freq``);
        - ``seasonal_period``: length of the main seasonal cycle in time
          points, 1 for no seasonality. For ``sunspots`` it is 11, the
          approximate length of the solar cycle; ``prices`` uses 1 (no
          seasonality) rather than 5, a weekly trading cycle;
        - ``target``: name of the univariate forecasting target;
        - ``description``: short description;
        - ``source``: origin of the data.

    See Also
    --------
    load_dataset : Load a dataset by name.

    Examples
    --------
    >>> from skrnn.datasets import list_datasets
    >>> table = list_datasets()
    >>> table.index.tolist()
    ['airline', 'co2', 'prices', 'sunspots']
    >>> print(table["n_obs"].to_dict())
    {'airline': 144, 'co2': 526, 'prices': 1258, 'sunspots': 309}
    >>> print(table["seasonal_period"].to_dict())
    {'airline': 12, 'co2': 12, 'prices': 1, 'sunspots': 11}
    >>> print(table.loc["prices", "loader"], table.loc["prices", "target"])
    load_prices Close
    """
    rows = {
        name: {
            "loader": info.loader.__name__,
            "n_obs": info.n_obs,
            "frequency": info.frequency,
            "seasonal_period": info.seasonal_period,
            "target": info.target,
            "description": info.description,
            "source": info.source,
        }
        for name, info in sorted(_DATASETS.items())
    }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "name"
    return table.astype({"n_obs": "int64", "seasonal_period": "int64"})


def load_dataset(name: str, target_only: bool = True) -> pd.Series | pd.DataFrame:
    """Load a bundled dataset by name.

    Parameters
    ----------
    name : str
        Dataset name, one of the index values of :func:`list_datasets`:
        ``"airline"``, ``"co2"``, ``"prices"`` or ``"sunspots"``.
    target_only : bool, default=True
        If True, return only the univariate forecasting target as a
        :class:`pandas.Series` (for ``"prices"``, the ``Close`` column with
        its ``DatetimeIndex``). If False, return the full output of the
        dataset's loader. The univariate datasets are returned unchanged
        either way.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        The target series, or the loader output if ``target_only=False``.

    Raises
    ------
    ValueError
        If ``name`` is not the name of a bundled dataset.

    See Also
    --------
    list_datasets : Metadata of the bundled datasets.

    Examples
    --------
    >>> from skrnn.datasets import load_dataset
    >>> y = load_dataset("prices")
    >>> print(y.name, y.shape)
    Close (1258,)
    >>> load_dataset("prices", target_only=False).shape
    (1258, 6)
    >>> print(load_dataset("airline").name)
    Passengers
    """
    if not isinstance(name, str) or name not in _DATASETS:
        available = ", ".join(repr(key) for key in sorted(_DATASETS))
        raise ValueError(f"Unknown dataset {name!r}. Available datasets: {available}.")
    info = _DATASETS[name]
    data = info.loader()
    if target_only and isinstance(data, pd.DataFrame):
        return data[info.target]
    return data
