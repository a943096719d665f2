"""Hostile and damaged files, and saves that fail half-way (skrnn/persistence/).

Every file here is crafted in the test as an attacker would: load the payload
with ``torch.load``, edit it, recompute the checksum (anyone can) and write it
back. ``load`` must refuse each with a ``ValueError`` saying what was wrong,
without building anything large first.
"""

import io
import os
import subprocess
import sys
import textwrap
import zipfile

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from skrnn import GRUForecaster, LagWindowTransformer
from skrnn.persistence import load, save
from skrnn.persistence._format import checksum
from tests.conftest import FAST

TINY = {**FAST, "hidden_size": 4, "max_epochs": 1}
X = np.sin(np.arange(120.0) / 4).reshape(30, 4)
Y = X[:, -1] + 0.1


@pytest.fixture(scope="module")
def model():
    return GRUForecaster(**TINY).fit(X, Y)


@pytest.fixture(scope="module")
def saved(model, tmp_path_factory):
    """The bytes of a saved forecaster."""
    path = tmp_path_factory.mktemp("saved") / "model.skrnn"
    save(model, path)
    return path.read_bytes()


def _signed(payload, path):
    """Write ``payload`` with a valid checksum, as an attacker could."""
    payload["checksum"] = checksum(payload)
    torch.save(payload, path)
    return path


def _payload(saved):
    return torch.load(io.BytesIO(saved), weights_only=True)


def _config(payload, edit):
    """Apply ``edit`` to the JSON configuration of the file's first forecaster."""
    import json

    entry = payload["models"][0]
    config = json.loads(entry["config"])
    edit(config)
    entry["config"] = json.dumps(config)


# ----------------------------------------------------------------- atomic save


def test_a_full_disk_leaves_the_saved_model_intact(model, tmp_path):
    """A save that runs out of space (RLIMIT_FSIZE) must not cut the old file."""
    resource = pytest.importorskip("resource")
    path = tmp_path / "model.skrnn"
    save(model, path)
    before = path.read_bytes()
    script = textwrap.dedent(
        f"""
        import resource, signal, sys
        import numpy as np
        from skrnn import GRUForecaster
        from skrnn.persistence import save

        X = np.sin(np.arange(120.0) / 4).reshape(30, 4)
        big = GRUForecaster(hidden_size=64, max_epochs=1).fit(X, X[:, -1])
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG, not a kill
        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, ({len(before) // 2}, hard))
        try:
            save(big, sys.argv[1])
        except OSError as exc:
            print("OSError", exc.errno)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.startswith("OSError"), done.stdout + done.stderr
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.skrnn"]  # no temporary file left
    np.testing.assert_array_equal(load(path).predict(X), model.predict(X))
    del resource


def test_a_failing_write_removes_its_temporary_file(model, tmp_path, monkeypatch):
    path = tmp_path / "model.skrnn"
    save(model, path)
    before = path.read_bytes()

    def write_half_then_fail(payload, file):
        file.write(before[: len(before) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(torch, "save", write_half_then_fail)
    with pytest.raises(OSError, match="No space left"):
        save(model, path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.skrnn"]


def test_save_to_a_folder_or_a_missing_folder_says_what_to_give(model, tmp_path):
    with pytest.raises(IsADirectoryError, match="is a folder: give save.. a file"):
        save(model, tmp_path)
    with pytest.raises(FileNotFoundError, match="does not exist: create it first"):
        save(model, tmp_path / "missing" / "model.skrnn")


def test_saved_file_has_the_permissions_of_a_file_written_in_place(model, tmp_path):
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    save(model, tmp_path / "model.skrnn")
    reference = tmp_path / "reference"
    reference.write_bytes(b"")
    mode = os.stat(tmp_path / "model.skrnn").st_mode & 0o777
    assert mode == os.stat(reference).st_mode & 0o777
    # a file replaced keeps its own permissions (a private model stays private)
    os.chmod(tmp_path / "model.skrnn", 0o600)
    save(model, tmp_path / "model.skrnn")
    assert os.stat(tmp_path / "model.skrnn").st_mode & 0o777 == 0o600


def test_saving_through_a_symbolic_link_replaces_the_file_it_names(model, tmp_path):
    if os.name != "posix":
        pytest.skip("symbolic links")
    target = tmp_path / "models" / "v1.skrnn"
    target.parent.mkdir()
    target.write_bytes(b"old")
    link = tmp_path / "current.skrnn"
    link.symlink_to(target)
    save(model, link)
    assert link.is_symlink()  # the link is kept, the file it names is new
    np.testing.assert_array_equal(load(target).predict(X), model.predict(X))


def test_loading_a_folder_says_it_is_one(tmp_path):
    with pytest.raises(IsADirectoryError, match="is a folder: give load.. the path"):
        load(tmp_path)


# --------------------------------------------------------------- bounded load


def test_a_stride_0_tensor_is_refused_before_it_is_materialized(saved, tmp_path):
    payload = _payload(saved)
    # 8 bytes in the file, 40 MB once made contiguous (4e8 in the attack)
    payload["models"][0]["arrays"]["y_mean_"] = torch.zeros(1).expand(10**7)
    path = _signed(payload, tmp_path / "expand.skrnn")
    assert path.stat().st_size < 20_000
    with pytest.raises(ValueError, match="altered: it holds a tensor that is not"):
        load(path)


def test_an_object_repeated_by_reference_is_refused(saved, tmp_path):
    payload = _payload(saved)
    text = "x" * 10**5
    payload["padding"] = [text] * 1000  # pickled once, walked 1000 times
    path = _signed(payload, tmp_path / "repeated.skrnn")
    assert path.stat().st_size < 200_000
    with pytest.raises(ValueError, match="far more memory than the file"):
        load(path)


def test_compressed_members_are_refused(saved, tmp_path):
    archive = zipfile.ZipFile(io.BytesIO(saved))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as deflated:
        for member in archive.infolist():
            deflated.writestr(member.filename, archive.read(member))
    path = tmp_path / "deflated.skrnn"
    path.write_bytes(out.getvalue())
    with pytest.raises(ValueError, match="members are compressed or overlap"):
        load(path)


def test_a_skops_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    pytest.importorskip("skops")
    pipe = make_pipeline(
        LagWindowTransformer(window_length=4, flatten=True),
        FunctionTransformer(),
    ).fit(X[:, :1])
    save(pipe, tmp_path / "pipe.skrnn")
    payload = torch.load(tmp_path / "pipe.skrnn", weights_only=True)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("schema.json", b" " * 2**26)  # 64 MiB in ~65 kB
    payload["skops"] = bomb.getvalue()
    path = _signed(payload, tmp_path / "bomb.skrnn")
    with pytest.raises(ValueError, match="would inflate to 67108864 bytes"):
        load(path)


def test_a_highly_compressible_pipeline_still_round_trips(tmp_path):
    """What save writes, load reads: a part that inflates too much is stored flat."""
    pytest.importorskip("skops")
    wide = np.zeros((3, 2**17))  # mean_, var_ and scale_ deflate ~1000x
    pipe = make_pipeline(StandardScaler(), FunctionTransformer()).fit(wide)
    save(pipe, tmp_path / "zeros.skrnn")
    restored = load(tmp_path / "zeros.skrnn")
    np.testing.assert_array_equal(
        restored.transform(wide + 1), pipe.transform(wide + 1)
    )


@pytest.mark.parametrize(
    "edit",
    [
        lambda c: c["params"].update(hidden_size=4000),
        lambda c: c["params"].update(num_layers=10**6),
        lambda c: c["fitted"].update(n_features_per_step_=10**5),
    ],
    ids=["hidden_size", "num_layers", "n_features"],
)
def test_edited_sizes_are_refused_before_the_network_is_built(saved, tmp_path, edit):
    payload = _payload(saved)
    _config(payload, edit)
    path = _signed(payload, tmp_path / "edited.skrnn")
    with pytest.raises(ValueError, match="do not fit the network its parameters"):
        load(path)


def test_an_ensemble_round_trips(tmp_path):
    # members stacked along a member dimension, checked against the meta layout
    model = GRUForecaster(**TINY, ensemble_size=3).fit(X, Y)
    save(model, tmp_path / "ensemble.skrnn")
    restored = load(tmp_path / "ensemble.skrnn")
    np.testing.assert_array_equal(restored.predict(X), model.predict(X))


def test_weights_of_another_shape_or_estimator_are_refused(saved, tmp_path):
    payload = _payload(saved)
    module = payload["models"][0]["module"]
    name = next(iter(module))
    module[name] = torch.zeros(3, 3)
    with pytest.raises(ValueError, match=f"differ at \\['{name}'\\]"):
        load(_signed(payload, tmp_path / "shape.skrnn"))
    payload = _payload(saved)
    payload["models"][0]["estimator"] = "LSTMForecaster"  # 4 gates, not 3
    with pytest.raises(ValueError, match="do not fit the network"):
        load(_signed(payload, tmp_path / "renamed.skrnn"))


def test_deeply_nested_json_is_a_value_error(tmp_path):
    from skrnn import RecurrentImputer

    series = np.sin(np.arange(60) / 3)[:, None]
    save(RecurrentImputer(window_length=4, **TINY).fit(series), tmp_path / "i.skrnn")
    payload = torch.load(tmp_path / "i.skrnn", weights_only=True)
    payload["tree"] = "[" * 200_000 + "]" * 200_000
    with pytest.raises(ValueError, match="value tree is nested too deeply"):
        load(_signed(payload, tmp_path / "deep.skrnn"))
    node = "null"
    for _ in range(150):  # parses, but deeper than any tree skrnn writes
        node = f'{{"__t": "list", "v": [{node}]}}'
    payload["tree"] = node
    with pytest.raises(ValueError, match="nested more than 100 deep"):
        load(_signed(payload, tmp_path / "deep.skrnn"))


def test_an_edited_optimizer_state_fails_the_integrity_check(saved, tmp_path):
    payload = _payload(saved)
    payload["models"][0]["optimizer"]["param_groups"][0]["lr"] = 123.0
    torch.save(payload, tmp_path / "lr.skrnn")  # checksum not recomputed
    with pytest.raises(ValueError, match="failed its integrity check"):
        load(tmp_path / "lr.skrnn")


def test_format_1_is_not_read(saved, tmp_path):
    payload = _payload(saved)
    payload["format_version"] = 1
    with pytest.raises(ValueError, match="format 1 .*reads format 2"):
        load(_signed(payload, tmp_path / "v1.skrnn"))


def test_code_running_types_are_named_without_offering_to_trust_them(tmp_path):
    pytest.importorskip("skops")
    pipe = make_pipeline(FunctionTransformer(os.system)).fit(X)
    save(pipe, tmp_path / "evil.skrnn")
    with pytest.raises(ValueError, match="would run code") as refused:
        load(tmp_path / "evil.skrnn")
    assert "Do not load this file" in str(refused.value)
    assert "trusted=" not in str(refused.value)


def test_a_damaged_file_says_damaged_or_altered_first(saved, tmp_path):
    damaged = bytearray(saved)
    # a byte of the recorded history (the zip's alignment padding, which a
    # flip anywhere might hit, is not content)
    damaged[saved.index(b'"train_loss"') + 3] ^= 0xFF
    path = tmp_path / "flipped.skrnn"
    path.write_bytes(bytes(damaged))
    with pytest.raises(ValueError, match="(damaged or altered|integrity check)"):
        load(path)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    flips=st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.integers(1, 255)),
        min_size=1,
        max_size=3,
    ),
    keep=st.one_of(st.none(), st.floats(0, 1, exclude_max=True)),
)
def test_flipped_or_truncated_files_are_refused_or_load_identically(
    saved, model, tmp_path, flips, keep
):
    damaged = bytearray(saved)
    for where, mask in flips:
        damaged[int(where * len(damaged))] ^= mask
    if keep is not None:
        damaged = damaged[: int(keep * len(damaged))]
    path = tmp_path / "damaged.skrnn"
    path.write_bytes(bytes(damaged))
    try:
        restored = load(path)
    except ValueError:
        return
    np.testing.assert_array_equal(restored.predict(X), model.predict(X))


def test_a_pickle_is_named_as_one(model, tmp_path):
    import joblib

    joblib.dump(model, tmp_path / "model.joblib")
    with pytest.raises(ValueError, match="is a pickle .*never does"):
        load(tmp_path / "model.joblib")


def test_a_damaged_tensor_stride_is_digested_like_its_values():
    # a flipped byte can set a stride of 0 on a dimension of one, which
    # contiguous() keeps and a byte view refuses: found by the test above
    import hashlib

    from skrnn.persistence._format import _digest

    damaged = torch.tensor([0.25]).as_strided((1,), (0,))
    digests = [hashlib.sha256(), hashlib.sha256()]
    _digest(damaged, digests[0])
    _digest(torch.tensor([0.25]), digests[1])
    assert digests[0].hexdigest() == digests[1].hexdigest()
