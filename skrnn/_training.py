"""The pieces skorch is configured with: data feeding, time-ordered split, loss."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import math
import sys

import numpy as np
import torch
from skorch import NeuralNetRegressor
from skorch.callbacks import Callback, PrintLog, ProgressBar
from torch.nn import functional

from skrnn._quantiles import pinball
from skrnn._scaling import standardize

# Time steps x windows per forward pass when no gradient is needed. The cell's
# input projection for a whole chunk is materialized at once, so chunks that
# fit in cache are faster than large ones and keep memory flat (benchmarked:
# 20,000 windows of 48 steps predict ~1.6x faster in 341-window chunks than in
# 4096-window chunks).
_EVAL_STEPS = 1 << 14


_USE_CPU = (
    "Use device='cpu' (for a saved model: skrnn.persistence.load(path, device='cpu'))"
)


def check_device(device):
    """Raise a ``ValueError`` saying what to do when ``device`` cannot be used.

    Without this check, ``device="cuda"`` on a machine without CUDA fails deep
    inside torch with a bare ``AssertionError`` ("Torch not compiled with CUDA
    enabled"), and a misspelt device with a ``RuntimeError``.

    Parameters
    ----------
    device : str or torch.device
        The ``device`` parameter of a forecaster.
    """
    try:
        device = torch.device(device)
    except RuntimeError as exc:
        raise ValueError(
            f"device={str(device)!r} is not a torch device: use 'cpu', 'cuda', "
            f"'cuda:0', ... or 'mps' ({exc})."
        ) from None
    if device.type == "cuda":
        if not torch.backends.cuda.is_built():
            raise ValueError(
                f"device={str(device)!r}, but this PyTorch ({torch.__version__}) "
                f"was built without CUDA support. {_USE_CPU}, or install a CUDA "
                "build of PyTorch (https://pytorch.org/get-started/locally/)."
            )
        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if count == 0:
            raise ValueError(
                f"device={str(device)!r}, but no CUDA device is available (this "
                "PyTorch has CUDA support; check the GPU driver and "
                f"CUDA_VISIBLE_DEVICES). {_USE_CPU}."
            )
        if device.index is not None and device.index >= count:
            raise ValueError(
                f"device={str(device)!r}, but only {count} CUDA device(s) are "
                f"visible: use an index below {count}. {_USE_CPU}."
            )
    elif device.type == "mps" and not torch.backends.mps.is_available():
        built = torch.backends.mps.is_built()
        reason = (
            "no MPS device is available (MPS needs an Apple-silicon Mac with macOS "
            "12.3 or later)"
            if built
            else f"this PyTorch ({torch.__version__}) was built without MPS support"
        )
        raise ValueError(f"device={str(device)!r}, but {reason}. {_USE_CPU}.")


def eval_batch_size(n_steps):
    """Windows per forward pass at prediction and validation time."""
    return int(min(4096, max(64, _EVAL_STEPS // max(1, n_steps))))


class WindowDataset(torch.utils.data.Dataset):
    """Windows and targets, scaled and converted one batch at a time.

    Keeping ``X`` as given (often a strided view of one series) and gathering a
    batch only when it is needed keeps memory proportional to the series, not to
    ``n_samples * n_steps``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_steps, n_features)
        Windows, possibly with leading NaN steps (no history yet).
    y : ndarray of shape (n_samples, n_outputs) or (n_samples, n_steps, n_outputs)
        Targets, or None at prediction time.
    x_stats, y_stats : tuple of ndarray or None
        ``(mean, scale)`` used to standardize inputs and targets; None to pass
        values through.
    has_missing : bool
        Whether some windows have missing leading steps; if not, batches skip
        the per-batch NaN handling.
    dtype : torch.dtype
        Dtype of the batches handed to the network.
    levels : ndarray of shape (n_samples, n_features), default=None
        Per-window levels (``window_norm``), subtracted from every step of each
        feature before standardization; the first feature's level is also
        subtracted from the targets. None: windows are used as they are.
    feed_targets : bool, default=False
        Also hand the batch's (scaled) targets to the module, as its
        ``targets`` argument: a decoder trained with teacher forcing reads
        them. skorch passes a dict batch to the module as keyword arguments.
    level_stats : tuple of float, default=None
        ``(mean, scale)`` of the first feature's levels: the level removed
        from every window, standardized with them, is appended to each step
        as one more feature (``window_norm="last+level"``). None: not.
    """

    def __init__(
        self,
        X,
        y,
        x_stats,
        y_stats,
        has_missing,
        dtype,
        levels=None,
        feed_targets=False,
        level_stats=None,
    ):
        self.X = X
        self.y = y
        self.x_stats = x_stats
        self.y_stats = y_stats
        self.has_missing = has_missing
        self.dtype = dtype
        self.levels = levels
        self.feed_targets = feed_targets
        self.level_stats = level_stats
        self._short = None

    def __len__(self):
        return len(self.X)

    def __getitem__(self, i):
        return self.batch(slice(i, i + 1))

    def subset(self, rows):
        """Return the dataset restricted to a slice of rows."""
        y = None if self.y is None else self.y[rows]
        levels = None if self.levels is None else self.levels[rows]
        return WindowDataset(
            self.X[rows],
            y,
            self.x_stats,
            self.y_stats,
            self.has_missing,
            self.dtype,
            levels,
            self.feed_targets,
            self.level_stats,
        )

    def short_rows(self):
        """Mask of the windows with missing leading steps, or None if there are none.

        Only leading steps may be missing, so the first step tells; computed once.
        """
        if not self.has_missing:
            return None
        if self._short is None:
            self._short = np.isnan(self.X[:, 0, :]).any(axis=1)
        return self._short

    def batch(self, rows):
        """Gather, scale and convert the rows ``rows`` (a slice or an index array).

        Returns
        -------
        Xb : torch.Tensor or dict
            The windows, or ``{"x": windows, "lengths": observed steps}`` when some
            leading steps are missing, with ``"targets"`` when ``feed_targets``.
        yb : torch.Tensor or None
        """
        x_level = y_level = None
        if self.levels is not None:
            level = self.levels[rows]
            x_level = level[:, np.newaxis, :]
            y_level = level[:, :1]
        x = standardize(self.X[rows], self.x_stats, self.dtype, x_level)
        if self.level_stats is not None:
            removed = standardize(level[:, :1], self.level_stats, self.dtype)
            x = torch.cat([x, removed[:, None, :].expand(-1, x.shape[1], -1)], dim=2)
        y = None
        if self.y is not None:
            y_rows = self.y[rows]
            if y_level is not None:
                y_level = y_level.reshape(len(y_rows), *[1] * (y_rows.ndim - 1))
            y = standardize(y_rows, self.y_stats, self.dtype, y_level)
        inputs = {"x": x}
        if self.has_missing:
            missing = torch.isnan(x).any(dim=2)
            if missing.any():
                inputs["lengths"] = x.shape[1] - missing.sum(dim=1)
                inputs["x"] = torch.nan_to_num(x, nan=0.0)
        if self.feed_targets and y is not None:
            inputs["targets"] = y
        return (x if len(inputs) == 1 else inputs), y


class BatchIterator:
    """Iterate over whole-tensor batches of a :class:`WindowDataset`.

    Unlike ``torch.utils.data.DataLoader``, a batch is gathered with one indexing
    operation instead of collating samples one by one.

    Parameters
    ----------
    dataset : WindowDataset
        Data to iterate over.
    batch_size : int
        Rows per batch.
    shuffle : bool, default=False
        Visit rows in a random order drawn from torch's (seeded) generator;
        windows with missing leading steps then form batches of their own.
    """

    def __init__(self, dataset, batch_size, shuffle=False):
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = shuffle

    def __len__(self):
        if self.shuffle:
            return len(self._batches(np.arange(len(self.dataset))))
        return math.ceil(len(self.dataset) / self.batch_size)

    def _batches(self, order):
        """Cut ``order`` into batches; windows without full history go apart.

        A batch holding one window without full history takes the network's
        packed-sequence path (several times slower to train on CPU); grouping
        those windows keeps every other batch on the fused path.
        """
        size = self.batch_size
        short = self.dataset.short_rows()
        groups = [order]
        if short is not None and 0 < short.sum() < len(short):
            groups = [order[~short[order]], order[short[order]]]
        return [g[i : i + size] for g in groups for i in range(0, len(g), size)]

    def __iter__(self):
        n = len(self.dataset)
        if not self.shuffle:
            for start in range(0, n, self.batch_size):
                yield self.dataset.batch(slice(start, min(start + self.batch_size, n)))
            return
        batches = self._batches(torch.randperm(n).numpy())
        if self.dataset.short_rows() is not None:
            # Interleave the groups' batches at random.
            batches = [batches[i] for i in torch.randperm(len(batches)).tolist()]
        for rows in batches:
            yield self.dataset.batch(rows)


def predict_windows(net, dataset):
    """Forward every window of ``dataset`` through ``net``; float64 numpy output.

    Unlike skorch's ``forward``, which concatenates a list of per-batch tensors,
    each batch is written into one array allocated up front: the many small
    tensors kept alive between large temporary buffers fragmented the heap
    (peak RSS grew with the number of windows).

    Windows that fit in one batch (an online forecast: one window per call)
    skip the iterator and skorch's per-call set-up, which cost more than the
    forward pass of a small network: the same batch goes through the same
    ``net.infer``, with the module in evaluation mode and no autograd, as in
    skorch's ``evaluation_step``.
    """
    if len(dataset) <= net.iterator_valid__batch_size:
        Xb, _ = dataset.batch(slice(0, len(dataset)))
        module = net.module_
        if any(m.training for m in module.modules()):
            module.eval()  # each call of train() walks and sets every submodule
        with torch.no_grad():
            pred = net.infer(Xb)
        return pred.cpu().numpy().astype(np.float64)
    out = None
    start = 0
    for batch in net.get_iterator(dataset, training=False):
        pred = net.evaluation_step(batch, training=False).detach().to("cpu")
        if out is None:
            out = np.empty((len(dataset), *pred.shape[1:]), dtype=np.float64)
        out[start : start + len(pred)] = pred.numpy()
        start += len(pred)
    return out


class TailSplit:
    """Validate on the last rows in time, never on the past.

    skorch's default ``ValidSplit(5)`` is a K-fold split whose validation rows are
    the oldest ones, which lets a forecaster validate on the past.

    Parameters
    ----------
    fraction : float
        Fraction of rows, taken from the end, used for validation.
    gap : int, default=0
        Training rows dropped just before the validation rows, so that no training
        target overlaps a validation target (multi-step and per-step targets).
    """

    def __init__(self, fraction, gap=0):
        self.fraction = fraction
        self.gap = gap

    def __call__(self, dataset, y=None, **fit_params):
        """Split ``dataset`` into training rows and the validation tail."""
        n = len(dataset)
        n_valid = int(math.ceil(n * self.fraction))
        n_train = n - n_valid - self.gap
        return dataset.subset(slice(0, n_train)), dataset.subset(slice(n - n_valid, n))


_LOSSES = {
    "mse": functional.mse_loss,
    "mae": functional.l1_loss,
    "huber": functional.huber_loss,
}


class WindowLoss(torch.nn.Module):
    """Training loss of the window networks.

    Parameters
    ----------
    loss : {"mse", "mae", "huber"}, default="mse"
        Squared error, absolute error, or Huber's loss (squared below 1,
        absolute above, in standardized units).
    masked : bool, default=False
        Skip the NaN predictions of steps without history (``output=
        "sequence"``), at the cost of an indexing step per batch.
    quantiles : sequence of float, default=None
        The levels of a quantile head, whose predictions have a last axis of
        one quantile per level: the loss is then the pinball loss, averaged
        over levels, outputs and rows (``loss`` is not used). None: point
        predictions.

    Notes
    -----
    An ensemble's network returns every member's output in training, with a
    member dimension before the outputs. Each member then gets the gradient of
    its own loss, as if it were trained alone (the gradient of the mean of
    the members' losses would give each member ``1 / ensemble_size`` of it,
    which changes what gradient clipping and plain SGD do); the value
    reported is the mean of the members' losses. In evaluation the network
    returns the members' median (with a quantile head, the mean of their
    quantiles of each level), compared with the targets as they are.
    """

    def __init__(self, loss="mse", masked=False, quantiles=None):
        super().__init__()
        self.loss = loss
        self.masked = masked
        self.quantiles = quantiles
        self._levels = None
        if quantiles is not None:
            self._levels = torch.tensor(sorted(float(q) for q in quantiles))

    def _errors(self, y_pred, y_true, reduction="mean"):
        if self._levels is None:
            return _LOSSES[self.loss](y_pred, y_true, reduction=reduction)
        levels = self._levels
        if levels.dtype != y_pred.dtype or levels.device != y_pred.device:
            levels = self._levels = levels.to(y_pred)
        errors = pinball(y_pred, y_true, levels)
        return errors.mean() if reduction == "mean" else errors

    def forward(self, y_pred, y_true):
        """Compute the loss."""
        # the quantiles' axis, then the members' (before the outputs)
        quantile_axes = 0 if self._levels is None else 1
        if quantile_axes:
            y_true = y_true.unsqueeze(-1)
        if y_pred.ndim == y_true.ndim + 1:
            member = y_pred.ndim - 2 - quantile_axes
            y_true = y_true.unsqueeze(member)
            shape = list(y_pred.shape)
            if quantile_axes:
                shape[-1] = 1
            return self._members_loss(y_pred, y_true.expand(shape), member)
        if self.masked and quantile_axes:
            observed = ~torch.isnan(y_pred)
            y_true = y_true.expand_as(y_pred)
            errors = self._errors(
                torch.where(observed, y_pred, y_true), y_true, reduction="none"
            )
            return errors.sum() / observed.sum()
        if self.masked:
            observed = ~torch.isnan(y_pred)
            y_pred, y_true = y_pred[observed], y_true[observed]
        return self._errors(y_pred, y_true)

    def _members_loss(self, y_pred, y_true, member):
        """Each member's loss apart: their sum's gradient, their mean's value."""
        others = [dim for dim in range(y_pred.ndim) if dim != member]
        if self.masked:
            observed = ~torch.isnan(y_pred)
            # a prediction equal to its target adds nothing, nor any gradient
            errors = self._errors(
                torch.where(observed, y_pred, y_true), y_true, reduction="none"
            )
            losses = errors.sum(others) / observed.sum(others)
        else:
            losses = self._errors(y_pred, y_true, reduction="none").mean(others)
        total = losses.sum()
        return total - (total - losses.mean()).detach()


class RaiseOnNonFiniteLoss(Callback):
    """Stop training with a clear error as soon as the training loss is NaN or inf."""

    def on_batch_end(self, net, batch=None, training=None, **kwargs):
        """Check the loss just recorded by skorch."""
        if not training:
            return
        loss = net.history[-1]["batches"][-1]["train_loss"]
        if not math.isfinite(loss):
            raise ValueError(
                f"Training diverged: the loss became {loss} in epoch "
                f"{len(net.history)}. Lower the learning rate (lr), set "
                "gradient_clip (for example 1.0), or keep scale=True so that "
                "inputs and targets are standardized."
            )


class TerminalPrintLog(PrintLog):
    """skorch's epoch table, coloured only when stdout is a terminal.

    skorch highlights every new best loss with ANSI colour codes, which a log
    file or a captured output shows as raw ``ESC[36m`` sequences.
    """

    def format_row(self, row, key, color):
        """Format one cell of the table, without colour outside a terminal."""
        isatty = getattr(sys.stdout, "isatty", None)  # sys.stdout may be None
        if not (isatty and isatty()):
            # skorch colours a cell only when the row marks it "<key>_best"
            row = {key: row[key]}
        return super().format_row(row, key, color)


class BatchProgressBar(ProgressBar):
    """skorch's progress bar, counting the batches skrnn's iterators yield.

    skorch's ``"auto"`` count divides the rows by the batch size; windows
    without full history form batches of their own, so an epoch can take one
    batch more. The iterators say how many they yield, without drawing from
    the random generator, so the bar changes nothing in training.
    """

    def _get_batches_per_epoch_phase(self, net, dataset, training):
        if dataset is None:
            return 0
        return len(net.get_iterator(dataset, training=training))


class WindowNet(NeuralNetRegressor):
    """skorch's regressor with an epoch table fit for logs.

    Training runs through skorch's own loop, hooks and per-batch train/eval
    mode; the only changes are what ``verbose`` shows: the epoch table is
    plain text when stdout is not a terminal, and ``verbose >= 2`` adds a
    progress bar over each epoch's batches, closed before the epoch's row of
    the table is printed.
    """

    @property
    def _default_callbacks(self):
        # skorch's own subclasses extend this property the same way
        callbacks = []
        for name, callback in super()._default_callbacks:
            if name == "print_log":
                if self.verbose >= 2:
                    callbacks.append(("progress_bar", BatchProgressBar()))
                callback = TerminalPrintLog()
            callbacks.append((name, callback))
        return callbacks


class ClipMemberGradients(Callback):
    """Clip the gradient of each member of an ensemble on its own.

    Parameters
    ----------
    max_norm : float
        Largest gradient norm of a member.
    """

    def __init__(self, max_norm):
        self.max_norm = max_norm

    def on_grad_computed(self, net, named_parameters=None, **kwargs):
        """Clip before the optimizer step."""
        net.module_.clip_member_gradients(self.max_norm)
