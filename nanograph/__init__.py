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

from nanograph.analysis.backbone import Backbone, Role, current_backbone, find_backbone
from nanograph.analysis.expected_adjacency import (
    ExpectedAdjacency,
    ExpectedConductance,
    expected_adjacency,
    expected_conductance,
    sigma_star,
)
from nanograph.analysis.expected_intersection import electrode_probability, intersection_probability
from nanograph.analysis.percolation import (
    Clusters,
    ThresholdFit,
    ThresholdRuns,
    extrapolate_threshold,
    first_percolation_count,
    label_clusters,
    percolates,
    threshold_runs,
)
from nanograph.analysis.sorted_adjacency import (
    adjacency_conductance,
    paper_network,
    sampled_conductances,
    sorted_adjacency,
)
from nanograph.ensemble import (
    ResultsStore,
    SweepGrid,
    load_grid,
    regenerate_network,
    register_analysis,
    run_sweep,
)
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
from nanograph.geometry.odf import (
    AxialVonMises,
    CosinePower,
    DensityODF,
    DoubleGaussian,
    IrregularCross,
    Isotropic,
    OrientationDistribution,
    PerfectCross,
    SampledODF,
    SymmetricPair,
    UniformSector,
    odf_names,
    odf_usage,
    parse_odf,
    register_odf,
)
from nanograph.geometry.sticks import Sticks, generate_sticks
from nanograph.graphs.builders import build_network, junction_node_network, wire_node_network
from nanograph.graphs.convert import from_igraph, from_networkx, to_igraph, to_networkx
from nanograph.graphs.lattices import lattice_network
from nanograph.graphs.network import EdgeKind, Network, NodeKind
from nanograph.linalg.factor import cholmod_available
from nanograph.linalg.foster import FosterCheck, foster_check
from nanograph.linalg.laplacian import laplacian
from nanograph.linalg.resistance import (
    ResistanceEstimate,
    edge_resistances,
    effective_resistance,
    estimate_edge_resistances,
)
from nanograph.linalg.solve import KirchhoffSystem, Solution, kirchhoff_system, solve_network
from nanograph.physics.emt import (
    ConductanceMixture,
    effective_conductance,
    large_density_constant,
    lattice_gm,
    seamless_gm,
    three_regular_gm,
)
from nanograph.physics.mfa import (
    backbone_fraction,
    backbone_fraction_finite,
    mean_contacts,
    mean_current_factor,
    mfa_conductivity,
    percolation_threshold_scaling,
    rs0_conductivity,
)
from nanograph.transforms.closure import Closure, regular_closure

__version__ = "0.2.0"

__all__ = [
    "AxialVonMises",
    "Backbone",
    "BackendUnavailableError",
    "Closure",
    "Clusters",
    "ConductanceMixture",
    "Contacts",
    "CosinePower",
    "DensityODF",
    "DoubleGaussian",
    "EdgeKind",
    "ElectrodeContacts",
    "ExpectedAdjacency",
    "ExpectedConductance",
    "FixedLength",
    "FosterCheck",
    "GammaLength",
    "InvalidInputError",
    "IrregularCross",
    "Isotropic",
    "KirchhoffSystem",
    "LengthDistribution",
    "LogNormalLength",
    "NanographError",
    "Network",
    "NodeKind",
    "NotPercolatingError",
    "OrientationDistribution",
    "PerfectCross",
    "ResistanceEstimate",
    "ResultsStore",
    "Role",
    "SampledODF",
    "SingularSystemError",
    "Solution",
    "Sticks",
    "SweepGrid",
    "SymmetricPair",
    "ThresholdFit",
    "ThresholdRuns",
    "TruncatedNormalLength",
    "UniformLength",
    "UniformSector",
    "adjacency_conductance",
    "backbone_fraction",
    "backbone_fraction_finite",
    "build_network",
    "cholmod_available",
    "current_backbone",
    "edge_resistances",
    "effective_conductance",
    "effective_resistance",
    "electrode_probability",
    "estimate_edge_resistances",
    "expected_adjacency",
    "expected_conductance",
    "extrapolate_threshold",
    "find_backbone",
    "find_contacts",
    "find_electrode_contacts",
    "first_percolation_count",
    "foster_check",
    "from_igraph",
    "from_networkx",
    "generate_sticks",
    "intersection_probability",
    "junction_node_network",
    "kirchhoff_system",
    "label_clusters",
    "laplacian",
    "large_density_constant",
    "lattice_gm",
    "lattice_network",
    "load_grid",
    "load_sticks",
    "mean_contacts",
    "mean_current_factor",
    "mfa_conductivity",
    "odf_names",
    "odf_usage",
    "paper_network",
    "parse_length",
    "parse_odf",
    "percolates",
    "percolation_threshold_scaling",
    "regenerate_network",
    "register_analysis",
    "register_odf",
    "regular_closure",
    "rs0_conductivity",
    "run_sweep",
    "sampled_conductances",
    "save_sticks",
    "seamless_gm",
    "sigma_star",
    "solve_network",
    "sorted_adjacency",
    "three_regular_gm",
    "threshold_runs",
    "to_igraph",
    "to_networkx",
    "wire_node_network",
]
