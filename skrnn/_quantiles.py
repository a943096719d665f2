"""Quantile heads: the levels, their monotone outputs and the pinball loss.

A forecaster with ``loss="pinball"`` forecasts several quantiles of each
target at once. Its network's head has ``n_quantiles`` outputs per target,
which :class:`MonotoneQuantiles` maps to non-decreasing values (no quantile
crossing, by construction): the level nearest 0.5 is a free output, and
the others lie above and below it by softplus steps. :func:`pinball`
is the loss (Koenker & Bassett, 1978) that makes each output the quantile of
its level; :func:`select_levels` picks the levels that ``predict_quantiles``
and ``predict_interval`` are asked for among those trained.
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import math
from numbers import Real
from statistics import NormalDist

import numpy as np
import torch
from torch import nn
from torch.nn import functional

# Two levels closer than this are the same level (1 - 0.9 is not 0.1 in floats).
_SAME_LEVEL = 1e-9


def check_quantiles(quantiles, loss):
    """Validate the ``quantiles`` parameter against ``loss``.

    Parameters
    ----------
    quantiles : sequence of float or None
        The levels the network is to forecast.
    loss : str
        The ``loss`` parameter; ``"pinball"`` needs levels, the others none.

    Returns
    -------
    ndarray of shape (n_quantiles,) or None
        The levels, sorted; None for a point forecast.
    """
    if loss != "pinball":
        if quantiles is not None:
            raise ValueError(
                f"quantiles={quantiles!r} are the levels of loss='pinball', but "
                f"loss={loss!r}: set loss='pinball' to forecast quantiles, or "
                "quantiles=None for a point forecast."
            )
        return None
    example = "quantiles=(0.1, 0.5, 0.9)"
    if quantiles is None:
        raise ValueError(
            "loss='pinball' forecasts quantiles and needs their levels: e.g. "
            f"{example}."
        )
    if not (
        len(quantiles) > 0
        and all(isinstance(q, Real) and not isinstance(q, bool) for q in quantiles)
    ):
        raise ValueError(
            f"quantiles must be a non-empty sequence of numbers in (0, 1), e.g. "
            f"{example}; got {quantiles!r}."
        )
    levels = np.sort(np.asarray(quantiles, dtype=np.float64))
    if not np.all((levels > 0) & (levels < 1)):
        raise ValueError(
            f"quantiles must lie strictly between 0 and 1 (0 and 1 are the "
            f"infinite ends of the distribution); got {quantiles!r}."
        )
    if np.any(np.diff(levels) <= _SAME_LEVEL):
        raise ValueError(f"quantiles holds a level twice: {quantiles!r}.")
    if not np.any(np.abs(levels - 0.5) <= _SAME_LEVEL):
        raise ValueError(
            f"quantiles must include 0.5, the median, which predict returns as the "
            f"point forecast; got {quantiles!r}. Add it: e.g. {example}."
        )
    return levels


def select_levels(trained, alpha):
    """Return the indices of the trained levels ``alpha`` asks for, in its order.

    Parameters
    ----------
    trained : ndarray of shape (n_quantiles,)
        The sorted levels the network was trained on.
    alpha : ndarray of shape (n_alpha,)
        The levels asked for; each must be one of ``trained`` (up to 1e-9).

    Returns
    -------
    ndarray of int of shape (n_alpha,)
    """
    distance = np.abs(alpha[:, np.newaxis] - trained[np.newaxis, :])
    nearest = distance.argmin(axis=1)
    missing = alpha[distance[np.arange(len(alpha)), nearest] > _SAME_LEVEL]
    if len(missing):
        shown = ", ".join(f"{a:g}" for a in missing)
        levels = ", ".join(f"{q:g}" for q in trained)
        raise ValueError(
            f"The quantile level(s) {shown} were not trained: this forecaster "
            f"forecasts the levels ({levels}) only. Ask for those, or refit with "
            "the levels you need in quantiles=(...): a level between two trained "
            "ones is not interpolated, since the pinball loss calibrates only "
            "the levels it trains."
        )
    return nearest


def pinball(y_pred, y_true, levels):
    """Pinball (quantile) loss of every prediction, unreduced.

    Parameters
    ----------
    y_pred : torch.Tensor of shape (..., n_quantiles)
        Quantile forecasts.
    y_true : torch.Tensor broadcastable to ``y_pred``
        Targets, with a last axis of size 1.
    levels : torch.Tensor of shape (n_quantiles,)
        The quantile level of each forecast.

    Returns
    -------
    torch.Tensor
        ``level * (y - q)`` where the forecast ``q`` lies below the target
        ``y``, ``(1 - level) * (q - y)`` where it lies above: ``(q - y)
        (1{q > y} - level)``, in ``y_pred``'s shape. Written with the fewest
        operations: on CPU the small tensors of a batch cost per operation.
    """
    over = y_pred - y_true
    return over * ((over > 0).to(over.dtype) - levels)


class MonotoneQuantiles(nn.Module):
    """Map a head's raw outputs to non-decreasing quantiles of each target.

    The raw output of a target at its level nearest 0.5 is that quantile (a
    free value, the center); the raw output at every other level is a step
    between that level's quantile and its neighbour's towards the center,
    through a softplus: the quantiles above the center add up their steps,
    those below subtract them, so that ``q[j] <= q[j + 1]`` holds for any
    weights. Each step is offset so that a raw output of zero gives the gap
    between the two levels' quantiles of a standard normal distribution: an
    untrained network with a zero head (``weight_init="zero_head"``)
    forecasts the quantiles of the standardized targets as if they were
    normal.

    The sums are one matrix product with a fixed matrix of ones and minus
    ones: on CPU, the per-operation cost of small tensors dominates the
    head's, and cumulative sums took several operations and more time.

    Parameters
    ----------
    quantiles : sequence of float
        The levels, validated by :func:`check_quantiles`.
    """

    def __init__(self, quantiles):
        super().__init__()
        levels = sorted(float(q) for q in quantiles)
        k = self.n_quantiles = len(levels)
        c = self.center = int(np.argmin(np.abs(np.asarray(levels) - 0.5)))
        normal = [NormalDist().inv_cdf(q) for q in levels]
        offsets = np.zeros(k)
        steps = np.zeros((k, k))  # steps[j] is added to the quantiles it moves
        for j in range(k):
            if j < c:  # the gap from level j up to j + 1
                gap, steps[j, : j + 1] = normal[j + 1] - normal[j], -1.0
            elif j > c:  # the gap from level j - 1 up to j
                gap, steps[j, j:] = normal[j] - normal[j - 1], 1.0
            else:
                continue
            offsets[j] = gap + math.log(-math.expm1(-gap))  # softplus(offset) == gap
        center = np.zeros((k, k))
        center[c] = 1.0
        # not in the state dict: the levels (a parameter) rebuild them
        for name, value in (("offsets", offsets), ("steps", steps), ("to_all", center)):
            tensor = torch.tensor(value, dtype=torch.float32)
            self.register_buffer(name, tensor, persistent=False)

    def forward(self, raw):
        """Map raw outputs (..., n_targets * n_quantiles) to quantiles.

        Returns
        -------
        torch.Tensor of shape (..., n_targets, n_quantiles)
        """
        k = self.n_quantiles
        if k == 1:
            return raw.unflatten(-1, (-1, 1))
        flat = raw.reshape(-1, k)
        # softplus of the center too: its row of ``steps`` is zero
        quantiles = torch.addmm(
            flat @ self.to_all, functional.softplus(flat + self.offsets), self.steps
        )
        return quantiles.view(*raw.shape[:-1], -1, k)
