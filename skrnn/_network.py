"""The torch module behind every recurrent forecaster."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import torch
from torch import nn
from torch.nn import functional
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence

from skrnn._cells import CellLayer, MemberLayers
from skrnn._initialization import init_weights
from skrnn._quantiles import MonotoneQuantiles

_CELLS = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}


class RecurrentNetwork(nn.Module):
    """Stacked simple RNN / LSTM / GRU with a many-to-one, many-to-many or decoder head.

    Parameters
    ----------
    n_features : int
        Number of input features per time step.
    n_outputs : int
        Number of outputs: horizons for ``output="last"`` (also the decoder's
        number of steps), outputs per step for ``output="sequence"``.
    cell : {"lstm", "gru", "rnn"}, default="lstm"
        Recurrent cell.
    hidden_size : int, default=64
        Units in every recurrent layer.
    num_layers : int, default=1
        Number of stacked recurrent layers.
    dropout : float, default=0.0
        Dropout between stacked layers (not after the last one).
    layer_norm : bool or {"between", "cell"}, default=False
        ``True`` or ``"between"``: ``LayerNorm`` on the output sequence of every
        recurrent layer. ``"cell"``: layer normalization inside the cell, of
        every gate's pre-activations (Ba et al., 2016).
    nonlinearity : {"tanh", "relu"}, default="tanh"
        Activation of the simple RNN cell; ignored by LSTM and GRU.
    output : {"last", "sequence"}, default="last"
        ``"last"`` maps the last hidden state to ``n_outputs`` values;
        ``"sequence"`` applies the same linear head at every time step (Keras'
        ``return_sequences=True`` followed by ``TimeDistributed(Dense)``).
    recurrent_dropout : float, default=0.0
        Variational dropout on the hidden-to-hidden path (one mask per sequence).
    decoder : bool, default=False
        With ``output="last"``: a decoder RNN started from the encoder's final
        state unrolls ``n_outputs`` steps, one value each, from a per-step linear
        head. The decoder's input is its own previous prediction (zero at the
        first step), or the true previous target with probability
        ``teacher_forcing`` during training.
    teacher_forcing : float, default=0.0
        Probability, per row and decoder step, of feeding the true previous
        target instead of the prediction during training (the training batches
        then hand the targets to ``forward`` as ``targets``; see
        ``WindowDataset(feed_targets=True)``).
    conv_filters : int, default=None
        Filters of a causal 1-D convolution applied to the window before the
        recurrent layers; None for no convolution.
    conv_kernel_size : int, default=3
        Kernel size of that convolution.
    conv_stride : int, default=1
        Stride of that convolution. Its outputs are aligned to the window's
        last step: the recurrent layers read the steps ``n_steps - 1``,
        ``n_steps - 1 - conv_stride``, ... With ``output="sequence"``, steps
        in between get NaN predictions and are left out of the loss.
    weight_init : {"keras", "pytorch", "zero_head"}, default="pytorch"
        Initialization scheme, see :func:`~skrnn._initialization.init_weights`.
    ensemble_size : int, default=1
        Independent networks trained side by side, each initialized as a
        network of its own, their weights stacked along a member dimension
        (:class:`~skrnn._cells.MemberLayers`, :class:`MemberLinear`). In
        training the forward pass returns every member's output (an extra
        dimension before the outputs); in evaluation mode, their median, or
        with ``quantiles``, the mean of their quantiles of each level.
    quantiles : sequence of float, default=None
        Quantile levels of a quantile head: the head has ``n_quantiles``
        outputs per target, mapped to non-decreasing quantiles by
        :class:`~skrnn._quantiles.MonotoneQuantiles`, and the network returns
        a last axis of quantiles. A decoder feeds back its median. None: one
        point forecast per target.
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
        recurrent_dropout=0.0,
        decoder=False,
        teacher_forcing=0.0,
        conv_filters=None,
        conv_kernel_size=3,
        conv_stride=1,
        weight_init="pytorch",
        ensemble_size=1,
        quantiles=None,
    ):
        super().__init__()
        if ensemble_size > 1 and (
            decoder or conv_filters or layer_norm or recurrent_dropout > 0
        ):
            raise ValueError(
                "ensemble_size > 1 trains plain stacked cells side by side; it "
                "does not combine with decoder, conv_filters, layer_norm or "
                "recurrent_dropout. Train several forecasters with different "
                "random_state values and average them instead."
            )
        if decoder and output != "last":
            raise ValueError(
                f"decoder=True unrolls the horizons of output='last'; got "
                f"output={output!r}. Use output='last' with y of shape "
                "(n_samples, n_horizons)."
            )
        self.output = output
        self.cell = cell
        self.n_outputs = n_outputs
        self.teacher_forcing = teacher_forcing
        self.conv_stride = conv_stride if conv_filters else 1
        self.conv = None
        if conv_filters:
            self.conv = nn.Conv1d(n_features, conv_filters, conv_kernel_size)
            n_features = conv_filters
        self.in_cell = layer_norm == "cell" or recurrent_dropout > 0
        between = layer_norm is True or layer_norm == "between"
        options = dict(
            cell=cell,
            hidden_size=hidden_size,
            num_layers=num_layers,
            dropout=dropout,
            between=between,
            cell_norm=layer_norm == "cell",
            nonlinearity=nonlinearity,
            recurrent_dropout=recurrent_dropout,
        )
        self.ensemble_size = ensemble_size
        self.quantile_head = None
        self.n_quantiles = 1
        if quantiles is not None:
            self.quantile_head = MonotoneQuantiles(quantiles)
            self.n_quantiles = self.quantile_head.n_quantiles
        if ensemble_size > 1:
            self._build_ensemble(n_features, options, weight_init)
            return
        self.layers, self.norms = _stack(n_features, **options)
        self.decoder = None
        if decoder:
            self.decoder, self.decoder_norms = _stack(1, **options)
            self.head = nn.Linear(hidden_size, self.n_quantiles)
        else:
            self.head = nn.Linear(hidden_size, n_outputs * self.n_quantiles)
        self.inter_dropout = nn.Dropout(dropout)
        init_weights(self, weight_init)

    def train(self, mode=True):
        """Set training or evaluation mode, as ``nn.Module.train`` does.

        skorch sets the mode before every batch. ``nn.Module.train`` walks
        every submodule and sets its flag through ``nn.Module.__setattr__``,
        which cost about 20 us a batch (1% of a step of an 8-unit LSTM); a module
        already in that mode (all its submodules too) is left as it is.
        """
        if all(module.training == mode for module in self.modules()):
            return self
        return super().train(mode)

    def _build_ensemble(self, n_features, options, weight_init):
        """Stack ``ensemble_size`` members, each built as a network of its own.

        Each member is built and initialized, from the generator in turn,
        exactly as a single network would be; its weights then become one
        slice of the stacked parameters (:class:`~skrnn._cells.MemberLayers`,
        :class:`MemberLinear`), so that no weight joins two members.
        """
        layers, heads = [], []
        for _ in range(self.ensemble_size):
            member = nn.ModuleDict(
                {
                    "layers": _stack(n_features, **options)[0],
                    "head": nn.Linear(
                        options["hidden_size"], self.n_outputs * self.n_quantiles
                    ),
                }
            )
            init_weights(member, weight_init)
            layers.append(member["layers"][0])
            heads.append(member["head"])
        self.layers, self.norms = MemberLayers(layers), None
        self.head = MemberLinear(heads)
        self.decoder = None

    def clip_member_gradients(self, max_norm):
        """Scale each member's gradient to a norm of at most ``max_norm``.

        What ``torch.nn.utils.clip_grad_norm_`` does to one network, done to
        every member on its own: clipping the ensemble's gradient as a whole
        would shrink all members' steps whenever one of them has a large
        gradient, and more so the more members there are.
        """
        grads = [p.grad for p in self.parameters() if p.grad is not None]
        if not grads:
            return
        # every parameter of an ensemble has the member dimension first
        squares = sum(g.pow(2).flatten(1).sum(1) for g in grads)
        scale = (max_norm / (squares.sqrt() + 1e-6)).clamp(max=1.0)
        for grad in grads:
            grad.mul_(scale.view(-1, *[1] * (grad.ndim - 1)))

    # ------------------------------------------------------------- recurrence

    def _run(self, layers, norms, seq, states=None, valid=None, masks=None):
        """Run stacked layers; return the last layer's sequence and all states."""
        new_states = []
        for i, layer in enumerate(layers):
            if i > 0:
                seq = _map_packed(self.inter_dropout, seq)
            state = None if states is None else states[i]
            if self.in_cell:
                mask = None if masks is None else masks[i]
                seq, state = layer(seq, state, valid, mask)
            else:
                seq, state = layer(seq, state)
            new_states.append(state)
            if norms is not None:
                seq = _map_packed(norms[i], seq)
        return seq, new_states

    def _encode(self, x, lengths, need_sequence):
        """Encode right-aligned windows.

        Returns the last step's output (batch, hidden), the right-aligned output
        sequence when ``need_sequence`` (else None), and the final states.
        """
        if self.ensemble_size > 1:
            valid = None
            if lengths is not None:
                steps = torch.arange(x.shape[1], device=x.device)
                valid = steps[None, :] >= (x.shape[1] - lengths).to(x.device)[:, None]
            # (batch, steps, member, unit); the last step always has history
            seq = self.layers(x, valid)
            return seq[:, -1], seq if need_sequence else None, None
        if lengths is None:
            seq, states = self._run(self.layers, self.norms, x)
            return seq[:, -1], seq if need_sequence else None, states
        n_steps = x.shape[1]
        steps = torch.arange(n_steps, device=x.device)
        shift = (n_steps - lengths).to(x.device)
        if self.in_cell:
            # The loop carries the (zero) initial state over the steps without
            # history, which is what a shorter sequence would have started with.
            valid = steps[None, :] >= shift[:, None]
            seq, states = self._run(self.layers, self.norms, x, valid=valid)
            return seq[:, -1], seq if need_sequence else None, states
        # Right-aligned windows -> left-aligned, so that packing skips the
        # missing history instead of feeding it to the cell as values.
        gather = ((steps[None, :] + shift[:, None]) % n_steps)[..., None]
        left = torch.gather(x, 1, gather.expand(-1, -1, x.shape[2]))
        packed = pack_padded_sequence(
            left, lengths.cpu(), batch_first=True, enforce_sorted=False
        )
        seq, states = self._run(self.layers, self.norms, packed)
        seq, _ = pad_packed_sequence(seq, batch_first=True, total_length=n_steps)
        last = seq[torch.arange(len(seq), device=x.device), (lengths - 1).to(x.device)]
        if not need_sequence:
            return last, None, states
        back = ((steps[None, :] - shift[:, None]) % n_steps)[..., None]
        return last, torch.gather(seq, 1, back.expand(-1, -1, seq.shape[2])), states

    def _decode(self, states, batch, like, targets=None):
        """Unroll the decoder for ``n_outputs`` steps from the encoder's states."""
        if not (self.training and self.teacher_forcing > 0):
            targets = None
        if targets is not None:
            targets = targets.to(device=like.device, dtype=like.dtype)
            targets = targets.reshape(batch, -1)
        masks = None
        if self.in_cell:
            # One recurrent-dropout mask for the whole unrolled sequence.
            masks = [layer.sample_mask(batch, like) for layer in self.decoder]
        prev = like.new_zeros(batch, 1)
        preds = []
        for step in range(self.n_outputs):
            if step > 0 and targets is not None:
                truth = targets[:, step - 1 : step]
                coin = torch.rand(batch, 1, device=like.device) < self.teacher_forcing
                prev = torch.where(coin, truth, prev)
            seq, states = self._run(
                self.decoder, self.decoder_norms, prev[:, None, :], states, masks=masks
            )
            prev = self.head(seq[:, -1])
            if self.quantile_head is not None:
                # (batch, n_quantiles); the decoder reads its median back
                quantiles = self.quantile_head(prev)[:, 0]
                preds.append(quantiles)
                center = self.quantile_head.center
                prev = quantiles[:, center : center + 1]
            else:
                preds.append(prev)
        if self.quantile_head is not None:
            return torch.stack(preds, dim=1)
        return torch.cat(preds, dim=1)

    # ---------------------------------------------------------------- forward

    def forward(self, x, lengths=None, targets=None):
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
        targets : torch.Tensor of shape (batch, n_outputs), default=None
            The batch's true targets, read by a decoder in training mode with
            ``teacher_forcing > 0`` and ignored otherwise.

        Returns
        -------
        torch.Tensor
            ``(batch, n_outputs)`` for ``output="last"``, ``(batch, n_steps,
            n_outputs)`` for ``output="sequence"``; steps without history (and,
            with a strided convolution, steps between strides) are NaN. With
            ``quantiles``, a last axis of ``n_quantiles`` non-decreasing values.
        """
        n_steps = x.shape[1]
        if self.conv is not None:
            x, lengths = self._convolve(x, lengths)
        need_sequence = self.output == "sequence"
        last, seq, states = self._encode(x, lengths, need_sequence)
        if self.decoder is not None:
            return self._decode(states, len(x), last, targets)
        if not need_sequence:
            return self._members(self._quantiles(self.head(last)))
        out = self._quantiles(self.head(seq))
        if lengths is not None:
            steps = torch.arange(out.shape[1], device=x.device)
            no_history = steps[None, :] < (out.shape[1] - lengths).to(x.device)[:, None]
            no_history = no_history.view(*no_history.shape, *[1] * (out.ndim - 2))
            out = out.masked_fill(no_history, float("nan"))
        if self.conv_stride > 1:
            full = out.new_full((len(out), n_steps, *out.shape[2:]), float("nan"))
            full[:, (n_steps - 1) % self.conv_stride :: self.conv_stride] = out
            out = full
        return self._members(out)

    def _quantiles(self, out):
        """Map the head's outputs to non-decreasing quantiles (a quantile head)."""
        return out if self.quantile_head is None else self.quantile_head(out)

    def _members(self, out):
        """Return every member's output in training, their combination otherwise.

        Point forecasts: the members' median. Quantiles: the mean of the
        members' quantiles of each level (Vincentization, Ratcliff 1979), a
        mean of non-decreasing sequences, hence non-decreasing.
        """
        if self.ensemble_size == 1 or self.training:
            return out
        if self.quantile_head is not None:
            return out.mean(dim=-3)
        return torch.quantile(out, 0.5, dim=-2)

    def _convolve(self, x, lengths):
        """Causal convolution, its outputs aligned to the last step."""
        if lengths is not None:
            # Missing steps read as zeros, like the causal padding before any
            # window's first step: the result equals convolving the shorter
            # window alone.
            steps = torch.arange(x.shape[1], device=x.device)
            missing = steps[None, :] < (x.shape[1] - lengths).to(x.device)[:, None]
            x = x.masked_fill(missing[..., None], 0.0)
        pad = self.conv.kernel_size[0] - 1
        out = self.conv(functional.pad(x.transpose(1, 2), (pad, 0))).transpose(1, 2)
        stride = self.conv_stride
        if stride > 1:
            # Stride 1 then every stride-th step counted back from the last one:
            # the same values as a strided convolution, aligned to the end.
            out = out[:, (x.shape[1] - 1) % stride :: stride]
            if lengths is not None:
                lengths = torch.div(lengths - 1, stride, rounding_mode="floor") + 1
        return out, lengths


def _stack(
    n_features,
    cell,
    hidden_size,
    num_layers,
    dropout,
    between,
    cell_norm,
    nonlinearity,
    recurrent_dropout,
):
    """Build the recurrent layers and the optional between-layer norms."""
    extra = {"nonlinearity": nonlinearity} if cell == "rnn" else {}
    if cell_norm or recurrent_dropout > 0:
        layers = nn.ModuleList(
            CellLayer(
                n_features if i == 0 else hidden_size,
                hidden_size,
                cell,
                nonlinearity=nonlinearity,
                layer_norm=cell_norm,
                recurrent_dropout=recurrent_dropout,
            )
            for i in range(num_layers)
        )
    elif between:
        # Normalizing between layers needs one module per layer.
        layers = nn.ModuleList(
            _CELLS[cell](
                n_features if i == 0 else hidden_size,
                hidden_size,
                batch_first=True,
                **extra,
            )
            for i in range(num_layers)
        )
    else:
        # One fused multi-layer module: fastest on CPU and cuDNN.
        layers = nn.ModuleList(
            [
                _CELLS[cell](
                    n_features,
                    hidden_size,
                    num_layers=num_layers,
                    dropout=dropout if num_layers > 1 else 0.0,
                    batch_first=True,
                    **extra,
                )
            ]
        )
    norms = None
    if between:
        norms = nn.ModuleList(nn.LayerNorm(hidden_size) for _ in range(num_layers))
    return layers, norms


def _map_packed(fn, seq):
    """Apply an element-wise module to a tensor or to a packed sequence's data."""
    if isinstance(seq, PackedSequence):
        return seq._replace(data=fn(seq.data))
    return fn(seq)


class MemberLinear(nn.Module):
    """The linear output layers of an ensemble's members, applied together.

    Parameters
    ----------
    members : list of nn.Linear
        One layer per member, of the same shape; their weights are copied
        (``weight[m]`` and ``bias[m]`` are member ``m``'s).
    """

    def __init__(self, members):
        super().__init__()
        self.weight = nn.Parameter(torch.stack([m.weight.detach() for m in members]))
        self.bias = nn.Parameter(torch.stack([m.bias.detach() for m in members]))

    def forward(self, x):
        """Map ``x`` of shape (..., n_members, in_features) to (..., n_members, out)."""
        rows = x.reshape(-1, *x.shape[-2:]).transpose(0, 1)  # member, row, feature
        out = torch.baddbmm(self.bias[:, None], rows, self.weight.transpose(1, 2))
        return out.transpose(0, 1).reshape(*x.shape[:-1], -1)
