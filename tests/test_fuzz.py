"""Hypothesis fuzzing: random shapes, dtypes, NaN placements and parameters.

Any outcome other than a correct result or a documented ``ValueError``/``TypeError``
is a bug. The budget is bounded (``max_examples``) so CI stays fast.
"""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skrnn import LagWindowTransformer, MovingAverageTransformer, RecurrentForecaster

_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def windows_with_holes(draw):
    n = draw(st.integers(1, 24))
    steps = draw(st.integers(1, 6))
    features = draw(st.integers(1, 3))
    dtype = draw(st.sampled_from([np.float32, np.float64, np.int64]))
    X = np.random.default_rng(draw(st.integers(0, 2**16))).normal(
        size=(n, steps, features)
    ) * draw(st.sampled_from([1e-9, 1.0, 1e9]))
    X = X.astype(dtype)
    kind = draw(st.sampled_from(["none", "leading", "anywhere", "inf"]))
    if kind != "none" and dtype != np.int64:
        X = X.copy()
        row = draw(st.integers(0, n - 1))
        if kind == "leading":
            X[row, : draw(st.integers(0, steps - 1))] = np.nan
        else:
            X[row, draw(st.integers(0, steps - 1)), 0] = (
                np.nan if kind == "anywhere" else np.inf
            )
    return X, kind


def _only_leading_nan(X):
    """Independent statement of the contract: NaN only before observed steps."""
    X = X.astype(float)
    if np.isinf(X).any():
        return False
    for row in np.isnan(X).any(axis=2):
        observed = np.flatnonzero(~row)
        if observed.size == 0 or row[observed[0] :].any():
            return False
    return True


@_SETTINGS
@given(
    data=windows_with_holes(),
    cell=st.sampled_from(["lstm", "gru", "rnn"]),
    output=st.sampled_from(["last", "sequence"]),
    layers=st.integers(1, 2),
    layer_norm=st.booleans(),
    scale=st.booleans(),
    validation=st.sampled_from([None, 0.0, 0.3]),
    early=st.booleans(),
    horizons=st.integers(1, 3),
)
def test_forecaster_fuzz(
    data, cell, output, layers, layer_norm, scale, validation, early, horizons
):
    X, kind = data
    n, steps = X.shape[:2]
    y_shape = (n, horizons) if output == "last" else (n, steps, horizons)
    y = np.random.default_rng(0).normal(size=y_shape)
    model = RecurrentForecaster(
        cell=cell,
        hidden_size=3,
        num_layers=layers,
        layer_norm=layer_norm,
        output=output,
        scale=scale,
        validation_fraction=validation,
        early_stopping=early,
        max_epochs=1,
        random_state=0,
    )
    try:
        model.fit(X, y)
    except ValueError as exc:
        message = str(exc)
        expected = [
            "is NaN after observed values",
            "is inf",
            "has no observed time step",
            "leaves no training rows",
            "needs validation rows",
        ]
        assert any(m in message for m in expected), message
        if not any(m in message for m in expected[3:]):
            assert not _only_leading_nan(X)  # raised only when the contract is broken
        return
    assert _only_leading_nan(X)
    pred = model.predict(X)
    assert pred.shape == y.shape and pred.dtype == np.float64
    if output == "last":
        assert np.isfinite(pred).all()
    else:  # steps without history are NaN, all others finite
        observed = ~np.isnan(X.astype(float)).any(axis=2)
        assert np.isfinite(pred[observed]).all()
        assert np.isnan(pred[~observed]).all()


@_SETTINGS
@given(
    n=st.integers(1, 30),
    k=st.integers(1, 3),
    window=st.integers(1, 7),
    dtype=st.sampled_from([np.float32, np.float64, np.int32, bool]),
    hole=st.sampled_from([None, np.nan, np.inf]),
    flatten=st.booleans(),
    kind=st.sampled_from(["simple", "exponential"]),
    seed=st.integers(0, 100),
)
def test_transformer_fuzz(n, k, window, dtype, hole, flatten, kind, seed):
    rng = np.random.default_rng(seed)
    X = (rng.normal(size=(n, k)) * 10).astype(dtype)
    if hole is not None:
        X = X.astype(np.float32 if dtype == np.float32 else np.float64)
        X[rng.integers(n), rng.integers(k)] = hole
    for transformer in [
        LagWindowTransformer(window_length=window, flatten=flatten),
        MovingAverageTransformer(windows=(window,), kind=kind),
    ]:
        try:
            out = transformer.fit_transform(X)
        except ValueError as exc:
            assert hole is not None and np.isinf(hole), str(exc)
            assert "infinity" in str(exc)
            continue
        assert len(out) == n
        expected_dtype = np.float32 if dtype == np.float32 else np.float64
        assert out.dtype == expected_dtype


@_SETTINGS
@given(
    st.integers(1, 12),
    st.integers(2, 8),
    st.integers(1, 3),
    st.integers(0, 2**16),
    st.floats(0.0, 0.5),
)
def test_restart_at_gaps_leaves_leading_nan_only_and_keeps_what_follows(
    n, steps, features, seed, share
):
    from skrnn._windows import restart_at_gaps

    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, steps, features))
    X[rng.random(X.shape) < share] = np.nan
    X[:, -1, :] = rng.normal(size=(n, features))  # every window ends observed
    original = X.copy()
    out = restart_at_gaps(X)
    np.testing.assert_array_equal(X, original)  # the input is never changed
    missing = np.isnan(out).any(axis=2)
    # missing steps only lead: once observed, a window stays observed
    assert not (missing[:, 1:] & ~missing[:, :-1]).any()
    for row in range(n):
        holes = np.flatnonzero(np.isnan(original[row]).any(axis=1))
        after = holes[-1] + 1 if len(holes) else 0
        np.testing.assert_array_equal(out[row, after:], original[row, after:])
        assert missing[row, :after].all()
