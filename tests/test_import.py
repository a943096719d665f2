"""``import skrnn`` and ``skrnn --help`` stay light: torch loads on first use."""

import pickle
import subprocess
import sys

import pytest

import skrnn

HEAVY = ("torch", "skorch", "sktime", "matplotlib", "sklearn", "pandas")


def _run(code):
    """Run ``code`` in a fresh interpreter; return its stdout and last line."""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return out, out.rstrip().splitlines()[-1]


def _loaded(*, then=""):
    return f"{then}; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"


def test_import_skrnn_does_not_import_torch():
    _, last = _run(_loaded(then="import sys, skrnn; skrnn.__version__"))
    assert last == "[]"


@pytest.mark.parametrize("argv", [["--help"], ["compare", "--fh", "0"]])
def test_cli_help_and_usage_errors_import_nothing_heavy(argv):
    # what the ``skrnn`` console script does, with its output captured
    code = "\n".join(
        [
            "import contextlib, io, sys",
            "from skrnn.cli import main",
            "buffer = io.StringIO()",
            "to_out = contextlib.redirect_stdout(buffer)",
            "to_err = contextlib.redirect_stderr(buffer)",
            "with to_out, to_err:",
            f"    status = main({argv!r})",
            _loaded(then="print(status, buffer.getvalue())"),
        ]
    )
    out, last = _run(code)
    assert last == "[]"
    if argv == ["--help"]:
        assert out.startswith("0 usage: skrnn")
        assert "compare" in out and "datasets" in out
    else:
        assert out.startswith("2 usage: skrnn compare")


def test_datasets_command_does_not_import_torch():
    code = "import sys; from skrnn.cli import main; main(['datasets'])"
    out, last = _run(_loaded(then=code))
    assert "airline" in out
    assert "torch" not in last and "sktime" not in last and "sklearn" not in last


def test_using_an_estimator_imports_torch():
    code = (
        "import sys, skrnn; assert 'torch' not in sys.modules; "
        "from skrnn import LSTMForecaster; print(LSTMForecaster.__module__, "
        "'torch' in sys.modules)"
    )
    _, last = _run(code)
    assert last == "skrnn.estimators True"


@pytest.mark.parametrize("name", skrnn.__all__)
def test_every_public_name_resolves(name):
    value = getattr(skrnn, name)
    assert value is not None
    if name != "__version__":
        assert name in dir(skrnn)
        exec(f"from skrnn import {name}", {})


def test_public_classes_keep_their_module_and_pickle():
    import skrnn.estimators
    from skrnn import LSTMForecaster, WaveNetForecaster

    assert LSTMForecaster is skrnn.estimators.LSTMForecaster
    assert LSTMForecaster.__module__ == "skrnn.estimators"
    for estimator in (LSTMForecaster(hidden_size=4), WaveNetForecaster()):
        clone = pickle.loads(pickle.dumps(estimator))
        assert type(clone) is type(estimator)
        assert clone.get_params() == estimator.get_params()


def test_submodules_are_attributes_and_unknown_names_raise():
    assert skrnn.datasets.load_airline is not None
    assert "datasets" in dir(skrnn)
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        skrnn.nope  # noqa: B018
    with pytest.raises(ImportError):
        exec("from skrnn import nope", {})
