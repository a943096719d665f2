"""Recurrent forecasters with the scikit-learn estimator contract."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import contextlib
import copy
import threading
import warnings
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data
from skorch.callbacks import EarlyStopping, GradientNormClipping

from skrnn._network import EnsembleBlocks, RecurrentNetwork, TeacherForcing
from skrnn._threads import resolve_threads, torch_threads
from skrnn._training import (
    BatchIterator,
    RaiseOnNonFiniteLoss,
    TailSplit,
    WindowDataset,
    WindowLoss,
    WindowNet,
    check_device,
    eval_batch_size,
    predict_windows,
)
from skrnn._validation import check_numeric_columns, check_window_columns
from skrnn._windows import (
    as_windows,
    check_window_values,
    nan_moments,
    window_levels,
)

_OPTIMIZERS = {
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "sgd": torch.optim.SGD,
    "rmsprop": torch.optim.RMSprop,
}
_DTYPES = {"float32": torch.float32, "float64": torch.float64}


class RecurrentForecaster(RegressorMixin, BaseEstimator):
    """Recurrent neural network forecaster (simple RNN, LSTM or GRU).

    Each row of ``X`` is a window of past time steps, oldest first; the network
    reads the window and predicts the target of that row: one value (one step
    ahead), ``H`` values (``H`` horizons at once), or one value per step
    (``output="sequence"``). Training runs through a skorch
    :class:`~skorch.regressor.NeuralNetRegressor`, kept as ``net_``.

    Parameters
    ----------
    cell : {"lstm", "gru", "rnn"}, default="lstm"
        Recurrent cell: long short-term memory, gated recurrent unit, or the
        simple (Elman) RNN.
    hidden_size : int, default=64
        Units in every recurrent layer.
    num_layers : int, default=1
        Stacked recurrent layers ("deep" RNN).
    dropout : float, default=0.0
        Dropout between stacked layers.
    layer_norm : bool or {"between", "cell"}, default=False
        ``True`` or ``"between"``: layer normalization of every recurrent
        layer's output sequence (between layers; the fused cells are kept).
        ``"cell"``: layer-normalized cells (Ba, Kiros & Hinton, 2016): inside
        the cell, every gate's pre-activation (input plus hidden projection) is
        normalized, as in the textbook's ``LNSimpleRNNCell``, and so is the
        LSTM cell state before its ``tanh``; this runs the recurrence step by
        step, slower than the fused kernels.
    nonlinearity : {"tanh", "relu"}, default="tanh"
        Activation of the simple RNN cell; ignored by LSTM and GRU.
    output : {"last", "sequence"}, default="last"
        ``"last"``: many-to-one, the last hidden state feeds a linear layer with
        one output per horizon; ``y`` is ``(n_samples,)`` or ``(n_samples, H)``.
        ``"sequence"``: many-to-many, the same linear layer at every step (Keras'
        ``return_sequences=True`` + ``TimeDistributed(Dense)``); ``y`` is
        ``(n_samples, n_steps)`` or ``(n_samples, n_steps, H)``.
    recurrent_dropout : float, default=0.0
        Dropout on the hidden-to-hidden path, with the same mask at every time
        step of a window (variational dropout, Gal & Ghahramani, 2016); the
        ``recurrent_dropout`` of Keras. Above 0 the recurrence runs step by step,
        slower than the fused kernels.
    decoder : bool, default=False
        Encoder-decoder (seq-to-seq) head for ``output="last"``: the recurrent
        layers encode the window, and a decoder with the same cell, size and
        depth starts from the encoder's final state and unrolls the ``H``
        horizons of ``y`` one step at a time, a linear layer giving each step's
        value. The decoder's input is its own previous prediction (zero, the
        scaled mean, at the first step), except under teacher forcing.
    teacher_forcing : float, default=0.0
        With ``decoder=True``, the probability (per window and step, in training
        only) of feeding the decoder the true previous target instead of its own
        prediction. Prediction always feeds back its own predictions.
    conv_filters : int, default=None
        Filters of a causal 1-D convolution (linear, like Keras' ``Conv1D``
        default) that reads the window before the recurrent layers. None: no
        convolution.
    conv_kernel_size : int, default=3
        Time steps seen by each convolution output (zero padding before the
        window's first step, as for missing leading steps).
    conv_stride : int, default=1
        Stride of the convolution; the recurrent layers then read every
        ``conv_stride``-th step, counted back from the last one. With
        ``output="sequence"``, only those steps are trained and predicted: the
        targets of steps ``n_steps - 1``, ``n_steps - 1 - conv_stride``, ... are
        used, the predictions of the other steps are NaN.
    weight_init : {"keras", "pytorch", "zero_head"}, default="pytorch"
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
    ensemble_size : int, default=1
        Networks trained side by side from different random starts, whose
        median is the prediction: an ensemble in one estimator. The members
        run as one fused network with block-diagonal weights: at 16 units, 5
        members cost 1.5 to 2.7 times one network; the recurrent matrix grows
        as ``ensemble_size**2``, so from about 32 units separate fits are
        cheaper (see the benchmarks). Only for plain
        stacked cells (no ``decoder``, ``conv_filters``, ``layer_norm`` or
        ``recurrent_dropout``).
    loss : {"mse", "mae", "huber"}, default="mse"
        Training loss on the standardized targets: squared error, absolute
        error (its minimizer is the median; suited to MAE, MASE and sMAPE),
        or Huber's loss (squared below one standard deviation, absolute
        above).
    max_epochs : int, default=100
        Passes over the training windows.
    batch_size : int, default=32
        Windows per gradient step.
    lr : float, default=1e-3
        Learning rate.
    optimizer : {"adam", "adamw", "sgd", "rmsprop"} or torch optimizer class, \
            default="adam"
        Optimizer.
    weight_decay : float, default=0.0
        L2 penalty passed to the optimizer.
    gradient_clip : float, default=None
        Clip the gradient norm to this value (helps simple RNNs on long windows).
    validation_fraction : float, default=None
        Fraction of rows held out for validation, taken from the **end** of the
        training data (the most recent windows). None means 0.1 when
        ``early_stopping=True`` and no validation otherwise.
    early_stopping : bool, default=False
        Stop when the validation loss has not improved for ``patience`` epochs
        and restore the weights of the best epoch.
    patience : int, default=10
        Epochs without improvement before early stopping.
    scale : bool, default=True
        Standardize inputs (per feature) and targets with statistics of the
        training rows only; predictions are transformed back.
    window_norm : {"auto", "last", "mean"} or None, default="auto"
        Per-window (instance) normalization, undone on the predictions (the
        shift of RevIN, Kim et al., 2022): every feature of a window is taken
        relative to its level in that window, its last observed value
        (``"last"``) or its mean over the observed steps (``"mean"``), and the
        targets relative to the level of the **first** feature, which should
        hold the target's own past values, in the units of ``y`` (not scaled
        alone: a warning says when the targets lie far from that level);
        predictions add that level back. A
        network trained at one level then forecasts at another, and a trend
        carries on beyond the training range instead of flattening at its edge.
        ``"auto"``: ``"last"`` for univariate windows (one feature per step),
        None for multivariate ones, where skrnn cannot know which feature is the
        target's history (put it first and ask for ``"last"``), and None with
        ``output="sequence"``, whose earlier steps must not see the window's
        later level (a shift is an error there). None: windows are used as
        given. Standardization (``scale``) applies after this step.
    dtype : {"float32", "float64"}, default="float32"
        Precision of the network and of the batches fed to it. Inputs are not
        upcast on the way: float32 windows stay float32 until a batch is built.
    device : str, default="cpu"
        Torch device, for example ``"cuda"``. A device that this machine or
        this PyTorch build cannot use is a ``ValueError`` at fit time.
    num_threads : int, default=None
        Torch (intra-op) threads of ``fit`` and ``predict``; the previous count
        is restored afterwards. None: one thread for small networks (batch rows
        x hidden units x ``ensemble_size`` below 32,768, the defaults included),
        where more threads only wait for each other, and
        ``torch.get_num_threads()`` for larger ones, which follows
        ``OMP_NUM_THREADS``, ``torch.set_num_threads``, threadpoolctl's
        ``threadpool_limits`` and the limit joblib puts on its worker
        processes (hence on ``GridSearchCV(n_jobs=...)``). A number forces that
        many threads: ``num_threads=1`` on a machine whose cores are busy with
        other work. The thread count changes the rounding of some kernels, so
        bit-identical refits need the same count. See the user guide
        (parallel) for the measurements.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialization, shuffling and dropout. Training runs on a
        forked torch generator, so the global torch random state is untouched.
    verbose : int, default=0
        Print skorch's per-epoch table when positive.
    callbacks : list of skorch callbacks, default=None
        Extra skorch callbacks (instances or ``(name, callback)`` tuples); they are
        copied, never modified.
    n_features : int, default=None
        Features per time step of flattened 2-D ``X`` (step-major columns, as
        written by ``LagWindowTransformer(output="2d")``). None: 2-D ``X`` is one
        univariate window per row.

    Attributes
    ----------
    net_ : skorch.regressor.NeuralNetRegressor
        The trained skorch net; ``net_.module_`` is the torch module.
    history_ : skorch.history.History
        Per-epoch ``train_loss`` (and ``valid_loss`` with a validation split), in
        units of the standardized target when ``scale=True``.
    n_features_in_ : int
        Width of ``X`` as scikit-learn counts it: ``X.shape[1]`` (time steps for
        3-D input, columns for 2-D input).
    feature_names_in_ : ndarray of str
        Column names of a DataFrame ``X``, when it has string column names.
    n_steps_ : int
        Time steps per window.
    n_features_per_step_ : int
        Features per time step.
    n_outputs_ : int
        Outputs per window (``output="last"``) or per step (``"sequence"``).
    x_mean_, x_scale_ : ndarray of shape (n_features_per_step_,)
        Input standardization (zeros and ones when ``scale=False``).
    y_mean_, y_scale_ : ndarray of shape (n_outputs_,)
        Target standardization.
    y_constant_ : ndarray of shape (n_outputs_,)
        For an output whose training target never varied (taken relative to the
        window level under ``window_norm``), that constant, which ``predict``
        returns exactly instead of the network's output; NaN for the others.

    See Also
    --------
    LSTMForecaster, GRUForecaster, SimpleRNNForecaster : The same with a fixed cell.
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

    _parameter_constraints = {
        "cell": [StrOptions({"lstm", "gru", "rnn"})],
        "hidden_size": [Interval(Integral, 1, None, closed="left")],
        "num_layers": [Interval(Integral, 1, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "layer_norm": ["boolean", StrOptions({"between", "cell"})],
        "nonlinearity": [StrOptions({"tanh", "relu"})],
        "output": [StrOptions({"last", "sequence"})],
        "recurrent_dropout": [Interval(Real, 0, 1, closed="left")],
        "decoder": ["boolean"],
        "teacher_forcing": [Interval(Real, 0, 1, closed="both")],
        "conv_filters": [Interval(Integral, 1, None, closed="left"), None],
        "conv_kernel_size": [Interval(Integral, 1, None, closed="left")],
        "conv_stride": [Interval(Integral, 1, None, closed="left")],
        "weight_init": [StrOptions({"keras", "pytorch", "zero_head"})],
        "ensemble_size": [Interval(Integral, 1, None, closed="left")],
        "loss": [StrOptions({"mse", "mae", "huber"})],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "lr": [Interval(Real, 0, None, closed="neither")],
        "optimizer": [StrOptions(set(_OPTIMIZERS)), type],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "gradient_clip": [Interval(Real, 0, None, closed="neither"), None],
        "validation_fraction": [Interval(Real, 0, 1, closed="left"), None],
        "early_stopping": ["boolean"],
        "patience": [Interval(Integral, 1, None, closed="left")],
        "scale": ["boolean"],
        "window_norm": [StrOptions({"auto", "last", "mean"}), None],
        "dtype": [StrOptions(set(_DTYPES))],
        "device": [str, torch.device],
        "num_threads": [Interval(Integral, 1, None, closed="left"), None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "callbacks": [list, None],
        "n_features": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __init__(
        self,
        cell="lstm",
        *,
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
        loss="mse",
        max_epochs=100,
        batch_size=32,
        lr=1e-3,
        optimizer="adam",
        weight_decay=0.0,
        gradient_clip=None,
        validation_fraction=None,
        early_stopping=False,
        patience=10,
        scale=True,
        window_norm="auto",
        dtype="float32",
        device="cpu",
        num_threads=None,
        random_state=None,
        verbose=0,
        callbacks=None,
        n_features=None,
    ):
        self.cell = cell
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.dropout = dropout
        self.layer_norm = layer_norm
        self.nonlinearity = nonlinearity
        self.output = output
        self.recurrent_dropout = recurrent_dropout
        self.decoder = decoder
        self.teacher_forcing = teacher_forcing
        self.conv_filters = conv_filters
        self.conv_kernel_size = conv_kernel_size
        self.conv_stride = conv_stride
        self.weight_init = weight_init
        self.ensemble_size = ensemble_size
        self.loss = loss
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.optimizer = optimizer
        self.weight_decay = weight_decay
        self.gradient_clip = gradient_clip
        self.validation_fraction = validation_fraction
        self.early_stopping = early_stopping
        self.patience = patience
        self.scale = scale
        self.window_norm = window_norm
        self.dtype = dtype
        self.device = device
        self.num_threads = num_threads
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        self.n_features = n_features

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Leading NaN steps are "no history yet"; other NaN raise in fit/predict.
        tags.input_tags.allow_nan = True
        tags.input_tags.three_d_array = True
        tags.target_tags.multi_output = True
        return tags

    # ----------------------------------------------------------------- fitting

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Train a new network on windows ``X`` and targets ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps, n_features) or \
                (n_samples, n_steps) or (n_samples, n_steps * n_features)
            Windows, oldest time step first.
        y : array-like of shape (n_samples,) or (n_samples, n_horizons), or with
            ``output="sequence"`` (n_samples, n_steps) or (n_samples, n_steps,
            n_outputs)
            Targets.

        Returns
        -------
        self : object
            The fitted forecaster.
        """
        return self._fit(X, y, epochs=self.max_epochs)

    def _fit(self, X, y, epochs):
        check_device(self.device)
        X, y, has_missing = self._validate_training_data(X, y, reset=True)
        self.window_norm_ = self._resolve_window_norm()
        levels = self._levels(X)
        if levels is not None:
            _warn_if_level_is_foreign(y, levels[:, 0], self.window_norm_)
        self.y_constant_ = _constant_targets(y, levels)
        if self.scale:
            self.x_mean_, self.x_scale_ = nan_moments(X, levels)
            self.y_mean_, self.y_scale_ = nan_moments(
                y, None if levels is None else levels[:, :1]
            )
        else:
            self.x_mean_ = np.zeros(X.shape[2])
            self.x_scale_ = np.ones(X.shape[2])
            self.y_mean_ = np.zeros(y.shape[-1])
            self.y_scale_ = np.ones(y.shape[-1])
        threads = self._threads(self.batch_size)
        with _seeded(self.random_state, self.device), torch_threads(threads):
            net = self._initialized_net(len(X), has_missing)
            net.partial_fit(self._dataset(X, y, has_missing, levels), epochs=epochs)
        self.net_ = net
        self.history_ = net.history
        return self

    def partial_fit(self, X, y):
        """Train for one more epoch on ``X, y``, starting from the current weights.

        The first call on an unfitted forecaster initializes it like :meth:`fit`
        (with one epoch); later calls keep the network, its optimizer state and
        the scaling statistics of the first call.

        Parameters
        ----------
        X : array-like
            Windows, as in :meth:`fit`.
        y : array-like
            Targets, as in :meth:`fit`.

        Returns
        -------
        self : object
            The updated forecaster.
        """
        if not hasattr(self, "net_"):
            self._validate_params()
            return self._fit(X, y, epochs=1)
        X, y, has_missing = self._validate_training_data(X, y, reset=False)
        if y.shape[-1] != self.n_outputs_:
            raise ValueError(
                f"y has {y.shape[-1]} outputs per window, but the forecaster was "
                f"fitted with {self.n_outputs_}."
            )
        levels = self._levels(X)
        dataset = self._dataset(X, y, has_missing, levels)
        constant = getattr(self, "y_constant_", None)  # absent in older models
        if constant is not None:
            # A target stays constant only if these rows hold the same constant.
            same = constant == _constant_targets(y, levels)
            self.y_constant_ = np.where(same, constant, np.nan)
        # Seed from the epoch count so that successive calls draw new shuffles.
        threads = self._threads(self.batch_size)
        with (
            _seeded(self.random_state, self.device, offset=len(self.history_)),
            torch_threads(threads),
        ):
            self.net_.partial_fit(dataset, epochs=1)
        return self

    def _validate_training_data(self, X, y, reset):
        if isinstance(y, list | tuple):
            y = np.asarray(y)
        y_ndim = getattr(y, "ndim", None)
        if y_ndim == 3:
            # validate_data accepts at most 2-D targets: validate flattened.
            y_shape = y.shape
            y = np.reshape(y, (y_shape[0], -1))
        check_numeric_columns(X)
        check_window_columns(X, self.n_features, type(self).__name__)
        X, y = validate_data(
            self,
            X,
            y,
            reset=reset,
            allow_nd=True,
            dtype=[np.float64, np.float32],
            ensure_all_finite=False,
            multi_output=True,
            y_numeric=True,
        )
        if y_ndim == 3:
            y = y.reshape(y_shape)
        y_shape = y.shape
        X = self._windows(X, reset=reset)
        has_missing = check_window_values(X)
        y = np.asarray(y, dtype=np.float64)
        if len(y) < 1:
            raise ValueError("Found 0 sample(s): at least one window is required.")
        if self.output == "last":
            if y.ndim == 3:
                raise ValueError(
                    f"y has shape {y_shape}: a target per time step needs "
                    "output='sequence'."
                )
            y = y.reshape(len(y), -1)
        else:
            if y.ndim == 1 or y.shape[1] != X.shape[1]:
                raise ValueError(
                    f"output='sequence' needs a target for every time step: y of "
                    f"shape (n_samples, {X.shape[1]}) or (n_samples, {X.shape[1]}, "
                    f"n_outputs); got {y_shape}."
                )
            y = y.reshape(len(y), X.shape[1], -1)
        if reset:
            self._y_ndim = len(y_shape)
            self.n_outputs_ = y.shape[-1]
        return X, y, has_missing

    def _windows(self, X, reset):
        """3-D view of validated ``X``, with the per-step feature count checked."""
        if X.ndim == 2 and X.shape[1] == 0 or X.ndim == 3 and 0 in X.shape[1:]:
            raise ValueError(f"X has shape {X.shape}: windows need at least one step.")
        windows = as_windows(X, self.n_features)
        if reset:
            self.n_steps_ = windows.shape[1]
            self.n_features_per_step_ = windows.shape[2]
        elif windows.shape[1:] != (self.n_steps_, self.n_features_per_step_):
            raise ValueError(
                f"X has windows of {windows.shape[1]} steps x {windows.shape[2]} "
                f"features, but {type(self).__name__} was fitted on "
                f"{self.n_steps_} steps x {self.n_features_per_step_} features."
            )
        return windows

    def _resolve_window_norm(self):
        # Per-step targets (output="sequence"): the window's last value (or its
        # mean) lies after every step but the last, so shifting by it would let
        # step t see the future.
        if self.output == "sequence":
            if self.window_norm in ("last", "mean"):
                raise ValueError(
                    f"window_norm={self.window_norm!r} shifts every step by a level "
                    "that lies in the future of the window's earlier steps, which "
                    "output='sequence' forecasts one by one: use window_norm=None "
                    "(or 'auto') with output='sequence'."
                )
            return None
        if self.window_norm == "auto":
            return "last" if self.n_features_per_step_ == 1 else None
        return self.window_norm

    def _levels(self, X):
        """Per-window levels of ``window_norm_``, or None without it."""
        # Models saved before window_norm existed have no window_norm_.
        how = getattr(self, "window_norm_", None)
        return None if how is None else window_levels(X, how)

    def _threads(self, batch_size):
        """Torch threads for batches of ``batch_size`` windows (``num_threads``)."""
        # WaveNetForecaster has filters instead of hidden_size, no ensemble_size;
        # models saved before num_threads existed have no num_threads.
        width = getattr(self, "hidden_size", None) or getattr(self, "filters", 1)
        work = batch_size * width * getattr(self, "ensemble_size", 1)
        return resolve_threads(getattr(self, "num_threads", None), work)

    def _dataset(self, X, y, has_missing, levels=None):
        y_stats = None
        if y is not None:
            y_stats = (self.y_mean_, self.y_scale_)
        return WindowDataset(
            X,
            y,
            (self.x_mean_, self.x_scale_) if self.scale else None,
            y_stats if self.scale else None,
            has_missing,
            _DTYPES[self.dtype],
            self._levels(X) if levels is None else levels,
        )

    def _validation_fraction(self):
        if self.validation_fraction is None:
            return 0.1 if self.early_stopping else 0.0
        return self.validation_fraction

    def _build_net(self, n_samples, has_missing):
        fraction = self._validation_fraction()
        if self.early_stopping and fraction == 0:
            raise ValueError(
                "early_stopping=True needs validation rows: set "
                "validation_fraction > 0 (or leave it None for 0.1)."
            )
        train_split = None
        if fraction > 0:
            # Purge the rows whose targets overlap the first validation targets.
            if self.output == "last":
                gap = self.n_outputs_ - 1
            else:
                gap = self.n_steps_ - 1
            n_valid = int(np.ceil(n_samples * fraction))
            if n_samples - n_valid - gap < 1:
                raise ValueError(
                    f"validation_fraction={fraction} leaves no training rows out of "
                    f"{n_samples} (n_samples = {n_samples}, with {gap} rows "
                    "purged between training and validation targets). Use more "
                    "data or validation_fraction=0."
                )
            train_split = TailSplit(fraction, gap=gap)

        callbacks = [("raise_on_non_finite_loss", RaiseOnNonFiniteLoss())]
        if self.gradient_clip is not None:
            callbacks.append(
                ("gradient_clip", GradientNormClipping(self.gradient_clip))
            )
        if self.early_stopping:
            callbacks.append(
                (
                    "early_stopping",
                    EarlyStopping(
                        monitor="valid_loss",
                        patience=self.patience,
                        load_best=True,
                        sink=_silent,
                    ),
                )
            )
        callbacks.extend(copy.deepcopy(self.callbacks or []))
        callbacks.extend(self._module_callbacks())
        optimizer = _OPTIMIZERS.get(self.optimizer, self.optimizer)
        masked = self.output == "sequence" and (has_missing or self._skips_steps())
        return WindowNet(
            self._module_class,
            **self._module_params(),
            criterion=WindowLoss,
            criterion__loss=self.loss,
            criterion__masked=masked,
            optimizer=optimizer,
            optimizer__weight_decay=self.weight_decay,
            lr=self.lr,
            max_epochs=self.max_epochs,
            batch_size=self.batch_size,
            train_split=train_split,
            iterator_train=BatchIterator,
            iterator_train__shuffle=True,
            iterator_valid=BatchIterator,
            iterator_valid__batch_size=max(
                self.batch_size, eval_batch_size(self.n_steps_)
            ),
            callbacks=callbacks,
            device=self.device,
            verbose=self.verbose,
        )

    def _initialized_net(self, n_samples, has_missing):
        """Build the skorch net and initialize its module in the chosen precision."""
        check_device(self.device)
        net = self._build_net(n_samples, has_missing)
        net.initialize()
        net.module_.to(_DTYPES[self.dtype])
        return net

    # The torch module and its arguments: subclasses with another architecture
    # (WaveNetForecaster) override these and share everything else.
    _module_class = RecurrentNetwork

    def _module_params(self):
        return dict(
            module__n_features=self.n_features_per_step_,
            module__n_outputs=self.n_outputs_,
            module__cell=self.cell,
            module__hidden_size=self.hidden_size,
            module__num_layers=self.num_layers,
            module__dropout=self.dropout,
            module__layer_norm=self.layer_norm,
            module__nonlinearity=self.nonlinearity,
            module__output=self.output,
            module__recurrent_dropout=self.recurrent_dropout,
            module__decoder=self.decoder,
            module__teacher_forcing=self.teacher_forcing,
            module__conv_filters=self.conv_filters,
            module__conv_kernel_size=self.conv_kernel_size,
            module__conv_stride=self.conv_stride,
            module__weight_init=self.weight_init,
            module__ensemble_size=self.ensemble_size,
        )

    def _module_callbacks(self):
        if self.ensemble_size > 1:
            return [("ensemble_blocks", EnsembleBlocks())]
        if self.decoder and self.teacher_forcing > 0:
            # skorch hands only X to the module: this passes the targets over.
            return [("teacher_forcing", TeacherForcing())]
        return []

    def _skips_steps(self):
        """Whether some steps of output="sequence" get no prediction (NaN)."""
        return self.conv_filters is not None and self.conv_stride > 1

    # -------------------------------------------------------------- prediction

    def predict(self, X):
        """Forecast the target of every window.

        Parameters
        ----------
        X : array-like
            Windows, shaped as in :meth:`fit`.

        Returns
        -------
        y_pred : ndarray of float64
            In the shape of the training ``y``, with ``n_samples`` rows. With
            ``output="sequence"``, steps without history are NaN.
        """
        check_is_fitted(self)
        check_numeric_columns(X)
        frame = X
        n_steps = getattr(X, "shape", (0, self.n_steps_))[1:2]
        if getattr(X, "ndim", 0) == 3 and n_steps != (self.n_steps_,):
            raise ValueError(
                f"X has windows of {n_steps[0]} steps, but {type(self).__name__} "
                f"was fitted on windows of {self.n_steps_} steps: build windows of "
                "the same length (LagWindowTransformer(window=...))."
            )
        X = validate_data(
            self,
            X,
            reset=False,
            allow_nd=True,
            dtype=[np.float64, np.float32],
            ensure_all_finite=False,
        )
        # After validate_data, whose message on renamed columns comes first.
        check_window_columns(frame, self.n_features, type(self).__name__)
        X = self._windows(X, reset=False)
        has_missing = check_window_values(X)
        dataset = self._dataset(X, None, has_missing)
        threads = self._threads(max(self.batch_size, eval_batch_size(self.n_steps_)))
        with torch_threads(threads):
            pred = predict_windows(self.net_, dataset)
        pred *= self.y_scale_
        pred += self.y_mean_
        constant = getattr(self, "y_constant_", None)  # absent in older models
        if constant is not None and not np.isnan(constant).all():
            # A target that never varied in training is that constant (the
            # exact least-squares fit); steps without a prediction stay NaN.
            fixed = ~np.isnan(constant)
            pred[..., fixed] = np.where(
                np.isnan(pred[..., fixed]), np.nan, constant[fixed]
            )
        if dataset.levels is not None:
            pred += dataset.levels[:, :1].reshape(len(pred), *[1] * (pred.ndim - 1))
        if self._y_ndim == 1:
            return pred.reshape(len(pred), -1)[:, 0]
        if self.output == "sequence" and self._y_ndim == 2:
            return pred[..., 0]
        return pred


class _GatedForecaster(RecurrentForecaster):
    """Base of the gated-cell forecasters: the signature without ``nonlinearity``."""

    _cell = None
    _parameter_constraints = {
        name: constraint
        for name, constraint in RecurrentForecaster._parameter_constraints.items()
        if name not in ("cell", "nonlinearity")
    }

    def __init__(
        self,
        *,
        hidden_size=64,
        num_layers=1,
        dropout=0.0,
        layer_norm=False,
        output="last",
        recurrent_dropout=0.0,
        decoder=False,
        teacher_forcing=0.0,
        conv_filters=None,
        conv_kernel_size=3,
        conv_stride=1,
        weight_init="pytorch",
        ensemble_size=1,
        loss="mse",
        max_epochs=100,
        batch_size=32,
        lr=1e-3,
        optimizer="adam",
        weight_decay=0.0,
        gradient_clip=None,
        validation_fraction=None,
        early_stopping=False,
        patience=10,
        scale=True,
        window_norm="auto",
        dtype="float32",
        device="cpu",
        num_threads=None,
        random_state=None,
        verbose=0,
        callbacks=None,
        n_features=None,
    ):
        super().__init__(
            cell=self._cell,
            hidden_size=hidden_size,
            num_layers=num_layers,
            dropout=dropout,
            layer_norm=layer_norm,
            output=output,
            recurrent_dropout=recurrent_dropout,
            decoder=decoder,
            teacher_forcing=teacher_forcing,
            conv_filters=conv_filters,
            conv_kernel_size=conv_kernel_size,
            conv_stride=conv_stride,
            weight_init=weight_init,
            ensemble_size=ensemble_size,
            loss=loss,
            max_epochs=max_epochs,
            batch_size=batch_size,
            lr=lr,
            optimizer=optimizer,
            weight_decay=weight_decay,
            gradient_clip=gradient_clip,
            validation_fraction=validation_fraction,
            early_stopping=early_stopping,
            patience=patience,
            scale=scale,
            window_norm=window_norm,
            dtype=dtype,
            device=device,
            num_threads=num_threads,
            random_state=random_state,
            verbose=verbose,
            callbacks=callbacks,
            n_features=n_features,
        )


class LSTMForecaster(_GatedForecaster):
    """Long short-term memory (LSTM) forecaster.

    :class:`RecurrentForecaster` with ``cell="lstm"``: gates decide what the
    cell state keeps, which lets the network carry information across long
    windows. See :class:`RecurrentForecaster` for every parameter and attribute.

    Parameters
    ----------
    hidden_size, num_layers, dropout, layer_norm, output, recurrent_dropout, \
decoder, teacher_forcing, conv_filters, conv_kernel_size, conv_stride, \
weight_init, ensemble_size, loss, max_epochs, batch_size, lr, optimizer, \
weight_decay, gradient_clip, validation_fraction, early_stopping, patience, \
scale, window_norm, dtype, device, num_threads, random_state, verbose, \
callbacks, n_features
        As in :class:`RecurrentForecaster`.

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

    _cell = "lstm"


class GRUForecaster(_GatedForecaster):
    """Gated recurrent unit (GRU) forecaster.

    :class:`RecurrentForecaster` with ``cell="gru"``: fewer gates than an LSTM,
    often as accurate and faster to train. See :class:`RecurrentForecaster` for
    every parameter and attribute.

    Parameters
    ----------
    hidden_size, num_layers, dropout, layer_norm, output, recurrent_dropout, \
decoder, teacher_forcing, conv_filters, conv_kernel_size, conv_stride, \
weight_init, ensemble_size, loss, max_epochs, batch_size, lr, optimizer, \
weight_decay, gradient_clip, validation_fraction, early_stopping, patience, \
scale, window_norm, dtype, device, num_threads, random_state, verbose, \
callbacks, n_features
        As in :class:`RecurrentForecaster`.

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

    _cell = "gru"


class SimpleRNNForecaster(RecurrentForecaster):
    """Simple (Elman) recurrent network forecaster.

    :class:`RecurrentForecaster` with ``cell="rnn"``:
    ``h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)``, PyTorch's ``nn.RNN``.
    See :class:`RecurrentForecaster` for every parameter and attribute.

    Parameters
    ----------
    hidden_size, num_layers, dropout, layer_norm, nonlinearity, output, \
recurrent_dropout, decoder, teacher_forcing, conv_filters, conv_kernel_size, \
conv_stride, weight_init, ensemble_size, loss, max_epochs, batch_size, lr, \
optimizer, weight_decay, gradient_clip, validation_fraction, early_stopping, \
patience, scale, window_norm, dtype, device, num_threads, random_state, \
verbose, callbacks, n_features
        As in :class:`RecurrentForecaster`.

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

    _parameter_constraints = {
        name: constraint
        for name, constraint in RecurrentForecaster._parameter_constraints.items()
        if name != "cell"
    }

    def __init__(
        self,
        *,
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
        loss="mse",
        max_epochs=100,
        batch_size=32,
        lr=1e-3,
        optimizer="adam",
        weight_decay=0.0,
        gradient_clip=None,
        validation_fraction=None,
        early_stopping=False,
        patience=10,
        scale=True,
        window_norm="auto",
        dtype="float32",
        device="cpu",
        num_threads=None,
        random_state=None,
        verbose=0,
        callbacks=None,
        n_features=None,
    ):
        super().__init__(
            cell="rnn",
            hidden_size=hidden_size,
            num_layers=num_layers,
            dropout=dropout,
            layer_norm=layer_norm,
            nonlinearity=nonlinearity,
            output=output,
            recurrent_dropout=recurrent_dropout,
            decoder=decoder,
            teacher_forcing=teacher_forcing,
            conv_filters=conv_filters,
            conv_kernel_size=conv_kernel_size,
            conv_stride=conv_stride,
            weight_init=weight_init,
            ensemble_size=ensemble_size,
            loss=loss,
            max_epochs=max_epochs,
            batch_size=batch_size,
            lr=lr,
            optimizer=optimizer,
            weight_decay=weight_decay,
            gradient_clip=gradient_clip,
            validation_fraction=validation_fraction,
            early_stopping=early_stopping,
            patience=patience,
            scale=scale,
            window_norm=window_norm,
            dtype=dtype,
            device=device,
            num_threads=num_threads,
            random_state=random_state,
            verbose=verbose,
            callbacks=callbacks,
            n_features=n_features,
        )


def _constant_targets(y, levels):
    """Per output: the value of a target that never varies, else NaN.

    The target is taken as the network learns it: relative to the window level
    (``window_norm``) when there is one. Only the rounding of that level is
    tolerated (4 ulps of its magnitude); without levels, values must be equal.

    Parameters
    ----------
    y : ndarray of shape (n_samples, n_outputs) or (n_samples, n_steps, n_outputs)
        Training targets.
    levels : ndarray of shape (n_samples, n_features) or None
        Window levels; the first feature's is subtracted from the targets.

    Returns
    -------
    ndarray of shape (n_outputs,)
    """
    tolerance = 0.0
    if levels is not None:
        y = y - levels[:, :1].reshape(len(y), *[1] * (y.ndim - 1))
        tolerance = 4 * np.finfo(np.float64).eps * np.abs(levels[:, 0]).max()
    flat = y.reshape(-1, y.shape[-1])
    low, high = flat.min(axis=0), flat.max(axis=0)
    return np.where(high - low <= tolerance, flat.mean(axis=0), np.nan)


def _warn_if_level_is_foreign(y, level, how):
    """Warn when the targets lie far from the level they are taken relative to.

    The shift assumes that the windows' first feature is the target's own past,
    in the units of ``y``. A first feature that was scaled (a ``StandardScaler``
    before the windows) or is another quantity leaves the targets about as far
    from it as their own level: far more than they spread around their median.
    """
    y = y.reshape(len(y), -1)
    distance = np.nanmedian(np.abs(y - level[:, np.newaxis]))
    spread = np.nanmedian(np.abs(y - np.nanmedian(y)))
    if distance > 3 * spread + np.finfo(np.float64).eps * np.nanmax(np.abs(y)):
        warnings.warn(
            f"window_norm={how!r} takes the targets relative to the level of the "
            "windows' first feature, but they lie far from it (median distance "
            f"{distance:.4g}, against a median spread of the targets of "
            f"{spread:.4g}): is the first feature the target's own past, in the "
            "units of y? Scaling X (e.g. StandardScaler before the windows) but "
            "not y breaks this. Put the target's raw past first, or set "
            "window_norm=None.",
            UserWarning,
            stacklevel=4,
        )


def _silent(*args, **kwargs):
    """Swallow skorch's messages (``verbose=0`` must print nothing)."""


# torch's generator is process-global: seeded sections of concurrent threads would
# draw from each other's stream, so they run one at a time.
_SEED_LOCK = threading.RLock()


@contextlib.contextmanager
def _seeded(random_state, device, offset=0):
    """Run torch code on a forked generator seeded from ``random_state``."""
    seed = check_random_state(random_state).randint(np.iinfo(np.int32).max)
    seed = (seed + offset) % np.iinfo(np.int32).max
    device = torch.device(device)
    devices = [device] if device.type == "cuda" else []
    with _SEED_LOCK, torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        yield
