"""The base of every window forecaster, and the parameters they share.

Every skrnn forecaster (:class:`~skrnn.RecurrentForecaster`, its fixed-cell
variants and :class:`~skrnn.WaveNetForecaster`) reads windows of past time steps
and predicts their targets through a skorch net. What they share lives here:

- :class:`ParamSpec`, one declaration per parameter: name, default, constraints
  (scikit-learn's ``_param_validation``), numpydoc type and description, and
  whether it is relayed to the torch module. ``TRAINING_PARAMS`` and ``OUTPUT``
  are shared by every architecture; ``estimators.py`` and ``wavenet.py``
  declare the architecture's own.
- :class:`BaseWindowForecaster`: validation, scaling, seeding, building the
  skorch net, ``fit`` / ``partial_fit`` / ``predict``, and the fitted state that
  persistence stores (``_fitted_state`` / ``_set_fitted_state``). An
  architecture sets ``_param_specs`` (its parameters, in signature order) and
  ``_module_class``, and where needed overrides the hooks
  ``_module_callbacks``, ``_module_clips_gradients``, ``_feeds_targets``,
  ``_skips_steps`` and ``_network_width``. A class with
  a fixed value of some parameters (``LSTMForecaster``: ``cell="lstm"``) sets
  ``_fixed`` instead: those leave its signature and become class attributes.

From the declarations, ``__init_subclass__`` builds each class's ``__init__``,
``_parameter_constraints``, the ``%(parameters)s`` and ``%(attributes)s``
sections of its docstring (with the class's own defaults) and the
``module__*`` relay to the torch module: adding a parameter is one
:class:`ParamSpec` in one list.

Why a generated ``__init__``: scikit-learn finds an estimator's parameters in
the signature of ``__init__`` (``inspect.signature``; no ``**kwargs``), and
``get_params``, ``clone`` and the estimator checks rely on it. Written out by
hand, some thirty parameters were repeated in five signatures and five bodies.
The ``__init__`` built here is compiled from the declarations the way
:mod:`dataclasses` builds its ``__init__``: a real function with real defaults
and keyword-only markers, named after its class, so ``inspect.signature``,
``help()``, ``get_params``, ``clone`` and Python's own ``TypeError`` for an
unknown or extra argument behave exactly as for a hand-written one, at the same
speed. The cost: static type checkers cannot see the signature;
``tests/test_common.py`` checks signatures, constraints and docstrings against
the declarations at run time instead.
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import contextlib
import copy
import keyword
import re
import textwrap
import threading
import warnings
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, validate_data
from skorch.callbacks import EarlyStopping, GradientNormClipping, LRScheduler
from skorch.history import History
from torch.optim.lr_scheduler import CosineAnnealingLR

from skrnn._quantiles import check_quantiles, select_levels
from skrnn._scaling import (
    nan_moments,
    target_past,
    window_levels,
    windows_mean_revert,
)
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
from skrnn._validation import (
    check_not_1d,
    check_numeric_columns,
    check_window_columns,
)
from skrnn._windows import as_windows, check_window_values, restart_at_gaps

OPTIMIZERS = {
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "sgd": torch.optim.SGD,
    "rmsprop": torch.optim.RMSprop,
}
DTYPES = {"float32": torch.float32, "float64": torch.float64}

# ---------------------------------------------------------------- declarations


@dataclass(frozen=True)
class ParamSpec:
    """Declaration of one estimator parameter.

    Parameters
    ----------
    name : str
        Parameter name (keyword argument and attribute).
    default : object
        Default value; a class can use another one through
        ``dataclasses.replace(spec, default=...)``.
    type : str
        Numpydoc type, without the default: ``'int'``, ``'{"a", "b"}'``.
    constraints : tuple
        scikit-learn parameter constraints (``_parameter_constraints``).
    doc : str
        Numpydoc description (dedented on use).
    module : bool, default=False
        Relay the value to the torch module as ``module__<name>``.
    keyword_only : bool, default=True
        Keyword-only in the signature; positional-or-keyword ones come first.
    """

    name: str
    default: object
    type: str
    constraints: tuple
    doc: str
    module: bool = False
    keyword_only: bool = True

    def numpydoc(self):
        """Return the entry of the Parameters section, unindented."""
        default = self.default
        shown = f'"{default}"' if isinstance(default, str) else repr(default)
        description = textwrap.indent(textwrap.dedent(self.doc).strip(), "    ")
        return f"{self.name} : {self.type}, default={shown}\n{description}"


def _positive(kind):
    return Interval(kind, 1, None, closed="left")


# Shared by every architecture, relayed to the torch module.
OUTPUT = ParamSpec(
    "output",
    "last",
    type='{"last", "sequence"}',
    constraints=(StrOptions({"last", "sequence"}),),
    module=True,
    doc="""
    ``"last"``: many-to-one, the network's output at the last step (the last
    hidden state of a recurrent network) feeds a linear layer with one output
    per horizon; ``y`` is ``(n_samples,)`` or ``(n_samples, H)``.
    ``"sequence"``: many-to-many, the same linear layer at every step (Keras'
    ``return_sequences=True`` + ``TimeDistributed(Dense)``; the book's
    ``Conv1D(10, kernel_size=1)`` head for WaveNet); ``y`` is
    ``(n_samples, n_steps)`` or ``(n_samples, n_steps, H)``.
    """,
)

# The training parameters of every window forecaster, in signature order.
TRAINING_PARAMS = (
    ParamSpec(
        "loss",
        "mse",
        type='{"mse", "mae", "huber", "pinball"}',
        constraints=(StrOptions({"mse", "mae", "huber", "pinball"}),),
        doc="""
        Training loss on the standardized targets: squared error, absolute
        error (its minimizer is the median; suited to MAE, MASE and sMAPE),
        Huber's loss (squared below one standard deviation, absolute
        above), or the pinball (quantile) loss of a quantile head, which
        forecasts the ``quantiles`` of every target at once (see
        ``quantiles``).
        """,
    ),
    ParamSpec(
        "quantiles",
        None,
        type="tuple of float or None",
        constraints=(tuple, list, None),
        module=True,
        doc="""
        Quantile levels in (0, 1), 0.5 among them, that a quantile head
        forecasts; needs ``loss="pinball"`` (and ``loss="pinball"`` needs
        them). The network's head then has one output per level and target,
        kept non-decreasing across levels (the median plus or minus softplus
        steps: quantiles never cross), and trains on the pinball loss
        averaged over the levels. ``predict`` returns the median (0.5);
        ``predict_quantiles`` and ``predict_interval`` the trained levels,
        with sktime's names and conventions. An ensemble
        (``ensemble_size > 1``) averages its members' quantiles level by
        level. None: a point forecast.
        """,
    ),
    ParamSpec(
        "max_epochs",
        100,
        type="int",
        constraints=(_positive(Integral),),
        doc="Passes over the training windows.",
    ),
    ParamSpec(
        "max_steps",
        None,
        type="int or None",
        constraints=(_positive(Integral), None),
        doc="""
        A budget of gradient steps: where ``max_epochs`` passes would take
        more, training runs the whole epochs that fit (at least one; the
        cosine schedule spans them), so the cost of a fit stops growing with
        the data. An epoch counts ``ceil(n_windows / batch_size)`` steps
        (windows that start before their series form batches of their own,
        which may add one). ``None``: always ``max_epochs``.
        """,
    ),
    ParamSpec(
        "batch_size",
        32,
        type="int",
        constraints=(_positive(Integral),),
        doc="Windows per gradient step.",
    ),
    ParamSpec(
        "lr",
        1e-3,
        type="float",
        constraints=(Interval(Real, 0, None, closed="neither"),),
        doc="Learning rate.",
    ),
    ParamSpec(
        "lr_schedule",
        "constant",
        type='{"constant", "cosine"}',
        constraints=(StrOptions({"constant", "cosine"}),),
        doc="""
        Learning rate over the epochs: ``"constant"``, or ``"cosine"``, which
        anneals it from ``lr`` towards 0 along half a cosine over
        ``max_epochs`` (Loshchilov & Hutter, 2017), so the last epochs take
        small steps around a minimum instead of jumping across it. Early
        stopping may end training before the rate gets low.
        """,
    ),
    ParamSpec(
        "optimizer",
        "adam",
        type='{"adam", "adamw", "sgd", "rmsprop"} or torch optimizer class',
        constraints=(StrOptions(set(OPTIMIZERS)), type),
        doc="Optimizer.",
    ),
    ParamSpec(
        "weight_decay",
        0.0,
        type="float",
        constraints=(Interval(Real, 0, None, closed="left"),),
        doc="L2 penalty passed to the optimizer.",
    ),
    ParamSpec(
        "gradient_clip",
        None,
        type="float",
        constraints=(Interval(Real, 0, None, closed="neither"), None),
        doc="Clip the gradient norm to this value (helps simple RNNs on long windows).",
    ),
    ParamSpec(
        "validation_fraction",
        None,
        type="float",
        constraints=(Interval(Real, 0, 1, closed="left"), None),
        doc="""
        Fraction of rows held out for validation, taken from the **end** of the
        training data (the most recent windows). None means 0.1 when
        ``early_stopping=True`` and no validation otherwise.
        """,
    ),
    ParamSpec(
        "early_stopping",
        False,
        type="bool",
        constraints=("boolean",),
        doc="""
        Stop when the validation loss has not improved for ``patience`` epochs
        and restore the weights of the best epoch.
        """,
    ),
    ParamSpec(
        "patience",
        10,
        type="int",
        constraints=(_positive(Integral),),
        doc="Epochs without improvement before early stopping.",
    ),
    ParamSpec(
        "scale",
        True,
        type="bool",
        constraints=("boolean",),
        doc="""
        Standardize inputs (per feature) and targets with statistics of the
        training rows only; predictions are transformed back.
        """,
    ),
    ParamSpec(
        "gaps",
        "raise",
        type='{"raise", "restart"}',
        constraints=(StrOptions({"raise", "restart"}),),
        doc="""
        What a window with a gap (a missing step after an observed one) means,
        in ``fit`` and ``predict`` alike. ``"raise"``: an error that says how
        to fill it. ``"restart"``: the window is read as a shorter history
        that starts after its last missing step, as if the series began
        there (the leading-NaN rule applied at the gap); ``X`` is then copied
        once, never changed in place. A window whose last step is missing is
        an error either way.
        """,
    ),
    ParamSpec(
        "window_norm",
        "auto",
        type='{"auto", "last", "mean", "last+level"} or None',
        constraints=(StrOptions({"auto", "last", "mean", "last+level"}), None),
        doc="""
        Per-window (instance) normalization, undone on the predictions (the
        shift of RevIN, Kim et al., 2022): every feature of a window is taken
        relative to its level in that window, its last observed value
        (``"last"``) or its mean over the observed steps (``"mean"``), and the
        targets relative to the level of the **first** feature, which should
        hold the target's own past values, in the units of ``y`` (not scaled
        alone: a warning says when the targets lie far from that level);
        predictions add that level back. A network trained at one level then
        forecasts at another, and a trend carries on beyond the training range
        instead of flattening at its edge. ``"last+level"``: as ``"last"``,
        and the removed level of the first feature (standardized with its
        mean and spread over the training windows, ``level_mean_`` and
        ``level_scale_``) is one more input at every step, so a series that
        reverts to its mean keeps the level that forecasts it while a
        wandering one is still forecast relative to its last value.
        ``"auto"``: ``"last"`` for univariate windows (one feature per step)
        and for multivariate ones whose first feature is the target's own
        past, which ``fit`` recognizes by the training targets reappearing as
        its last values a few rows later (an unscaled column windowed after
        ``make_supervised``; a warning says when another feature is), unless
        the targets revert to a mean level (a Dickey-Fuller test across the
        windows rejects a unit root at 1%: ARMA series, sums of sines), whose
        level the network needs; None for those, for other multivariate
        windows and with ``output="sequence"``, whose earlier steps must not
        see the window's later level (a shift is an error there). None:
        windows are used as given. Standardization (``scale``) applies after
        this step.
        """,
    ),
    ParamSpec(
        "dtype",
        "float32",
        type='{"float32", "float64"}',
        constraints=(StrOptions(set(DTYPES)),),
        doc="""
        Precision of the network and of the batches fed to it. Inputs are not
        upcast on the way: float32 windows stay float32 until a batch is built.
        """,
    ),
    ParamSpec(
        "device",
        "cpu",
        type="str",
        constraints=(str, torch.device),
        doc="""
        Torch device, for example ``"cuda"``. A device that this machine or
        this PyTorch build cannot use is a ``ValueError`` at fit time.
        """,
    ),
    ParamSpec(
        "num_threads",
        None,
        type="int",
        constraints=(_positive(Integral), None),
        doc="""
        Torch (intra-op) threads of ``fit`` and ``predict``; the previous count
        is restored afterwards. None: one thread for small networks (batch rows
        x units per step, ``hidden_size`` x ``ensemble_size`` or ``filters``,
        below 32,768, the defaults included), where more threads only wait for
        each other, and ``torch.get_num_threads()`` for larger ones, which
        follows ``OMP_NUM_THREADS``, ``torch.set_num_threads``, threadpoolctl's
        ``threadpool_limits`` and the limit joblib puts on its worker processes
        (hence on ``GridSearchCV(n_jobs=...)``). A number forces that many
        threads: ``num_threads=1`` on a machine whose cores are busy with other
        work. The thread count changes the rounding of some kernels, so
        bit-identical refits need the same count. See the user guide
        (parallel) for the measurements.
        """,
    ),
    ParamSpec(
        "random_state",
        None,
        type="int, RandomState instance or None",
        constraints=("random_state",),
        doc="""
        Seeds weight initialization, shuffling and dropout. Training runs on a
        forked torch generator, so the global torch random state is untouched.
        """,
    ),
    ParamSpec(
        "verbose",
        0,
        type="int",
        constraints=("verbose",),
        doc="""
        What ``fit`` and ``partial_fit`` print, as in scikit-learn's
        estimators: 0, nothing; 1, skorch's epoch table on stdout, a row as
        each epoch ends (training loss, validation loss when rows are held
        out, seconds), plain text when stdout is not a terminal; 2 or more,
        also a progress bar over each epoch's batches on stderr (tqdm, with
        the latest loss, erased when the epoch ends). It changes nothing in
        training. In a pipeline or a search, set it on the forecaster's step
        (``lstmforecaster__verbose=1``): a search's own ``verbose`` reports
        its folds only.
        """,
    ),
    ParamSpec(
        "callbacks",
        None,
        type="list of skorch callbacks",
        constraints=(list, None),
        doc="""
        Extra skorch callbacks (instances or ``(name, callback)`` tuples); they
        are copied, never modified.
        """,
    ),
    ParamSpec(
        "n_features_per_step",
        None,
        type="int",
        constraints=(_positive(Integral), None),
        doc="""
        Features per time step of flattened 2-D ``X`` (step-major columns, as
        written by ``LagWindowTransformer(flatten=True)``). None: 2-D ``X`` is
        one univariate window per row.
        """,
    ),
)

# The Attributes section of every window forecaster.
ATTRIBUTES_DOC = """\
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
window_norm_ : {"last", "mean", "last+level"} or None
    The per-window normalization applied: ``window_norm`` with ``"auto"``
    resolved.
level_mean_, level_scale_ : float or None
    With ``window_norm_="last+level"``, the standardization of the level
    input (0 and 1 when ``scale=False``); None otherwise.
x_mean_, x_scale_ : ndarray of shape (``n_features_per_step_``,)
    Input standardization (zeros and ones when ``scale=False``).
y_mean_, y_scale_ : ndarray of shape (``n_outputs_``,)
    Target standardization.
quantiles_ : ndarray of shape (n_quantiles,) or None
    The levels of a quantile head (``loss="pinball"``), sorted; None for a
    point forecast.
y_constant_ : ndarray of shape (``n_outputs_``,)
    For an output whose training target never varied (taken relative to the
    window level under ``window_norm``), that constant, which ``predict``
    returns exactly instead of the network's output; NaN for the others."""


def _make_init(cls, specs):
    """Compile the ``__init__`` that stores ``specs`` (as :mod:`dataclasses` does)."""
    args, keyword_only = ["self"], False
    for spec in specs:
        if not spec.name.isidentifier() or keyword.iskeyword(spec.name):
            raise ValueError(f"{cls.__name__}: bad parameter name {spec.name!r}")
        if spec.keyword_only and not keyword_only:
            args.append("*")
            keyword_only = True
        elif not spec.keyword_only and keyword_only:
            raise ValueError(
                f"{cls.__name__}: positional parameter {spec.name!r} follows "
                "keyword-only ones"
            )
        args.append(f"{spec.name}=_defaults[{spec.name!r}]")
    body = [f"    self.{spec.name} = {spec.name}\n" for spec in specs] or ["    pass\n"]
    source = f"def __init__({', '.join(args)}):\n{''.join(body)}"
    namespace = {}
    exec(source, {"_defaults": {s.name: s.default for s in specs}}, namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    return init


def _fill_docstring(doc, specs):
    """Put the Parameters and Attributes entries at their markers in ``doc``."""
    sections = {
        "parameters": "\n".join(spec.numpydoc() for spec in specs),
        "attributes": ATTRIBUTES_DOC,
    }
    return re.sub(
        r"^([ \t]*)%\((parameters|attributes)\)s[ \t]*$",
        lambda m: textwrap.indent(sections[m.group(2)], m.group(1)),
        doc,
        flags=re.MULTILINE,
    )


# ------------------------------------------------------------------ the base


class BaseWindowForecaster(RegressorMixin, BaseEstimator):
    """Base of the window forecasters: everything but the torch module.

    Each row of ``X`` is a window of past time steps, oldest first; the network
    reads the window and predicts the target of that row. Subclasses declare
    ``_param_specs`` and ``_module_class`` (see the module docstring); this
    class has no parameters of its own and is not meant to be instantiated.
    """

    # Parameters, in signature order (ParamSpec); set by each architecture.
    _param_specs = ()
    # Parameters with a fixed value in a subclass (removed from its signature).
    _fixed = {}
    # Names relayed to the torch module as module__<name>, fixed ones included.
    _relayed = ()
    # The torch module; its constructor takes n_features, n_outputs and the
    # relayed parameters.
    _module_class = None
    _parameter_constraints = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        own = vars(cls)
        if "_param_specs" not in own and "_fixed" not in own:
            return  # a plain subclass (a user's) inherits all of it
        if "_param_specs" in own:
            cls._relayed = tuple(spec.name for spec in cls._param_specs if spec.module)
        if "_fixed" in own:
            for name, value in cls._fixed.items():
                setattr(cls, name, value)
            cls._param_specs = tuple(
                spec for spec in cls._param_specs if spec.name not in cls._fixed
            )
        cls._parameter_constraints = {
            spec.name: list(spec.constraints) for spec in cls._param_specs
        }
        if "__init__" not in own:
            cls.__init__ = _make_init(cls, cls._param_specs)
        if own.get("__doc__"):
            cls.__doc__ = _fill_docstring(cls.__doc__, cls._param_specs)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Leading NaN steps are "no history yet"; other NaN raise in fit/predict.
        tags.input_tags.allow_nan = True
        tags.input_tags.three_d_array = True
        tags.target_tags.multi_output = True
        return tags

    # ---------------------------------------------------- architecture hooks

    def _module_params(self):
        """Return the torch module's keyword arguments, as skorch's ``module__*``."""
        params = dict(
            module__n_features=self.n_features_per_step_
            + (self.window_norm_ == "last+level"),
            module__n_outputs=self.n_outputs_,
        )
        for name in self._relayed:
            params[f"module__{name}"] = getattr(self, name)
        return params

    def _module_callbacks(self):
        """Return the skorch callbacks that the torch module needs."""
        return []

    def _module_clips_gradients(self):
        """Whether :meth:`_module_callbacks` apply ``gradient_clip`` themselves."""
        return False

    def _feeds_targets(self):
        """Whether the torch module reads the training targets (``targets=``)."""
        return False

    def _skips_steps(self):
        """Whether some steps of output="sequence" get no prediction (NaN)."""
        return False

    def _network_width(self):
        """Return the units per window and step, which size the thread count."""
        return 1

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
        return self._fit(X, y, epochs=None)

    def _fit(self, X, y, epochs):
        check_device(self.device)
        self.quantiles_ = check_quantiles(self.quantiles, self.loss)
        X, y, has_missing = self._validate_training_data(X, y, reset=True)
        past = target_past(X, y) if self.output == "last" else None
        self.window_norm_ = self._resolve_window_norm(X, y, past)
        levels = self._levels(X)
        if past is not None and past[0] > 0:
            _warn_target_past_not_first(past, self.window_norm)
        elif levels is not None and past is None:
            _warn_if_level_is_foreign(y, levels[:, 0], self.window_norm_)
        self.y_constant_ = _constant_targets(y, levels)
        self.level_mean_ = self.level_scale_ = None
        if self.window_norm_ == "last+level":
            self.level_mean_, self.level_scale_ = 0.0, 1.0
            if self.scale:
                mean, scale = nan_moments(levels[:, :1])
                self.level_mean_, self.level_scale_ = float(mean[0]), float(scale[0])
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
            if epochs is None:
                epochs = net.max_epochs
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
        constant = self.y_constant_
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
        check_not_1d(X, type(self).__name__)
        check_numeric_columns(X)
        check_window_columns(X, self.n_features_per_step, type(self).__name__)
        try:
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
        except ValueError as error:
            if "Input y contains NaN" not in str(error):
                raise
            raise ValueError(
                f"{error} Every window needs observed targets. Target windows "
                "from LagWindowTransformer (for output='sequence') start with "
                "window_length - 1 rows of NaN, where the series has no history "
                "yet: drop those rows from X and y (X[w - 1:], y[w - 1:] for "
                "windows of w steps)."
            ) from None
        if y_ndim == 3:
            y = y.reshape(y_shape)
        y_shape = y.shape
        X = self._windows(X, reset=reset)
        if self.gaps == "restart":
            X = restart_at_gaps(X)
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
        windows = as_windows(X, self.n_features_per_step)
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

    def _resolve_window_norm(self, X, y, past=None):
        # Per-step targets (output="sequence"): the window's last value (or its
        # mean) lies after every step but the last, so shifting by it would let
        # step t see the future.
        if self.output == "sequence":
            if self.window_norm in ("last", "mean", "last+level"):
                raise ValueError(
                    f"window_norm={self.window_norm!r} shifts every step by a level "
                    "that lies in the future of the window's earlier steps, which "
                    "output='sequence' forecasts one by one: use window_norm=None "
                    "(or 'auto') with output='sequence'."
                )
            return None
        if self.window_norm == "auto":
            # Several features: shift only when the first is the target's past.
            first_is_past = past is not None and past[0] == 0
            if self.n_features_per_step_ > 1 and not first_is_past:
                return None
            # a mean-reverting target needs its level, which a shift would hide
            first_target = y.reshape(len(y), -1)[:, 0]
            return None if windows_mean_revert(X[:, :, 0], first_target) else "last"
        return self.window_norm

    def _levels(self, X):
        """Per-window levels of ``window_norm_``, or None without it."""
        how = self.window_norm_
        if how is None:
            return None
        return window_levels(X, "last" if how == "last+level" else how)

    def _threads(self, batch_size):
        """Torch threads for batches of ``batch_size`` windows (``num_threads``)."""
        work = batch_size * self._network_width()
        return resolve_threads(self.num_threads, work)

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
            DTYPES[self.dtype],
            self._levels(X) if levels is None else levels,
            feed_targets=y is not None and self._feeds_targets(),
            level_stats=None
            if self.level_mean_ is None
            else (self.level_mean_, self.level_scale_),
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
        train_split, n_train = None, n_samples
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
            n_train = n_samples - n_valid - gap
        epochs = self._epochs(n_train)

        callbacks = [("raise_on_non_finite_loss", RaiseOnNonFiniteLoss())]
        # before any clipping: they may change the gradients (or clip them)
        callbacks.extend(self._module_callbacks())
        if self.gradient_clip is not None and not self._module_clips_gradients():
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
        if self.lr_schedule == "cosine":
            callbacks.append(
                (
                    "lr_schedule",
                    LRScheduler(CosineAnnealingLR, T_max=epochs),
                )
            )
        callbacks.extend(copy.deepcopy(self.callbacks or []))
        optimizer = OPTIMIZERS.get(self.optimizer, self.optimizer)
        masked = self.output == "sequence" and (has_missing or self._skips_steps())
        return WindowNet(
            self._module_class,
            **self._module_params(),
            criterion=WindowLoss,
            criterion__loss=self.loss,
            criterion__masked=masked,
            criterion__quantiles=(
                None if self.quantiles_ is None else self.quantiles_.tolist()
            ),
            optimizer=optimizer,
            optimizer__weight_decay=self.weight_decay,
            lr=self.lr,
            max_epochs=epochs,
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

    def _epochs(self, n_train):
        """``max_epochs``, or the whole epochs that fit in ``max_steps``."""
        if self.max_steps is None:
            return self.max_epochs
        steps_per_epoch = -(-n_train // self.batch_size)
        return max(1, min(self.max_epochs, self.max_steps // steps_per_epoch))

    def _initialized_net(self, n_samples, has_missing):
        """Build the skorch net and initialize its module in the chosen precision."""
        check_device(self.device)
        net = self._build_net(n_samples, has_missing)
        net.initialize()
        net.module_.to(DTYPES[self.dtype])
        return net

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
            ``output="sequence"``, steps without history are NaN. With
            ``loss="pinball"``, the median: the 0.5 quantile of
            :meth:`predict_quantiles`.
        """
        pred = self._forecast(X)
        if self.quantiles_ is None:
            return pred
        median = select_levels(self.quantiles_, np.array([0.5]))[0]
        return np.ascontiguousarray(pred[..., median])

    def _has_quantile_head(self):
        """Whether ``predict_quantiles`` and ``predict_interval`` exist."""
        if self.loss != "pinball":
            raise AttributeError(
                f"{type(self).__name__} forecasts quantiles only with a quantile "
                "head: set loss='pinball' and quantiles=(0.1, 0.5, 0.9) (the "
                "levels you need) and fit again. Without one, the sktime face "
                "(skrnn.sktime.SktimeRecurrentForecaster) gives conformal intervals."
            )
        return True

    @available_if(_has_quantile_head)
    def predict_quantiles(self, X, alpha=None):
        """Forecast quantiles of the target of every window (a quantile head).

        The name and the meaning of ``alpha`` (quantile levels) are sktime's
        (``BaseForecaster.predict_quantiles``); the result is an array, not
        sktime's DataFrame. Exists only with ``loss="pinball"``. The quantiles
        go through the same window levels and target scaling back as
        :meth:`predict`; both are increasing maps, so the quantiles stay
        non-decreasing along the last axis when ``alpha`` is sorted.

        Parameters
        ----------
        X : array-like
            Windows, shaped as in :meth:`fit`.
        alpha : float or list of float, default=None
            Quantile levels, each one of the trained ``quantiles_`` (a level
            that was not trained is a ``ValueError``: the pinball loss
            calibrates only the levels it trains, so none is interpolated).
            None: all of ``quantiles_``, sorted (sktime's default,
            ``[0.05, 0.95]``, needs those two among the trained levels).

        Returns
        -------
        quantiles : ndarray of float64
            Of shape ``predict(X).shape + (n_alpha,)``: ``quantiles[..., j]``
            is the ``alpha[j]`` quantile, in the order of ``alpha``;
            ``(n_samples, n_alpha)`` for ``y`` of shape ``(n_samples,)``,
            ``(n_samples, n_horizons, n_alpha)`` for several horizons.
        """
        if not hasattr(self, "net_"):
            check_is_fitted(self)
        if self.quantiles_ is None:
            raise ValueError(
                f"This {type(self).__name__} was fitted without a quantile head "
                "(its loss was changed since): fit it again."
            )
        pred = self._forecast(X)
        if alpha is None:
            return pred
        alpha = _check_levels(alpha, "alpha", "quantile levels in (0, 1)")
        return np.ascontiguousarray(pred[..., select_levels(self.quantiles_, alpha)])

    @available_if(_has_quantile_head)
    def predict_interval(self, X, coverage=0.9):
        """Forecast central prediction intervals of every window (a quantile head).

        The name, the meaning of ``coverage`` and its default are sktime's
        (``BaseForecaster.predict_interval``): the interval of coverage ``c``
        runs from the ``(1 - c) / 2`` to the ``(1 + c) / 2`` quantile, which
        must both be among the trained ``quantiles_`` (``coverage=0.8`` needs
        0.1 and 0.9). The result is an array, not sktime's DataFrame; its last
        two axes follow sktime's columns (coverage, then lower and upper).
        Exists only with ``loss="pinball"``.

        Parameters
        ----------
        X : array-like
            Windows, shaped as in :meth:`fit`.
        coverage : float or list of float, default=0.9
            Nominal coverage(s) of the intervals, in (0, 1).

        Returns
        -------
        intervals : ndarray of float64
            Of shape ``predict(X).shape + (n_coverage, 2)``:
            ``intervals[..., k, 0]`` and ``intervals[..., k, 1]`` are the lower
            and upper bounds of the interval of ``coverage[k]``;
            ``(n_samples, n_coverage, 2)`` for ``y`` of shape ``(n_samples,)``.
        """
        coverage = _check_levels(coverage, "coverage", "coverages in (0, 1)")
        alpha = np.stack([(1 - coverage) / 2, (1 + coverage) / 2], axis=-1)
        quantiles = self.predict_quantiles(X, alpha=alpha.ravel().tolist())
        return quantiles.reshape(*quantiles.shape[:-1], len(coverage), 2)

    def _forecast(self, X):
        """Forecast every window: predict's shape, plus the quantiles' axis."""
        if not hasattr(self, "net_"):  # what check_is_fitted finds, quicker
            check_is_fitted(self)
        check_not_1d(X, type(self).__name__)
        check_numeric_columns(X)
        frame = X
        n_steps = getattr(X, "shape", (0, self.n_steps_))[1:2]
        if getattr(X, "ndim", 0) == 3 and n_steps != (self.n_steps_,):
            raise ValueError(
                f"X has windows of {n_steps[0]} steps, but {type(self).__name__} "
                f"was fitted on windows of {self.n_steps_} steps: build windows of "
                "the same length (LagWindowTransformer(window_length=...))."
            )
        if not self._is_plain_array(X):
            X = validate_data(
                self,
                X,
                reset=False,
                allow_nd=True,
                dtype=[np.float64, np.float32],
                ensure_all_finite=False,
            )
        # After validate_data, whose message on renamed columns comes first.
        check_window_columns(frame, self.n_features_per_step, type(self).__name__)
        X = self._windows(X, reset=False)
        if self.gaps == "restart":
            X = restart_at_gaps(X)
        if X.size <= 1 << 16 and np.isfinite(X).all():
            # One pass over a few windows (an online forecast): finite values
            # are all that check_window_values looks for, and it finds none.
            has_missing = False
        else:
            has_missing = check_window_values(X)
        dataset = self._dataset(X, None, has_missing)
        threads = self._threads(max(self.batch_size, eval_batch_size(self.n_steps_)))
        with torch_threads(threads):
            pred = predict_windows(self.net_, dataset)
        # A quantile head adds a last axis: the outputs' axis is the one before.
        # The scale is positive and the level a shift, so quantiles stay ordered.
        quantile = self.quantiles_ is not None
        per_output = (..., np.newaxis) if quantile else (...,)
        pred *= self.y_scale_[per_output]
        pred += self.y_mean_[per_output]
        constant = self.y_constant_
        if constant is not None and not np.isnan(constant).all():
            # A target that never varied in training is that constant (the
            # exact least-squares fit); steps without a prediction stay NaN.
            fixed = ~np.isnan(constant)
            rows = (..., fixed, slice(None)) if quantile else (..., fixed)
            pred[rows] = np.where(
                np.isnan(pred[rows]), np.nan, constant[fixed][per_output]
            )
        if dataset.levels is not None:
            pred += dataset.levels[:, :1].reshape(len(pred), *[1] * (pred.ndim - 1))
        if self._y_ndim == 1:
            if quantile:
                return pred[:, 0]
            return pred.reshape(len(pred), -1)[:, 0]
        if self.output == "sequence" and self._y_ndim == 2:
            return pred[..., 0, :] if quantile else pred[..., 0]
        return pred

    def _is_plain_array(self, X):
        """Whether ``validate_data`` would hand ``X`` back unchanged.

        A float array of the fitted width, from a forecaster fitted without
        column names, is returned as it is; skipping the call matters when
        windows are predicted one at a time (``benchmarks/bench_predict.py``).
        """
        return (
            type(X) is np.ndarray
            and X.dtype in (np.float32, np.float64)
            and X.ndim in (2, 3)
            and len(X) > 0
            and X.shape[1] == self.n_features_in_
            and not hasattr(self, "feature_names_in_")
        )

    # ------------------------------------------------------------- persistence

    def _fitted_state(self):
        """Return what a file must hold to rebuild this fitted forecaster.

        Returns
        -------
        dict
            ``"attributes"``: the fitted attributes other than ``net_`` and
            ``history_`` (arrays, numbers, strings); ``"module"`` and
            ``"optimizer"``: the state dicts of the torch module (on the CPU)
            and of its optimizer, copied; ``"history"``: skorch's history as
            a list;
            ``"masked"``: whether the loss skips missing targets.
        """
        check_is_fitted(self)
        net = self.net_
        attributes = {
            key: value
            for key, value in vars(self).items()
            if key not in ("net_", "history_")
            and (key.endswith("_") or key == "_y_ndim")
        }
        return {
            "attributes": attributes,
            # copies: the forecaster may train on while the state is kept
            "module": {
                key: value.detach().cpu().clone()
                for key, value in net.module_.state_dict().items()
            },
            "optimizer": copy.deepcopy(net.optimizer_.state_dict()),
            "history": net.history.to_list(),
            "masked": bool(getattr(net.criterion_, "masked", False)),
        }

    def _set_fitted_state(self, state):
        """Restore the fitted state of :meth:`_fitted_state` onto this forecaster.

        The parameters must be those of the forecaster it came from.

        Parameters
        ----------
        state : dict
            As returned by :meth:`_fitted_state`.

        Returns
        -------
        self : object
            The fitted forecaster.
        """
        for key, value in state["attributes"].items():
            setattr(self, key, value)
        self._check_stored_weights(state["module"])
        with torch.random.fork_rng(devices=[]):  # initial weights are overwritten
            net = self._initialized_net(
                n_samples=np.iinfo(np.int32).max, has_missing=state["masked"]
            )
        net.module_.load_state_dict(state["module"])
        net.optimizer_.load_state_dict(state["optimizer"])
        net.history = History(state["history"])
        self.net_ = net
        self.history_ = net.history
        return self

    def _check_stored_weights(self, weights):
        """Refuse stored weights that do not fit the network the parameters describe.

        The network is laid out on the "meta" device, which allocates nothing,
        and the layout stops as soon as its parameters hold more than twice as
        many numbers as were stored (an ensemble lays out each member once
        before stacking their weights: at most twice the stored size): an
        edited ``hidden_size`` or ``num_layers`` costs nothing before it is
        refused.
        """
        shapes = {key: tuple(value.shape) for key, value in weights.items()}
        budget = 2 * sum(value.numel() for value in weights.values()) + 1024
        kwargs = {
            key.removeprefix("module__"): value
            for key, value in self._module_params().items()
        }
        laid_out = {}

        def count(module, name, tensor):
            if tensor is not None and tensor.is_meta:
                laid_out[id(module), name] = tensor.numel()
                if sum(laid_out.values()) > budget:
                    raise _TooManyWeightsError

        hook = torch.nn.modules.module.register_module_parameter_registration_hook(
            count
        )
        try:
            with torch.device("meta"):
                module = self._module_class(**kwargs)
            expected = {k: tuple(v.shape) for k, v in module.state_dict().items()}
        except _TooManyWeightsError:
            expected = {}
        finally:
            hook.remove()
        if expected != shapes:
            differ = sorted(
                k for k in {*shapes, *expected} if shapes.get(k) != expected.get(k)
            )
            raise ValueError(
                f"The stored weights of this {type(self).__name__} do not fit the "
                f"network its parameters describe (they differ at {differ[:3]}): "
                "the file was damaged or altered."
            )


class _TooManyWeightsError(Exception):
    """Stops laying out a network that has more weights than were stored."""


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
            stacklevel=5,  # the caller of fit, past scikit-learn's wrapper
        )


def _warn_target_past_not_first(past, asked):
    """Warn that a feature other than the first holds the target's own past.

    ``window_norm`` takes the targets relative to the first feature's level;
    with the target's past elsewhere (``make_supervised(df, "Close")`` on a
    table whose first column is ``Open``), ``"auto"`` leaves the windows as
    they are and the network forecasts levels, and ``"last"`` or ``"mean"``
    measure the targets from another quantity. ``window_norm=None`` asks for
    levels: no warning.
    """
    if asked is None:
        return
    feature, h = past
    if asked == "auto":
        what = (
            "window_norm='auto' shifts windows of several features only when "
            "the first one is the target's past: these windows are used as "
            "given and the network forecasts levels, which on a trending series "
            "(prices) loses to the last value"
        )
        other = " (or pass window_norm=None to keep levels without this warning)"
    else:
        what = (
            f"window_norm={asked!r} takes the targets relative to the first "
            "feature's level, another quantity"
        )
        other = ""
    warnings.warn(
        f"Feature {feature} of the windows is the target's own past (the "
        f"targets reappear as its last values {h} row(s) later), but {what}. "
        "Put that column first in the table the windows are cut from, e.g. "
        "df[['Close', 'Open', 'High', 'Low', 'Volume']] for make_supervised(df, "
        f"'Close'){other}.",
        UserWarning,
        stacklevel=5,  # the caller of fit, past scikit-learn's wrapper
    )


def _check_levels(values, name, what):
    """``alpha`` or ``coverage`` of sktime's interval methods, as a 1-D array."""
    levels = np.atleast_1d(np.asarray(values, dtype=object))
    if not (
        levels.ndim == 1
        and len(levels)
        and all(isinstance(v, Real) and not isinstance(v, bool) for v in levels)
        and all(0 < v < 1 for v in levels)
    ):
        raise ValueError(f"{name} must be a float or a list of {what}; got {values!r}.")
    return levels.astype(np.float64)


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
