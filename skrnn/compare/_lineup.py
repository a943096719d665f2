"""The line-up of a backtest: ``forecasters`` as one labelled forecaster per row."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

from skrnn.compare._registry import (
    COMBINE,
    DEFAULT_FACE,
    as_forecaster,
    default_forecasters,
    label,
    make_combination,
    make_named,
    normalize_name,
)

_RENAME = (
    "Give your model a label of its own, e.g. ('my_{label}', model); from the "
    "command line, --model my_{label}=MODULE:OBJECT."
)


def resolve_lineup(
    forecasters,
    *,
    sp,
    fh_max,
    random_state,
    quick,
    positive,
    face=DEFAULT_FACE,
):
    """Map ``forecasters`` (None, names, objects, pairs, dict) to name: forecaster.

    ``face``: the options of every network's face (``_registry.FaceOptions``).
    """
    items = _labelled(forecasters, sp)
    if not items:
        raise ValueError("forecasters is empty: give at least one model.")
    _check_labels(items)
    lineup = {}
    for name, spec, _ in items:
        unique, k = name, 2
        while unique in lineup:  # two LSTMForecaster objects: LSTMForecaster_2
            unique, k = f"{name}_{k}", k + 1
        if isinstance(spec, str):
            make = make_combination if COMBINE in spec else make_named
            lineup[unique] = make(
                spec,
                sp=sp,
                random_state=random_state,
                quick=quick,
                positive=positive,
                face=face,
            )
        else:
            lineup[unique] = as_forecaster(spec, sp=sp, fh_max=fh_max, face=face)
    return lineup


def _labelled(forecasters, sp) -> list:
    """Return ``(label, name or model, whether the label was given)`` per model.

    A label is given by a name, a ``(label, model)`` pair or a dict key;
    an object alone is labelled after its class. Names are normalized.
    """
    if forecasters is None:
        forecasters = default_forecasters(sp)
    elif isinstance(forecasters, str):
        forecasters = [part.strip() for part in forecasters.split(",") if part.strip()]
    if isinstance(forecasters, dict):
        items = [(name, spec, True) for name, spec in forecasters.items()]
    else:
        items = []
        for item in forecasters:
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
                items.append((*item, True))  # (name, model)
            elif isinstance(item, str):
                name = normalize_name(item)
                items.append((name, name, True))
            else:
                items.append((label(item), item, False))
    return [
        (str(name), normalize_name(spec) if isinstance(spec, str) else spec, given)
        for name, spec, given in items
    ]


def _check_labels(items):
    """Refuse labels that would put one model under another's name.

    ``"naive"`` labels the naive forecast only: the summary and the plot read
    that row as the reference. Two objects of one class are told apart by a
    suffix (``Ridge_2``), but a label the user gave (a name, a pair, a dict
    key) must name one row. A combination of the same models in another
    order is the same model.
    """
    for name, spec, _ in items:
        if name.strip().lower() == "naive" and spec != "naive":
            raise ValueError(
                f"{name!r} labels {spec!r} here, but 'naive' is the last-value "
                "forecast that the summary and the plot read as the reference. "
                f"{_RENAME.format(label='naive')}"
            )
    given = {name for name, _, is_given in items if is_given}
    for name in given:
        specs = [spec for other, spec, _ in items if other == name]
        if len(specs) < 2:
            continue
        if all(isinstance(spec, str) and spec == name for spec in specs):
            raise ValueError(f"The models name {name!r} twice: list it once.")
        raise ValueError(
            f"Two models are labelled {name!r}: a label names one row of the "
            # "my_lstm+ets" would read as a combination
            f"leaderboard. {_RENAME.format(label=name.replace(COMBINE, '_'))}"
        )
    seen = {}
    for _, spec, _ in items:
        if isinstance(spec, str) and COMBINE in spec:
            parts = frozenset(spec.split(COMBINE))
            if parts in seen:
                raise ValueError(
                    f"{spec!r} combines the same models as {seen[parts]!r} (the "
                    "mean does not depend on their order): keep one."
                )
            seen[parts] = spec
