"""The skill against the naive forecast, as a metric and as a scikit-learn scorer."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.dummy import DummyRegressor
from sklearn.model_selection import GridSearchCV, cross_validate
from sklearn.pipeline import make_pipeline

from skrnn import LagWindowTransformer, make_supervised
from skrnn.metrics import make_naive_skill_scorer, relative_mae


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
