"""The README's Python example runs as written (with one epoch, to stay fast)."""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_example_runs():
    text = README.read_text(encoding="utf-8")
    heading = "## A grid search over cells and sizes"
    code = re.search(heading + r"\s+```python\n(.*?)```", text, re.S).group(1)
    fast = code.replace("RecurrentForecaster(", "RecurrentForecaster(max_epochs=1, ")
    assert fast != code, "the README example no longer builds RecurrentForecaster()"
    namespace = {}
    exec(compile(fast, str(README), "exec"), namespace)
    search = namespace["search"]
    assert len(search.cv_results_["params"]) == 6
    assert search.best_params_["recurrentforecaster__cell"] in {"lstm", "gru", "rnn"}
    # ranked by the skill against "tomorrow = today", not by R2 of the levels
    assert repr(search.scoring) == "make_naive_skill_scorer(column='Close')"
    assert search.best_score_ < 1
    # on each test fold, the row's Close is the naive forecast of y (tomorrow's)
    X, y = namespace["X"], namespace["y"]
    test = list(search.cv.split(X))[-1][1]
    model, X_test, y_test = search.best_estimator_, X.iloc[test], y.iloc[test]
    error = (y_test - model.predict(X_test)).abs().sum()
    naive = (y_test - X_test["Close"]).abs().sum()
    assert search.scoring(model, X_test, y_test) == pytest.approx(1 - error / naive)
