"""Tests of skrnn._initialization: the weight initialization schemes."""

import pytest
import torch
from torch import nn

from skrnn._initialization import init_weights
from skrnn._network import RecurrentNetwork

CELLS = ["lstm", "gru", "rnn"]


def _orthogonal(block):
    eye = torch.eye(block.shape[0])
    return torch.allclose(block @ block.T, eye, atol=1e-5)


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("layer_norm", [False, "cell"])
def test_keras_initialization(cell, layer_norm):
    torch.manual_seed(0)
    net = RecurrentNetwork(
        2,
        3,
        cell=cell,
        hidden_size=5,
        num_layers=2,
        layer_norm=layer_norm,
        conv_filters=4,
        weight_init="keras",
    )
    recurrent = [p for n, p in net.named_parameters() if "weight_hh" in n]
    assert len(recurrent) == 2
    for weight in recurrent:
        assert all(_orthogonal(block) for block in weight.split(5))
    biases = {n: p for n, p in net.named_parameters() if "bias" in n or "shift" in n}
    for name, bias in biases.items():
        if cell == "lstm" and ("bias_ih" in name or name.endswith(".ln_shift")):
            expected = torch.zeros(4, 5)
            expected[1] = 1.0  # forget gate
            torch.testing.assert_close(bias.detach().view(4, 5), expected)
        else:
            assert not bias.any(), name
    # Glorot-uniform bound of the output layer: sqrt(6 / (fan_in + fan_out)).
    assert net.head.weight.abs().max() <= (6 / (5 + 3)) ** 0.5
    assert net.head.weight.abs().max() > 1 / 5**0.5  # beyond PyTorch's bound


def test_pytorch_initialization_is_left_to_the_layers():
    torch.manual_seed(0)
    keras = RecurrentNetwork(1, 1, hidden_size=5, weight_init="keras")
    torch.manual_seed(0)
    default = RecurrentNetwork(1, 1, hidden_size=5)
    torch.manual_seed(0)
    fused = torch.nn.LSTM(1, 5, batch_first=True)
    torch.testing.assert_close(default.layers[0].weight_hh_l0, fused.weight_hh_l0)
    assert default.layers[0].bias_hh_l0.abs().min() > 0
    assert not torch.allclose(keras.layers[0].weight_hh_l0, fused.weight_hh_l0)


def test_he_scheme_refuses_recurrent_layers():
    with pytest.raises(ValueError, match="recurrent"):
        init_weights(nn.GRU(2, 3), "he")


def test_zero_head_zeroes_the_output_layer_only():
    torch.manual_seed(0)
    default = RecurrentNetwork(2, 3, hidden_size=5)
    torch.manual_seed(0)
    zero_head = RecurrentNetwork(2, 3, hidden_size=5)
    init_weights(zero_head, "zero_head")
    assert not zero_head.head.weight.any() and not zero_head.head.bias.any()
    # an untrained network then predicts 0, the mean of standardized targets
    assert not zero_head(torch.randn(4, 6, 2)).any()
    for (name, before), after in zip(
        default.layers.named_parameters(), zero_head.layers.parameters(), strict=True
    ):
        torch.testing.assert_close(after, before, msg=name)


def test_he_scheme_draws_convolutions_for_relu_and_zeroes_biases():
    torch.manual_seed(0)
    module = nn.Sequential(nn.Conv1d(4, 64, kernel_size=3), nn.ReLU(), nn.Linear(8, 2))
    init_weights(module, "he")
    conv, linear = module[0], module[2]
    # He-uniform bound sqrt(6 / fan_in), fan_in = 4 x 3; Glorot's sqrt(6 / (8 + 2))
    bound = (6 / 12) ** 0.5
    assert conv.weight.abs().max() <= bound
    assert conv.weight.abs().max() > 0.9 * bound  # 768 draws reach near the bound
    assert linear.weight.abs().max() <= (6 / 10) ** 0.5
    assert not conv.bias.any() and not linear.bias.any()
