"""Weight initialization schemes shared by the networks."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import torch
from torch import nn

from skrnn._cells import CellLayer


@torch.no_grad()
def init_weights(module, scheme):
    """Initialize the weights of ``module``'s layers in place.

    Parameters
    ----------
    module : torch.nn.Module
        Network whose recurrent, convolutional and linear layers are set.
    scheme : {"keras", "pytorch", "zero_head", "he"}
        ``"keras"``: Glorot-uniform input, convolution and dense weights,
        orthogonal recurrent weights (each gate's block on its own), zero
        biases and an LSTM forget-gate bias of one, the defaults of Keras
        (Saxe et al., 2014; Jozefowicz et al., 2015). ``"pytorch"``: the
        layers' own defaults, left untouched. ``"zero_head"``: the same, but the
        output layer (the module's ``head``) starts at zero, so that an
        untrained network predicts zero, the mean of standardized targets.
        ``"he"``, for stacks of ReLU
        convolutions without recurrent layers (WaveNet): He-uniform
        convolution kernels (He et al., 2015), Glorot-uniform linear weights,
        zero biases.
    """
    if scheme == "pytorch":
        return
    if scheme == "zero_head":
        nn.init.zeros_(module.head.weight)
        nn.init.zeros_(module.head.bias)
        return
    if scheme == "he":
        _init_relu_convolutions(module)
        return
    for layer in module.modules():
        if isinstance(layer, (nn.RNNBase, CellLayer)):
            _init_recurrent(layer)
        elif isinstance(layer, (nn.Linear, nn.Conv1d)):
            nn.init.xavier_uniform_(layer.weight)
            if layer.bias is not None:
                nn.init.zeros_(layer.bias)


def _init_recurrent(layer):
    """Glorot input weights, orthogonal recurrent blocks, zero biases."""
    lstm = isinstance(layer, nn.LSTM) or getattr(layer, "cell", None) == "lstm"
    size = layer.hidden_size
    for name, param in layer.named_parameters():
        if name.startswith("weight_ih"):
            nn.init.xavier_uniform_(param)
        elif name.startswith("weight_hh"):
            for block in param.split(size):
                nn.init.orthogonal_(block)
        elif name.startswith(("bias", "ln_shift", "ln_c_shift")):
            nn.init.zeros_(param)
            # PyTorch adds two bias vectors; one of them carries the 1, and a
            # layer-normalized cell's shift is its bias.
            if lstm and name.startswith(("bias_ih", "ln_shift")):
                param.view(-1, size)[1] = 1.0


def _init_relu_convolutions(module):
    """He-uniform convolutions, Glorot-uniform linear layers, zero biases.

    A kernel drawn with variance ``2 / fan_in`` keeps the scale of the signal
    through a ReLU, so every layer of a deep stack starts out passing on what it
    reads of the window. PyTorch's default (variance ``1 / (3 fan_in)``) shrinks
    it about 2.4 times per ReLU layer, and its random biases then drown it: at
    the top of WaveNet's eight layers the part of the features that depends on
    the window is about 1e-4 of their size.
    """
    for layer in module.modules():
        if isinstance(layer, (nn.RNNBase, CellLayer)):
            raise ValueError(
                "weight_init='he' is for networks of convolutions and linear "
                "layers only; recurrent layers take 'keras' or 'pytorch'."
            )
        if isinstance(layer, nn.Conv1d):
            nn.init.kaiming_uniform_(layer.weight, nonlinearity="relu")
        elif isinstance(layer, nn.Linear):
            nn.init.xavier_uniform_(layer.weight)
        else:
            continue
        if layer.bias is not None:
            nn.init.zeros_(layer.bias)
