"""Recurrent layers stepped one time step at a time: recurrent dropout, LN cells."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import math

import torch
from torch import nn
from torch.nn import functional

_GATES = {"rnn": 1, "gru": 3, "lstm": 4}
_KINDS = {"rnn": 0, "gru": 1, "lstm": 2}


def _norm_gates(a: torch.Tensor, gain: torch.Tensor, shift: torch.Tensor):
    """Layer-normalize each gate's block of ``a`` (batch, G*H) separately.

    One statistic per gate rather than over all gates together: the gates have
    different roles and scales. ``gain`` and ``shift`` are (G, H).
    """
    g = a.reshape(a.shape[0], gain.shape[0], gain.shape[1])
    g = torch.layer_norm(g, [g.shape[-1]], None, None, 1e-5)
    return (g * gain + shift).reshape(a.shape)


def _cell_loop(
    xw: torch.Tensor,
    w_hh: torch.Tensor,
    b_hh: torch.Tensor,
    h: torch.Tensor,
    c: torch.Tensor,
    kind: int,
    relu: bool,
    mask: torch.Tensor | None,
    valid: torch.Tensor | None,
    ln: list[torch.Tensor],
    ln_c: list[torch.Tensor],
):
    """Run the recurrence over precomputed input projections ``xw`` (B, T, G*H).

    ``kind`` is 0 (simple RNN), 1 (GRU) or 2 (LSTM). ``mask`` (B, H) is the
    recurrent-dropout mask, the same at every step (Gal & Ghahramani, 2016).
    ``valid`` (B, T) marks steps with history; elsewhere the state is carried
    unchanged, which for leading missing steps keeps the initial zero state.
    ``ln`` holds the (gain, shift) of the per-gate layer norm of the summed
    pre-activations and ``ln_c`` that of the LSTM cell state; empty lists mean
    no layer norm. Written so that ``torch.jit.script`` accepts it, but run as
    plain Python: on CPU the scripted loop was not faster at these sizes
    (``benchmarks/bench_cells.py`` measures both). ``torch.compile`` made the
    steady-state epoch about 2.4x faster (LSTM, 20 units, 50 steps) but took
    about 5 minutes to compile in every new process, longer than most fits;
    plain Python also keeps the module simple to pickle, copy and debug.
    """
    normed = len(ln) > 0
    size = h.shape[1]
    if normed and kind == 1:
        # The GRU normalizes its reset/update gates and its candidate apart:
        # slice their gains and shifts once, not at every step (and backward).
        ln_rz = [ln[0][:2], ln[1][:2]]
        ln_n = [ln[0][2:], ln[1][2:]]
    else:
        ln_rz, ln_n = ln, ln
    outputs: list[torch.Tensor] = []
    for t in range(xw.shape[1]):
        hd = h if mask is None else h * mask
        hw = torch.mm(hd, w_hh.t()) + b_hh
        xt = xw[:, t]
        if kind == 2:
            gates = xt + hw
            if normed:
                gates = _norm_gates(gates, ln[0], ln[1])
            i, f, g, o = gates.chunk(4, 1)
            c_new = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            cn = c_new
            if len(ln_c) > 0:
                cn = torch.layer_norm(c_new, [c_new.shape[-1]], ln_c[0], ln_c[1], 1e-5)
            h_new = torch.sigmoid(o) * torch.tanh(cn)
        elif kind == 1:
            rz = xt[:, : 2 * size] + hw[:, : 2 * size]
            if normed:
                rz = _norm_gates(rz, ln_rz[0], ln_rz[1])
            r, z = torch.sigmoid(rz).chunk(2, 1)
            # The reset gate scales the hidden projection inside the candidate's
            # pre-activation, as in PyTorch's GRU; that sum is what is normed.
            pre = xt[:, 2 * size :] + r * hw[:, 2 * size :]
            if normed:
                pre = _norm_gates(pre, ln_n[0], ln_n[1])
            n = torch.tanh(pre)
            h_new = (1.0 - z) * n + z * h
            c_new = c
        else:
            pre = xt + hw
            if normed:
                pre = _norm_gates(pre, ln[0], ln[1])
            h_new = torch.relu(pre) if relu else torch.tanh(pre)
            c_new = c
        if valid is not None:
            v = valid[:, t].unsqueeze(1)
            h = torch.where(v, h_new, h)
            c = torch.where(v, c_new, c)
        else:
            h = h_new
            c = c_new
        outputs.append(h)
    return torch.stack(outputs, 1), h, c


class CellLayer(nn.Module):
    """One recurrent layer (simple RNN, GRU or LSTM) run step by step.

    Used instead of PyTorch's fused ``nn.RNN``/``nn.GRU``/``nn.LSTM`` only when
    the fused kernels cannot express the layer: variational recurrent dropout or
    layer normalization inside the cell. The equations are PyTorch's (same gate
    order and initialization), so without both options the layer computes what
    the fused one does.

    Parameters
    ----------
    input_size : int
        Features per step.
    hidden_size : int
        Units.
    cell : {"lstm", "gru", "rnn"}, default="lstm"
        Cell type.
    nonlinearity : {"tanh", "relu"}, default="tanh"
        Activation of the simple RNN cell.
    layer_norm : bool, default=False
        Normalize every gate's pre-activation (input plus hidden projection),
        and the LSTM cell state before its ``tanh`` (Ba, Kiros & Hinton, 2016).
        The sum is normalized, as in the textbook's ``LNSimpleRNNCell``, not
        each projection apart as in Ba et al.: the input projection of a
        one-feature series is a multiple of one vector, which a norm of its
        own would reduce to the sign of the input.
    recurrent_dropout : float, default=0.0
        Probability of dropping a unit of the previous hidden state on its way
        into the hidden-to-hidden product, with one mask per sequence shared by
        all steps (Gal & Ghahramani, 2016). Only in training mode.
    """

    def __init__(
        self,
        input_size,
        hidden_size,
        cell="lstm",
        nonlinearity="tanh",
        layer_norm=False,
        recurrent_dropout=0.0,
    ):
        super().__init__()
        n_gates = _GATES[cell]
        self.cell = cell
        self.hidden_size = hidden_size
        self.relu = nonlinearity == "relu"
        self.layer_norm = bool(layer_norm)
        self.recurrent_dropout = float(recurrent_dropout)
        self.weight_ih = nn.Parameter(torch.empty(n_gates * hidden_size, input_size))
        self.weight_hh = nn.Parameter(torch.empty(n_gates * hidden_size, hidden_size))
        if not self.layer_norm:
            self.bias_ih = nn.Parameter(torch.empty(n_gates * hidden_size))
            self.bias_hh = nn.Parameter(torch.empty(n_gates * hidden_size))
        bound = 1.0 / math.sqrt(hidden_size)
        for weight in self.parameters():
            nn.init.uniform_(weight, -bound, bound)
        if self.layer_norm:
            # A bias before a layer norm is cancelled by it: the norm's shift
            # is the bias.
            self.ln_gain = nn.Parameter(torch.ones(n_gates, hidden_size))
            self.ln_shift = nn.Parameter(torch.zeros(n_gates, hidden_size))
            if cell == "lstm":
                self.ln_c_gain = nn.Parameter(torch.ones(hidden_size))
                self.ln_c_shift = nn.Parameter(torch.zeros(hidden_size))

    def sample_mask(self, batch_size, like):
        """Draw a recurrent-dropout mask, or None when it does not apply."""
        if not self.training or self.recurrent_dropout == 0:
            return None
        keep = 1.0 - self.recurrent_dropout
        mask = torch.full(
            (batch_size, self.hidden_size), keep, dtype=like.dtype, device=like.device
        )
        return torch.bernoulli(mask) / keep

    def forward(self, x, state=None, valid=None, mask=None):
        """Run the layer over ``x`` of shape (batch, steps, input_size).

        Parameters
        ----------
        x : torch.Tensor of shape (batch, steps, input_size)
            Input sequence.
        state : tuple of torch.Tensor, default=None
            ``(h, c)`` of shape (batch, hidden_size) each (``c`` is unused by
            the simple RNN and the GRU); None starts from zeros.
        valid : torch.Tensor of bool, shape (batch, steps), default=None
            Steps with history; the state is carried unchanged over the others.
        mask : torch.Tensor of shape (batch, hidden_size), default=None
            Recurrent-dropout mask; None draws a new one in training mode (pass
            the same one when stepping a decoder one step at a time).

        Returns
        -------
        seq : torch.Tensor of shape (batch, steps, hidden_size)
        state : tuple of torch.Tensor
            Final ``(h, c)``.
        """
        batch = x.shape[0]
        if state is None:
            zeros = x.new_zeros(batch, self.hidden_size)
            state = (zeros, zeros)
        if mask is None:
            mask = self.sample_mask(batch, x)
        # The input projection of every step at once: one large matmul outside
        # the sequential loop.
        if self.layer_norm:
            xw = functional.linear(x, self.weight_ih)
            ln = [self.ln_gain, self.ln_shift]
            ln_c = [self.ln_c_gain, self.ln_c_shift] if self.cell == "lstm" else []
            b_hh = x.new_zeros(self.weight_hh.shape[0])
        else:
            xw = functional.linear(x, self.weight_ih, self.bias_ih)
            ln, ln_c = [], []
            b_hh = self.bias_hh
        seq, h, c = _cell_loop(
            xw,
            self.weight_hh,
            b_hh,
            state[0],
            state[1],
            _KINDS[self.cell],
            self.relu,
            mask,
            valid,
            ln,
            ln_c,
        )
        return seq, (h, c)
