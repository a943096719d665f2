"""Tests of skrnn._cli_parser: the commands, their options and their help."""

import pytest

from skrnn._cli_parser import build_parser


def _compare(args):
    return "compare ran"


def _datasets(args):
    return "datasets ran"


def _stock_lstm(args):
    return "stock-lstm ran"


@pytest.fixture
def parser():
    return build_parser(
        {"compare": _compare, "datasets": _datasets, "stock-lstm": _stock_lstm}
    )


def test_each_command_runs_its_own_function(parser):
    assert parser.parse_args(["compare"]).run is _compare
    assert parser.parse_args(["datasets"]).run is _datasets
    assert parser.parse_args(["stock-lstm"]).run is _stock_lstm


def test_compare_options_and_their_defaults(parser):
    args = parser.parse_args(["compare"])
    assert (args.fh, args.folds, args.model, args.random_state) == (12, None, [], 0)
    assert (args.threads, args.coverage, args.seasonal_period) == (1, None, None)
    assert not (args.quick or args.always_train or args.no_progress or args.dayfirst)
    args = parser.parse_args(
        [
            "compare",
            "--csv",
            "sales.csv",
            "--fh",
            "6",
            "--coverage",
            "0.8,0.95",
            "--model",
            "ridge=mymodels:pipe",
            "--model",
            "mymodels:other",
            "--seasonal-period",
            "4",
            "--fill",
            "ffill",
            "--always-train",
        ]
    )
    assert (args.csv, args.fh, args.seasonal_period, args.fill) == (
        "sales.csv",
        6,
        4,
        "ffill",
    )
    assert args.coverage == [0.8, 0.95]
    assert args.model == ["ridge=mymodels:pipe", "mymodels:other"]
    assert args.always_train
    stock = parser.parse_args(["stock-lstm", "--epochs", "2"])
    assert (stock.folds, stock.epochs) == (5, 2)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["compare", "--fh", "0"], "expected a positive integer, got '0'"),
        (["compare", "--folds", "two"], "expected a positive integer, got 'two'"),
        (["compare", "--coverage", "0.8,high"], "expected comma-separated coverages"),
        (["compare", "--fill", "zero"], "invalid choice: 'zero'"),
        (["stock-lstm", "--epochs", "-1"], "expected a positive integer, got '-1'"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        ([], "the following arguments are required: COMMAND"),
    ],
)
def test_usage_errors_exit_2_saying_what_is_expected(parser, argv, message, capsys):
    with pytest.raises(SystemExit) as exc:
        parser.parse_args(argv)
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_compare_help_lists_the_models_and_their_descriptions(parser, capsys):
    from skrnn.compare._registry import DESCRIPTIONS

    with pytest.raises(SystemExit) as exc:
        parser.parse_args(["compare", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: skrnn compare")
    lines = [line.split(maxsplit=1) for line in out.splitlines()]
    for name, text in DESCRIPTIONS.items():
        assert [name, text] in lines  # one line per model: its name, then what it is
    assert "--seasonal-period N" in out and "--always-train" in out
