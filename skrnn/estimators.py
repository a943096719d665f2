"""Recurrent forecasters with the scikit-learn estimator contract.

The recurrent architecture on :class:`~skrnn._base.BaseWindowForecaster`: its
parameters (``RECURRENT_PARAMS``), its torch module and callbacks.
:class:`LSTMForecaster`, :class:`GRUForecaster` and
:class:`SimpleRNNForecaster` fix ``cell`` (and ``nonlinearity``).
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

from sklearn.utils._param_validation import Interval, StrOptions

from skrnn._base import OUTPUT, TRAINING_PARAMS, BaseWindowForecaster, ParamSpec
from skrnn._network import RecurrentNetwork
from skrnn._training import ClipMemberGradients

_POSITIVE = Interval(Integral, 1, None, closed="left")
_FRACTION = Interval(Real, 0, 1, closed="left")

# The parameters of the recurrent architecture, in signature order; all are
# relayed to RecurrentNetwork.
RECURRENT_PARAMS = (
    ParamSpec(
        "cell",
        "lstm",
        type='{"lstm", "gru", "rnn"}',
        constraints=(StrOptions({"lstm", "gru", "rnn"}),),
        module=True,
        keyword_only=False,  # RecurrentForecaster("gru"), as before
        doc="""
        Recurrent cell: long short-term memory, gated recurrent unit, or the
        simple (Elman) RNN.
        """,
    ),
    ParamSpec(
        "hidden_size",
        64,
        type="int",
        constraints=(_POSITIVE,),
        module=True,
        doc="Units in every recurrent layer.",
    ),
    ParamSpec(
        "num_layers",
        1,
        type="int",
        constraints=(_POSITIVE,),
        module=True,
        doc='Stacked recurrent layers ("deep" RNN).',
    ),
    ParamSpec(
        "dropout",
        0.0,
        type="float",
        constraints=(_FRACTION,),
        module=True,
        doc="Dropout between stacked layers.",
    ),
    ParamSpec(
        "layer_norm",
        False,
        type='bool or {"between", "cell"}',
        constraints=("boolean", StrOptions({"between", "cell"})),
        module=True,
        doc="""
        ``True`` or ``"between"``: layer normalization of every recurrent
        layer's output sequence (between layers; the fused cells are kept).
        ``"cell"``: layer-normalized cells (Ba, Kiros & Hinton, 2016): inside
        the cell, every gate's pre-activation (input plus hidden projection) is
        normalized, as in the textbook's ``LNSimpleRNNCell``, and so is the
        LSTM cell state before its ``tanh``; this runs the recurrence step by
        step, slower than the fused kernels.
        """,
    ),
    ParamSpec(
        "nonlinearity",
        "tanh",
        type='{"tanh", "relu"}',
        constraints=(StrOptions({"tanh", "relu"}),),
        module=True,
        doc="Activation of the simple RNN cell; ignored by LSTM and GRU.",
    ),
    OUTPUT,
    ParamSpec(
        "recurrent_dropout",
        0.0,
        type="float",
        constraints=(_FRACTION,),
        module=True,
        doc="""
        Dropout on the hidden-to-hidden path, with the same mask at every time
        step of a window (variational dropout, Gal & Ghahramani, 2016); the
        ``recurrent_dropout`` of Keras. Above 0 the recurrence runs step by
        step, slower than the fused kernels.
        """,
    ),
    ParamSpec(
        "decoder",
        False,
        type="bool",
        constraints=("boolean",),
        module=True,
        doc="""
        Encoder-decoder (seq-to-seq) head for ``output="last"``: the recurrent
        layers encode the window, and a decoder with the same cell, size and
        depth starts from the encoder's final state and unrolls the ``H``
        horizons of ``y`` one step at a time, a linear layer giving each step's
        value. The decoder's input is its own previous prediction (zero, the
        scaled mean, at the first step), except under teacher forcing.
        """,
    ),
    ParamSpec(
        "teacher_forcing",
        0.0,
        type="float",
        constraints=(Interval(Real, 0, 1, closed="both"),),
        module=True,
        doc="""
        With ``decoder=True``, the probability (per window and step, in
        training only) of feeding the decoder the true previous target instead
        of its own prediction. Prediction always feeds back its own
        predictions.
        """,
    ),
    ParamSpec(
        "conv_filters",
        None,
        type="int",
        constraints=(_POSITIVE, None),
        module=True,
        doc="""
        Filters of a causal 1-D convolution (linear, like Keras' ``Conv1D``
        default) that reads the window before the recurrent layers. None: no
        convolution.
        """,
    ),
    ParamSpec(
        "conv_kernel_size",
        3,
        type="int",
        constraints=(_POSITIVE,),
        module=True,
        doc="""
        Time steps seen by each convolution output (zero padding before the
        window's first step, as for missing leading steps).
        """,
    ),
    ParamSpec(
        "conv_stride",
        1,
        type="int",
        constraints=(_POSITIVE,),
        module=True,
        doc="""
        Stride of the convolution; the recurrent layers then read every
        ``conv_stride``-th step, counted back from the last one. With
        ``output="sequence"``, only those steps are trained and predicted: the
        targets of steps ``n_steps - 1``, ``n_steps - 1 - conv_stride``, ...
        are used, the predictions of the other steps are NaN.
        """,
    ),
    ParamSpec(
        "weight_init",
        "pytorch",
        type='{"keras", "pytorch", "zero_head"}',
        constraints=(StrOptions({"keras", "pytorch", "zero_head"}),),
        module=True,
        doc="""
        How the weights start. ``"pytorch"``: PyTorch's layer defaults
        (uniform in ``±1/sqrt(hidden_size)``, biases included). ``"keras"``:
        Glorot-uniform input, convolution and output weights, orthogonal
        recurrent weights, zero biases and an LSTM forget-gate bias of one
        (Keras' defaults; Saxe et al., 2014; Jozefowicz et al., 2015), to
        reproduce a Keras model. Neither wins everywhere: see the user guide.
        ``"zero_head"``: PyTorch's defaults with the output layer at zero, so
        that an untrained network forecasts the mean of the training targets
        (with ``window_norm``, the window's level plus the mean change) and
        training moves away from that baseline only as far as the data
        support; the default network of the sktime face uses it.
        """,
    ),
    ParamSpec(
        "ensemble_size",
        1,
        type="int",
        constraints=(_POSITIVE,),
        module=True,
        doc="""
        Networks trained side by side from different random starts, whose
        median is the prediction: an ensemble in one estimator. The members
        are trained together, their weights stacked along a member
        dimension, each member as it would be alone (its own gradient and
        gradient clipping). On CPU, 5 members of 16 to 64 units cost 1.3 to
        2.5 times one GRU or simple RNN, and 1.9, 3.3 and 6.6 times one LSTM
        of 16, 32 and 64 units, whose single network runs oneDNN's fused
        kernel (see the benchmarks). Only for plain stacked cells (no
        ``decoder``, ``conv_filters``, ``layer_norm`` or
        ``recurrent_dropout``).
        """,
    ),
)


class RecurrentForecaster(BaseWindowForecaster):
    """Recurrent neural network forecaster (simple RNN, LSTM or GRU).

    Each row of ``X`` is a window of past time steps, oldest first; the network
    reads the window and predicts the target of that row: one value (one step
    ahead), ``H`` values (``H`` horizons at once), or one value per step
    (``output="sequence"``). Training runs through a skorch
    :class:`~skorch.regressor.NeuralNetRegressor`, kept as ``net_``.

    Parameters
    ----------
    %(parameters)s

    Attributes
    ----------
    %(attributes)s

    See Also
    --------
    LSTMForecaster, GRUForecaster, SimpleRNNForecaster : The same with a fixed cell.
    WaveNetForecaster : Dilated causal convolutions instead of recurrent layers.
    skrnn.LagWindowTransformer : Builds the windows from a time-ordered table.

    Notes
    -----
    Leading time steps with a NaN in any feature mean "no history yet" (the first
    rows of a series): the network reads only the observed steps, as a shorter
    sequence, never as zeros. A NaN after an observed step, or any infinity, is a
    ``ValueError`` naming the row and step.

    Examples
    --------
    >>> import numpy as np
    >>> from skrnn import RecurrentForecaster
    >>> series = np.sin(np.arange(60) / 4)
    >>> X = np.lib.stride_tricks.sliding_window_view(series[:-1], 10)
    >>> y = series[10:]
    >>> model = RecurrentForecaster(cell="gru", hidden_size=8, max_epochs=2,
    ...                             random_state=0).fit(X, y)
    >>> model.predict(X[-3:]).shape
    (3,)
    """

    _param_specs = RECURRENT_PARAMS + TRAINING_PARAMS
    _module_class = RecurrentNetwork

    def _module_callbacks(self):
        if self.ensemble_size > 1 and self.gradient_clip is not None:
            return [("clip_member_gradients", ClipMemberGradients(self.gradient_clip))]
        return []

    def _module_clips_gradients(self):
        # an ensemble clips each member's gradient on its own
        return self.ensemble_size > 1

    def _feeds_targets(self):
        return self.decoder and self.teacher_forcing > 0

    def _skips_steps(self):
        return self.conv_filters is not None and self.conv_stride > 1

    def _network_width(self):
        return self.hidden_size * self.ensemble_size


class LSTMForecaster(RecurrentForecaster):
    """Long short-term memory (LSTM) forecaster.

    :class:`RecurrentForecaster` with ``cell="lstm"``: gates decide what the
    cell state keeps, which lets the network carry information across long
    windows.

    Parameters
    ----------
    %(parameters)s

    Attributes
    ----------
    %(attributes)s

    See Also
    --------
    GRUForecaster, SimpleRNNForecaster, RecurrentForecaster

    Examples
    --------
    >>> import numpy as np
    >>> from skrnn import LSTMForecaster
    >>> X = np.random.default_rng(0).normal(size=(40, 12, 2))
    >>> y = X[:, -1, 0]
    >>> LSTMForecaster(hidden_size=8, max_epochs=2, random_state=0).fit(X, y).predict(
    ...     X[:2]).shape
    (2,)
    """

    _fixed = {"cell": "lstm", "nonlinearity": "tanh"}


class GRUForecaster(RecurrentForecaster):
    """Gated recurrent unit (GRU) forecaster.

    :class:`RecurrentForecaster` with ``cell="gru"``: fewer gates than an LSTM,
    often as accurate and faster to train.

    Parameters
    ----------
    %(parameters)s

    Attributes
    ----------
    %(attributes)s

    See Also
    --------
    LSTMForecaster, SimpleRNNForecaster, RecurrentForecaster

    Examples
    --------
    >>> import numpy as np
    >>> from skrnn import GRUForecaster
    >>> X = np.random.default_rng(0).normal(size=(40, 12))
    >>> GRUForecaster(hidden_size=8, max_epochs=2, random_state=0).fit(
    ...     X, X[:, -1]).predict(X[:2]).shape
    (2,)
    """

    _fixed = {"cell": "gru", "nonlinearity": "tanh"}


class SimpleRNNForecaster(RecurrentForecaster):
    """Simple (Elman) recurrent network forecaster.

    :class:`RecurrentForecaster` with ``cell="rnn"``:
    ``h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)``, PyTorch's ``nn.RNN``.

    Parameters
    ----------
    %(parameters)s

    Attributes
    ----------
    %(attributes)s

    See Also
    --------
    LSTMForecaster, GRUForecaster, RecurrentForecaster

    Examples
    --------
    >>> import numpy as np
    >>> from skrnn import SimpleRNNForecaster
    >>> X = np.random.default_rng(0).normal(size=(40, 12))
    >>> SimpleRNNForecaster(hidden_size=8, max_epochs=2, random_state=0).fit(
    ...     X, X[:, -1]).predict(X[:2]).shape
    (2,)
    """

    _fixed = {"cell": "rnn"}
