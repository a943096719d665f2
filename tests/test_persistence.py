import os
import pickle
import sys

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import TransformedTargetRegressor, make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from skorch.callbacks import Callback

from skrnn import (
    GRUForecaster,
    LagWindowTransformer,
    LSTMForecaster,
    MovingAverageTransformer,
    RecurrentImputer,
    SimpleRNNForecaster,
    make_supervised,
)
from skrnn.persistence import load, save
from skrnn.persistence._format import checksum
from tests.conftest import FAST

TINY = {**FAST, "hidden_size": 4, "max_epochs": 2}
NO_CUDA = not torch.cuda.is_available()


# ------------------------------------------------------------ single forecaster


@pytest.mark.parametrize(
    "model, kind",
    [
        (LSTMForecaster(**FAST), "last"),
        (GRUForecaster(**FAST, output="sequence", dtype="float64"), "sequence"),
        (SimpleRNNForecaster(**FAST, optimizer=torch.optim.SGD, lr=0.01), "last"),
        (GRUForecaster(**FAST, window_norm="last+level"), "last"),
    ],
    ids=["lstm", "gru-sequence-float64", "rnn-sgd-class", "gru-last-plus-level"],
)
def test_save_load_round_trips_predictions_exactly(model, kind, windows, tmp_path):
    X, y = windows
    if kind == "sequence":
        X = LagWindowTransformer(window_length=6).fit_transform(
            y[:, None]
        )  # leading NaN
        y = np.nan_to_num(X[..., 0])
    model.fit(X, y)
    path = tmp_path / "model.skrnn"
    save(model, path)
    restored = load(path)
    assert type(restored) is type(model)
    np.testing.assert_array_equal(restored.predict(X), model.predict(X))
    assert restored.get_params() == model.get_params()
    assert restored.history_[:, "train_loss"] == model.history_[:, "train_loss"]
    restored.partial_fit(X, y)  # optimizer state came back too
    assert len(restored.history_) == len(model.history_) + 1


@pytest.mark.parametrize(
    "model",
    [
        LSTMForecaster(**FAST, loss="pinball", quantiles=(0.1, 0.5, 0.9)),
        GRUForecaster(
            **FAST, loss="pinball", quantiles=[0.9, 0.1, 0.5], ensemble_size=2
        ),
    ],
    ids=["lstm", "gru-ensemble"],
)
def test_save_load_keeps_the_quantile_head(model, windows, tmp_path):
    X, y = windows
    model.fit(X, y)
    save(model, tmp_path / "model.skrnn")
    restored = load(tmp_path / "model.skrnn")
    # a tuple comes back as a list, like every sequence parameter
    assert list(restored.quantiles) == list(model.quantiles)
    np.testing.assert_array_equal(restored.quantiles_, model.quantiles_)
    np.testing.assert_array_equal(
        restored.predict_quantiles(X), model.predict_quantiles(X)
    )
    np.testing.assert_array_equal(
        restored.predict_interval(X, coverage=0.8), model.predict_interval(X, 0.8)
    )
    restored.partial_fit(X, y)  # the criterion is the pinball loss again
    assert restored.net_.criterion_.quantiles == list(model.quantiles_)


def test_save_keeps_feature_names(prices, tmp_path):
    X, y = make_supervised(prices[["Close", "Open"]], "Close")
    lags = LagWindowTransformer(window_length=3, flatten=True).set_output(
        transform="pandas"
    )
    X = lags.fit_transform(X).iloc[2:]  # "{column}_lag{k}" columns, no NaN rows
    model = LSTMForecaster(**FAST, n_features_per_step=2).fit(X, np.asarray(y)[2:])
    save(model, tmp_path / "m.skrnn")
    restored = load(tmp_path / "m.skrnn")
    assert list(restored.feature_names_in_) == list(X.columns)
    np.testing.assert_array_equal(restored.predict(X), model.predict(X))


# ------------------------------------------------------------------- pipelines


def _close_and_open(prices):
    X, y = make_supervised(prices[["Close", "Open"]], "Close")
    return X, np.asarray(y)


PIPELINES = {
    "lags-scaler-ridge": lambda: make_pipeline(
        MovingAverageTransformer(windows=(3, 5), columns=["Close"]),
        LagWindowTransformer(window_length=3, flatten=True),
        StandardScaler(),
        SimpleImputer(),
        Ridge(),
    ),
    "moving-average-lstm": lambda: make_pipeline(
        MovingAverageTransformer(windows=(3,), columns=["Close"]),
        LagWindowTransformer(window_length=5),
        LSTMForecaster(**TINY),
    ),
    "target-transform": lambda: TransformedTargetRegressor(
        make_pipeline(LagWindowTransformer(window_length=5), GRUForecaster(**TINY)),
        func=np.log,
        inverse_func=np.exp,
    ),
    "column-transformer": lambda: make_pipeline(
        make_column_transformer(
            (LagWindowTransformer(window_length=4, flatten=True), ["Close"]),
            (StandardScaler(), ["Open"]),
        ),
        SimpleImputer(),
        Ridge(),
    ),
    "imputer-in-pipeline": lambda: make_pipeline(
        RecurrentImputer(window_length=4, **TINY),
        LagWindowTransformer(window_length=4),
        SimpleRNNForecaster(**TINY),
    ),
}


@pytest.mark.parametrize("name", PIPELINES)
def test_pipelines_round_trip_predictions_exactly(name, prices, tmp_path):
    X, y = _close_and_open(prices)
    if name == "imputer-in-pipeline":
        X = X.copy()
        X.iloc[[40, 41, 90], 1] = np.nan
    pipe = PIPELINES[name]().fit(X, y)
    steps_before = [id(step) for step in pipe.get_params().values()]
    path = tmp_path / "pipe.skrnn"
    save(pipe, path)
    # the caller's pipeline is left as it was
    assert [id(step) for step in pipe.get_params().values()] == steps_before
    restored = load(path)
    assert type(restored) is type(pipe)
    assert repr(restored) == repr(pipe)
    np.testing.assert_array_equal(restored.predict(X), pipe.predict(X))


def test_forecasters_in_a_pipeline_are_skrnn_files_inside(prices, tmp_path):
    X, y = _close_and_open(prices)
    pipe = PIPELINES["target-transform"]().fit(X, y)
    save(pipe, tmp_path / "pipe.skrnn")
    payload = torch.load(tmp_path / "pipe.skrnn", weights_only=True)
    # the fitted network and the unfitted template (regressor), no pickle of them
    assert [m["estimator"] for m in payload["models"]] == ["GRUForecaster"] * 2
    assert sorted("module" in m for m in payload["models"]) == [False, True]
    assert b"torch" not in payload["skops"]
    restored = load(tmp_path / "pipe.skrnn")
    assert not hasattr(restored.regressor[-1], "net_")
    restored.regressor_[-1].partial_fit(
        restored.regressor_[:-1].transform(X), np.log(y)
    )


def test_recurrent_imputer_round_trips(tmp_path):
    series = np.sin(np.arange(120) / 3)[:, None] + [0.0, 2.0]
    series[[30, 31, 50, 51], [0, 0, 1, 1]] = np.nan
    imputer = RecurrentImputer(
        window_length=6, max_epochs=2, random_state=np.random.RandomState(0)
    ).fit(series)
    save(imputer, tmp_path / "imputer.skrnn")
    restored = load(tmp_path / "imputer.skrnn")
    np.testing.assert_array_equal(restored.transform(series), imputer.transform(series))
    assert restored.random_state is None  # a generator object is not stored
    assert restored.get_params()["window_length"] == 6


# ------------------------------------------------------------------- sktime face


def _round_trip_face(forecaster, path):
    """Save and load a fitted sktime face; its forecasts and intervals agree."""
    save(forecaster, path)
    restored = load(path)
    pd.testing.assert_series_equal(restored.predict(), forecaster.predict())
    pd.testing.assert_frame_equal(
        restored.predict_interval(coverage=0.9),
        forecaster.predict_interval(coverage=0.9),
    )
    return restored


# "auto": sktime's ConditionalDeseasonalizer, which keeps the test it ran
@pytest.mark.parametrize("deseasonalize", [True, "auto"])
def test_sktime_face_round_trips_predictions_intervals_and_update(
    tmp_path, deseasonalize
):
    pytest.importorskip("sktime")
    from sktime.datasets import load_airline

    from skrnn.sktime import SktimeRecurrentForecaster

    y = load_airline()
    forecaster = SktimeRecurrentForecaster(
        LSTMForecaster(**TINY), deseasonalize=deseasonalize
    ).fit(y, fh=[1, 2, 3])
    assert forecaster.deseasonalizers_[0] is not None
    restored = _round_trip_face(forecaster, tmp_path / "face.skrnn")
    new = pd.Series(
        [400.0, 410.0], index=pd.period_range("1961-01", periods=2, freq="M")
    )
    new.name = y.name
    for model in (forecaster, restored):
        model.update(new)  # one more epoch from the restored optimizer state
    pd.testing.assert_series_equal(restored.predict(), forecaster.predict())


def test_sktime_face_on_a_panel_with_exogenous_data(tmp_path):
    pytest.importorskip("sktime")
    from skrnn.datasets import make_panel
    from skrnn.sktime import SktimeRecurrentForecaster

    y = make_panel(n_series=3, n_timepoints=40, random_state=0).to_frame()
    X = 2 * y.rename(columns={"y": "x"})
    forecaster = SktimeRecurrentForecaster(
        GRUForecaster(**TINY), strategy="recursive", window_length=5
    ).fit(y, X=X, fh=[1, 2])
    save(forecaster, tmp_path / "panel.skrnn")
    restored = load(tmp_path / "panel.skrnn")
    future = X.groupby(level=0).tail(2).copy()
    time = future.index.get_level_values(1) + pd.Timedelta(days=2)
    future.index = pd.MultiIndex.from_arrays(
        [future.index.get_level_values(0), time], names=future.index.names
    )
    pd.testing.assert_frame_equal(
        restored.predict(X=future), forecaster.predict(X=future)
    )


# ----------------------------------------------------------- tampering, trust


def test_tampered_file_is_rejected(windows, tmp_path):
    X, y = windows
    path = tmp_path / "model.skrnn"
    save(LSTMForecaster(**FAST).fit(X, y), path)
    for part in ("module", "optimizer"):
        payload = torch.load(path, weights_only=True)
        if part == "module":
            payload["models"][0]["module"]["head.bias"] += 1.0
        else:
            payload["models"][0]["optimizer"]["param_groups"][0]["lr"] *= 2
        torch.save(payload, tmp_path / "tampered.skrnn")
        with pytest.raises(ValueError, match="failed its integrity check"):
            load(tmp_path / "tampered.skrnn")
    data = bytearray(path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = b"\x00" * 64
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="integrity|damaged"):
        load(path)


def test_tampered_pipeline_is_rejected(prices, tmp_path):
    X, y = _close_and_open(prices)
    path = tmp_path / "pipe.skrnn"
    save(PIPELINES["lags-scaler-ridge"]().fit(X, y), path)
    payload = torch.load(path, weights_only=True)
    data = bytearray(payload["skops"])
    data[len(data) // 2] ^= 1
    payload["skops"] = bytes(data)
    torch.save(payload, path)
    with pytest.raises(ValueError, match="failed its integrity check"):
        load(path)


class _Exploit:
    def __reduce__(self):
        return (os.system, (f"touch {_Exploit.sentinel}",))


@pytest.mark.parametrize("writer", ["pickle", "torch.save"])
def test_malicious_file_never_runs_code(tmp_path, writer):
    _Exploit.sentinel = tmp_path / "pwned"
    path = tmp_path / "evil.skrnn"
    if writer == "pickle":
        path.write_bytes(pickle.dumps(_Exploit()))
    else:
        torch.save({"format": "skrnn-model", "x": _Exploit()}, path)
    with pytest.raises(
        ValueError, match="(is a pickle|damaged or altered).* not a skrnn model file"
    ):
        load(path)
    assert not _Exploit.sentinel.exists()


def test_a_file_naming_another_type_is_refused_despite_a_valid_checksum(tmp_path):
    series = np.sin(np.arange(60) / 3)[:, None]
    path = tmp_path / "imputer.skrnn"
    save(RecurrentImputer(window_length=4, **TINY).fit(series), path)
    payload = torch.load(path, weights_only=True)
    payload["tree"] = payload["tree"].replace("skrnn.RecurrentImputer", "os.system")
    payload["checksum"] = checksum(payload)  # anyone can do this
    torch.save(payload, path)
    with pytest.raises(ValueError, match="names the type 'os.system'.*builds only"):
        load(path)


class _Shift(TransformerMixin, BaseEstimator):
    """A transformer of the user's own: skops builds it only when trusted."""

    def fit(self, X, y=None):
        self.n_features_in_ = np.shape(X)[1]
        return self

    def transform(self, X):
        return np.asarray(X) + 1.0


def test_untrusted_type_is_refused_until_trusted(prices, tmp_path):
    X, y = _close_and_open(prices)
    pipe = make_pipeline(_Shift(), Ridge()).fit(X, y)
    path = tmp_path / "pipe.skrnn"
    save(pipe, path)
    name = f"{_Shift.__module__}._Shift"
    with pytest.raises(ValueError, match=f"not trusted: \\['{name}'\\].*trusted="):
        load(path)
    np.testing.assert_array_equal(
        load(path, trusted=[_Shift]).predict(X), pipe.predict(X)
    )
    np.testing.assert_array_equal(
        load(path, trusted=[name]).predict(X), pipe.predict(X)
    )
    with pytest.raises(TypeError, match="list of type names"):
        load(path, trusted=name)


def test_a_fitted_search_loads_once_its_splitter_and_scorer_are_trusted(tmp_path):
    x = np.sin(np.arange(150) / 4)[:, None]
    search = GridSearchCV(
        make_pipeline(
            LagWindowTransformer(window_length=5), GRUForecaster(max_epochs=1)
        ),
        {"gruforecaster__hidden_size": [2, 4]},
        cv=TimeSeriesSplit(2),
    ).fit(x, x[:, 0])
    path = tmp_path / "search.skrnn"
    save(search, path)  # the scorer's reference to the estimator is swapped too
    payload = torch.load(path, weights_only=True)
    assert len(payload["models"]) == 2  # the template and the refitted network
    with pytest.raises(ValueError, match="TimeSeriesSplit"):
        load(path)
    trusted = [
        "sklearn.metrics._scorer._PassthroughScorer",
        "sklearn.model_selection._split.TimeSeriesSplit",
    ]
    restored = load(path, trusted=trusted)
    assert restored.best_params_ == search.best_params_
    np.testing.assert_array_equal(restored.predict(x), search.predict(x))


# ---------------------------------------------------------------------- device


def test_device_choice_on_load(prices, tmp_path):
    X, y = _close_and_open(prices)
    pipe = PIPELINES["moving-average-lstm"]().fit(X, y)
    # as if trained on a GPU: the file records device="cuda"
    pipe.set_params(lstmforecaster__device="cuda")
    save(pipe, tmp_path / "pipe.skrnn")
    if NO_CUDA:
        with pytest.raises(ValueError, match="device='cpu'"):
            load(tmp_path / "pipe.skrnn")
    restored = load(tmp_path / "pipe.skrnn", device="cpu")
    assert restored[-1].device == "cpu"
    assert next(restored[-1].net_.module_.parameters()).device.type == "cpu"
    pipe.set_params(lstmforecaster__device="cpu")
    np.testing.assert_array_equal(restored.predict(X), pipe.predict(X))


# --------------------------------------------------- what cannot be saved safely


def test_incompatible_format_version_is_explained(windows, tmp_path):
    X, y = windows
    path = tmp_path / "model.skrnn"
    save(GRUForecaster(**FAST).fit(X, y), path)
    payload = torch.load(path, weights_only=True)
    payload["format_version"] = 99
    torch.save(payload, path)
    with pytest.raises(ValueError, match="format 99.*reads format 2"):
        load(path)
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "missing.skrnn")


def test_save_refuses_what_it_cannot_store_safely(windows, prices, tmp_path):
    X, y = windows
    with pytest.raises(ValueError, match="not fitted yet"):
        save(LSTMForecaster(), tmp_path / "a")
    with pytest.raises(ValueError, match="Pipeline is not fitted yet"):
        save(make_pipeline(LagWindowTransformer(), LSTMForecaster()), tmp_path / "a")
    with pytest.raises(TypeError, match="save\\(\\) stores .*pickle/joblib"):
        save({"model": LSTMForecaster()}, tmp_path / "a")
    model = LSTMForecaster(**FAST, callbacks=[Callback()]).fit(X, y)
    with pytest.raises(ValueError, match="callbacks"):
        save(model, tmp_path / "a")
    Xp, yp = _close_and_open(prices)
    bare = torch.nn.Linear(2, 1)
    pipe = make_pipeline(
        FunctionTransformer(_ignore_kwargs, kw_args={"net": bare}), Ridge()
    )
    pipe.fit(Xp.to_numpy(), yp)
    with pytest.raises(TypeError, match="Linear: networks are stored safely only"):
        save(pipe, tmp_path / "a")

    class Mine(LSTMForecaster):
        pass

    pipe = make_pipeline(LagWindowTransformer(window_length=3), Mine(**TINY)).fit(
        Xp, yp
    )
    with pytest.raises(TypeError, match="net_ is a .*only inside skrnn's own"):
        save(pipe, tmp_path / "a")
    frame = pd.DataFrame({"a": [1.0]})
    pipe = make_pipeline(
        FunctionTransformer(_ignore_kwargs, kw_args={"frame": frame}), Ridge()
    )
    with pytest.raises(TypeError, match="skops cannot store safely"):
        save(pipe.fit(Xp.to_numpy(), yp), tmp_path / "a")
    assert not (tmp_path / "a").exists()


def test_missing_skops_says_how_to_install_it(prices, tmp_path, monkeypatch):
    X, y = _close_and_open(prices)
    pipe = PIPELINES["lags-scaler-ridge"]().fit(X, y)
    save(pipe, tmp_path / "pipe.skrnn")
    monkeypatch.setitem(sys.modules, "skops", None)
    monkeypatch.setitem(sys.modules, "skops.io", None)
    for call in (
        lambda: save(pipe, tmp_path / "b"),
        lambda: load(tmp_path / "pipe.skrnn"),
    ):
        with pytest.raises(ImportError, match="pip install skrnn\\[skops\\]"):
            call()
    # a forecaster alone needs no skops
    model = LSTMForecaster(**TINY).fit(*_windows_of(y))
    save(model, tmp_path / "m.skrnn")
    assert isinstance(load(tmp_path / "m.skrnn"), LSTMForecaster)


def _ignore_kwargs(X, **kwargs):
    return X


def _windows_of(y):
    X = np.lib.stride_tricks.sliding_window_view(y[:-1], 5)
    return X, y[5:]


def test_sktime_face_of_a_random_walk_round_trips(tmp_path):
    pytest.importorskip("sktime")
    from skrnn.sktime import SktimeRecurrentForecaster

    rng = np.random.default_rng(0)
    y = pd.Series(100 * np.exp(np.cumsum(rng.normal(0, 0.01, 300))))
    with pytest.warns(UserWarning, match="random walk without drift"):
        forecaster = SktimeRecurrentForecaster(LSTMForecaster(**TINY)).fit(y, fh=[1, 2])
    assert forecaster.random_walk_
    assert _round_trip_face(forecaster, tmp_path / "walk.skrnn").random_walk_


def test_display_callbacks_are_saved_and_built_back(windows, tmp_path):
    from skorch.callbacks import EpochTimer, PrintLog, ProgressBar

    X, y = windows
    callbacks = [
        ProgressBar(batches_per_epoch="count", postfix_keys=["train_loss"]),
        ("timer", EpochTimer()),
        PrintLog(keys_ignored=["dur"], floatfmt=".2f"),
        ProgressBar,  # a class, as skorch also takes them
    ]
    model = LSTMForecaster(**TINY, callbacks=callbacks).fit(X, y)
    path = tmp_path / "model.skrnn"
    save(model, path)
    restored = load(path)
    np.testing.assert_array_equal(restored.predict(X), model.predict(X))
    bar, (name, timer), log, cls = restored.callbacks
    assert type(bar) is ProgressBar and bar.get_params() == callbacks[0].get_params()
    assert (name, type(timer)) == ("timer", EpochTimer)
    assert type(log) is PrintLog and log.get_params() == callbacks[2].get_params()
    assert cls is ProgressBar
    # still refused: callbacks that may change training or run any code
    mine = type("Bar", (ProgressBar,), {})()  # a subclass may do anything
    for other in [Callback(), PrintLog(sink=lambda text: None), mine]:
        model.set_params(callbacks=[other])
        with pytest.raises(ValueError, match="cannot be saved in the safe format"):
            save(model, tmp_path / "other.skrnn")
    assert not (tmp_path / "other.skrnn").exists()


@pytest.mark.parametrize(
    "entry",
    [
        {"class": "EpochScoring", "params": {"scoring": "r2"}},
        {"class": "PrintLog", "params": {"sink": "os.system"}},
        {"class": "ProgressBar", "params": {"batches_per_epoch": {"x": 1}}},
        {"class": "__builtins__"},
        {"class": "EpochTimer", "params": {"kwargs": 1}},
    ],
    ids=["not-display", "sink", "object-param", "builtins", "var-keyword"],
)
def test_a_file_with_other_callbacks_is_refused(entry, windows, tmp_path):
    import json

    from skorch.callbacks import EpochTimer

    X, y = windows
    path = tmp_path / "model.skrnn"
    save(LSTMForecaster(**TINY, callbacks=[EpochTimer()]).fit(X, y), path)
    payload = torch.load(path, weights_only=True)
    config = json.loads(payload["models"][0]["config"])
    config["params"]["callbacks"] = {"skorch.callbacks": [entry]}
    payload["models"][0]["config"] = json.dumps(config)
    payload["checksum"] = checksum(payload)  # anyone can do this
    torch.save(payload, path)
    with pytest.raises(ValueError, match="callback the safe format never writes"):
        load(path)
