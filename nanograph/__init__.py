"""nanograph: graph-theoretic analysis of random nanowire (stick) networks.

Data flow: parameters + rng -> :class:`Sticks` -> :class:`Contacts` -> :class:`Network` (wire-node or
junction-node) -> :func:`solve_network` -> :class:`Solution`.

Examples
--------
>>> import nanograph as ng
>>> sticks = ng.generate_sticks(density=10, box=8, rng=42)
>>> solution = ng.solve_network(ng.junction_node_network(sticks, rw=1.0, rj=1.0))
>>> solution.percolates
True
"""

from nanograph.errors import (
    BackendUnavailableError,
    InvalidInputError,
    NanographError,
    NotPercolatingError,
    SingularSystemError,
)
from nanograph.geometry.contacts import Contacts, ElectrodeContacts, find_contacts, find_electrode_contacts
from nanograph.geometry.io import load_sticks, save_sticks
from nanograph.geometry.lengths import (
    FixedLength,
    GammaLength,
    LengthDistribution,
    LogNormalLength,
    TruncatedNormalLength,
    UniformLength,
    parse_length,
)
from nanograph.geometry.odf import Isotropic, OrientationDistribution, parse_odf, register_odf
from nanograph.geometry.sticks import Sticks, generate_sticks
from nanograph.graphs.builders import build_network, junction_node_network, wire_node_network
from nanograph.graphs.convert import from_igraph, from_networkx, to_igraph, to_networkx
from nanograph.graphs.network import EdgeKind, Network, NodeKind
from nanograph.linalg.factor import cholmod_available
from nanograph.linalg.laplacian import laplacian
from nanograph.linalg.solve import KirchhoffSystem, Solution, kirchhoff_system, solve_network

__version__ = "0.1.0"

__all__ = [
    "BackendUnavailableError",
    "Contacts",
    "EdgeKind",
    "ElectrodeContacts",
    "FixedLength",
    "GammaLength",
    "InvalidInputError",
    "KirchhoffSystem",
    "Isotropic",
    "LengthDistribution",
    "LogNormalLength",
    "NanographError",
    "Network",
    "NodeKind",
    "NotPercolatingError",
    "OrientationDistribution",
    "SingularSystemError",
    "Solution",
    "Sticks",
    "TruncatedNormalLength",
    "UniformLength",
    "build_network",
    "cholmod_available",
    "find_contacts",
    "find_electrode_contacts",
    "from_igraph",
    "from_networkx",
    "generate_sticks",
    "junction_node_network",
    "kirchhoff_system",
    "laplacian",
    "load_sticks",
    "parse_length",
    "parse_odf",
    "register_odf",
    "save_sticks",
    "solve_network",
    "to_igraph",
    "to_networkx",
    "wire_node_network",
]
