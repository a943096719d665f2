"""Small real datasets bundled with skrnn and synthetic time series generators."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

from skrnn.datasets._base import (
    list_datasets,
    load_airline,
    load_co2,
    load_dataset,
    load_prices,
    load_sunspots,
)
from skrnn.datasets._synthetic import make_panel, make_sine_series, make_sine_waves

__all__ = [
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
