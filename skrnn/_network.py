"""The torch module behind every recurrent forecaster."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import torch
from torch import nn
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence

_CELLS = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}


class RecurrentNetwork(nn.Module):
    """Stacked simple RNN / LSTM / GRU with a many-to-one or many-to-many head.

    Parameters
    ----------
    n_features : int
        Number of input features per time step.
    n_outputs : int
        Number of outputs: horizons for ``output="last"``, outputs per step for
        ``output="sequence"``.
    cell : {"lstm", "gru", "rnn"}, default="lstm"
        Recurrent cell. All three use PyTorch's fused kernels.
    hidden_size : int, default=64
        Units in every recurrent layer.
    num_layers : int, default=1
        Number of stacked recurrent layers.
    dropout : float, default=0.0
        Dropout between stacked layers (not after the last one).
    layer_norm : bool, default=False
        Apply ``LayerNorm`` to the output sequence of every recurrent layer.
    nonlinearity : {"tanh", "relu"}, default="tanh"
        Activation of the simple RNN cell; ignored by LSTM and GRU.
    output : {"last", "sequence"}, default="last"
        ``"last"`` maps the last hidden state to ``n_outputs`` values;
        ``"sequence"`` applies the same linear head at every time step (Keras'
        ``return_sequences=True`` followed by ``TimeDistributed(Dense)``).
    """

    def __init__(
        self,
        n_features,
        n_outputs,
        cell="lstm",
        hidden_size=64,
        num_layers=1,
        dropout=0.0,
        layer_norm=False,
        nonlinearity="tanh",
        output="last",
    ):
        super().__init__()
        rnn_class = _CELLS[cell]
        extra = {"nonlinearity": nonlinearity} if cell == "rnn" else {}
        self.output = output
        if layer_norm:
            # Normalizing between layers needs one module per layer.
            self.layers = nn.ModuleList(
                rnn_class(
                    n_features if i == 0 else hidden_size,
                    hidden_size,
                    batch_first=True,
                    **extra,
                )
                for i in range(num_layers)
            )
            self.norms = nn.ModuleList(
                nn.LayerNorm(hidden_size) for _ in range(num_layers)
            )
        else:
            # One fused multi-layer module: fastest on CPU and cuDNN.
            self.layers = nn.ModuleList(
                [
                    rnn_class(
                        n_features,
                        hidden_size,
                        num_layers=num_layers,
                        dropout=dropout if num_layers > 1 else 0.0,
                        batch_first=True,
                        **extra,
                    )
                ]
            )
            self.norms = None
        self.inter_dropout = nn.Dropout(dropout)
        self.head = nn.Linear(hidden_size, n_outputs)

    def _run_layers(self, seq):
        for i, layer in enumerate(self.layers):
            if i > 0:
                seq = _map_packed(self.inter_dropout, seq)
            seq, _ = layer(seq)
            if self.norms is not None:
                seq = _map_packed(self.norms[i], seq)
        return seq

    def forward(self, x, lengths=None):
        """Run the network.

        Parameters
        ----------
        x : torch.Tensor of shape (batch, n_steps, n_features)
            Windows, oldest step first.
        lengths : torch.Tensor of shape (batch,), default=None
            Number of observed trailing steps of each window. The leading
            ``n_steps - lengths[i]`` steps of row ``i`` hold no history and are
            skipped (their values are ignored). ``None`` means every step is
            observed.

        Returns
        -------
        torch.Tensor
            ``(batch, n_outputs)`` for ``output="last"``, ``(batch, n_steps,
            n_outputs)`` for ``output="sequence"``; steps without history are NaN.
        """
        if lengths is None:
            seq = self._run_layers(x)
            if self.output == "last":
                return self.head(seq[:, -1])
            return self.head(seq)

        n_steps = x.shape[1]
        # Right-aligned windows -> left-aligned, so that packing skips the
        # missing history instead of feeding it to the cell as values.
        shift = (n_steps - lengths).to(x.device)
        steps = torch.arange(n_steps, device=x.device)
        gather = ((steps[None, :] + shift[:, None]) % n_steps)[..., None]
        left = torch.gather(x, 1, gather.expand(-1, -1, x.shape[2]))
        packed = pack_padded_sequence(
            left, lengths.cpu(), batch_first=True, enforce_sorted=False
        )
        seq, _ = pad_packed_sequence(
            self._run_layers(packed), batch_first=True, total_length=n_steps
        )
        if self.output == "last":
            last = (lengths - 1).to(x.device)
            return self.head(seq[torch.arange(len(seq), device=x.device), last])
        back = ((steps[None, :] - shift[:, None]) % n_steps)[..., None]
        out = self.head(torch.gather(seq, 1, back.expand(-1, -1, seq.shape[2])))
        no_history = steps[None, :] < shift[:, None]
        return out.masked_fill(no_history[..., None], float("nan"))


def _map_packed(fn, seq):
    """Apply an element-wise module to a tensor or to a packed sequence's data."""
    if isinstance(seq, PackedSequence):
        return seq._replace(data=fn(seq.data))
    return fn(seq)
