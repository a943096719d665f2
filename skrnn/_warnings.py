"""Warnings raised many times over, said once each.

A backtest refits every model at every origin and the sktime face's seasonal
pair runs two forecasters on the same data, so one warning of a library (or
of skrnn) would repeat once per fit or member.
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import contextlib
import warnings


class WarningLog:
    """Record warnings over several activities; replay each distinct one once.

    Inside :meth:`recording`, every warning is recorded; filters the caller
    set still apply (what they ignore is not recorded, what they turn into
    errors raises). ``warnings.catch_warnings`` swaps the process-wide filters
    and ``showwarning`` while it lasts, so a log is not thread-safe.

    Parameters
    ----------
    drop : callable, default=None
        ``drop(category, text)`` true for warnings to leave out.
    """

    def __init__(self, drop=None):
        self.drop = drop
        # (category, text) -> [first record, count, {verb: [subjects]}]
        self._seen = {}

    @contextlib.contextmanager
    def recording(self, verb=None, subject=None):
        """Record the warnings raised inside as raised while ``verb subject``.

        Parameters
        ----------
        verb : str, default=None
            What is being done ("backtesting"); None: the replayed message
            says neither how often nor while what.
        subject : str, default=None
            What it is done to ("lstm"); the subjects of one verb are listed
            together ("backtesting lstm, gru and rnn").
        """
        caught = []
        try:
            with warnings.catch_warnings(record=True) as caught:
                # after the caller's filters: repeats the default action would
                # hide are counted too
                warnings.filterwarnings("always", append=True)
                yield
        finally:
            for record in caught:
                key = (record.category, str(record.message))
                if self.drop is not None and self.drop(*key):
                    continue
                entry = self._seen.setdefault(key, [record, 0, {}])
                entry[1] += 1
                if verb is not None:
                    subjects = entry[2].setdefault(verb, [])
                    if subject is not None and subject not in subjects:
                        subjects.append(subject)

    def replay(self, stacklevel=None):
        """Warn once per distinct warning recorded so far, and forget them.

        Each message ends with ``(N times while <verb> <subjects>)`` when
        it was recorded with a verb.

        Parameters
        ----------
        stacklevel : int, default=None
            As in :func:`warnings.warn`, counted from the caller of
            ``replay`` (2: the line that called it). None: from where each
            warning was first raised.
        """
        seen, self._seen = self._seen, {}
        for (category, text), (record, times, activities) in seen.items():
            if activities:
                text += (
                    f" ({times} time{'s' if times > 1 else ''} while "
                    f"{_activities(activities)})"
                )
            if stacklevel is None:
                warnings.warn_explicit(text, category, record.filename, record.lineno)
            else:
                warnings.warn(text, category, stacklevel=stacklevel + 1)


def join_words(words):
    """Join words as a sentence does: ``"a"``, ``"a and b"``, ``"a, b and c"``."""
    words = list(words)
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _activities(activities):
    """``{"backtesting": ["lstm", "gru"]}`` -> ``"backtesting lstm and gru"``."""
    return join_words(
        f"{verb} {join_words(subjects)}" if subjects else verb
        for verb, subjects in activities.items()
    )


@contextlib.contextmanager
def warnings_once(activity=None, drop=None):
    """Warn once per distinct warning raised inside, from where it was first raised.

    Parameters
    ----------
    activity : str, default=None
        If given, each message ends with ``(N times while <activity>)``.
    drop : callable, default=None
        ``drop(category, text)`` true for warnings to leave out.

    See Also
    --------
    WarningLog : the same over several activities, replayed when asked.
    """
    log = WarningLog(drop=drop)
    try:
        with log.recording(activity):
            yield
    finally:
        log.replay()


def sktime_remember_data(category, text):
    """Whether a warning is sktime 1.2's FutureWarning on ``remember_data``.

    It is raised for every sktime forecaster built or cloned; skrnn's
    backtests refit, so they do not depend on it (a ``drop`` of
    :func:`warnings_once`).
    """
    return issubclass(category, FutureWarning) and "remember_data" in text
