"""The sktime face: API compliance, global panel models, exogenous X, intervals."""

import copy
import importlib
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.base import clone

pytest.importorskip("sktime")

from sktime.forecasting.base import ForecastingHorizon  # noqa: E402
from sktime.forecasting.model_evaluation import evaluate  # noqa: E402
from sktime.forecasting.naive import NaiveForecaster  # noqa: E402
from sktime.performance_metrics.forecasting import (  # noqa: E402
    MeanAbsoluteError,
    mean_absolute_error,
)
from sktime.split import ExpandingWindowSplitter  # noqa: E402
from sktime.utils.estimator_checks import (  # noqa: E402
    check_estimator,
    parametrize_with_checks,
)

from skrnn import GRUForecaster, LSTMForecaster  # noqa: E402
from skrnn.datasets import load_airline, make_panel, make_sine_series  # noqa: E402
from skrnn.sktime import SktimeRecurrentForecaster  # noqa: E402
from skrnn.sktime._strategies import HeldOut, weigh_naive  # noqa: E402
from skrnn.sktime._transforms import to_model_space  # noqa: E402
from tests.conftest import random_walk_prices as _random_walk  # noqa: E402

# sktime announces a change of its own default on every forecaster it builds
pytestmark = pytest.mark.filterwarnings(
    "ignore:The default of config ``remember_data``:FutureWarning"
)


def _tiny(**params):
    return LSTMForecaster(hidden_size=4, max_epochs=2, random_state=0, **params)


@parametrize_with_checks(SktimeRecurrentForecaster)
def test_sktime_compatible(obj, test_name):
    check_estimator(obj, tests_to_run=test_name, raise_exceptions=True)


def test_import_skrnn_does_not_import_sktime():
    code = "import sys, skrnn; assert 'sktime' not in sys.modules, 'imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_clear_import_error_without_sktime(monkeypatch):
    for name in ("sktime", "sktime.forecasting", "sktime.forecasting.base"):
        monkeypatch.setitem(sys.modules, name, None)  # "not installed"
    monkeypatch.delitem(sys.modules, "skrnn.sktime")
    with pytest.raises(ImportError, match=r"pip install skrnn\[sktime\]"):
        importlib.import_module("skrnn.sktime")


def test_tags_follow_the_strategy():
    direct = SktimeRecurrentForecaster(strategy="direct")
    recursive = SktimeRecurrentForecaster(strategy="recursive")
    assert direct.get_tag("requires-fh-in-fit") is True
    assert recursive.get_tag("requires-fh-in-fit") is False
    assert direct.get_tag("capability:pred_int") is True
    assert not SktimeRecurrentForecaster(calibration_fraction=0).get_tag(
        "capability:pred_int"
    )
    assert direct.get_tag("capability:insample") is False


@pytest.mark.parametrize(
    "method", ["predict_interval", "predict_quantiles", "predict_var", "predict_proba"]
)
def test_intervals_switched_off_name_the_parameter(method):
    y = make_sine_series(n_timepoints=60, random_state=0)
    model = SktimeRecurrentForecaster(_tiny(), calibration_fraction=0).fit(y, fh=[1])
    # sktime's own refusal says "open an issue on sktime"
    with pytest.raises(NotImplementedError, match="calibration_fraction > 0"):
        getattr(model, method)()
    # the point forecast is unaffected
    assert model.predict().shape == (1,)


def test_no_remember_data_warning_on_construction_clone_fit_and_update():
    import warnings

    y = make_sine_series(n_timepoints=60, random_state=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        forecaster = SktimeRecurrentForecaster(_tiny(), window_length=5)
        for _ in range(3):  # evaluate clones once per fold
            fitted = forecaster.clone().fit(y.iloc[:50], fh=[1, 2])
        fitted.update(y.iloc[50:], update_params=False)
        fitted.predict_interval(coverage=0.5)
    assert [str(w.message) for w in caught if w.category is FutureWarning] == []
    # the root: the class stores no history for sktime, which stops the warning
    assert forecaster.get_config()["remember_data"] is False
    assert fitted._y is None
    # ... and a user who wants the history back still gets it
    keeper = forecaster.clone().set_config(remember_data=True)
    keeper.fit(y, fh=[1, 2])
    assert keeper._y.index.equals(y.index)


def test_passed_estimator_is_cloned_not_fitted():
    estimator = _tiny()
    y = make_sine_series(n_timepoints=60, random_state=0)
    SktimeRecurrentForecaster(estimator, window_length=5).fit(y, fh=[1, 2])
    assert not hasattr(estimator, "net_")


@pytest.mark.parametrize(
    "y",
    [
        load_airline().iloc[:60],  # PeriodIndex
        make_sine_series(n_timepoints=60, random_state=0),  # DatetimeIndex
        pd.Series(np.sin(np.arange(60) / 3.0)),  # RangeIndex
    ],
    ids=["period", "datetime", "range"],
)
@pytest.mark.parametrize("strategy", ["direct", "recursive"])
def test_index_type_kept_with_relative_and_absolute_fh(y, strategy):
    def forecaster():
        return SktimeRecurrentForecaster(_tiny(), window_length=6, strategy=strategy)

    relative = forecaster().fit(y, fh=[1, 3])
    pred = relative.predict()
    expected = ForecastingHorizon([1, 3]).to_absolute_index(relative.cutoff)
    assert pred.index.equals(expected)
    assert pred.index.dtype == y.index.dtype
    assert pred.name == y.name
    # the same network (same seed), asked with absolute time points
    absolute = ForecastingHorizon(expected, is_relative=False)
    pd.testing.assert_series_equal(forecaster().fit(y, fh=absolute).predict(), pred)


def test_series_shorter_than_a_window_train_on_shorter_histories():
    y = make_sine_series(n_timepoints=20, random_state=0)
    forecaster = SktimeRecurrentForecaster(
        _tiny(), window_length=18, strategy="direct", calibration_fraction=0
    )
    pred = forecaster.fit(y, fh=[1, 2, 3]).predict()
    assert pred.shape == (3,) and np.isfinite(pred).all()
    # the direct strategy needs a window's targets: fh's three steps
    with pytest.raises(ValueError, match="3 time points.*at least 4.*shorter"):
        forecaster.fit(y.iloc[:3], fh=[1, 2, 3])


def test_a_long_window_more_than_twice_the_longest_series_is_refused():
    y = make_sine_series(n_timepoints=600, random_state=0)
    for length in [1201, 2**31]:
        with pytest.raises(ValueError) as info:
            SktimeRecurrentForecaster(_tiny(), window_length=length).fit(y, fh=[1])
        message = str(info.value)
        assert message.startswith(
            f"window_length={length} is more than twice the longest series of y "
            "(600 time points): even the last window would be mostly NaN"
        )
        assert message.endswith("Use a window_length of at most 600.")
    # the default window, sized from sp, is checked too (sp: a typo of 12)
    with pytest.raises(ValueError) as info:
        SktimeRecurrentForecaster(_tiny(), sp=1200).fit(y.iloc[:100], fh=[1])
    assert str(info.value).startswith(
        "The window sized from sp=1200 and the horizon (1500 steps) is more than "
        "twice the longest series of y (100 time points)"
    )
    assert "Pass window_length (at most 100) or a smaller sp." in str(info.value)


def test_direct_horizon_beyond_fit_needs_refit():
    y = make_sine_series(n_timepoints=60, random_state=0)
    forecaster = SktimeRecurrentForecaster(
        _tiny(), window_length=5, strategy="recursive"
    )
    forecaster.fit(y, fh=[1, 2])
    assert forecaster.predict(fh=[1, 2, 7]).shape == (3,)  # recursive: any fh


# ------------------------------------------------------------------ panels


class _Recorder(LSTMForecaster):
    """Remembers the windows it was trained on."""

    def fit(self, X, y):
        self.seen_ = (np.array(X), np.array(y))
        return super().fit(X, y)


def test_global_model_windows_never_cross_series():
    # ramps of different lengths (and starts) end together: after per-series
    # standardization each one still rises by its own constant step, so a
    # window across two series would show a jump
    lengths = {"a": 20, "b": 31, "c": 45}
    end = pd.Timestamp("2001-01-01")
    frames = []
    for key, n in lengths.items():
        times = pd.date_range(end=end, periods=n, freq="D")
        index = pd.MultiIndex.from_product([[key], times], names=["id", "time"])
        frames.append(pd.DataFrame({"y": np.arange(n, dtype=float)}, index=index))
    y = pd.concat(frames)
    L, H = 4, 3
    forecaster = SktimeRecurrentForecaster(
        _Recorder(hidden_size=4, max_epochs=1, random_state=0),
        window_length=L,
        strategy="direct",  # windows with H targets
        calibration_fraction=0,
        deseasonalize=False,  # one network (daily dates: sp 7)
    )
    forecaster.fit(y, fh=range(1, H + 1))
    X, targets = forecaster.estimator_.seen_
    assert len(X) == sum(n - L - H + 1 for n in lengths.values())
    sequences = np.concatenate([X[:, :, 0], targets], axis=1)
    steps = np.diff(sequences, axis=1)
    np.testing.assert_allclose(steps, steps[:, :1] * np.ones_like(steps), atol=1e-9)
    assert len(np.unique(steps[:, 0].round(9))) == len(lengths)

    pred = forecaster.predict()
    assert pred.index.names == ["id", "time"]
    assert pred.index.get_level_values("id").unique().tolist() == ["a", "b", "c"]
    assert (pred.index.get_level_values("time") > end).all()


def test_global_model_forecasts_every_panel_series():
    y = make_panel(n_series=4, n_timepoints=60, random_state=0).to_frame()
    forecaster = SktimeRecurrentForecaster(
        GRUForecaster(hidden_size=8, max_epochs=20, lr=0.01, random_state=0),
        window_length=10,
        deseasonalize=False,  # one network (daily dates: sp 7)
    )
    pred = forecaster.fit(y, fh=[1, 2, 3]).predict()
    # one network, not one per series (no sktime vectorization)
    assert forecaster._is_vectorized is False
    assert isinstance(forecaster.estimator_, GRUForecaster)
    assert pred.shape == (12, 1) and list(pred.columns) == ["y"]
    intervals = forecaster.predict_interval(coverage=0.8)
    lower = intervals.iloc[:, 0].to_numpy()
    upper = intervals.iloc[:, 1].to_numpy()
    assert (lower < pred["y"].to_numpy()).all() and (pred["y"] < upper).all()
    # per-series scale: series of larger amplitude get wider intervals
    width = pd.Series(upper - lower, index=pred.index).groupby(level="series").mean()
    spread = y["y"].groupby(level="series").std()
    assert width.corr(spread) > 0.9


def test_panel_from_a_long_table_dates_its_forecasts():
    # set_index on a long table leaves the date level without a freq, which
    # sktime needs to count steps of dates; the series' own dates give it
    rows = []
    for store, (start, n) in {"A": ("2018-01-01", 48), "B": ("2018-04-01", 42)}.items():
        dates = pd.date_range(start, periods=n, freq="MS")
        values = 10 + np.sin(np.arange(n) * 2 * np.pi / 12)
        rows.append(pd.DataFrame({"store": store, "date": dates, "sales": values}))
    y = pd.concat(rows).set_index(["store", "date"])
    assert y.index.levels[1].freq is None
    model = SktimeRecurrentForecaster(_tiny(), calibration_fraction=0)
    pred = model.fit(y, fh=[1, 2]).predict()
    # B ends in 2021-09: each series continues from its own last month
    assert list(pred.index) == [
        ("A", pd.Timestamp("2022-01-01")),
        ("A", pd.Timestamp("2022-02-01")),
        ("B", pd.Timestamp("2021-10-01")),
        ("B", pd.Timestamp("2021-11-01")),
    ]
    assert model.sp_ == 12


def test_a_panel_series_with_gaps_warns_and_the_recipe_fills_them():
    dates = pd.date_range("2023-01-01", periods=60, freq="D")
    rows = [
        pd.DataFrame({"store": store, "date": d, "sales": np.arange(len(d)) % 7.0})
        for store, d in {"A": dates, "B": dates.delete([20, 21])}.items()
    ]
    y = pd.concat(rows).set_index(["store", "date"])
    model = SktimeRecurrentForecaster(_tiny(), sp=7, calibration_fraction=0)
    with pytest.warns(UserWarning, match=r"1 of 2 series \(the first: \('B',\)\)"):
        model.fit(y, fh=[1])
    # the warning's recipe, as written, leaves a regular panel: no warning
    filled = y.groupby(level=0).apply(lambda s: s.droplevel(0).asfreq("D").ffill())
    assert len(filled) == 120 and not filled.isna().any().any()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", "1 of 2 series")
        model.fit(filled, fh=[1])


def test_dates_without_a_frequency_are_a_clear_error():
    y = pd.Series(
        np.arange(40.0) + 10, index=pd.bdate_range("2024-01-01", periods=41)[1:]
    ).drop(pd.Timestamp("2024-01-10"))  # a holiday: no regular frequency
    model = SktimeRecurrentForecaster(_tiny(), calibration_fraction=0)
    with pytest.raises(ValueError, match=r"no regular frequency.*reset_index"):
        model.fit(y, fh=[1])


def test_combination_with_classical_forecasters_keeps_one_global_network():
    # the accuracy guide's recipe: sktime's EnsembleForecaster averages the
    # network and classical models; the network still trains once on the panel
    from sktime.forecasting.compose import EnsembleForecaster

    y = make_panel(n_series=3, n_timepoints=40, random_state=0).to_frame()
    combo = EnsembleForecaster(
        [
            (
                "net",
                SktimeRecurrentForecaster(
                    _tiny(), window_length=6, deseasonalize=False
                ),
            ),
            ("naive", NaiveForecaster(strategy="last")),
            ("mean", NaiveForecaster(strategy="mean")),
        ],
        aggfunc="mean",
    )
    pred = combo.fit(y, fh=[1, 2]).predict()
    fitted = dict(combo.forecasters_)
    assert fitted["net"]._is_vectorized is False
    assert isinstance(fitted["net"].estimator_, LSTMForecaster)
    members = [fitted[name].predict()["y"] for name in ("net", "naive", "mean")]
    np.testing.assert_allclose(pred["y"], sum(members) / 3)


# --------------------------------------------------------------- exogenous X


def _with_exog(n=80, seed=0):
    rng = np.random.default_rng(seed)
    index = pd.period_range("2000-01", periods=n, freq="M")
    X = pd.DataFrame({"promo": rng.integers(0, 2, n).astype(float)}, index=index)
    y = pd.Series(np.sin(np.arange(n) / 3.0) + 2.0 * X["promo"], index=index)
    return y, X


def test_direct_strategy_reads_only_past_x():
    y, X = _with_exog()
    forecaster = SktimeRecurrentForecaster(_tiny(), window_length=6, strategy="direct")
    forecaster.fit(y.iloc[:70], X.iloc[:70], fh=[1, 2])
    future = X.iloc[70:72]
    pd.testing.assert_series_equal(
        forecaster.predict(X=future), forecaster.predict(X=1 - future)
    )


def test_recursive_strategy_needs_and_uses_future_x():
    y, X = _with_exog()
    forecaster = SktimeRecurrentForecaster(
        LSTMForecaster(hidden_size=8, max_epochs=30, lr=0.02, random_state=0),
        window_length=6,
        strategy="recursive",
        calibration_fraction=0,
    )
    forecaster.fit(y.iloc[:70], X.iloc[:70])
    with pytest.raises(ValueError, match="needs X"):
        forecaster.predict(fh=[1, 2])
    with pytest.raises(ValueError, match="does not cover"):
        forecaster.predict(fh=[1, 3], X=X.iloc[[70, 72]])
    on = forecaster.predict(fh=[1, 2], X=X.iloc[70:72] * 0 + 1)
    off = forecaster.predict(fh=[1, 2], X=X.iloc[70:72] * 0)
    # the network learned the promotion effect of +2 on the forecast step
    assert (on - off > 1.0).all()


# ------------------------------------------------------------------- update


def _weights(forecaster):
    return [p.detach().clone() for p in forecaster.estimator_.net_.module_.parameters()]


@pytest.mark.parametrize("strategy", ["direct", "recursive"])
def test_update_without_params_moves_cutoff_only(strategy):
    y = make_sine_series(n_timepoints=80, random_state=0)
    forecaster = SktimeRecurrentForecaster(_tiny(), window_length=6, strategy=strategy)
    forecaster.fit(y.iloc[:60], fh=[1, 2])
    before, weights = forecaster.predict(), _weights(forecaster)
    forecaster.update(y.iloc[60:70], update_params=False)
    after = forecaster.predict()
    assert forecaster.cutoff[0] == y.index[69]
    assert after.index[0] == y.index[70]
    assert not np.allclose(before.to_numpy(), after.to_numpy())
    for old, new in zip(weights, _weights(forecaster), strict=True):
        assert (old == new).all()


def test_update_with_params_trains_one_more_epoch():
    y = make_sine_series(n_timepoints=80, random_state=0)
    forecaster = SktimeRecurrentForecaster(_tiny(), window_length=6)
    forecaster.fit(y.iloc[:60], fh=[1, 2])
    weights = _weights(forecaster)
    epochs = len(forecaster.estimator_.history_)
    forecaster.update(y.iloc[60:70], update_params=True)
    assert len(forecaster.estimator_.history_) == epochs + 1
    changed = [
        not (a == b).all() for a, b in zip(weights, _weights(forecaster), strict=True)
    ]
    assert any(changed)


# ---------------------------------------------------- learning and intervals


def _noisy_sine(n=400):
    return make_sine_series(n_timepoints=n, period=20.0, noise=0.2, random_state=0)


def _learner():
    return LSTMForecaster(
        hidden_size=16, max_epochs=40, lr=0.01, batch_size=32, random_state=0
    )


def test_direct_lstm_beats_naive_last_on_noisy_sine():
    y = _noisy_sine(300)
    train, test = y.iloc[:280], y.iloc[280:]
    fh = ForecastingHorizon(test.index, is_relative=False)
    lstm = SktimeRecurrentForecaster(_learner(), window_length=20).fit(train, fh=fh)
    naive = NaiveForecaster(strategy="last").fit(train, fh=fh)
    lstm_mae = mean_absolute_error(test, lstm.predict())
    naive_mae = mean_absolute_error(test, naive.predict())
    assert lstm_mae < 0.6 * naive_mae


def test_conformal_intervals_cover_a_backtest():
    y = _noisy_sine(400)
    H = 10
    forecaster = SktimeRecurrentForecaster(_learner(), window_length=20)
    forecaster.fit(y.iloc[:300], fh=range(1, H + 1))
    hits, widths = [], []
    for start in range(300, 400, H):
        interval = forecaster.predict_interval(coverage=0.9)
        truth = y.iloc[start : start + H].to_numpy()
        lower, upper = interval.iloc[:, 0].to_numpy(), interval.iloc[:, 1].to_numpy()
        hits.append((lower <= truth) & (truth <= upper))
        widths.append(upper - lower)
        forecaster.update(y.iloc[start : start + H], update_params=False)
    coverage = np.mean(hits)
    print(f"empirical coverage of 90% intervals: {coverage:.3f} on {np.size(hits)}")
    assert 0.8 <= coverage <= 1.0
    # informative, not trivially wide: the sine's range is 2.0, the noise sd 0.2
    assert np.mean(widths) < 1.2
    quantiles = forecaster.predict_quantiles(alpha=[0.05, 0.5, 0.95])
    np.testing.assert_allclose(quantiles.iloc[:, 1], forecaster.predict())
    assert (quantiles.iloc[:, 0] < quantiles.iloc[:, 2]).all()


def test_recursive_intervals_need_calibrated_horizon():
    y = make_sine_series(n_timepoints=100, random_state=0)
    forecaster = SktimeRecurrentForecaster(
        _tiny(), window_length=5, strategy="recursive"
    )
    forecaster.fit(y)  # no fh: calibrated up to window_length steps
    assert forecaster.predict_interval(fh=[1, 5]).shape == (2, 2)
    with pytest.raises(ValueError, match="calibrated up to horizon 5"):
        forecaster.predict_interval(fh=[6])


@pytest.fixture(scope="module")
def one_step():
    # 30 points, windows of 5: the last ceil(0.2 x 25) = 5 calibrate step 1
    y = make_sine_series(n_timepoints=30, random_state=0)
    forecaster = SktimeRecurrentForecaster(_tiny(), window_length=5).fit(y, fh=[1])
    assert np.sum(~np.isnan(forecaster.residuals_)) == 5
    return forecaster


def _calibration_warnings(forecaster, **kwargs):
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        forecaster.predict_interval(**kwargs)
    return [w for w in caught if "calibration residuals" in str(w.message)]


def test_too_few_calibration_residuals_warn_with_the_count_and_remedies(one_step):
    # 5 residuals support coverage up to 5 / 6: 80 % holds, 90 % does not
    assert _calibration_warnings(one_step, coverage=0.8) == []
    (warning,) = _calibration_warnings(one_step, coverage=[0.8, 0.9])
    message = str(warning.message)
    assert warning.category is UserWarning
    assert warning.filename == __file__  # points at the caller's line
    assert message.startswith(
        "Too few calibration residuals for 90% prediction intervals: horizon "
        "step 1 has as few as 5 (n residuals support coverage up to n / (n + 1): "
        "83.3% here), and 90% needs 9 per step."
    )
    for remedy in ["longer series", "calibration_fraction (now 0.2)", "lower coverage"]:
        assert remedy in message


@pytest.mark.parametrize(
    "coverage, n, warns",
    [
        (0.5, 1, False),
        (0.8, 3, True),
        (0.8, 4, False),
        (0.9, 8, True),
        (0.9, 9, False),
        (0.95, 18, True),
        (0.95, 19, False),
    ],
)
def test_calibration_warning_fires_exactly_below_the_needed_count(
    one_step, coverage, n, warns
):
    # n residuals: the conformal quantile level ceil((n + 1) c) / n exceeds 1,
    # and the largest residual is used, exactly when n < c / (1 - c)
    forecaster = copy.deepcopy(one_step)
    forecaster.residuals_ = np.r_[np.linspace(0.1, 1.0, n), [np.nan] * 3][:, None]
    caught = _calibration_warnings(forecaster, coverage=coverage)
    assert len(caught) == int(warns)
    if warns:
        assert f"as few as {n} (" in str(caught[0].message)


def test_evaluate_scores_each_fold_like_a_fit_and_predict_by_hand():
    y = load_airline().iloc[:96]
    cv = ExpandingWindowSplitter(fh=[1, 2, 3], initial_window=72, step_length=12)
    forecaster = SktimeRecurrentForecaster(
        _tiny(), window_length=12, calibration_fraction=0, random_state=0
    )
    results = evaluate(forecaster, cv, y, scoring=MeanAbsoluteError())
    assert len(results) == 2
    for (train, test), score in zip(
        cv.split(y), results["test_MeanAbsoluteError"], strict=True
    ):
        by_hand = forecaster.clone().fit(y.iloc[train], fh=[1, 2, 3]).predict()
        expected = np.mean(np.abs(by_hand.to_numpy() - y.iloc[test].to_numpy()))
        assert score == pytest.approx(expected, rel=1e-9)


# ------------------------------------------------ logs, seasons, window length


def _monthly(n=96, seed=0):
    """Positive series with a trend and a multiplicative yearly season."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    season = 1 + 0.3 * np.sin(2 * np.pi * t / 12)
    values = 100 * np.exp(0.01 * t) * season * np.exp(0.01 * rng.normal(size=n))
    return pd.Series(values, index=pd.period_range("2000-01", periods=n, freq="M"))


def test_default_window_is_sized_from_season_and_horizon():
    y = _monthly()
    tiny = dict(estimator=_tiny(), calibration_fraction=0)
    f = SktimeRecurrentForecaster(sp=12, strategy="recursive", **tiny).fit(
        y, fh=np.arange(1, 19)
    )
    assert f.window_length_ == 15  # 1.25 x max(12, 1): a one-step network
    f = SktimeRecurrentForecaster(sp=12, strategy="direct", **tiny)
    assert f.fit(y, fh=np.arange(1, 19)).window_length_ == 23  # 1.25 x max(12, 18)
    f = SktimeRecurrentForecaster(strategy="direct", **tiny)
    assert f.fit(y, fh=np.arange(1, 25)).window_length_ == 30  # 1.25 x max(1, 24)
    f = SktimeRecurrentForecaster(sp=1, **tiny).fit(y, fh=[1])
    assert f.window_length_ == 8  # at least 8
    assert (
        SktimeRecurrentForecaster(window_length=5, **tiny).fit(y, fh=[1]).window_length_
        == 5
    )


def test_logs_and_season_are_removed_before_windowing_and_put_back():
    y = _monthly()
    model = SktimeRecurrentForecaster(_tiny(), sp=12, calibration_fraction=0)
    model.fit(y, fh=np.arange(1, 13))
    assert model.log_ and model.deseasonalizers_[0] is not None
    pred = model.predict()
    assert (pred > 0).all()
    # The season comes back on the forecasts: peaks where the truth peaks.
    future = _monthly(n=108).iloc[96:]
    assert np.corrcoef(pred, future)[0, 1] > 0.8
    plain = SktimeRecurrentForecaster(
        _tiny(), sp=12, log=False, deseasonalize=False, calibration_fraction=0
    ).fit(y, fh=np.arange(1, 13))
    assert not plain.log_ and plain.deseasonalizers_ == [None]


def test_auto_transforms_leave_what_does_not_qualify():
    # Non-positive values: no logs; no seasonality at lag sp: no deseasonalizing.
    y = pd.Series(np.random.default_rng(0).normal(size=80))
    model = SktimeRecurrentForecaster(_tiny(), sp=7, calibration_fraction=0)
    model.fit(y, fh=[1, 2])
    assert not model.log_ and model.deseasonalizers_ == [None]
    with pytest.raises(ValueError, match="log=True needs strictly positive"):
        SktimeRecurrentForecaster(_tiny(), log=True).fit(y, fh=[1])
    with pytest.raises(ValueError, match="sp must be a positive integer"):
        SktimeRecurrentForecaster(_tiny(), sp=0).fit(y, fh=[1])
    with pytest.raises(ValueError, match="deseasonalize must be 'auto', 'both', True"):
        SktimeRecurrentForecaster(_tiny(), deseasonalize="yes").fit(y, fh=[1])


def _monthly_panel(lengths=(96, 90, 84)):
    frames = {f"s{i}": _monthly(n, seed=i).to_frame("y") for i, n in enumerate(lengths)}
    return pd.concat(frames, names=["series", "time"])


def test_a_seasonal_panel_averages_a_deseasonalized_and_a_raw_network():
    y = _monthly_panel()
    model = SktimeRecurrentForecaster(_tiny(), calibration_fraction=0.3)
    model.fit(y, fh=[1, 2, 3])
    deseasonalized, raw = model.members_
    assert model.sp_ == 12 and deseasonalized.sp == raw.sp == 12
    assert all(d is not None for d in deseasonalized.deseasonalizers_)
    assert raw.deseasonalizers_ == [None, None, None]
    # two different networks, and the forecast is their mean
    pred = model.predict()
    first, second = deseasonalized.predict(), raw.predict()
    assert not np.allclose(first, second)
    np.testing.assert_allclose(pred, (first + second) / 2)
    quantiles = model.predict_quantiles(alpha=[0.1, 0.9])
    np.testing.assert_allclose(
        quantiles,
        (
            deseasonalized.predict_quantiles(alpha=[0.1, 0.9])
            + raw.predict_quantiles(alpha=[0.1, 0.9])
        )
        / 2,
    )
    # update moves both members to the new cutoff
    new = _monthly_panel(lengths=(97, 91, 85)).groupby(level="series").tail(1)
    model.update(new, update_params=False)
    after = model.predict()
    times, times_after = (p.index.get_level_values("time") for p in (pred, after))
    assert (times_after == times + 1).all()
    np.testing.assert_allclose(after, (deseasonalized.predict() + raw.predict()) / 2)


def test_the_two_networks_warn_once_not_once_each():
    model = SktimeRecurrentForecaster(_tiny(), calibration_fraction=0.3)
    model.fit(_monthly_panel(), fh=[1, 2])
    assert model.members_ is not None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.predict_interval(coverage=[0.5, 0.999])
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1 and "Too few calibration residuals" in messages[0]
    # the caller's filters still apply: an error filter raises
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UserWarning, match="Too few calibration residuals"):
            model.predict_interval(coverage=0.999)


@pytest.mark.parametrize(
    "deseasonalize, y, blends",
    [
        ("auto", "single", False),  # one series: the seasonality test instead
        ("both", "single", True),
        (True, "panel", False),
        ("both", "panel_sp1", False),  # no season to remove
        ("auto", "short_panel", False),  # no series with two seasons
    ],
)
def test_when_the_two_networks_are_averaged(deseasonalize, y, blends):
    data = {
        "single": _monthly(),
        "panel": _monthly_panel(),
        "panel_sp1": _monthly_panel(),
        "short_panel": _monthly_panel(lengths=(20, 22)),
    }[y]
    sp = 1 if y == "panel_sp1" else None
    model = SktimeRecurrentForecaster(
        _tiny(), deseasonalize=deseasonalize, sp=sp, calibration_fraction=0
    )
    model.fit(data, fh=[1, 2])
    assert (model.members_ is not None) == blends
    assert model.predict().notna().all().all()


def test_a_short_series_takes_its_intervals_from_the_others():
    # 18 months leave no calibration windows after a window of 15 (sp 12)
    y = _monthly_panel(lengths=(72, 84, 18))
    model = SktimeRecurrentForecaster(
        _tiny(), deseasonalize=False, strategy="recursive"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        model.fit(y, fh=[1, 2, 3])
    # residuals of the two long series only: ceil(0.2 * windows) each
    held = [int(np.ceil(0.2 * (n - 15 - 1 + 1))) for n in (72, 84)]
    assert model.residuals_.shape == (sum(held), 3)
    bounds = model.predict_interval(coverage=0.8)
    assert len(bounds) == 9 and np.isfinite(bounds.to_numpy()).all()
    # with no series long enough there is nothing to calibrate on
    tiny = _monthly_panel(lengths=(18, 17))
    with pytest.warns(UserWarning, match="too short to hold out calibration windows"):
        model = SktimeRecurrentForecaster(_tiny(), deseasonalize=False).fit(
            tiny, fh=[1, 2, 3]
        )
    with pytest.raises(ValueError, match="no calibration residuals"):
        model.predict_interval(coverage=0.8)


def test_deseasonalize_true_leaves_a_panels_short_series_as_they_are():
    y = _monthly_panel(lengths=(96, 20))  # 20 months: under two seasons
    model = SktimeRecurrentForecaster(
        _tiny(), deseasonalize=True, calibration_fraction=0
    )
    model.fit(y, fh=[1])
    assert model.deseasonalizers_[0] is not None and model.deseasonalizers_[1] is None
    with pytest.raises(ValueError, match="needs two seasons"):
        SktimeRecurrentForecaster(_tiny(), deseasonalize=True).fit(_monthly(20), fh=[1])


def test_update_transforms_new_points_like_fit():
    y = _monthly()
    model = SktimeRecurrentForecaster(_tiny(), sp=12, calibration_fraction=0)
    model.fit(y.iloc[:84], fh=np.arange(1, 7))
    model.update(y.iloc[84:], update_params=False)
    # The new points are logged and deseasonalized at their own positions in
    # the season, with the transforms and statistics of fit.
    t = to_model_space(y.to_numpy(), 0, model.deseasonalizers_[0], model.log_)
    expected = (t - model.y_mean_[0]) / model.y_scale_[0]
    np.testing.assert_allclose(model._z_tail[0][-12:], expected[-12:])
    pred = model.predict()
    assert pred.index[0] == y.index[-1] + 1 and (pred > 0).all()
    with pytest.raises(ValueError, match="update got values <= 0"):
        model.update(pd.Series([-1.0], index=[y.index[-1] + 1]), update_params=False)


def test_intervals_map_back_through_the_transforms():
    y = _monthly(n=120)
    model = SktimeRecurrentForecaster(_tiny(), sp=12).fit(y, fh=np.arange(1, 7))
    point = model.predict()
    bounds = model.predict_interval(coverage=0.9)
    lower, upper = bounds.iloc[:, 0].to_numpy(), bounds.iloc[:, 1].to_numpy()
    assert (lower < point.to_numpy()).all() and (point.to_numpy() < upper).all()
    assert (lower > 0).all()  # a band in logs stays positive


def test_sp_is_inferred_from_the_time_index():
    from skrnn.sktime import infer_sp

    tiny = dict(estimator=_tiny(), calibration_fraction=0)
    monthly = _monthly()
    f = SktimeRecurrentForecaster(**tiny).fit(monthly, fh=[1, 2])
    assert f.sp_ == 12 and f.window_length_ == 15
    assert f.deseasonalizers_[0] is not None
    # integer positions: the season is found in the values (detect_sp)
    numbered = monthly.reset_index(drop=True)
    assert SktimeRecurrentForecaster(**tiny).fit(numbered, fh=[1]).sp_ == 12
    walk = pd.Series(np.cumsum(np.random.default_rng(0).normal(size=96)))
    tiny["random_walk"] = False
    assert SktimeRecurrentForecaster(**tiny).fit(walk, fh=[1]).sp_ == 1
    assert SktimeRecurrentForecaster(sp=4, **tiny).fit(monthly, fh=[1]).sp_ == 4
    days = pd.date_range("2020-01-01", periods=30, freq="D")
    assert infer_sp(days) == 7 and infer_sp(days[[0, 1, 5, 9]]) == 1
    assert infer_sp(pd.period_range("2000Q1", periods=8, freq="Q")) == 4
    # a series or frame stands for its index
    assert infer_sp(pd.Series(0.0, index=days)) == infer_sp(days.to_frame()) == 7
    assert infer_sp(pd.date_range("2000-01-01", periods=12, freq="2MS")) == 6
    # 15 to 59 minutes: the day (48 half-hours); finer steps: none
    for freq, period in (("30min", 48), ("15min", 96), ("5min", 1), ("7min", 1)):
        assert infer_sp(pd.date_range("2000-06-05", periods=9, freq=freq)) == period


def test_panel_series_too_short_for_a_target_are_forecast_globally():
    y = make_panel(n_series=3, n_timepoints=60, random_state=0)
    short = pd.Series(
        [49.0, 50.0, 51.0, 50.0],
        index=pd.MultiIndex.from_product(
            [["short"], y.loc["s0"].index[-4:]], names=y.index.names
        ),
    )
    panel = pd.concat([y, short]).to_frame("y")
    forecaster = SktimeRecurrentForecaster(
        _tiny(), strategy="direct", window_length=10, calibration_fraction=0
    )
    with pytest.warns(UserWarning, match="1 of 4 series .*fewer than 9 time points"):
        forecaster.fit(panel, fh=range(1, 9))
    pred = forecaster.predict()["y"]
    assert pred.shape == (32,) and np.isfinite(pred).all()
    # the window's level carries the short series' forecasts to its own level
    assert np.abs(pred.loc["short"].to_numpy() - 50).max() < 5
    with pytest.raises(ValueError, match="4 time points.*at least 9 to train"):
        forecaster.fit(short.droplevel(0), fh=range(1, 9))


def test_log_changes_reach_a_global_network_unscaled():
    # Two positive series end on the same 12 log-changes; one climbed steeply
    # before, which inflates its spread. In logs both windows are the same
    # relative path, so the global network must forecast the same relative
    # change for both (dividing by each series' spread would tell them apart).
    rng = np.random.default_rng(0)
    tail = np.cumsum(rng.normal(0, 0.02, 40))
    flat = np.exp(tail)
    steep = np.exp(np.concatenate([np.linspace(-3, 0, 40), tail + 0.05]))
    times = pd.RangeIndex(80)
    panel = pd.concat(
        {
            "flat": pd.Series(flat, index=times[-40:]),
            "steep": pd.Series(steep, index=times),
        },
        names=["series", "time"],
    ).to_frame("y")
    forecaster = SktimeRecurrentForecaster(
        _tiny(), sp=1, window_length=12, calibration_fraction=0
    )
    pred = forecaster.fit(panel, fh=[1, 2]).predict()["y"]
    assert forecaster.log_ and (forecaster.y_scale_ == 1).all()
    np.testing.assert_allclose(
        pred.loc["flat"].to_numpy() / flat[-1],
        pred.loc["steep"].to_numpy() / steep[-1],
        rtol=1e-5,
    )


# ------------------------------------------------------------- random walks


@pytest.mark.parametrize("strategy", ["recursive", "direct"])
def test_a_random_walk_is_forecast_by_its_last_value(strategy):
    y = _random_walk()
    model = SktimeRecurrentForecaster(_tiny(), strategy=strategy)
    with pytest.warns(UserWarning, match="random walk without drift"):
        model.fit(y, fh=[1, 2, 5])
    assert model.random_walk_
    np.testing.assert_allclose(model.predict().to_numpy(), y.iloc[-1], rtol=1e-12)
    # calibrated on the last value's own errors: wider further ahead
    bounds = model.predict_interval(coverage=0.8).to_numpy()
    width = bounds[:, 1] - bounds[:, 0]
    assert (width > 0).all() and width[0] < width[2]
    # update moves the origin; the last value moves with it
    new = pd.Series([120.0], index=[len(y)])
    model.update(new)
    np.testing.assert_allclose(model.predict().to_numpy(), 120.0, rtol=1e-12)


@pytest.mark.skipif(torch.cuda.is_available(), reason="a CUDA device is present")
@pytest.mark.parametrize("random_walk", ["auto", False])
def test_an_unusable_device_is_refused_also_when_no_network_is_trained(random_walk):
    # "auto" finds a random walk and trains no network: the device is checked
    # all the same, so that the same fit does not pass or fail with the data
    with warnings.catch_warnings():
        warnings.filterwarnings("error", "y looks like a random walk")
        with pytest.raises(ValueError) as info:
            SktimeRecurrentForecaster(
                _tiny(device="cuda"), random_walk=random_walk
            ).fit(_random_walk(), fh=[1])
    message = str(info.value)
    assert message.startswith("device='cuda', but this PyTorch")
    assert "built without CUDA support. Use device='cpu'" in message


def test_random_walk_test_leaves_what_does_not_qualify():
    def fit(y, X=None, **params):
        with warnings.catch_warnings():
            warnings.filterwarnings("error", "y looks like a random walk")
            model = SktimeRecurrentForecaster(_tiny(), calibration_fraction=0, **params)
            return model.fit(y, X=X, fh=[1])

    walk = _random_walk()
    assert not fit(_random_walk(drift=0.005)).random_walk_  # a drift to learn
    assert not fit(_random_walk(ar=0.5)).random_walk_  # a pattern to learn
    assert not fit(walk, random_walk=False).random_walk_
    X = pd.DataFrame({"x": np.arange(len(walk), dtype=float)})
    assert not fit(walk, X=X).random_walk_  # X may carry what y does not
    panel = pd.concat({"a": walk, "b": _random_walk(seed=1)}, names=["series", "t"])
    assert not fit(panel.to_frame("y")).random_walk_  # the global network learns
    # the networks are trained in every case
    assert isinstance(fit(walk, random_walk=False).estimator_, LSTMForecaster)
    with pytest.raises(ValueError, match="random_walk must be 'auto' or False"):
        fit(walk, random_walk=True)


def test_strategy_auto_keeps_the_strategy_with_the_smaller_held_out_error():
    y = _monthly(n=120).reset_index(drop=True)
    tiny = dict(estimator=_tiny(), deseasonalize=False)
    model = SktimeRecurrentForecaster(**tiny).fit(y, fh=np.arange(1, 7))
    errors = model.strategy_errors_
    assert set(errors) == {"recursive", "direct"}
    assert np.isfinite(list(errors.values())).all()
    assert model.strategy_ == min(errors, key=errors.get)
    assert model.n_horizons_ == (6 if model.strategy_ == "direct" else 1)
    assert model.residuals_.shape[1] == 6  # calibrated under the kept strategy
    assert model.predict().shape == (6,)
    # without calibration the comparison still runs, and no intervals remain
    bare = SktimeRecurrentForecaster(calibration_fraction=0, **tiny)
    bare.fit(y, fh=np.arange(1, 7))
    assert set(bare.strategy_errors_) == {"recursive", "direct"}
    assert bare.calibrator_ is None and bare.residuals_ is None


def test_strategy_auto_without_a_multi_step_fh_and_an_explicit_strategy():
    y = _monthly(n=120)
    tiny = dict(estimator=_tiny(), deseasonalize=False, calibration_fraction=0)
    one_step = SktimeRecurrentForecaster(**tiny).fit(y, fh=[1])
    assert one_step.strategy_ == "recursive" and one_step.strategy_errors_ is None
    later = SktimeRecurrentForecaster(**tiny).fit(y)  # fh only in predict
    assert later.strategy_ == "recursive"
    # too short for the held-out split to hold two horizons: 0.2 x (48 - 15
    # - 6 + 1) windows < 12, so no comparison
    short = SktimeRecurrentForecaster(**tiny).fit(y.iloc[:48], fh=np.arange(1, 7))
    assert short.strategy_ == "recursive" and short.strategy_errors_ is None
    assert later.predict(fh=[1, 2, 3]).shape == (3,)
    for strategy in ("recursive", "direct"):  # a setting given is never overridden
        model = SktimeRecurrentForecaster(strategy=strategy, **tiny)
        model.fit(y, fh=np.arange(1, 7))
        assert model.strategy_ == strategy and model.strategy_errors_ is None
    with pytest.raises(ValueError, match="strategy must be 'auto', 'direct' or"):
        SktimeRecurrentForecaster(strategy="mimo", **tiny).fit(y, fh=[1, 2])


def test_a_seasonal_panel_records_what_its_two_networks_chose():
    y = _monthly_panel()
    model = SktimeRecurrentForecaster(_tiny(), calibration_fraction=0)
    model.fit(y, fh=np.arange(1, 7))
    chosen = {member.strategy_ for member in model.members_}
    assert model.strategy_ == (chosen.pop() if len(chosen) == 1 else "mixed")


def test_forecasts_far_outside_the_history_are_clipped_with_a_warning():
    y = pd.Series(np.linspace(10.0, 20.0, 40))
    forecaster = SktimeRecurrentForecaster(
        LSTMForecaster(hidden_size=4, max_epochs=2, random_state=0),
        window_length=5,
        log=True,
    ).fit(y, fh=[1, 2])
    # the range 10..20 widened by its width on each side
    np.testing.assert_allclose(forecaster.y_bounds_, [[0.0, 30.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sane = forecaster.predict()
    assert ((sane > 0) & (sane < 30)).all()
    # a network gone wrong: its forecasts are e^1000 times too large
    forecaster.estimator_.y_mean_ = forecaster.estimator_.y_mean_ + 1000
    with pytest.warns(UserWarning, match="reached y_bounds_ and were clipped"):
        wild = forecaster.predict()
    np.testing.assert_array_equal(wild, [30.0, 30.0])
    # a new observation beyond the bounds widens them
    forecaster.update(pd.Series([45.0], index=[40]), update_params=False)
    np.testing.assert_allclose(forecaster.y_bounds_, [[0.0, 45.0]])


def test_window_norm_keeps_the_level_of_mean_reverting_series_only():
    rng = np.random.default_rng(0)
    fast = LSTMForecaster(hidden_size=4, max_epochs=1, random_state=0)

    def panel(make):
        frames = {f"s{i}": pd.Series(make(120)) for i in range(6)}
        return pd.concat(frames, names=["series", "time"]).to_frame("y")

    def ar(n):
        x = np.zeros(n)
        for t in range(1, n):
            x[t] = 0.7 * x[t - 1] + rng.standard_normal()
        return x

    def walk(n):
        return 50 + rng.standard_normal(n).cumsum()

    face = SktimeRecurrentForecaster(fast, window_length=6, sp=1)
    assert face.fit(panel(ar), fh=[1]).window_norm_ is None
    assert face.fit(panel(walk), fh=[1]).window_norm_ == "last"
    # the user's explicit choice stands
    mine = SktimeRecurrentForecaster(
        clone(fast).set_params(window_norm="last"), window_length=6, sp=1
    )
    assert mine.fit(panel(ar), fh=[1]).window_norm_ == "last"


def test_naive_weight_one_forecasts_the_seasonal_naive_forecast():
    # logs, deseasonalization and scaling are pointwise with a periodic
    # seasonal part, so the mix in model space is sktime's seasonal naive
    for y in (_monthly(), _monthly_panel()):
        fh = np.arange(1, 15)  # beyond one season
        model = SktimeRecurrentForecaster(_tiny(), naive_weight=1).fit(y, fh=fh)
        naive = NaiveForecaster(strategy="last", sp=12).fit(y, fh=fh).predict()
        np.testing.assert_allclose(model.predict(), naive, rtol=1e-9)
        assert model.naive_weight_ == 1.0
        # the intervals are built around the forecast that is made
        bounds = model.predict_interval(coverage=0.8).to_numpy()
        center = naive.to_numpy().ravel()
        assert (bounds[:, 0] <= center + 1e-9).all()
        assert (bounds[:, 1] >= center - 1e-9).all()


def test_naive_weight_auto_keeps_the_weight_with_the_smallest_held_out_error():
    y = _monthly(n=120)
    model = SktimeRecurrentForecaster(
        _tiny(), deseasonalize=False, naive_weight="auto"
    ).fit(y, fh=np.arange(1, 7))
    errors = model.naive_weight_errors_
    assert set(errors) == {0.0, 0.25, 0.5, 0.75, 1.0}
    assert model.naive_weight_ == min(errors, key=errors.get)
    # the residuals that calibrate the intervals are the kept mix's
    # (scored per horizon step: every step's mean error counts once)
    per_step = np.nanmean(model.residuals_, axis=0)
    assert per_step.mean() == pytest.approx(errors[model.naive_weight_])
    # a network half a unit above every held-out point and a naive forecast
    # half a unit below: their even mix is exact
    truth = np.arange(12.0).reshape(4, 3)
    weight, errors, _ = weigh_naive(HeldOut(truth + 0.5, truth - 0.5, truth), "auto")
    assert weight == 0.5 and errors[0.5] == 0


def test_naive_weight_given_is_kept_and_bad_values_are_refused():
    y = _monthly()
    # the default is the network alone
    default = SktimeRecurrentForecaster(_tiny()).fit(y, fh=[1, 2])
    assert default.naive_weight_ == 0 and default.naive_weight_errors_ is None
    for weight in (0, 0.3):
        model = SktimeRecurrentForecaster(
            _tiny(), naive_weight=weight, calibration_fraction=0
        ).fit(y, fh=[1, 2])
        assert model.naive_weight_ == weight and model.naive_weight_errors_ is None
    network = SktimeRecurrentForecaster(_tiny(), naive_weight=0).fit(y, fh=[1, 2])
    mixed = SktimeRecurrentForecaster(_tiny(), naive_weight=0.3).fit(y, fh=[1, 2])
    naive = NaiveForecaster(strategy="last", sp=12).fit(y, fh=[1, 2]).predict()
    # in logs the mix is geometric: log forecast = 0.7 log network + 0.3 log naive
    np.testing.assert_allclose(
        np.log(mixed.predict()), 0.7 * np.log(network.predict()) + 0.3 * np.log(naive)
    )
    for bad in (-0.1, 1.5, True, "naive"):
        with pytest.raises(ValueError, match="naive_weight must be 'auto' or a"):
            SktimeRecurrentForecaster(_tiny(), naive_weight=bad).fit(y, fh=[1])
