"""Torch threads of fit and predict: ``num_threads`` and the automatic choice."""

import inspect

import numpy as np
import pytest
import torch
from skorch.callbacks import Callback
from threadpoolctl import threadpool_limits

import skrnn._base
from skrnn import (
    GRUForecaster,
    LSTMForecaster,
    RecurrentForecaster,
    SimpleRNNForecaster,
    WaveNetForecaster,
    _threads,
)

# Threads seen inside fit, appended by _RecordThreads (callbacks are deep-copied,
# so the record cannot live on the instance).
_SEEN = []


class _RecordThreads(Callback):
    def on_epoch_begin(self, net, **kwargs):
        _SEEN.append(torch.get_num_threads())


class _FailAtEpoch(Callback):
    def on_epoch_begin(self, net, **kwargs):
        raise RuntimeError("stop")


@pytest.fixture
def windows():
    rng = np.random.default_rng(0)
    series = np.cumsum(rng.normal(size=80))
    X = np.lib.stride_tricks.sliding_window_view(series[:-1], 6)[:, :, None]
    return X, series[6:]


@pytest.fixture
def two_threads():
    """Torch at 2 threads (PyTorch's default on a 2-core machine), restored after."""
    previous = torch.get_num_threads()
    torch.set_num_threads(2)
    _SEEN.clear()
    yield
    torch.set_num_threads(previous)


@pytest.mark.parametrize(
    "cls",
    [
        RecurrentForecaster,
        LSTMForecaster,
        GRUForecaster,
        SimpleRNNForecaster,
        WaveNetForecaster,
    ],
)
def test_every_forecaster_takes_num_threads(cls):
    assert inspect.signature(cls).parameters["num_threads"].default is None
    assert "num_threads" in cls._parameter_constraints
    with pytest.raises(ValueError, match="num_threads"):
        cls(num_threads=0).fit(np.ones((4, 3)), np.ones(4))


def test_small_default_fit_runs_one_thread_and_restores(windows, two_threads):
    # PyTorch's default (one thread per core) made small fits 10-24x slower on
    # a busy 2-core machine; the default now trains a small network on one.
    X, y = windows
    model = LSTMForecaster(max_epochs=2, random_state=0, callbacks=[_RecordThreads()])
    model.fit(X, y)
    assert _SEEN == [1, 1]
    assert torch.get_num_threads() == 2


def test_num_threads_forces_the_count(windows, two_threads):
    X, y = windows
    model = GRUForecaster(
        hidden_size=4, max_epochs=1, num_threads=3, callbacks=[_RecordThreads()]
    )
    model.fit(X, y).partial_fit(X, y)
    assert _SEEN == [3, 3]
    assert torch.get_num_threads() == 2


def test_large_network_keeps_torch_threads(windows, two_threads):
    X, y = windows
    model = LSTMForecaster(
        hidden_size=128, batch_size=256, max_epochs=1, callbacks=[_RecordThreads()]
    )
    model.fit(X, y)
    assert _SEEN == [2]


def test_never_more_than_the_outer_limit(windows, two_threads):
    # threadpoolctl's limit (and joblib's in its workers) lowers
    # torch.get_num_threads(), which the automatic choice never exceeds.
    X, y = windows
    model = LSTMForecaster(
        hidden_size=128, batch_size=256, max_epochs=1, callbacks=[_RecordThreads()]
    )
    with threadpool_limits(limits=1, user_api="openmp"):
        model.fit(X, y)
    assert _SEEN == [1]


def test_threads_restored_when_fit_fails(windows, two_threads):
    X, y = windows
    with pytest.raises(RuntimeError, match="stop"):
        LSTMForecaster(max_epochs=1, callbacks=[_FailAtEpoch()]).fit(X, y)
    assert torch.get_num_threads() == 2


def test_predict_chooses_threads_too(windows, two_threads, monkeypatch):
    X, y = windows
    model = LSTMForecaster(hidden_size=2, max_epochs=1, random_state=0).fit(X, y)
    seen = []
    original = skrnn._base.predict_windows

    def recording(net, dataset):
        seen.append(torch.get_num_threads())
        return original(net, dataset)

    monkeypatch.setattr(skrnn._base, "predict_windows", recording)
    model.predict(X)  # chunks of 2,730 windows x 2 units: small
    model.set_params(num_threads=2).predict(X)
    assert seen == [1, 2]
    assert torch.get_num_threads() == 2


@pytest.mark.parametrize(
    "ceiling, work, expected",
    [
        (4, 2048, 1),  # default LSTM: batch 32 x hidden 64
        (4, 32767, 1),
        (4, 32768, 4),  # larger networks: torch's setting
        (1, 10**6, 1),  # an outer limit of one thread
    ],
)
def test_auto_threads(monkeypatch, ceiling, work, expected):
    monkeypatch.setattr(_threads.torch, "get_num_threads", lambda: ceiling)
    assert _threads.auto_threads(work) == expected
    assert _threads.resolve_threads(3, work) == 3


def test_default_refits_are_bit_identical(windows, two_threads):
    # The automatic count depends on the model, not on the machine's load.
    X, y = windows
    fits = [
        LSTMForecaster(hidden_size=64, batch_size=256, max_epochs=2, random_state=0)
        .fit(X, y)
        .predict(X)
        for _ in range(2)
    ]
    np.testing.assert_array_equal(*fits)
