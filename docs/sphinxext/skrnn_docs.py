"""What the skrnn documentation build does, connected to Sphinx's events.

``docs/conf.py`` only holds settings; this extension does the work, when
Sphinx asks for it rather than when the configuration is imported:

- ``config-inited``: writes one API page per module of ``skrnn_api_modules``
  from its ``__all__`` (skipping a module that cannot be imported), and
  makes sphinx-gallery re-run every example when the build switches between
  quick (``SKRNN_QUICK=1``) and full mode;
- ``source-read`` and ``env-get-outdated``: the "More" toctree of the index,
  listing the pages of ``skrnn_optional_pages`` that exist;
- ``autodoc-process-docstring`` and ``autodoc-skip-member``: inherited
  members of scikit-learn and sktime, without their links and plumbing.

:func:`reset_torch_threads` is named in ``sphinx_gallery_conf["reset_modules"]``
(a dotted name: the configuration must stay picklable).
"""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import importlib
import inspect
import os
import re
import shutil
import warnings
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)


# -- Gallery --------------------------------------------------------------------
def reset_torch_threads(gallery_conf, fname):
    """Run the next gallery example on one torch thread.

    The examples train small networks, fastest on one thread: on a busy 2-core
    machine two OpenMP threads per fit were measured several times slower (the
    threads spin-wait for each other). ``SKRNN_DOCS_TORCH_THREADS`` overrides
    it.

    Parameters
    ----------
    gallery_conf : dict
        sphinx-gallery's configuration (unused).
    fname : str
        The example about to run (unused).
    """
    import torch

    torch.set_num_threads(int(os.environ.get("SKRNN_DOCS_TORCH_THREADS", "1")))


def _gallery_mode(app, config):
    # sphinx-gallery re-runs an example only when its file changed; re-run all
    # of them when switching between quick and full mode, so that no page
    # mixes both.
    dirs = config.sphinx_gallery_conf["gallery_dirs"]
    mode = "quick" if os.environ.get("SKRNN_QUICK") == "1" else "full"
    for name in [dirs] if isinstance(dirs, str) else dirs:
        gallery = Path(app.srcdir) / name
        mode_file = gallery / ".skrnn_mode"
        if mode_file.exists() and mode_file.read_text() != mode:
            for stale in gallery.glob("*.md5"):
                stale.unlink()
        gallery.mkdir(exist_ok=True)
        mode_file.write_text(mode)


# -- API reference ----------------------------------------------------------------
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


def _api_page(modname, title, module):
    names = _public_names(module)
    if not names:
        return None
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
    return "\n".join(lines)


def _write_api_pages(app, config):
    # Before autosummary (builder-inited) reads them: one page per public
    # module, so that optional parts (skrnn.sktime, skrnn.compare,
    # skrnn.plotting) appear exactly when they can be imported.
    generated = Path(app.srcdir) / "gen_modules"
    for stale in generated.glob("api_*.rst"):
        stale.unlink()
    shutil.rmtree(generated / "generated", ignore_errors=True)
    generated.mkdir(exist_ok=True)
    for number, (modname, title) in enumerate(config.skrnn_api_modules):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                module = importlib.import_module(modname)
        except ImportError as exc:
            logger.info(f"[skrnn docs] skipping {modname} in the API reference: {exc}")
            continue
        page = _api_page(modname, title, module)
        if page is not None:
            (generated / f"api_{number}_{modname}.rst").write_text(page)


# -- Optional pages -------------------------------------------------------------
def _optional_toctree(app, docname, source):
    # Pages written by other parts of the project, listed only when present.
    if docname != "index":
        return
    present = [
        page
        for page in app.config.skrnn_optional_pages
        if any(
            (Path(app.srcdir) / f"{page}{suffix}").exists()
            for suffix in app.config.source_suffix
        )
    ]
    entries = "".join(f"   {page}\n" for page in present)
    toctree = f".. toctree::\n   :maxdepth: 1\n   :caption: More\n\n{entries}"
    source[0] = source[0].replace(".. skrnn-optional-pages", toctree if present else "")


def _reread_index(app, env, added, changed, removed):
    # The optional toctree is written when index is read: an incremental build
    # must read it again, or a page added since is "not in any toctree".
    return ["index"]


# -- Docstring hooks ------------------------------------------------------------
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


def setup(app):
    """Register the settings and connect the handlers.

    Parameters
    ----------
    app : sphinx.application.Sphinx

    Returns
    -------
    dict
        The extension's metadata.
    """
    app.setup_extension("sphinx.ext.autodoc")  # its events, connected below
    # (module, title) pairs: one API page each, in this order
    app.add_config_value("skrnn_api_modules", [], "env", types=[list])
    # page names without suffix: the index's "More" toctree, when present
    app.add_config_value("skrnn_optional_pages", [], "env", types=[list])
    app.connect("config-inited", _write_api_pages)
    app.connect("config-inited", _gallery_mode)
    app.connect("autodoc-process-docstring", _clean_docstring)
    app.connect("autodoc-skip-member", _skip_member)
    app.connect("source-read", _optional_toctree)
    app.connect("env-get-outdated", _reread_index)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
