"""The sktime face's tests of the data: mean reversion (Dickey-Fuller)."""

import numpy as np
import pytest

pytest.importorskip("sktime")

from skrnn.sktime._diagnostics import mean_reverting  # noqa: E402


def test_series_revert_when_their_mean_dickey_fuller_t_is_below_5_percent():
    from statsmodels.tsa.stattools import adfuller

    rng = np.random.default_rng(1)
    walks = [rng.standard_normal(100).cumsum() for _ in range(50)]
    # centred on their own means, random walks must not look mean-reverting
    assert not mean_reverting([(w - w.mean()) / w.std() for w in walks], 1)
    noise = [rng.standard_normal(100) for _ in range(3)]
    assert mean_reverting(noise, 1)
    # a large panel of walks with a few stationary series still wanders
    assert not mean_reverting(walks + noise, 1)
    # one series: the Dickey-Fuller test at 5%, with tseries' lags
    t = [adfuller(w, maxlag=4, autolag=None, regression="c")[0] for w in walks]
    for w, stat in zip(walks + noise, t + [-10.0] * 3, strict=True):
        assert mean_reverting([w], 1) == (stat < -2.86)
    assert any(stat < -2.86 for stat in t)  # both outcomes are checked
