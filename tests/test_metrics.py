"""The skill against the naive forecast (metric and scorer); interval scores."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.dummy import DummyRegressor
from sklearn.model_selection import GridSearchCV, cross_validate
from sklearn.pipeline import make_pipeline

from skrnn import LagWindowTransformer, make_supervised
from skrnn.metrics import (
    make_naive_skill_scorer,
    mean_scaled_interval_score,
    relative_mae,
    scaled_pinball_loss,
)


def test_relative_mae_by_hand():
    # errors 0.5, 0.5, 0 against the naive forecast's 1, 2, 0
    assert relative_mae([3.0, 5.0, 4.0], [2.5, 5.5, 4.0], [2.0, 3.0, 4.0]) == 1 / 3
    # as good as the naive forecast, on other rows
    assert relative_mae([1.0, 3.0], [2.0, 2.0], [0.0, 4.0]) == 1.0


def test_relative_mae_repeats_the_naive_forecast_over_the_horizons():
    y = [[3.0, 4.0], [5.0, 6.0]]  # two rows, horizons 1 and 2
    pred = [[3.0, 5.0], [5.0, 6.0]]
    # naive 2 and 4: |3-2| + |4-2| + |5-4| + |6-4| = 6; the forecast's errors: 1
    assert relative_mae(y, pred, [2.0, 4.0]) == 1 / 6
    assert relative_mae(y, pred, [[2.0, 2.0], [4.0, 4.0]]) == 1 / 6


def test_relative_mae_without_naive_error():
    assert relative_mae([1.0, 2.0], [1.0, 2.0], [1.0, 2.0]) == 1.0
    assert relative_mae([1.0, 2.0], [1.0, 3.0], [1.0, 2.0]) == np.inf


@pytest.mark.parametrize(
    "y_pred, y_naive, match",
    [
        ([1.0], [1.0, 2.0], "y_pred has shape"),
        ([1.0, 2.0], [1.0, 2.0, 3.0], "one value per row"),
        ([1.0, np.nan], [1.0, 2.0], "y_pred has missing"),
    ],
)
def test_relative_mae_errors(y_pred, y_naive, match):
    with pytest.raises(ValueError, match=match):
        relative_mae([1.0, 2.0], y_pred, y_naive)


@pytest.fixture
def closes():
    # Close 1, 2, 4, 7, 11: rows t = 0..3 pair Close[t] with y = Close[t + 1]
    frame = pd.DataFrame(
        {"Volume": [10.0, 20.0, 30.0, 40.0, 50.0], "Close": [1.0, 2.0, 4.0, 7.0, 11.0]}
    )
    return make_supervised(frame, "Close", horizon=1)


def test_the_scorer_reads_the_naive_forecast_from_the_pipelines_input(closes):
    X, y = closes
    assert y.tolist() == [2.0, 4.0, 7.0, 11.0]
    # the last step never sees "Close", only the windows of both columns
    pipe = make_pipeline(
        LagWindowTransformer(window_length=2), DummyRegressor(strategy="constant")
    )
    split = [([0, 1], [2, 3])]
    search = GridSearchCV(
        pipe,
        {"dummyregressor__constant": [6.0, 8.0]},
        cv=split,
        scoring=make_naive_skill_scorer(column="Close"),
    ).fit(X, y)
    # test rows 2, 3: truth 7, 11; naive (the rows' Close) 4, 7: error 3 + 4
    # constant 6: 1 + 5 -> 1 - 6/7; constant 8: 1 + 3 -> 1 - 4/7
    np.testing.assert_allclose(search.cv_results_["mean_test_score"], [1 / 7, 3 / 7])
    assert search.best_params_ == {"dummyregressor__constant": 8.0}
    # by position; the first column (the default) would read Volume
    scorer = make_naive_skill_scorer(1)
    assert scorer(search.best_estimator_, X.iloc[2:], y.iloc[2:]) == pytest.approx(
        3 / 7
    )
    wrong = make_naive_skill_scorer()(search.best_estimator_, X.iloc[2:], y.iloc[2:])
    assert wrong == pytest.approx(1 - 4 / (23 + 29))  # Volume 30, 40 as forecasts


def test_the_scorer_in_a_dict_of_scorers_and_pickled(closes):
    X, y = closes
    scoring = {
        "mae": "neg_mean_absolute_error",
        "skill": pickle.loads(pickle.dumps(make_naive_skill_scorer("Close"))),
    }
    model = DummyRegressor(strategy="constant", constant=8.0)
    scores = cross_validate(model, X, y, cv=[([0, 1], [2, 3])], scoring=scoring)
    assert scores["test_mae"][0] == -2.0
    assert scores["test_skill"][0] == pytest.approx(3 / 7)


def test_windows_and_flattened_lags():
    close = np.array([[1.0], [2.0], [4.0], [7.0], [11.0]])
    y = np.array([2.0, 4.0, 7.0, 11.0, 16.0])
    model = DummyRegressor(strategy="constant", constant=8.0).fit(close, y)
    # the naive forecast of each row is its own close, the last step of its
    # window: errors |y - close| = 1, 2, 3, 4, 5; the constant's 6, 4, 1, 3, 8
    expected = 1 - 22 / 15
    windows = LagWindowTransformer(window_length=3).fit_transform(close)
    assert windows.shape == (5, 3, 1)
    assert make_naive_skill_scorer()(model, windows, y) == pytest.approx(expected)
    # flattened lags, oldest step first: lag 0 is the last column
    lags = LagWindowTransformer(window_length=3, flatten=True).fit_transform(close)
    np.testing.assert_array_equal(lags[:, -1], close[:, 0])
    assert make_naive_skill_scorer(-1)(model, lags, y) == pytest.approx(expected)


def test_scorer_errors(closes):
    X, y = closes
    model = DummyRegressor().fit(X, y)
    with pytest.raises(ValueError, match="'Open' is not a column of X"):
        make_naive_skill_scorer("Open")(model, X, y)
    with pytest.raises(ValueError, match="names a column, but X is an array"):
        make_naive_skill_scorer("Close")(model, X.to_numpy(), y)
    with pytest.raises(TypeError, match="column must be a column name or an int"):
        make_naive_skill_scorer(1.5)
    assert repr(make_naive_skill_scorer("Close")) == (
        "make_naive_skill_scorer(column='Close')"
    )


# a training series with period 4: |x_t - x_{t-4}| = 2, 2, 4, 4 (mean 3);
# one-step changes |x_t - x_{t-1}|: 1, 1, 3, 3, 1, 3, 3 (mean 15 / 7)
TRAIN = np.array([10.0, 11.0, 12.0, 9.0, 12.0, 13.0, 16.0, 13.0])


def test_msis_by_hand():
    y = [10.0, 14.0, 7.0]
    lower, upper = [9.0, 11.0, 8.0], [12.0, 13.0, 9.0]
    # coverage 0.8: a = 0.2, 2 / a = 10; widths 3, 2, 1; the second point is 1
    # above its interval (penalty 10), the third 1 below (penalty 10)
    expected = (3 + 2 + 1 + 10 + 10) / 3 / 3
    msis = mean_scaled_interval_score(
        y, lower, upper, y_train=TRAIN, coverage=0.8, sp=4
    )
    assert msis == pytest.approx(expected)
    # M4's 95 %: 2 / a = 40; the one-step scale 15 / 7
    msis = mean_scaled_interval_score(y, lower, upper, y_train=TRAIN, coverage=0.95)
    assert msis == pytest.approx((6 + 40 + 40) / 3 / (15 / 7))
    # an interval that holds every point scores its mean width, in scale units
    assert mean_scaled_interval_score(
        [10.0, 12.0], [9.0, 11.0], [12.0, 14.0], y_train=TRAIN, coverage=0.5, sp=4
    ) == pytest.approx(3 / 3)


def test_pinball_by_hand():
    y = np.array([10.0, 14.0, 7.0])
    q = np.array([[9.0, 12.0], [11.0, 13.0], [8.0, 9.0]])
    # quantile 0.1: y above by 1, 3 (loss 0.1, 0.3); 1 below (0.9 x 1 = 0.9)
    # quantile 0.9: y 2 below (0.1 x 2 = 0.2), 1 above (0.9), 2 below (0.2)
    expected = (0.1 + 0.3 + 0.9 + 0.2 + 0.9 + 0.2) / 6 / 3
    spl = scaled_pinball_loss(y, q, alpha=[0.1, 0.9], y_train=TRAIN, sp=4)
    assert spl == pytest.approx(expected)
    # one quantile, a 1-D forecast: the median's loss is half its absolute error
    median = scaled_pinball_loss(y, q[:, 0], alpha=0.5, y_train=TRAIN, sp=4)
    assert median == pytest.approx(np.abs(y - q[:, 0]).mean() / 2 / 3)


def test_pinball_equals_sktimes_over_the_scale():
    sktime = pytest.importorskip("sktime")  # noqa: F841
    from sktime.performance_metrics.forecasting.probabilistic import PinballLoss

    rng = np.random.default_rng(0)
    y = rng.normal(size=12)
    alpha = [0.025, 0.1, 0.5, 0.9, 0.975]
    q = np.sort(rng.normal(size=(12, len(alpha))), axis=1)
    frame = pd.DataFrame(q, columns=pd.MultiIndex.from_product([["y"], alpha]))
    reference = PinballLoss()(pd.Series(y), frame)
    scale = np.abs(TRAIN[4:] - TRAIN[:-4]).mean()
    spl = scaled_pinball_loss(y, q, alpha=alpha, y_train=TRAIN, sp=4)
    assert spl == pytest.approx(reference / scale)


def test_interval_score_is_pinball_of_its_bounds():
    # IS_a = 2 / a (pinball at a / 2 of L + pinball at 1 - a / 2 of U)
    rng = np.random.default_rng(1)
    y = rng.normal(size=20)
    lower = rng.normal(size=20) - 1
    upper = lower + rng.random(20) * 2
    for coverage in (0.5, 0.8, 0.95):
        a = 1 - coverage
        msis = mean_scaled_interval_score(
            y, lower, upper, y_train=TRAIN, coverage=coverage, sp=4
        )
        spl = scaled_pinball_loss(
            y,
            np.column_stack([lower, upper]),
            alpha=[a / 2, 1 - a / 2],
            y_train=TRAIN,
            sp=4,
        )
        # spl is the mean over the two quantiles: half their sum
        assert msis == pytest.approx(2 / a * 2 * spl)


def test_interval_scores_refuse_bad_input():
    y, lower, upper = [1.0, 2.0], [0.0, 1.0], [2.0, 3.0]
    with pytest.raises(ValueError, match="coverage must be a float between 0"):
        mean_scaled_interval_score(y, lower, upper, y_train=TRAIN, coverage=95)
    with pytest.raises(ValueError, match="y_lower exceeds y_upper"):
        mean_scaled_interval_score(y, upper, lower, y_train=TRAIN, coverage=0.8)
    with pytest.raises(ValueError, match="y_upper has shape"):
        mean_scaled_interval_score(y, lower, [2.0], y_train=TRAIN, coverage=0.8)
    with pytest.raises(ValueError, match="needs more than 8"):
        mean_scaled_interval_score(y, lower, upper, y_train=TRAIN, coverage=0.8, sp=8)
    with pytest.raises(ValueError, match="sp must be a positive int"):
        scaled_pinball_loss(y, lower, alpha=0.5, y_train=TRAIN, sp=0)
    with pytest.raises(ValueError, match="alpha must be a quantile level"):
        scaled_pinball_loss(y, lower, alpha=1.5, y_train=TRAIN)
    with pytest.raises(ValueError, match="one column per level of alpha"):
        scaled_pinball_loss(y, lower, alpha=[0.1, 0.9], y_train=TRAIN)
    with pytest.raises(ValueError, match="missing or infinite"):
        scaled_pinball_loss([np.nan, 1.0], lower, alpha=0.5, y_train=TRAIN)


def test_interval_scores_on_a_constant_training_series():
    flat = np.full(6, 3.0)
    # a perfect zero-width interval scores 0; any error over a zero scale, inf
    assert (
        mean_scaled_interval_score([3.0], [3.0], [3.0], y_train=flat, coverage=0.8)
        == 0.0
    )
    assert mean_scaled_interval_score(
        [3.0], [2.0], [4.0], y_train=flat, coverage=0.8
    ) == float("inf")
    assert scaled_pinball_loss([4.0], [3.0], alpha=0.5, y_train=flat) == float("inf")
