"""Sphinx configuration of the skrnn documentation.

Build with ``make docs`` (or ``sphinx-build -W --keep-going -b html docs
docs/_build/html``). The build needs no network. ``SKRNN_QUICK=1`` runs the
gallery examples with fewer epochs and less data (what CI does).
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import importlib
import inspect
import os
import re
import shutil
import sys
import warnings
from pathlib import Path

import torch

import skrnn

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "sphinxext"))  # gallery_order

project = "skrnn"
author = "The skrnn developers"
copyright = "The skrnn developers"
release = skrnn.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]
try:  # Markdown pages (docs/benchmarks.md) when myst-parser is installed
    import myst_parser  # noqa: F401
except ImportError:
    MYST = False
else:
    MYST = True
    extensions.append("myst_parser")
    myst_heading_anchors = 3
    # Markdown written by the benchmark scripts may skip heading levels or
    # link to files outside the docs: report those, but don't fail the build.
    suppress_warnings = ["myst.header", "myst.xref_missing"]

# Intersphinx needs the network to fetch inventories and Sphinx reports a
# failed fetch as an (unsuppressible) warning, which -W turns into an error.
# The build must work offline, so cross-project links are opt-in.
if os.environ.get("SKRNN_DOCS_INTERSPHINX") == "1":
    extensions.append("sphinx.ext.intersphinx")
    intersphinx_mapping = {
        "python": ("https://docs.python.org/3", None),
        "numpy": ("https://numpy.org/doc/stable", None),
        "pandas": ("https://pandas.pydata.org/docs", None),
        "sklearn": ("https://scikit-learn.org/stable", None),
        "skorch": ("https://skorch.readthedocs.io/en/stable", None),
        "sktime": ("https://www.sktime.net/en/stable", None),
        "torch": ("https://docs.pytorch.org/docs/stable", None),
    }

templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "**.ipynb_checkpoints"]
source_suffix = {".rst": "restructuredtext"}
if MYST:
    source_suffix[".md"] = "markdown"
root_doc = "index"
default_role = "literal"

# -- API reference ----------------------------------------------------------
# One page per public module, generated here from the modules' ``__all__`` so
# that optional parts (skrnn.sktime, skrnn.compare, skrnn.plotting) appear
# exactly when they can be imported.
API_MODULES = [
    ("skrnn", "Estimators and transformers"),
    ("skrnn.datasets", "Datasets"),
    ("skrnn.metrics", "Scores against the naive forecast"),
    ("skrnn.sktime", "sktime forecaster"),
    ("skrnn.compare", "Comparison with classical forecasters"),
    ("skrnn.plotting", "Plotting"),
    ("skrnn.persistence", "Saving and loading without pickle"),
]
GENERATED = HERE / "gen_modules"


def _public_names(module):
    names = getattr(module, "__all__", None)
    if names is None:
        names = [
            name
            for name, obj in vars(module).items()
            if not name.startswith("_")
            and getattr(obj, "__module__", "").startswith(module.__name__)
        ]
    return [
        name
        for name in sorted(names)
        if not name.startswith("_")
        and (inspect.isclass(getattr(module, name)) or callable(getattr(module, name)))
    ]


def _write_api_pages():
    for stale in GENERATED.glob("api_*.rst"):
        stale.unlink()
    shutil.rmtree(GENERATED / "generated", ignore_errors=True)
    GENERATED.mkdir(exist_ok=True)
    documented = []
    for number, (modname, title) in enumerate(API_MODULES):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                module = importlib.import_module(modname)
        except ImportError as exc:
            print(f"[skrnn docs] skipping {modname} in the API reference: {exc}")
            continue
        names = _public_names(module)
        if not names:
            continue
        classes = [n for n in names if inspect.isclass(getattr(module, n))]
        functions = [n for n in names if n not in classes]
        heading = f":mod:`{modname}`: {title}"
        lines = [
            f".. _api_{modname.replace('.', '_')}:",
            "",
            heading,
            "=" * len(heading),
            "",
            f".. automodule:: {modname}",
            "   :no-members:",
            "   :no-inherited-members:",
            "",
            f".. currentmodule:: {modname}",
            "",
        ]
        for kind, group in (("Classes", classes), ("Functions", functions)):
            if not group:
                continue
            template = "class.rst" if kind == "Classes" else "function.rst"
            lines += [
                kind,
                "-" * len(kind),
                "",
                ".. autosummary::",
                "   :toctree: generated/",
                f"   :template: {template}",
                "",
                *[f"   {name}" for name in group],
                "",
            ]
        (GENERATED / f"api_{number}_{modname}.rst").write_text("\n".join(lines))
        documented.append(modname)
    return documented


API_DOCUMENTED = _write_api_pages()

autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": True}
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

# -- Gallery ----------------------------------------------------------------
# The examples train small networks, fastest on one thread: on a busy 2-core
# machine two OpenMP threads per fit were measured several times slower (the
# threads spin-wait for each other). SKRNN_DOCS_TORCH_THREADS overrides it.
torch.set_num_threads(int(os.environ.get("SKRNN_DOCS_TORCH_THREADS", "1")))
# sphinx-gallery re-runs an example only when its file changed; re-run all of
# them when switching between quick and full mode, so that no page mixes both.
_MODE_FILE = HERE / "auto_examples" / ".skrnn_mode"
_MODE = "quick" if os.environ.get("SKRNN_QUICK") == "1" else "full"
if _MODE_FILE.exists() and _MODE_FILE.read_text() != _MODE:
    for stale in (HERE / "auto_examples").glob("*.md5"):
        stale.unlink()
(HERE / "auto_examples").mkdir(exist_ok=True)
_MODE_FILE.write_text(_MODE)

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": "/plot_",
    # a dotted name, not an object: the configuration must stay picklable
    "within_subsection_order": "gallery_order.ExampleOrder",
    "doc_module": ("skrnn",),
    "reference_url": {"skrnn": None},
    "backreferences_dir": "gen_modules/backreferences",
    "inspect_global_variables": False,
    "remove_config_comments": True,
    "plot_gallery": "True",
    "min_reported_time": 1,
    "show_memory": False,
    # sg_execution_times.rst would land in docs/ (tracked): keep it out.
    "write_computation_times": False,
}

# -- HTML -------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"skrnn {release}"
html_static_path = ["_static"]
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 7,
}
html_show_sourcelink = False


# -- Docstring hooks ----------------------------------------------------------
# Inherited members come from scikit-learn (get_params, score, set_output...)
# and, for the sktime face, from sktime/skbase. Their docstrings
# cross-reference their own projects' docs (:ref:, :term:), which cannot
# resolve offline: keep the text, drop the link.
_FOREIGN_ROLE = re.compile(r":(?:ref|term|doc):`(?:([^`<]*?)\s*<[^`>]*>|([^`]*))`")
_FOREIGN = ("sklearn", "sktime", "skbase")
# skrnn's own docstrings are complete at the source (skrnn/_base.py builds the
# forecasters' Parameters and Attributes sections; tests/test_common.py checks
# them): nothing of skrnn is patched here.
# The sktime face documents the forecasting API; the rest of sktime's and
# skbase's BaseObject plumbing (tags, configs, cloning) is sktime's to document.
_SKTIME_MEMBERS = {
    "fit",
    "predict",
    "predict_interval",
    "predict_quantiles",
    "predict_var",
    "fit_predict",
    "update",
    "get_params",
    "set_params",
    "get_fitted_params",
    "get_test_params",
    "cutoff",
    "fh",
    "is_fitted",
}


def _clean_docstring(app, what, name, obj, options, lines):
    module = getattr(obj, "__module__", None) or ""
    if module.startswith(_FOREIGN):
        for i, line in enumerate(lines):
            lines[i] = _FOREIGN_ROLE.sub(
                lambda m: f"*{(m.group(1) or m.group(2)).strip()}*", line
            )


def _skip_member(app, what, name, obj, skip, options):
    # set_fit_request & co. are scikit-learn's metadata-routing plumbing,
    # generated for every estimator; they say nothing about skrnn.
    if name.endswith("_request") or name == "get_metadata_routing":
        return True
    target = getattr(obj, "fget", obj)
    module = getattr(target, "__module__", None) or ""
    if module.startswith(("sktime", "skbase")) and name not in _SKTIME_MEMBERS:
        return True
    return skip


# Pages written by other parts of the project, listed only when present.
OPTIONAL_PAGES = ["reliability", "benchmarks"]


def _optional_toctree(app, docname, source):
    if docname != "index":
        return
    present = [
        page
        for page in OPTIONAL_PAGES
        if any((HERE / f"{page}{suffix}").exists() for suffix in source_suffix)
    ]
    entries = "".join(f"   {page}\n" for page in present)
    toctree = f".. toctree::\n   :maxdepth: 1\n   :caption: More\n\n{entries}"
    source[0] = source[0].replace(".. skrnn-optional-pages", toctree if present else "")


def _reread_index(app, env, added, changed, removed):
    # The optional toctree is written when index is read: an incremental build
    # must read it again, or a page added since is "not in any toctree".
    return ["index"]


def setup(app):
    """Connect the docstring hooks and the optional pages."""
    app.connect("autodoc-process-docstring", _clean_docstring)
    app.connect("autodoc-skip-member", _skip_member)
    app.connect("source-read", _optional_toctree)
    app.connect("env-get-outdated", _reread_index)
