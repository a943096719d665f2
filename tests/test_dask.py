"""Grid search and backtests on a local Dask cluster through joblib."""

import importlib.util

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from skrnn import LSTMForecaster, RecurrentForecaster

distributed = pytest.importorskip("distributed")
joblib = pytest.importorskip("joblib")

pytestmark = pytest.mark.slow  # a cluster of two worker processes

# One torch thread per worker process: without it, every worker's torch would
# start one thread per core and the workers would fight over the cores.
WORKER_ENV = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            env=WORKER_ENV,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def _torch_threads():
    import torch

    return torch.get_num_threads()


def _grid_search(X, y):
    search = GridSearchCV(
        RecurrentForecaster(max_epochs=2, batch_size=16, random_state=0),
        {"cell": ["lstm", "gru", "rnn"], "hidden_size": [4, 8]},
        cv=TimeSeriesSplit(n_splits=2),
        n_jobs=2,
    )
    return search.fit(X, y)


def test_workers_use_one_torch_thread(client):
    threads = client.run(_torch_threads)
    assert len(threads) == 2
    assert set(threads.values()) == {1}


def test_grid_search_on_dask_matches_sequential(client, windows):
    X, y = windows
    X, y = X[:160], y[:160]
    with joblib.parallel_backend("sequential"):
        sequential = _grid_search(X, y)
    with joblib.parallel_backend("dask"):
        on_dask = _grid_search(X, y)
    # The fits really ran on the workers (the client keeps a task log).
    assert any(
        "fit_and_score" in str(key) or "batch_of" in str(key)
        for key in client.run_on_scheduler(_task_prefixes)
    )
    for key in ("mean_test_score", "split0_test_score", "split1_test_score"):
        assert_allclose(
            on_dask.cv_results_[key], sequential.cv_results_[key], rtol=1e-6
        )
    assert on_dask.best_params_ == sequential.best_params_
    assert_allclose(on_dask.predict(X[-5:]), sequential.predict(X[-5:]), rtol=1e-6)


def _task_prefixes(dask_scheduler=None):
    return list(dask_scheduler.task_prefixes)


@pytest.mark.skipif(
    importlib.util.find_spec("skrnn.sktime") is None
    or importlib.util.find_spec("sktime") is None,
    reason="skrnn.sktime (the sktime face) is not available",
)
def test_sktime_evaluate_on_dask_matches_sequential(client):
    import pandas as pd
    from sktime.forecasting.model_evaluation import evaluate
    from sktime.split import ExpandingWindowSplitter

    from skrnn.sktime import SktimeRecurrentForecaster

    rng = np.random.default_rng(0)
    t = np.arange(120)
    y = pd.Series(
        np.sin(2 * np.pi * t / 12) + 0.05 * rng.normal(size=t.size),
        index=pd.period_range("2000-01", periods=t.size, freq="M"),
    )
    forecaster = SktimeRecurrentForecaster(
        estimator=LSTMForecaster(
            hidden_size=4, max_epochs=2, batch_size=16, random_state=0
        ),
        window_length=12,
        strategy="direct",
    )
    cv = ExpandingWindowSplitter(initial_window=80, step_length=20, fh=[1, 2, 3])
    sequential = evaluate(forecaster, cv, y)
    on_dask = evaluate(forecaster, cv, y, backend="dask")
    score = [c for c in sequential.columns if c.startswith("test_")][0]
    assert_allclose(on_dask[score], sequential[score], rtol=1e-6)
