"""How many torch threads a fit or a prediction runs with (``num_threads``)."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import contextlib

import torch

# Batch rows x network width below which one thread is used: ATen's grain
# size. A recurrent cell applies its sigmoids and tanhs to batch x hidden
# slices of its gates, and ATen splits an elementwise operation between
# threads only above 32,768 elements. Below, extra threads split a few larger
# operations (matrix products, the whole gate tensor) and spin or wait for the
# rest. Measured on 2 cores (airline windows, docs/benchmarks.md, "Threads"):
# with a free core, a second thread gained nothing at 2,048 (the defaults,
# batch 32 x hidden 64) and 1.1-1.4x at 8,192-16,384; with the cores busy
# with other work, it made the default LSTM 46x slower (median; 95x in the
# worst round) and cost a 16,384 one a 34 s round against 1.4 s. One thread
# below the grain size gives up the small gain to avoid that risk.
SMALL_WORK = 32768


def auto_threads(work):
    """Threads for ``work`` (batch rows x network width) when none are forced.

    One thread for small networks; otherwise ``torch.get_num_threads()``, which
    already follows ``OMP_NUM_THREADS``, ``torch.set_num_threads``,
    threadpoolctl's ``threadpool_limits`` and the limit joblib sets in its
    worker processes (cores divided by ``n_jobs``). The choice depends on the
    model and on that setting only, never on the machine's momentary load: the
    number of threads changes the rounding of some kernels (an LSTM's
    predictions moved by about 1e-8 between one and two threads), and a fixed
    ``random_state`` must give the same bits on every run.

    Parameters
    ----------
    work : int
        Batch rows times network width (hidden units or filters, times the
        ensemble members).

    Returns
    -------
    int
    """
    if work < SMALL_WORK:
        return 1
    return torch.get_num_threads()


def resolve_threads(num_threads, work):
    """Return the threads of ``num_threads``: forced, or :func:`auto_threads`."""
    if num_threads is not None:
        return int(num_threads)
    return auto_threads(work)


@contextlib.contextmanager
def torch_threads(n):
    """Run the block with ``n`` torch intra-op threads, then restore the count.

    With PyTorch's OpenMP backend (the default of its wheels) the count belongs
    to the calling thread: concurrent threads each set and restore their own.

    Parameters
    ----------
    n : int
        Threads for the block.
    """
    previous = torch.get_num_threads()
    if n == previous:
        yield
        return
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(previous)
