"""Tests of skrnn._cells, the step-by-step recurrent layers: what the fused
kernels compute, recurrent dropout and layer-normalized cells."""

import pytest
import torch

import skrnn._cells as cells
from skrnn._cells import CellLayer

CELLS = ["lstm", "gru", "rnn"]


@pytest.mark.parametrize("cell", CELLS)
def test_cell_layer_computes_what_the_fused_kernel_does(cell):
    torch.manual_seed(0)
    fused = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[cell](
        3, 6, batch_first=True
    )
    layer = CellLayer(3, 6, cell)
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(layer, name).copy_(getattr(fused, name + "_l0"))
    x = torch.randn(4, 7, 3)
    expected, _ = fused(x)
    got, (h, _) = layer(x)
    torch.testing.assert_close(got, expected)
    torch.testing.assert_close(h, expected[:, -1])


@pytest.mark.parametrize("cell", CELLS)
def test_recurrent_dropout_uses_one_mask_per_sequence(cell, monkeypatch):
    seen = []
    loop = cells._cell_loop

    def spy(*args):
        seen.append(args[7])
        return loop(*args)

    monkeypatch.setattr(cells, "_cell_loop", spy)
    torch.manual_seed(0)
    layer = CellLayer(2, 50, cell, recurrent_dropout=0.4)
    x = torch.randn(5, 9, 2)
    layer.train()
    layer(x)
    mask = seen[-1]
    # One (batch, hidden) mask handed to the whole loop: the same at every step.
    assert mask.shape == (5, 50)
    torch.testing.assert_close(torch.unique(mask), torch.tensor([0.0, 1 / 0.6]))
    # Inference is deterministic and without dropout.
    layer.eval()
    a, _ = layer(x)
    assert seen[-1] is None
    layer.recurrent_dropout = 0.0
    b, _ = layer(x)
    torch.testing.assert_close(a, b)


@pytest.mark.parametrize("cell", CELLS)
def test_cell_layer_norm_makes_gates_scale_invariant(cell):
    """Normalized pre-activations do not change when a weight matrix is scaled."""
    torch.manual_seed(0)
    layer = CellLayer(3, 6, cell, layer_norm=True)
    with torch.no_grad():
        # Large pre-activations, so that LayerNorm's eps=1e-5 is negligible.
        layer.weight_ih.mul_(10.0)
        layer.weight_hh.mul_(10.0)
    x = torch.randn(4, 7, 3)
    before, _ = layer(x)
    with torch.no_grad():
        layer.weight_ih.mul_(7.0)
        layer.weight_hh.mul_(7.0)
    after, _ = layer(x)
    torch.testing.assert_close(after, before, atol=1e-4, rtol=1e-4)
    # Without layer norm the same scaling changes everything.
    plain = CellLayer(3, 6, cell)
    out, _ = plain(x)
    with torch.no_grad():
        plain.weight_ih.mul_(7.0)
    assert (plain(x)[0] - out).abs().max() > 0.1


@pytest.mark.parametrize("cell", CELLS)
def test_cell_layer_norm_keeps_the_size_of_a_one_feature_input(cell):
    """The summed pre-activation is normed: a single feature's magnitude survives.

    Norming the input projection on its own would map ``x`` and ``2 x`` (any
    positive multiple) to the same normalized vector.
    """
    torch.manual_seed(0)
    layer = CellLayer(1, 6, cell, layer_norm=True)
    x = torch.rand(4, 7, 1) + 0.1
    small, _ = layer(x)
    large, _ = layer(2 * x)
    assert (small - large).abs().max() > 1e-2
