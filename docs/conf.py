"""Sphinx configuration of the skrnn documentation.

Build with ``make docs`` (or ``sphinx-build -W --keep-going -b html docs
docs/_build/html``). The build needs no network. ``SKRNN_QUICK=1`` runs the
gallery examples with fewer epochs and less data (what CI does).

Settings only: importing this file writes nothing and leaves torch alone.
What the build does (the API pages, the quick/full switch of the gallery, one
torch thread per example, the optional pages, the docstring hooks) is the
extension ``sphinxext/skrnn_docs.py``, connected to Sphinx's events.
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import os
import sys
from pathlib import Path

import skrnn

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "sphinxext"))  # gallery_order, skrnn_docs

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
    "skrnn_docs",
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
# One page per public module, written by skrnn_docs from the modules'
# ``__all__`` when the build starts, so that optional parts (skrnn.sktime,
# skrnn.compare, skrnn.plotting) appear exactly when they can be imported.
skrnn_api_modules = [
    ("skrnn", "Estimators and transformers"),
    ("skrnn.datasets", "Datasets"),
    ("skrnn.metrics", "Scores against the naive forecast"),
    ("skrnn.sktime", "sktime forecaster"),
    ("skrnn.compare", "Comparison with classical forecasters"),
    ("skrnn.plotting", "Plotting"),
    ("skrnn.persistence", "Saving and loading without pickle"),
]
# Pages written by other parts of the project, listed in the index only when
# present.
skrnn_optional_pages = ["reliability", "benchmarks"]

autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": True}
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

# -- Gallery ----------------------------------------------------------------
# skrnn_docs re-runs every example when the build switches between quick
# (SKRNN_QUICK=1) and full mode, and runs each on one torch thread.
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
    # dotted names, not objects (picklable): matplotlib's and seaborn's
    # defaults, then one torch thread per example (SKRNN_DOCS_TORCH_THREADS)
    "reset_modules": ("matplotlib", "seaborn", "skrnn_docs.reset_torch_threads"),
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
