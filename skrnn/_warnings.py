"""Warnings raised many times over, said once each.

A backtest refits every model at every origin and the sktime face's seasonal
pair runs two forecasters on the same data, so one warning of a library (or
of skrnn) would repeat once per fit or member.
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import contextlib
import warnings


@contextlib.contextmanager
def warnings_once(activity=None, drop=None):
    """Warn once per distinct warning raised inside, from where it was first raised.

    Inside, every warning is recorded; filters the caller set still apply
    (what they ignore is not recorded, what they turn into errors raises).

    ``warnings.catch_warnings`` swaps the process-wide filters and
    ``showwarning`` while it lasts, so it is not thread-safe.

    Parameters
    ----------
    activity : str, default=None
        If given, each message ends with ``(N times while <activity>)``.
    drop : callable, default=None
        ``drop(category, text)`` true for warnings to leave out.
    """
    caught = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            # after the caller's filters: repeats the default action would hide
            # are counted too
            warnings.filterwarnings("always", append=True)
            yield
    finally:
        first, count = {}, {}
        for record in caught:
            key = (record.category, str(record.message))
            if drop is not None and drop(*key):
                continue
            first.setdefault(key, record)
            count[key] = count.get(key, 0) + 1
        for (category, text), record in first.items():
            if activity is not None:
                times = count[(category, text)]
                text += f" ({times} time{'s' if times > 1 else ''} while {activity})"
            warnings.warn_explicit(text, category, record.filename, record.lineno)


def sktime_remember_data(category, text):
    """Whether a warning is sktime 1.2's FutureWarning on ``remember_data``.

    It is raised for every sktime forecaster built or cloned; skrnn's
    backtests refit, so they do not depend on it (a ``drop`` of
    :func:`warnings_once`).
    """
    return issubclass(category, FutureWarning) and "remember_data" in text
