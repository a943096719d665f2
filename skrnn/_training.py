"""The pieces skorch is configured with: data feeding, time-ordered split, loss."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import math

import numpy as np
import torch
from skorch.callbacks import Callback
from torch.nn import functional


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
    """

    def __init__(self, X, y, x_stats, y_stats, has_missing, dtype):
        self.X = X
        self.y = y
        self.x_stats = x_stats
        self.y_stats = y_stats
        self.has_missing = has_missing
        self.dtype = dtype

    def __len__(self):
        return len(self.X)

    def __getitem__(self, i):
        return self.batch(slice(i, i + 1))

    def subset(self, rows):
        """Return the dataset restricted to a slice of rows."""
        y = None if self.y is None else self.y[rows]
        return WindowDataset(
            self.X[rows], y, self.x_stats, self.y_stats, self.has_missing, self.dtype
        )

    def batch(self, rows):
        """Gather, scale and convert the rows ``rows`` (a slice or an index array).

        Returns
        -------
        Xb : torch.Tensor or dict
            The windows, or ``{"x": windows, "lengths": observed steps}`` when some
            leading steps are missing.
        yb : torch.Tensor or None
        """
        x = _standardize(self.X[rows], self.x_stats, self.dtype)
        y = None
        if self.y is not None:
            y = _standardize(self.y[rows], self.y_stats, self.dtype)
        if not self.has_missing:
            return x, y
        missing = torch.isnan(x).any(dim=2)
        if not missing.any():
            return x, y
        lengths = x.shape[1] - missing.sum(dim=1)
        return {"x": torch.nan_to_num(x, nan=0.0), "lengths": lengths}, y


def _standardize(a, stats, dtype):
    """Scale in the input's precision, then cast: 1e12-sized prices keep their moves."""
    if stats is not None:
        mean, scale = stats
        a = (np.asarray(a, dtype=np.float64) - mean) / scale
    return torch.as_tensor(np.ascontiguousarray(a), dtype=dtype)


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
        Visit rows in a random order drawn from torch's (seeded) generator.
    """

    def __init__(self, dataset, batch_size, shuffle=False):
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = shuffle

    def __len__(self):
        return math.ceil(len(self.dataset) / self.batch_size)

    def __iter__(self):
        n = len(self.dataset)
        order = torch.randperm(n).numpy() if self.shuffle else None
        for start in range(0, n, self.batch_size):
            stop = min(start + self.batch_size, n)
            rows = slice(start, stop) if order is None else order[start:stop]
            yield self.dataset.batch(rows)


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


def masked_mse_loss(y_pred, y_true):
    """Mean squared error over the steps that have a prediction (non-NaN)."""
    observed = ~torch.isnan(y_pred)
    return functional.mse_loss(y_pred[observed], y_true[observed])


class MaskedMSELoss(torch.nn.Module):
    """:func:`masked_mse_loss` as a criterion module (steps without history)."""

    def forward(self, y_pred, y_true):
        """Compute the loss."""
        return masked_mse_loss(y_pred, y_true)


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
