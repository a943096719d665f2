import base64
import os
import pickle
import sys
import zlib

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
    persistence,
)
from skrnn.persistence import load, save

FAST = dict(hidden_size=8, max_epochs=3, random_state=0)
TINY = dict(hidden_size=4, max_epochs=2, random_state=0)
NO_CUDA = not torch.cuda.is_available()


# ------------------------------------------------------------ single forecaster


@pytest.mark.parametrize(
    "model, kind",
    [
        (LSTMForecaster(**FAST), "last"),
        (GRUForecaster(**FAST, output="sequence", dtype="float64"), "sequence"),
        (SimpleRNNForecaster(**FAST, optimizer=torch.optim.SGD, lr=0.01), "last"),
    ],
    ids=["lstm", "gru-sequence-float64", "rnn-sgd-class"],
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


def test_save_keeps_feature_names(prices, tmp_path):
    X, y = make_supervised(prices[["Open", "Close"]], "Close")
    lags = LagWindowTransformer(window_length=3, flatten=True).set_output(
        transform="pandas"
    )
    X = lags.fit_transform(X).iloc[2:]  # "{column}_lag{k}" columns, no NaN rows
    model = LSTMForecaster(**FAST, n_features_per_step=2).fit(X, np.asarray(y)[2:])
    save(model, tmp_path / "m.skrnn")
    restored = load(tmp_path / "m.skrnn")
    assert list(restored.feature_names_in_) == list(X.columns)
    np.testing.assert_array_equal(restored.predict(X), model.predict(X))


# A GRUForecaster saved by skrnn 0.1.0 before pipelines could be saved (format
# 1): GRUForecaster(hidden_size=2, max_epochs=1, batch_size=10, random_state=0)
# fitted on sin(arange(40) / 3).reshape(10, 4) and its last column.
V1_FILE = (
    "eNq9WQl4U1UWThcKlLKvBXWYoFCUhuxLgRYKlpEg4FOGIGJ8TV6bB2mS85ZCwIygA1hcEVTGcQVH0VEZ"
    "UUS2ogOI46AMbojLuKLghjpsgyBzl9f0vhewxM5nvq+veffd//z/Pffc885pJ/nz8k2mdu1MGZ8Opt6m"
    "etvQMK/wlsTMaFVld9OVmZ95uSkwlQQKEKAmLtXxCuQEOqAbeaYUi5XWxcNCFHIDndKPg/WCJIvxGOT5"
    "cwKYVbuXIT8FbUoCbZqwUEC+Wy02ixXaku9KXApFoF2gEH23W2wOi/WiUEKF9oRdnkmeFpKZNosToToE"
    "ivCDkDhTVEqjAi/FoEh77LPYoKMaaI9uBFkRkbC4BJ0CHdH9WG5yVVwSQrysCBJ0JsZD8ViNWAtdAu2Q"
    "s+aaQ5KIniHV5rL+5iliLByfNT4uy+Yh/c01oqIIYTQ+1xxMBmNhsQ59t6EHsWCNwCuqJMhBMRZEg079"
    "YEKQgogxEUzPj6tKQlXk5gH8WG6CziK0wRjyKh4yR5Fecwo9iIgyWkwSjU2ba67mlVBEkOmNIvGImgwF"
    "ZXGOgA1bEYKOR/EKyvojh/vcVofH6nJa3Tav1+d2paajSWFVIk+tdpfLjUbtVp/H5vb4POiZkIiHIppM"
    "liQUV2OKbvzMJLopwWq0K2ieIqkCYa/j5ZnErTV8VBbQQIKX+DqZ+DlzQSE+Gq3mQzPx85gajeKheKw+"
    "WCNG0b4ZR2cKUkyINhlwNA3LiiSGBU19WAihUJYYAWGhXgzhx2YUg3jnw1I8gbaMOgnfK8kEeV4TjfOK"
    "w47noBiMJpHleCIhxmoZa0JMFuqqo0J6GWisVuLDohBTgqGomGjWHBHDYSHWNNE+BG99EgUPjgTGouZp"
    "c50sYOaotntWG/Hm7CDZMzkjOJt5YmpdkFhOT0IDSkQS+DAzK55ApwdJwebNfJivw2Q0ctNRSbZLQUsJ"
    "pXdI4lH01iFP8AoeI0NCSJUkvF6jJ2W0n4IWDThMBB7FtBRECSVEvUin1fNREWUrdCyDNRIfUuj51HSi"
    "NFMdl5u4ZglibQQRoVOeTOO1QTEmEumJJMk3Zv1ZI8tUlbg5lYKuJDfwksQnZeiWgu4lJPUlUdzH0MrQ"
    "SqBHiBixBFVFjMqFQUmoVsVoOKigDY9LwXp7IfQsKQm0xXkKzeRrBehFIYVj4ioKiMvpaCH0DuTgdAh9"
    "Ank4IaG8V+zPUaDvZX6TP2cB9MOXcxpCoXg0KpC1y4UTJRSyQniMGFIK4dzBHJynwG846E/oZgfrBD4W"
    "hN9GkIBIrwi1bwNzhNgdoNk9H18uaIhg+EAFBnFQQtL27CDZlSAM1uHtcCHFX6Thh+BLKcVbFBjKgZXQ"
    "JzV6mw7uADuFOzS4E19cFO5WwMOBl9Anm+h9OrwTyih+mIYfji8jKL5cgQoORqpk19CbSY0KMCoFlSWB"
    "nmiAhrrFamkKg0gwaoXR1Ly2JVX4JKd3ZAyhdMHFiLJAgSpMWeDPWQhj/Tn41+8o7SUKjOPAf1qSCCEZ"
    "r62BGnTDpchgkQITqMHchTDRn4sNTqIGL1OA4+DyQHfWYLXIy5rmK3TmPDCZ6vs9MbcApmCXBKipqQpc"
    "ycG005iiyq7SmfLCdGrqas1UEJu6hppCb/5qDkLkBERQjtCWCGGdCR8IyESuAjVkg/DiauniItSMqMAM"
    "DmaSNzMxg9VANG0kFwepFeroNse0bY7jS4JaAAUkDmT6ck+nJ1BSoGrlBU46UJ+CWSV+UwpmlwTyyaiQ"
    "gKSexwZzKM9cxDN4MLV/rQIpDv5AoliYnQjy9bVwnR5nh3nUUfPTMXE9jYkbqI0/KrCAg4WkktFsBGWA"
    "RXozDriRmmlIm1lMzdxEzdyswC0c3Kr6c1JwW0nEoN4Jt1P1Sxj1dyiwlINlEYNiF9xJg+6udNDdTfdl"
    "OcX9SYF7OPhzxCDRDfdS3H1p3P0U9wDFPajAQxysUP2oTlyZIdEDD1OJf2EkPqLAoxysMkr0wmPUG49r"
    "0fdXvOlPUMyTCjzFwWqjPB/8jWKe1jBrMOYZinlWgbUcPKf681KwzijNboXnqbT1jLQNCmzkYJNBmt0G"
    "mylNo0azBdO8QDEvKvB3DrYapNntsI1itmuYlzBmB8W8rMA/OHhF9aOi+J8Z0hywk0p7lZH2mgK7OPiX"
    "UZoTdtMD93r6wL1BN+hNintLgbc52GOU54J3KG5vGvcuxb1Hce8r8AEH/1b9bVLwYYZEN3xEJX7MSPxE"
    "gU85+Mwo0QP76NzPtdP8Bb7sp5gDCnzJwVdGeV74mmK+0TDf4stBivlOge85+EFVSf1PKsVgrRRXEzL8"
    "ZzocSsHhEmIlKsGRsRWTqi99/fvHTpDUUC0oKNscHVvx9U78eXVsxcGjr+3tteiihXCMvHdRAQ7/HVt+"
    "cfLWT6w3lxH7bC0Bx8c2tU8kP6ASFVdx8GMDeWuhuotkIzjRQB6jCgbXMnByAskEIT6BajAevfXhpwbS"
    "M4XFmhoB10QiGT3VQFTWqLIQlkwon04I9MKzUHGqJqJCOMhqkXLQhAbysqPFspSLBqZLeehaQvfUn+fP"
    "97cRVF4l8lBVhWpmtU7KR1MCI/EBqna47DV2m0Nwup02q9cdcglhPhx2OQXBKXh5XrCFvVaPq0bwoFre"
    "EaoWQjU23sdbeTfqDgSv1AZZUi2T/G3bnbr+wAsXoDXhn0lnbDq7mfrhptOibxarKnufrvfEHxu2ve7g"
    "+zfgtwv+ObPtnqbhxLZWaAVRuVgbq0POrar0nsl8ix+3EwuomAUHcETl/qyAIlM+FlCdVIQ4Ls2qKlEM"
    "on4xKmAbC0Z8Wow3q+BnbbQ3jW7qyodaqyorfrFw7dNkFysQPzQLmLJdCwpGpRXYqipHtE7BNf2Tq7te"
    "cu8WzN946su12fHbW82/BGrefa/o/QrMf2jatDXZ8Ttazd86/zv/T/zfkfUf6H5sR3b8rlbzdxz5+ubd"
    "8Zs2heLJEcJPfRsv27e48Yv9BRuxnns+8Df0QYx9WtBjS+txV1WWZqfHI/fd8uJnnSoGTZnceJ/r8fIr"
    "tl645cjd8zf3u+Ptxi6uLhXDT+wdUdVtZ7lpD19eZF7WiHWtfu/tp6y4GWtBV3Fal6eqsufpde2rvaCi"
    "/7erG09d+FH57bf8UP5or72bpo7vTc7DzlGvrcxu/d6s1+87fGf5B8kBFcVL+1ZsS+1vNO0c3vhTzpub"
    "Mf+4NStd2fH7suav7WresmiDlcTfVqdtVsvxV2ga2Zx/UAoc3qoALDtkIdzbvH94GrcB+S1w5zdz23D+"
    "NpnmEfyMGQ89kSXejvG7H27rm+sc+PzWXYs2djw+0LevYvH6Fz6/ahi2+fG9U2e37P9CFIdpmyghDcnK"
    "H3ee3Ge9/ZEhQyfe9rnrx1EWW/zAt7aDqeUuzL92G5fMkt+ZLX8r/OfC/ttx2L9+aZvohkG1azylx+av"
    "m3jgcd+uZV+VTZHy1h8b7dyw4uXtZf3m/Djsk06dNi6OF23CXA/YXylr+fwWonWnuVBi6XHadW0/Nd9W"
    "0PMpR+nXVZalA98oPXeJ2/5W7Enn+ON7rB2K/Y5ESnE2PLjd/fCoE86TC4+4Mf/A+mjvLPk9Z+Jvhf+8"
    "2H8DZvQe9syhZz0rr3t048vtj5aVLsvb3L2q6whsc8+SkxOy3H9ftvvvGtfZ1W7VeMvwqUPdE55rdN4s"
    "vuM1f5HnI++jd7xHsuO3W3+9+LOT829G/lur+W8H8l+nFc9uOr7ivuHY5lfLB12ZpX57tvodyH8dkf/K"
    "kf/8yH9jvvF7P5vQz4v5H5p/dHyW/I5f0X9O7L91+ddu6n7KRd43iVev6pxd/re7Wpv/H5zzkmdc/kQS"
    "b8f23XBjlvzu1vK3wn8e7L9przxDzurow9+5s8ST839123FlGO/aNXrrWePTbZnJ5CjE6N33105uuf8p"
    "NnlIA0boZUESUQc2h/7BXgxXVTp+iSNtTo/L5XN6vVaH0+6w+dw2h8/qtvp8Lqfb5XF7bF7Utvp8dqyy"
    "6/JvKkuQjhKiMgeLTetk29MOGcqZ/4MagWzv2U0HUjuZTtPLGvFs69hTh9+t4TP6VaMJtnMs0pngOpt0"
    "HacRyXYc7XXIuzqbmvtMI4xt1PSwPl2aYTYjjO2v9LDlDMx+9iL7dG2GOYwwtpsxsDEwpxHGNh0Gtm7N"
    "MJcRxvYEetgqBuY2wtgSXw8b2b0Z5jHC2MrcwMbAvEYYW2DrYSU9mmE+I4ytjQv1nmRgtowwYXOaHtej"
    "J4PLiBO27tXjrmBxGYHC1qt63CoW5zh7nSW9GFxGqLB1pB63jMVlxApb/+lxpt4Mzn32OuexuIxoYes4"
    "Pe5NFpcRLmz9ZfBLHwbnO3udqxicPSNe2HrJEC/FDC4jXtg6R4+LsDj72evcz+Iy4oWtUwzx2ZfBZcQL"
    "W18YzhGLc529zj79GFxGvLA1gSE+WVxGvLC1gCFeWFxGvLBVgGH/zjExdYMRx76Xi/XvL4o7fcUwyV9Q"
    "MESbeF5eaRo0wPB7a1vN/ec0/amtgIxsPJ/e078atymgmAFkPp37P25C3FA="
)
V1_PREDICTIONS = [
    0.8414709848078965,
    0.7230858817383246,
    -0.5012770485883448,
    -0.9589242746631385,
    0.050127009882172724,
    0.9825077869863732,
    0.4121184852417566,
    -0.7886162822232242,
    -0.78314284623659,
    0.4201670368266409,
]


def test_files_of_format_1_still_load(tmp_path):
    path = tmp_path / "v1.skrnn"
    path.write_bytes(zlib.decompress(base64.b64decode("".join(V1_FILE))))
    assert torch.load(path, weights_only=True)["format_version"] == 1
    model = load(path)
    assert isinstance(model, GRUForecaster) and model.hidden_size == 2
    X = np.sin(np.arange(40.0) / 3).reshape(10, 4)
    np.testing.assert_allclose(model.predict(X), V1_PREDICTIONS, rtol=1e-6)
    payload = torch.load(path, weights_only=True)
    payload["module"]["head.bias"] += 1.0
    torch.save(payload, path)
    with pytest.raises(ValueError, match="failed its integrity check"):
        load(path)


# ------------------------------------------------------------------- pipelines


def _close_and_open(prices):
    X, y = make_supervised(prices[["Open", "Close"]], "Close")
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
        ValueError, match="not a skrnn model file that can be loaded safely"
    ):
        load(path)
    assert not _Exploit.sentinel.exists()


def test_a_file_naming_another_type_is_refused_despite_a_valid_checksum(tmp_path):
    series = np.sin(np.arange(60) / 3)[:, None]
    path = tmp_path / "imputer.skrnn"
    save(RecurrentImputer(window_length=4, **TINY).fit(series), path)
    payload = torch.load(path, weights_only=True)
    payload["tree"] = payload["tree"].replace("skrnn.RecurrentImputer", "os.system")
    payload["checksum"] = persistence._checksum(payload)  # anyone can do this
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
    with pytest.raises(ValueError, match="format 99.*reads formats 1 to 2"):
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
