"""Tests of skrnn._scaling: levels, moments and the batches' shift and scale."""

import numpy as np
import pytest
import torch

from skrnn import _windows
from skrnn._scaling import nan_moments, standardize, window_levels


def test_nan_moments_match_numpy_across_chunks(monkeypatch):
    rng = np.random.default_rng(0)
    X = rng.normal(5, 2, size=(300, 7, 2))
    X[:40, :3] = np.nan  # leading steps without history
    monkeypatch.setattr(_windows, "_CHUNK_ELEMENTS", 50)  # many chunks
    mean, scale = nan_moments(X)
    flat = X.reshape(-1, 2)
    np.testing.assert_allclose(mean, np.nanmean(flat, axis=0))
    np.testing.assert_allclose(scale, np.nanstd(flat, axis=0))


def test_nan_moments_keep_small_moves_of_a_large_level():
    moves = np.random.default_rng(1).normal(size=(2000, 1))
    mean, scale = nan_moments(1e12 + moves)
    assert scale[0] == pytest.approx(moves.std(), rel=1e-3)
    # a constant column passes through: scale 1, not 0
    assert nan_moments(np.full((10, 1), 3.0))[1][0] == 1.0


def test_nan_moments_subtract_offsets_per_row():
    X = np.arange(24.0).reshape(4, 3, 2)
    offsets = X[:, -1, :]
    mean, scale = nan_moments(X, offsets)
    np.testing.assert_allclose(mean, (X - offsets[:, None, :]).reshape(-1, 2).mean(0))


def test_window_levels_last_and_mean():
    X = np.array([[[np.nan], [1.0], [3.0]], [[2.0], [4.0], [6.0]]])
    np.testing.assert_array_equal(window_levels(X, "last"), [[3.0], [6.0]])
    np.testing.assert_array_equal(window_levels(X, "mean"), [[2.0], [4.0]])


def test_standardize_shifts_then_scales_in_float64():
    a = np.array([[1e12 + 1.0, 1e12 + 3.0]])
    out = standardize(a, (np.array([1.0]), np.array([2.0])), torch.float32, 1e12)
    assert out.dtype == torch.float32
    np.testing.assert_allclose(out.numpy(), [[0.0, 1.0]])
    # no statistics: a writable float copy of the caller's (read-only) data
    view = np.lib.stride_tricks.sliding_window_view(np.arange(5.0), 2)
    copy = standardize(view, None, torch.float64)
    assert copy.dtype == torch.float64 and not np.shares_memory(copy.numpy(), view)
