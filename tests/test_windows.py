"""Tests of skrnn._windows: cutting rows into windows."""

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

from skrnn._windows import pad_front, sliding_windows


@given(
    n_rows=st.integers(1, 30),
    n_columns=st.integers(1, 3),
    window=st.integers(1, 8),
    pad=st.integers(0, 8),
)
def test_window_ending_at_each_row_holds_that_row_and_its_past(
    n_rows, n_columns, window, pad
):
    assume(n_rows + pad >= window)  # at least one window
    rows = np.arange(n_rows * n_columns, dtype=float).reshape(n_rows, n_columns)
    windows = sliding_windows(rows, window, pad=pad)
    assert windows.shape == (n_rows + pad - window + 1, window, n_columns)
    for i, w in enumerate(windows):
        last = i + window - 1 - pad  # row index of the window's last step
        for step in range(window):
            row = last - (window - 1 - step)
            if row < 0:  # before the data: padding
                assert np.isnan(w[step]).all()
            else:
                np.testing.assert_array_equal(w[step], rows[row])


def test_windows_are_views_of_one_series():
    rows = np.arange(1000.0)
    windows = sliding_windows(rows, 50)
    assert windows.shape == (951, 50)
    assert np.shares_memory(windows, rows) and not windows.flags.writeable
    # a padded series is copied once, not once per window
    padded = sliding_windows(rows, 50, pad=49)
    assert padded.base is not None and padded.shape == (1000, 50)
    assert np.isnan(padded[0, :49]).all() and padded[0, 49] == 0


def test_pad_front_keeps_float_dtype_and_fill_value():
    a = np.ones((3, 2), dtype=np.float32)
    padded = pad_front(a, 2, fill_value=-1.0)
    assert padded.dtype == np.float32 and padded.shape == (5, 2)
    np.testing.assert_array_equal(padded[:2], -1.0)
    assert pad_front(a, 0) is a and pad_front(None, 3) is None
    assert pad_front(np.arange(2), 1).dtype == np.float64  # NaN needs a float
