"""The names nanograph accepts for its enumerated options, in one module that imports nothing.

Graph forms, solver back-ends, export formats, MFA formulas, sweep executors and periodicity are each
spelled once here. The modules that implement them re-export these names (``nanograph.graphs.builders.FORMS``
is :data:`FORMS`), and the command line builds its parser from this module alone, so that
``nanograph --help`` loads neither SciPy nor the numerical modules.
"""

from __future__ import annotations

__all__ = ["EXECUTORS", "EXPORT_FORMATS", "FORMS", "LATTICES", "MFA_FORMULAS", "PERIODIC_CHOICES", "SOLVERS"]

#: The two graph forms of a stick network: wires as nodes, or junctions (contact points) as nodes.
FORMS = ("wire-node", "junction-node")

#: Linear-solver back-ends of :func:`nanograph.linalg.factor.factorize` (``auto``: CHOLMOD, else SuperLU).
SOLVERS = ("auto", "cholmod", "superlu")

#: Format names of :func:`nanograph.graphs.export.export_network`, and the file suffixes that select each.
EXPORT_FORMATS = {
    "graphml": (".graphml",),
    "gexf": (".gexf",),
    "gml": (".gml",),
    "csv": (".csv",),
    "parquet": (".parquet", ".pq"),
    "vtp": (".vtp",),
}

#: The MFA formulas of the paper (eqs. 10, 15 and 17) that :func:`nanograph.physics.mfa.mfa_conductivity`
#: evaluates.
MFA_FORMULAS = (10, 15, 17)

#: Executors of a sweep (:func:`nanograph.ensemble.executors.execute`).
EXECUTORS = ("serial", "processes", "dask")

#: Periodicity: no axis, x (no bus bars), y, or both.
PERIODIC_CHOICES = ("none", "x", "y", "xy")

#: The regular lattices of the EMT paper's Eq. (3), with their node degree z
#: (:data:`nanograph.physics.emt.LATTICE_DEGREE`).
LATTICES = {"square": 4, "kagome": 4, "honeycomb": 3, "triangular": 6}
