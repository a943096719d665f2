"""Recurrent layers stepped one time step at a time: recurrent dropout, LN cells."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import math

import torch
from torch import nn
from torch.nn import functional

_GATES = {"rnn": 1, "gru": 3, "lstm": 4}
# Units over all members up to which an LSTM ensemble runs torch's fused
# kernel block-diagonally. Measured on CPU (5 and 10 members of 16 to 64
# units, windows of 24 steps, batch 32): the fused kernel was faster at 80
# and 160 units, stepping at 320 and beyond, where the k**2 blocks dominate.
_FUSED_LSTM_WIDTH = 256
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


class MemberLayers(nn.Module):
    """Stacked recurrent layers of several independent networks, run together.

    An ensemble's members are a batch dimension: every parameter is that of
    ``nn.LSTM`` / ``nn.GRU`` / ``nn.RNN`` with a leading member dimension
    (``weight_hh_l0[m]`` is member ``m``'s ``weight_hh_l0``), so the work
    grows linearly with the number of members and no weight joins two of them.

    The members step through time together, one batched matrix product per
    step for all of them; on CPU torch's own GRU and simple RNN kernels also
    step op by op, so 5 members cost less than twice one network up to 32
    units. Torch's LSTM kernel on CPU is oneDNN's, fused over all steps and
    about 5 times faster than stepping in Python, so up to
    ``_FUSED_LSTM_WIDTH`` units over all members (and windows with full
    history) the LSTM members run that kernel on block-diagonal weights
    built from theirs at each forward pass: ``n_members**2`` blocks, mostly
    zero, cheaper than stepping at that width (``benchmarks/bench_ensemble.py``).
    The zero blocks are constants, not parameters: they get no gradient and
    the members never mix.

    Parameters
    ----------
    members : list of nn.LSTM, nn.GRU or nn.RNN
        The members, alike but for their weights (``batch_first=True``, no
        projections, one direction); their weights are copied.
    """

    def __init__(self, members):
        super().__init__()
        first = members[0]
        self.n_members = len(members)
        self.hidden_size = first.hidden_size
        self.cell = {nn.LSTM: "lstm", nn.GRU: "gru", nn.RNN: "rnn"}[type(first)]
        self.num_layers = first.num_layers
        self.dropout = first.dropout
        self.relu = getattr(first, "nonlinearity", "tanh") == "relu"
        for name, _ in first.named_parameters():
            stacked = torch.stack([getattr(m, name).detach() for m in members])
            self.register_parameter(name, nn.Parameter(stacked))

    def forward(self, x, valid=None):
        """Run every member over ``x``.

        Parameters
        ----------
        x : torch.Tensor of shape (batch, steps, input_size)
            Input sequence, the same for every member.
        valid : torch.Tensor of bool, shape (batch, steps), default=None
            Steps with history; the state is carried unchanged over the others
            (only leading steps may lack history).

        Returns
        -------
        torch.Tensor of shape (batch, steps, n_members, hidden_size)
            The last layer's output sequence of every member.
        """
        fused_width = self.n_members * self.hidden_size
        if self.cell == "lstm" and valid is None and fused_width <= _FUSED_LSTM_WIDTH:
            return self._fused_lstm(x)
        k, size = self.n_members, self.hidden_size
        batch, steps = x.shape[:2]
        # Members, units and batch rows as (member, unit, row) matrices: each
        # gate's block of the recurrent product is then contiguous.
        seq = x.permute(2, 1, 0).reshape(1, x.shape[2], steps * batch)
        for i in range(self.num_layers):
            if i > 0:
                seq = functional.dropout(seq, self.dropout, self.training)
            w_ih = getattr(self, f"weight_ih_l{i}")
            b_ih = getattr(self, f"bias_ih_l{i}")
            xw = torch.baddbmm(b_ih[..., None], w_ih, seq.expand(k, -1, -1))
            # One (member, gate unit, row) matrix per step; unbind, not
            # indexing, keeps the backward pass from building one full-size
            # gradient per step.
            xw = xw.view(k, -1, steps, batch).permute(2, 0, 1, 3).unbind(0)
            out = self._loop(
                xw,
                getattr(self, f"weight_hh_l{i}"),
                getattr(self, f"bias_hh_l{i}")[..., None],
                x.new_zeros(k, size, batch),
                valid,
            )
            seq = out.permute(1, 2, 0, 3).reshape(k, size, steps * batch)
        return seq.view(k, size, steps, batch).permute(3, 2, 0, 1)

    def _loop(self, xw, w_hh, b_hh, h, valid):
        """Step through time; return the outputs (steps, member, unit, row)."""
        size = self.hidden_size
        c = h
        outputs = []
        # split, not slicing: its backward is one concatenation, where each
        # slice's would write into a zero tensor of the whole size
        for t, xt in enumerate(xw):
            hw = torch.baddbmm(b_hh, w_hh, h)
            if self.cell == "lstm":
                # PyTorch's gate order: input, forget, cell, output
                i, f, g, o = (xt + hw).split(size, 1)
                c_new = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
                h_new = torch.sigmoid(o) * torch.tanh(c_new)
            elif self.cell == "gru":
                x_rz, x_n = xt.split([2 * size, size], 1)
                h_rz, h_n = hw.split([2 * size, size], 1)
                r, z = torch.sigmoid(x_rz + h_rz).split(size, 1)
                n = torch.tanh(torch.addcmul(x_n, r, h_n))
                h_new, c_new = torch.addcmul(n, z, h - n), c
            else:
                pre = xt + hw
                h_new = torch.relu(pre) if self.relu else torch.tanh(pre)
                c_new = c
            if valid is not None:
                v = valid[:, t]
                h, c = torch.where(v, h_new, h), torch.where(v, c_new, c)
            else:
                h, c = h_new, c_new
            outputs.append(h)
        return torch.stack(outputs)

    def _fused_lstm(self, x):
        """Run the LSTM members through torch's fused kernel, block-diagonally."""
        k, size = self.n_members, self.hidden_size
        flat = []
        for name, value in self.named_parameters():
            rows = value.unflatten(1, (4, size)).transpose(0, 1)  # gate, member, unit
            if name.startswith("bias"):
                flat.append(rows.reshape(-1))
            elif name == "weight_ih_l0":  # reads the shared input whole
                flat.append(rows.reshape(4 * k * size, -1))
            else:
                # (gate, unit, column, member) -> member blocks on the diagonal
                blocks = torch.diag_embed(rows.permute(0, 2, 3, 1), dim1=1, dim2=3)
                flat.append(blocks.reshape(4 * k * size, k * size))
        zeros = x.new_zeros(self.num_layers, len(x), k * size)
        # What nn.LSTM's forward calls, with these weights (in its order).
        seq, _, _ = torch.lstm(
            x,
            (zeros, zeros),
            flat,
            True,  # biases
            self.num_layers,
            self.dropout if self.num_layers > 1 else 0.0,
            self.training,
            False,  # bidirectional
            True,  # batch first
        )
        return seq.unflatten(2, (k, size))
