"""docs/conf.py is settings only; docs/sphinxext/skrnn_docs.py does the work."""

import pickle
import runpy
import sys
import types
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _generated():
    # what conf.py used to write or delete on import
    folders = (DOCS / "gen_modules", DOCS / "auto_examples")
    return {p: p.stat().st_mtime_ns for f in folders for p in f.rglob("*")}


def test_importing_conf_has_no_side_effects(monkeypatch):
    torch = pytest.importorskip("torch")
    monkeypatch.setattr(sys, "path", list(sys.path))
    threads = torch.get_num_threads()
    torch.set_num_threads(threads + 1)
    try:
        before = _generated()
        conf = runpy.run_path(str(DOCS / "conf.py"))
        assert _generated() == before  # no page written, no .md5 deleted
        assert torch.get_num_threads() == threads + 1
    finally:
        torch.set_num_threads(threads)
    # Sphinx pickles the configuration with the environment, and sphinx-gallery
    # needs its own picklable: names, not objects.
    settings = {
        name: value
        for name, value in conf.items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    settings.pop("HERE")  # conf.py's own helper, not a Sphinx setting
    pickle.dumps(settings)
    assert "skrnn_docs" in settings["extensions"]
    reset = settings["sphinx_gallery_conf"]["reset_modules"]
    assert "skrnn_docs.reset_torch_threads" in reset


@pytest.fixture
def skrnn_docs(monkeypatch):
    pytest.importorskip("sphinx")
    monkeypatch.syspath_prepend(str(DOCS / "sphinxext"))
    import skrnn_docs

    return skrnn_docs


def test_api_pages_list_the_public_names_of_importable_modules(skrnn_docs, tmp_path):
    stale = tmp_path / "gen_modules" / "api_9_gone.rst"
    stale.parent.mkdir()
    stale.write_text("old")
    app = types.SimpleNamespace(srcdir=str(tmp_path))
    modules = [("skrnn.metrics", "Scores"), ("skrnn.no_such_module", "Missing")]
    config = types.SimpleNamespace(skrnn_api_modules=modules)
    skrnn_docs._write_api_pages(app, config)
    pages = sorted(p.name for p in (tmp_path / "gen_modules").glob("api_*.rst"))
    assert pages == ["api_0_skrnn.metrics.rst"]  # stale and missing: none
    import skrnn.metrics

    text = (tmp_path / "gen_modules" / "api_0_skrnn.metrics.rst").read_text()
    assert text.startswith(".. _api_skrnn_metrics:\n\n:mod:`skrnn.metrics`: Scores\n")
    listed = [line.strip() for line in text.splitlines() if line.startswith("   ")]
    names = [n for n in listed if not n.startswith(":")]
    assert sorted(names) == sorted(skrnn.metrics.__all__)


def test_index_lists_the_optional_pages_that_exist(skrnn_docs, tmp_path):
    (tmp_path / "benchmarks.md").write_text("# Benchmarks")
    config = types.SimpleNamespace(
        skrnn_optional_pages=["reliability", "benchmarks"],
        source_suffix={".rst": "restructuredtext", ".md": "markdown"},
    )
    app = types.SimpleNamespace(srcdir=str(tmp_path), config=config)
    source = ["Intro\n\n.. skrnn-optional-pages\n"]
    skrnn_docs._optional_toctree(app, "index", source)
    assert source[0].endswith(":caption: More\n\n   benchmarks\n\n")
    (tmp_path / "benchmarks.md").unlink()
    source = ["Intro\n\n.. skrnn-optional-pages\n"]
    skrnn_docs._optional_toctree(app, "index", source)
    assert source[0] == "Intro\n\n\n"


def test_gallery_reruns_when_the_mode_changes(skrnn_docs, tmp_path, monkeypatch):
    gallery = tmp_path / "auto_examples"
    gallery.mkdir()
    (gallery / "plot_a.py.md5").write_text("x")
    (gallery / ".skrnn_mode").write_text("full")
    app = types.SimpleNamespace(srcdir=str(tmp_path))
    gallery_conf = {"gallery_dirs": "auto_examples"}
    config = types.SimpleNamespace(sphinx_gallery_conf=gallery_conf)
    monkeypatch.setenv("SKRNN_QUICK", "0")
    skrnn_docs._gallery_mode(app, config)
    assert (gallery / "plot_a.py.md5").exists()  # same mode: nothing re-runs
    monkeypatch.setenv("SKRNN_QUICK", "1")
    skrnn_docs._gallery_mode(app, config)
    assert not (gallery / "plot_a.py.md5").exists()
    assert (gallery / ".skrnn_mode").read_text() == "quick"


def test_gallery_examples_run_on_one_torch_thread(skrnn_docs, monkeypatch):
    torch = pytest.importorskip("torch")
    threads = torch.get_num_threads()
    try:
        monkeypatch.delenv("SKRNN_DOCS_TORCH_THREADS", raising=False)
        skrnn_docs.reset_torch_threads({}, "plot_a.py")
        assert torch.get_num_threads() == 1
        monkeypatch.setenv("SKRNN_DOCS_TORCH_THREADS", "2")
        skrnn_docs.reset_torch_threads({}, "plot_a.py")
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(threads)
