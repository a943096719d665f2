"""scikit-learn's estimator checks over every public estimator."""

import pytest
from sklearn.utils.estimator_checks import (
    check_dataframe_column_names_consistency,
    check_global_output_transform_pandas,
    check_param_validation,
    check_set_output_transform,
    check_set_output_transform_pandas,
    check_transformer_get_feature_names_out,
    check_transformer_get_feature_names_out_pandas,
    parametrize_with_checks,
)

from skrnn import (
    GRUForecaster,
    LagWindowTransformer,
    LSTMForecaster,
    MovingAverageTransformer,
    RecurrentForecaster,
    SimpleRNNForecaster,
    WaveNetForecaster,
)

# Fast instances that still learn check_regressors_train's R^2 > 0.5 honestly.
# The checks feed tabular rows, not windows of a series: window_norm=None, since
# the default per-window shift discards each row's level by design.
_FAST = dict(
    hidden_size=8,
    max_epochs=50,
    batch_size=16,
    lr=0.01,
    random_state=0,
    window_norm=None,
)
# The default window_norm ("last" for univariate windows), checked as it ships.
_SHIFTED = LSTMForecaster(
    hidden_size=8, max_epochs=50, batch_size=16, lr=0.01, random_state=0
)
FORECASTERS = [
    _SHIFTED,
    RecurrentForecaster(**_FAST),
    LSTMForecaster(**_FAST),
    # float32 GRU kernels round differently for different batch sizes (~2e-7,
    # above check_methods_subset_invariance's atol=1e-7); float64 is exact.
    GRUForecaster(**_FAST, dtype="float64"),
    SimpleRNNForecaster(**_FAST),
    # Every step-by-step option at once (conv front end, layer-normalized cells,
    # recurrent dropout, encoder-decoder): float64 for the invariance checks.
    RecurrentForecaster(
        cell="gru",
        layer_norm="cell",
        recurrent_dropout=0.1,
        decoder=True,
        teacher_forcing=0.5,
        conv_filters=4,
        dtype="float64",
        **_FAST,
    ),
    # float64: float32 convolutions round differently for different batch sizes.
    WaveNetForecaster(
        filters=8,
        max_epochs=50,
        batch_size=16,
        lr=0.01,
        random_state=0,
        window_norm=None,
        dtype="float64",
    ),
]
TRANSFORMERS = [
    MovingAverageTransformer(windows=(2, 3)),
    LagWindowTransformer(window=3),
    LagWindowTransformer(window=3, output="2d"),
]

_ORDER = (
    "each output row depends on earlier rows by design: the row order is time, "
    "so reordering or subsetting rows changes the result"
)


_NAN_INSIDE = (
    "allow_nan is set because leading NaN steps mean 'no history yet'; this check "
    "puts NaN at random positions inside windows, which raise ValueError by design. "
    "Pickling (also of read-only memmaps) is tested in test_estimators.py"
)


def _expected_failed_checks(estimator):
    if isinstance(estimator, MovingAverageTransformer | LagWindowTransformer):
        return {
            "check_methods_sample_order_invariance": _ORDER,
            "check_methods_subset_invariance": _ORDER,
        }
    if estimator is _SHIFTED:
        return {
            "check_estimators_pickle": _NAN_INSIDE,
            "check_regressors_train": (
                "window_norm='last' predicts every row relative to its last "
                "column; on tabular rows (not windows of a series) that column "
                "is noise whose level the network cannot see, so R^2 < 0.5"
            ),
        }
    return {"check_estimators_pickle": _NAN_INSIDE}


@parametrize_with_checks(
    FORECASTERS + TRANSFORMERS, expected_failed_checks=_expected_failed_checks
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("estimator", FORECASTERS + TRANSFORMERS, ids=lambda e: repr(e))
def test_param_validation(estimator):
    check_param_validation(type(estimator).__name__, estimator)


@pytest.mark.parametrize(
    "transformer",
    [MovingAverageTransformer(windows=(2,)), LagWindowTransformer(3, output="2d")],
    ids=repr,
)
@pytest.mark.parametrize(
    "check",
    [
        check_transformer_get_feature_names_out,
        check_transformer_get_feature_names_out_pandas,
        check_set_output_transform,
        check_set_output_transform_pandas,
        check_global_output_transform_pandas,
        check_dataframe_column_names_consistency,
    ],
    ids=lambda c: c.__name__,
)
def test_feature_names_and_set_output(transformer, check):
    check(type(transformer).__name__, transformer)
