"""Order of the gallery examples: from one cell's arithmetic to comparisons."""

# Authors: The skrnn developers
# SPDX-License-Identifier: BSD-3-Clause

import os

# Files not listed come last, by name.
EXAMPLE_ORDER = [
    "plot_rnn_shapes.py",
    "plot_many_to_many.py",
    "plot_stock_lstm.py",
    "plot_grid_search.py",
    "plot_multi_step.py",
    "plot_global_model.py",
    "plot_compare_classical.py",
    "plot_textbook_benchmarks.py",
]


class ExampleOrder:
    """Sort key for sphinx-gallery's ``within_subsection_order``.

    Parameters
    ----------
    src_dir : str
        The gallery's source folder (unused; sphinx-gallery passes it).
    """

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __call__(self, filename):
        """Rank of ``filename`` in ``EXAMPLE_ORDER``, then its name."""
        name = os.path.basename(filename)
        if name in EXAMPLE_ORDER:
            return (EXAMPLE_ORDER.index(name), name)
        return (len(EXAMPLE_ORDER), name)

    def __repr__(self):
        return "<ExampleOrder>"
