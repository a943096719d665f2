"""Shared fixtures and settings: small seeded data, fast networks, one torch thread."""

import numpy as np
import pandas as pd
import pytest
import torch

from skrnn.datasets import load_airline, load_prices

torch.set_num_threads(1)

# The settings of a fast network: small, a few epochs, seeded. A test file
# that needs other values says so on top of these, e.g.
# ``FAST = {**conftest.FAST, "max_epochs": 5}``.
FAST = dict(hidden_size=8, max_epochs=3, random_state=0)


def random_walk_prices(n=300, drift=0.0, ar=0.0, seed=0):
    """A positive random walk in logs: changes N(drift, 0.01), optionally AR(1)."""
    rng = np.random.default_rng(seed)
    changes = rng.normal(drift, 0.01, n)
    for i in range(1, n):
        changes[i] += ar * changes[i - 1]
    return pd.Series(100 * np.exp(np.cumsum(changes)))


@pytest.fixture
def sine():
    """A noisy sine of 400 points (period ~25) as a 1-D array."""
    rng = np.random.default_rng(0)
    t = np.arange(400)
    return np.sin(2 * np.pi * t / 25) + 0.05 * rng.normal(size=t.size)


@pytest.fixture
def windows(sine):
    """One-step-ahead windows of the sine: X (n, 12, 1), y (n,)."""
    X = np.lib.stride_tricks.sliding_window_view(sine[:-1], 12)[..., None]
    return X, sine[12:]


@pytest.fixture(scope="session")
def prices():
    """The last 300 rows of the bundled daily S&P 500 prices."""
    return load_prices().iloc[-300:]


@pytest.fixture(scope="session")
def airline():
    """The bundled monthly airline passengers (144 points, season 12)."""
    return load_airline()


@pytest.fixture(scope="session")
def airline_naive(airline):
    """The leaderboard of naive and seasonal naive on airline's last 2 origins."""
    pytest.importorskip("sktime")
    from skrnn.compare import compare_forecasters  # needs the sktime extra

    return compare_forecasters(
        airline, ["naive", "snaive"], fh=12, seasonal_period=12, n_folds=2
    )
