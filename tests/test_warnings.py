"""Tests of skrnn._warnings: warnings raised many times over, said once each."""

import inspect
import warnings

import pytest

from skrnn._warnings import (
    WarningLog,
    join_words,
    sktime_remember_data,
    warnings_once,
)


def _replayed(log, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        log.replay(**kwargs)
    return caught


def test_a_log_replays_each_warning_once_with_how_often_and_while_what():
    log = WarningLog()
    for model in ("lstm", "gru", "lstm"):
        with log.recording("backtesting", model):
            warnings.warn("slow convergence", UserWarning, stacklevel=1)
    with log.recording("scoring", "lstm"):
        warnings.warn("slow convergence", UserWarning, stacklevel=1)
        warnings.warn("no intervals", RuntimeWarning, stacklevel=1)
    caught = _replayed(log)
    assert [(w.category, str(w.message)) for w in caught] == [
        (
            UserWarning,
            "slow convergence (4 times while backtesting lstm and gru and "
            "scoring lstm)",
        ),
        (RuntimeWarning, "no intervals (1 time while scoring lstm)"),
    ]
    assert _replayed(log) == []  # replayed warnings are forgotten


def test_a_log_keeps_the_callers_filters_and_drops_what_it_is_told():
    log = WarningLog(drop=lambda category, text: "noise" in text)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="ignored")
        with log.recording():
            warnings.warn("ignored here", UserWarning, stacklevel=1)
            warnings.warn("some noise", UserWarning, stacklevel=1)
            warnings.warn("kept", UserWarning, stacklevel=1)
        warnings.filterwarnings("error", message="fatal")
        with pytest.raises(UserWarning, match="fatal"), log.recording():
            warnings.warn("fatal", UserWarning, stacklevel=1)
    # without a verb, the message is the warning's own
    assert [str(w.message) for w in _replayed(log)] == ["kept"]


def test_replay_points_at_the_line_it_is_told():
    log = WarningLog()
    with log.recording():
        warnings.warn("here", UserWarning, stacklevel=1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        replayed = inspect.currentframe().f_lineno + 1
        log.replay(stacklevel=1)  # the caller's line
    assert (caught[0].filename, caught[0].lineno) == (__file__, replayed)
    # without a stacklevel: where the warning was first raised
    with log.recording():
        raised = inspect.currentframe().f_lineno + 1
        warnings.warn("here", UserWarning, stacklevel=1)
    assert _replayed(log)[0].lineno == raised


def test_warnings_once_says_a_repeated_warning_once_with_its_count():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with warnings_once("fitting"):
            for _ in range(3):
                warnings.warn("repeated", UserWarning, stacklevel=1)
        with warnings_once():
            for _ in range(2):
                warnings.warn("plain", FutureWarning, stacklevel=1)
    assert [str(w.message) for w in caught] == [
        "repeated (3 times while fitting)",
        "plain",
    ]
    # from where it was first raised
    assert caught[0].filename == __file__


def test_join_words_joins_as_a_sentence_does():
    assert join_words(["a"]) == "a"
    assert join_words(["a", "b"]) == "a and b"
    assert join_words(iter(["a", "b", "c"])) == "a, b and c"


def test_sktime_remember_data_is_that_future_warning_only():
    text = "The default of config ``remember_data`` will change"
    assert sktime_remember_data(FutureWarning, text)
    assert not sktime_remember_data(UserWarning, text)
    assert not sktime_remember_data(FutureWarning, "another future change")
