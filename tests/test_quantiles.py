"""Tests of skrnn._quantiles and of the forecasters' quantile heads.

The quantile head cuts across the estimators (``loss="pinball"``,
``predict_quantiles``, ``predict_interval``): its behaviour on every
architecture is tested here, its loss in ``test_training.py``, its estimator
checks in ``test_common.py`` and saving it in ``test_persistence.py``.
"""

from statistics import NormalDist

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.pipeline import make_pipeline

from skrnn import (
    GRUForecaster,
    LagWindowTransformer,
    LSTMForecaster,
    RecurrentForecaster,
    SimpleRNNForecaster,
    WaveNetForecaster,
)
from skrnn._quantiles import MonotoneQuantiles, check_quantiles, pinball

LEVELS = (0.1, 0.5, 0.9)
HEAD = dict(loss="pinball", quantiles=LEVELS, random_state=0)


# ------------------------------------------------------------ the pieces


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_monotone_quantiles_never_cross(dtype):
    head = MonotoneQuantiles((0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)).to(dtype)
    generator = torch.Generator().manual_seed(0)
    raw = torch.randn(200, 3, 2 * 7, generator=generator, dtype=dtype)
    raw *= torch.logspace(-8, 3, 200, dtype=dtype)[:, None, None]  # tiny to huge
    quantiles = head(raw)
    assert quantiles.shape == (200, 3, 2, 7)
    assert (quantiles.diff(dim=-1) >= 0).all()
    # the center output is the median, untouched
    torch.testing.assert_close(quantiles[..., 3], raw.unflatten(-1, (2, 7))[..., 3])


def test_a_zero_head_forecasts_a_standard_normal():
    levels = (0.1, 0.25, 0.5, 0.9)
    head = MonotoneQuantiles(levels).double()
    quantiles = head(torch.zeros(1, 4, dtype=torch.float64))[0, 0]
    expected = [NormalDist().inv_cdf(q) for q in levels]
    np.testing.assert_allclose(quantiles.numpy(), expected, atol=1e-12)


def test_pinball_by_hand():
    levels = torch.tensor([0.1, 0.5, 0.9])
    y_true = torch.tensor([[2.0]])
    y_pred = torch.tensor([[1.0, 2.0, 4.0]])
    # under the target by 1 at level 0.1: 0.1; over it by 2 at 0.9: 0.1 * 2
    expected = torch.tensor([[0.1, 0.0, 0.2]])
    torch.testing.assert_close(pinball(y_pred, y_true, levels), expected)


@pytest.mark.parametrize(
    "quantiles, loss, match",
    [
        ((0.1, 0.9), "pinball", "must include 0.5"),
        ((0.0, 0.5), "pinball", "strictly between 0 and 1"),
        ((0.5, 1.2), "pinball", "strictly between 0 and 1"),
        ((0.1, 0.5, 0.1), "pinball", "a level twice"),
        ((), "pinball", "non-empty sequence of numbers"),
        (("0.5",), "pinball", "non-empty sequence of numbers"),
        ((True, 0.5), "pinball", "non-empty sequence of numbers"),
        (None, "pinball", "needs their levels"),
        ((0.1, 0.5, 0.9), "mse", "set loss='pinball'"),
    ],
)
def test_bad_quantiles_are_explained(quantiles, loss, match):
    with pytest.raises(ValueError, match=match):
        check_quantiles(quantiles, loss)
    X = np.random.default_rng(0).normal(size=(20, 4))
    model = LSTMForecaster(hidden_size=2, max_epochs=1, loss=loss, quantiles=quantiles)
    with pytest.raises(ValueError, match=match):
        model.fit(X, X[:, -1])


def test_levels_are_sorted():
    np.testing.assert_array_equal(check_quantiles([0.9, 0.5, 0.1], "pinball"), LEVELS)


# ---------------------------------------------------------- the forecasters


def _series(n, seed=0, sigma=(1.0, 1.0)):
    """AR(1), y_t = 0.6 y_{t-1} + s e_t with Gaussian e_t; s = sigma[y_{t-1} >= 0]."""
    rng = np.random.default_rng(seed)
    e = rng.normal(size=n)
    y = np.zeros(n)
    for t in range(1, n):
        y[t] = 0.6 * y[t - 1] + sigma[int(y[t - 1] >= 0)] * e[t]
    return y


def _windows(series, n_steps=8, horizons=1):
    X = np.lib.stride_tricks.sliding_window_view(series[:-horizons], n_steps)
    y = np.lib.stride_tricks.sliding_window_view(series[n_steps:], horizons)
    return X, (y[:, 0] if horizons == 1 else y)


@pytest.mark.slow
@pytest.mark.parametrize(
    "model",
    [
        GRUForecaster(hidden_size=16, max_epochs=15, **HEAD),
        GRUForecaster(hidden_size=16, max_epochs=15, ensemble_size=3, **HEAD),
        WaveNetForecaster(filters=16, max_epochs=15, **HEAD),
    ],
    ids=["gru", "gru-ensemble", "wavenet"],
)
def test_quantiles_cover_held_out_points_where_the_noise_is_known(model):
    # The noise is Gaussian with s.d. 0.5 after a negative value and 1.5
    # after a positive one: the 0.1 and 0.9 quantiles are the forecast
    # -+ 1.28 s, an 80% interval 1.28 (calm) or 3.84 (wild) wide.
    X, y = _windows(_series(2000, sigma=(0.5, 1.5)))
    model.fit(X[:1400], y[:1400])
    interval = model.predict_interval(X[1400:], coverage=0.8)[:, 0]
    inside = (interval[:, 0] <= y[1400:]) & (y[1400:] <= interval[:, 1])
    # 590 held-out points: a binomial s.d. of 0.016 around the nominal 0.8
    assert abs(inside.mean() - 0.8) < 0.06
    width = interval[:, 1] - interval[:, 0]
    calm = X[1400:, -1] < 0
    # wider where the noise is three times larger (exactly 3x in truth)
    assert width[~calm].mean() > 1.8 * width[calm].mean()
    assert 0.9 < width[calm].mean() < 2.0
    assert 2.6 < width[~calm].mean() < 4.5


ARCHITECTURES = [
    LSTMForecaster(hidden_size=4),
    GRUForecaster(hidden_size=4, ensemble_size=3),
    SimpleRNNForecaster(hidden_size=4),
    RecurrentForecaster(cell="gru", hidden_size=4, decoder=True, teacher_forcing=0.5),
    RecurrentForecaster(hidden_size=4, conv_filters=3),
    WaveNetForecaster(filters=4, dilations=(1, 2)),
]


@pytest.mark.parametrize("horizons", [1, 3])
@pytest.mark.parametrize("template", ARCHITECTURES, ids=repr)
def test_shapes_monotonicity_and_median(template, horizons):
    X, y = _windows(_series(200), horizons=horizons)
    model = clone(template).set_params(max_epochs=2, **HEAD).fit(X, y)
    quantiles = model.predict_quantiles(X)
    assert quantiles.shape == (*y.shape, 3)
    assert (np.diff(quantiles, axis=-1) >= 0).all()
    np.testing.assert_array_equal(model.predict(X), quantiles[..., 1])
    assert model.predict(X).shape == y.shape
    intervals = model.predict_interval(X, coverage=[0.8])
    assert intervals.shape == (*y.shape, 1, 2)
    np.testing.assert_array_equal(intervals[..., 0, 0], quantiles[..., 0])
    np.testing.assert_array_equal(intervals[..., 0, 1], quantiles[..., 2])
    # sktime's order: the levels as asked, not sorted
    np.testing.assert_array_equal(
        model.predict_quantiles(X, alpha=[0.9, 0.1]), quantiles[..., [2, 0]]
    )
    np.testing.assert_array_equal(
        model.predict_quantiles(X, alpha=0.5), quantiles[..., 1:2]
    )


@pytest.mark.parametrize(
    "template",
    [
        GRUForecaster(hidden_size=4),
        GRUForecaster(hidden_size=4, ensemble_size=2),
        WaveNetForecaster(filters=4, dilations=(1, 2)),
    ],
    ids=repr,
)
@pytest.mark.parametrize("n_outputs", [None, 2])
def test_sequence_outputs_have_quantiles_at_every_step(template, n_outputs):
    series = _series(150)
    values = series[:, None] if n_outputs is None else np.c_[series, -series]
    # leading NaN: the first windows start before the series
    X = LagWindowTransformer(window_length=6).fit_transform(values)
    y = np.nan_to_num(X[1:, :, 0] if n_outputs is None else X[1:])
    X = X[:-1]
    model = clone(template).set_params(
        output="sequence", max_epochs=2, window_norm=None, **HEAD
    )
    model.fit(X, y)
    quantiles = model.predict_quantiles(X)
    assert quantiles.shape == (*y.shape, 3)
    observed = ~np.isnan(quantiles[..., 1])
    # a step without history has no quantiles; all of a step's or none
    assert not observed[0, 0].any() and observed[-1].all()
    assert (np.isnan(quantiles) == ~observed[..., None]).all()
    assert (np.diff(quantiles[observed], axis=-1) >= 0).all()
    np.testing.assert_array_equal(model.predict(X), quantiles[..., 1])


def test_window_level_and_scale_carry_through_to_every_quantile():
    series = np.cumsum(np.random.default_rng(0).normal(size=300))
    X, y = _windows(series, horizons=2)
    model = LSTMForecaster(hidden_size=4, max_epochs=2, window_norm="last", **HEAD)
    model.fit(X, y)
    quantiles = model.predict_quantiles(X[:20])
    # a window shifted by c forecasts quantiles shifted by c
    np.testing.assert_allclose(
        model.predict_quantiles(X[:20] + 100.0), quantiles + 100.0, atol=1e-9
    )
    # the scaling back: the network's outputs times y_scale_ plus y_mean_
    dataset = model._dataset(model._windows(X[:20], reset=False), None, False)
    raw = model.net_.forward(dataset, training=False).numpy().astype(np.float64)
    expected = raw * model.y_scale_[:, None] + model.y_mean_[:, None]
    expected += X[:20, -1, None, None]
    np.testing.assert_allclose(quantiles, expected, rtol=1e-12)
    assert (model.y_scale_ > 0).all()


def test_a_constant_target_has_an_interval_of_zero_width():
    X = np.random.default_rng(0).normal(size=(50, 4))
    model = LSTMForecaster(hidden_size=2, max_epochs=1, window_norm=None, **HEAD)
    model.fit(X, np.full(50, 3.0))
    np.testing.assert_array_equal(model.predict_quantiles(X[:5]), 3.0)


def test_levels_that_were_not_trained_are_refused():
    X, y = _windows(_series(100))
    model = LSTMForecaster(hidden_size=2, max_epochs=1, **HEAD).fit(X, y)
    with pytest.raises(ValueError, match=r"0\.05, 0\.95 were not trained.*0\.1, 0\.5"):
        model.predict_interval(X)  # sktime's default coverage, 0.9
    with pytest.raises(ValueError, match="0.25 were not trained"):
        model.predict_quantiles(X, alpha=[0.25])
    with pytest.raises(ValueError, match="coverage must be a float or a list"):
        model.predict_interval(X, coverage=1.0)
    with pytest.raises(ValueError, match="alpha must be a float or a list"):
        model.predict_quantiles(X, alpha="0.5")
    # 1 - 0.8 is not 0.1 in floating point: still the trained level
    assert model.predict_interval(X, coverage=0.8).shape == (len(X), 1, 2)


def test_point_forecasters_have_no_quantile_methods():
    X, y = _windows(_series(100))
    model = LSTMForecaster(hidden_size=2, max_epochs=1).fit(X, y)
    assert not hasattr(model, "predict_quantiles")
    with pytest.raises(AttributeError) as info:
        model.predict_interval(X)
    assert "loss='pinball'" in str(info.value.__cause__)


def test_in_a_pipeline_the_last_step_is_asked():
    series = _series(200)
    pipe = make_pipeline(
        LagWindowTransformer(window_length=8),
        LSTMForecaster(hidden_size=4, max_epochs=2, **HEAD),
    )
    # windows of the rows up to t forecast the value at t + 1
    pipe.fit(series[:-1, None], series[1:])
    # scikit-learn's Pipeline delegates only the methods it knows
    assert not hasattr(pipe, "predict_quantiles")
    windows = pipe[:-1].transform(series[:-1, None])
    quantiles = pipe[-1].predict_quantiles(windows)
    np.testing.assert_array_equal(quantiles[:, 1], pipe.predict(series[:-1, None]))


def test_partial_fit_keeps_training_the_quantile_head():
    X, y = _windows(_series(100))
    model = LSTMForecaster(hidden_size=2, max_epochs=1, **HEAD)
    model.partial_fit(X, y).partial_fit(X, y)
    assert len(model.history_) == 2
    assert model.predict_quantiles(X).shape == (len(X), 3)
