"""The README's Python example runs as written (with one epoch, to stay fast)."""

import re
from pathlib import Path

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
    # ranked by absolute error in points, not by R2 of the levels
    assert search.scoring == "neg_mean_absolute_error"
    assert search.best_score_ < 0
    # the naive bar is scored on the search's own test folds
    naive = namespace["naive"]
    assert len(naive) == 5 and min(naive) > 0
    X, y = namespace["X"], namespace["y"]
    last_fold = list(search.cv.split(X))[-1][1]
    assert naive[-1] == (X["Close"].iloc[last_fold] - y.iloc[last_fold]).abs().mean()
