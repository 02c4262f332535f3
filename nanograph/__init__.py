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

Every public name is imported on first use (``nanograph.solve_network`` loads :mod:`nanograph.linalg.solve`),
so ``import nanograph`` itself is fast and loads neither SciPy's heavy parts nor the optional libraries.
"""

from __future__ import annotations

import importlib

from nanograph._version import __version__ as __version__

#: Public name -> the module that defines it.
_EXPORTS: dict[str, str] = {
    "adjacency_conductance": "nanograph.analysis.sorted_adjacency",
    "area_fraction": "nanograph.physics.optics",
    "AxialVonMises": "nanograph.geometry.odf",
    "Backbone": "nanograph.analysis.backbone",
    "backbone_fraction": "nanograph.physics.mfa",
    "backbone_fraction_finite": "nanograph.physics.mfa",
    "BackendUnavailableError": "nanograph.errors",
    "build_network": "nanograph.graphs.builders",
    "BusBars": "nanograph.model",
    "cholmod_available": "nanograph.linalg.factor",
    "circle_mask": "nanograph.geometry.masks",
    "Closure": "nanograph.transforms.closure",
    "Clusters": "nanograph.analysis.percolation",
    "conductance_bracket": "nanograph.linalg.bracket",
    "conductance_matrix": "nanograph.linalg.multiterminal",
    "ConductanceBracket": "nanograph.linalg.bracket",
    "ConductanceMixture": "nanograph.physics.emt",
    "conductivity_tensor": "nanograph.analysis.tensor",
    "contact_resistance": "nanograph.model",
    "Contacts": "nanograph.geometry.contacts",
    "CosinePower": "nanograph.geometry.odf",
    "current_backbone": "nanograph.analysis.backbone",
    "current_distribution": "nanograph.analysis.currents",
    "current_flow_betweenness": "nanograph.analysis.currents",
    "DensityODF": "nanograph.geometry.odf",
    "design_film": "nanograph.analysis.film",
    "disordered_three_regular_distribution": "nanograph.physics.emt",
    "disordered_three_regular_gm": "nanograph.physics.emt",
    "DoubleGaussian": "nanograph.geometry.odf",
    "edge_flow": "nanograph.analysis.currents",
    "edge_resistances": "nanograph.linalg.resistance",
    "EdgeKind": "nanograph.graphs.network",
    "effective_conductance": "nanograph.physics.emt",
    "effective_resistance": "nanograph.linalg.resistance",
    "Electrode": "nanograph.model",
    "electrode_probability": "nanograph.analysis.expected_intersection",
    "ElectrodeContacts": "nanograph.geometry.contacts",
    "Electrodes": "nanograph.model",
    "EmpiricalResistance": "nanograph.model",
    "emt_sheet_resistance": "nanograph.analysis.film",
    "estimate_edge_resistances": "nanograph.linalg.resistance",
    "expected_adjacency": "nanograph.analysis.expected_adjacency",
    "expected_conductance": "nanograph.analysis.expected_adjacency",
    "ExpectedAdjacency": "nanograph.analysis.expected_adjacency",
    "ExpectedConductance": "nanograph.analysis.expected_adjacency",
    "export_network": "nanograph.graphs.export",
    "extrapolate_threshold": "nanograph.analysis.percolation",
    "figure_of_merit": "nanograph.physics.optics",
    "Film": "nanograph.model",
    "film_sticks": "nanograph.geometry.sticks",
    "FilmDesign": "nanograph.analysis.film",
    "FilmResult": "nanograph.analysis.film",
    "find_backbone": "nanograph.analysis.backbone",
    "find_contacts": "nanograph.geometry.contacts",
    "find_electrode_contacts": "nanograph.geometry.contacts",
    "first_percolation_count": "nanograph.analysis.percolation",
    "FixedLength": "nanograph.geometry.lengths",
    "foster_check": "nanograph.linalg.foster",
    "FosterCheck": "nanograph.linalg.foster",
    "four_probe": "nanograph.analysis.vanderpauw",
    "from_igraph": "nanograph.graphs.convert",
    "from_networkx": "nanograph.graphs.convert",
    "fuse_cascade": "nanograph.analysis.failure",
    "GammaLength": "nanograph.geometry.lengths",
    "generate_sticks": "nanograph.geometry.sticks",
    "hot_spots": "nanograph.analysis.currents",
    "InaccurateSolutionError": "nanograph.errors",
    "InaccurateSolutionWarning": "nanograph.errors",
    "intersection_probability": "nanograph.analysis.expected_intersection",
    "InvalidInputError": "nanograph.errors",
    "IrregularCross": "nanograph.geometry.odf",
    "Isotropic": "nanograph.geometry.odf",
    "IterativeSolution": "nanograph.linalg.iterative",
    "junction_node_network": "nanograph.graphs.builders",
    "JunctionModel": "nanograph.model",
    "kirchhoff_system": "nanograph.linalg.solve",
    "KirchhoffSystem": "nanograph.linalg.solve",
    "label_clusters": "nanograph.analysis.percolation",
    "laplacian": "nanograph.linalg.laplacian",
    "large_density_constant": "nanograph.physics.emt",
    "lattice_gm": "nanograph.physics.emt",
    "lattice_network": "nanograph.graphs.lattices",
    "LengthDistribution": "nanograph.geometry.lengths",
    "load_grid": "nanograph.ensemble",
    "load_sticks": "nanograph.geometry.io",
    "LogNormalLength": "nanograph.geometry.lengths",
    "LogNormalResistance": "nanograph.model",
    "Material": "nanograph.model",
    "mean_contacts": "nanograph.physics.mfa",
    "mean_current_factor": "nanograph.physics.mfa",
    "mfa_conductivity": "nanograph.physics.mfa",
    "mfa_sheet_resistance": "nanograph.analysis.film",
    "NanographError": "nanograph.errors",
    "Network": "nanograph.graphs.network",
    "network_frames": "nanograph.graphs.export",
    "network_topology": "nanograph.analysis.topology",
    "NetworkParameters": "nanograph.graphs.network",
    "NodeKind": "nanograph.graphs.network",
    "noise_amplitudes": "nanograph.analysis.currents",
    "NotPercolatingError": "nanograph.errors",
    "odf_names": "nanograph.geometry.odf",
    "odf_usage": "nanograph.geometry.odf",
    "OrientationDistribution": "nanograph.geometry.odf",
    "paper_network": "nanograph.analysis.sorted_adjacency",
    "parse_length": "nanograph.geometry.lengths",
    "parse_odf": "nanograph.geometry.odf",
    "parse_quantity": "nanograph.units",
    "parse_resistance": "nanograph.model",
    "percolates": "nanograph.analysis.percolation",
    "percolation_threshold_scaling": "nanograph.physics.mfa",
    "percolative_fit": "nanograph.physics.optics",
    "PerfectCross": "nanograph.geometry.odf",
    "potential_map": "nanograph.analysis.currents",
    "rectangle_mask": "nanograph.geometry.masks",
    "regenerate_network": "nanograph.ensemble",
    "register_analysis": "nanograph.ensemble",
    "register_odf": "nanograph.geometry.odf",
    "regular_closure": "nanograph.transforms.closure",
    "relative_noise": "nanograph.analysis.currents",
    "removal_curve": "nanograph.analysis.failure",
    "resistance_sensitivity": "nanograph.analysis.currents",
    "ResistanceDistribution": "nanograph.model",
    "ResistanceEstimate": "nanograph.linalg.resistance",
    "ResultsStore": "nanograph.ensemble",
    "Role": "nanograph.analysis.backbone",
    "rs0_conductivity": "nanograph.physics.mfa",
    "run_sweep": "nanograph.ensemble",
    "sample_spanning_tree": "nanograph.analysis.spanning",
    "sampled_conductances": "nanograph.analysis.sorted_adjacency",
    "SampledODF": "nanograph.geometry.odf",
    "save_sticks": "nanograph.geometry.io",
    "seamless_gm": "nanograph.physics.emt",
    "sigma_star": "nanograph.analysis.expected_adjacency",
    "simulate_film": "nanograph.analysis.film",
    "SingularSystemError": "nanograph.errors",
    "size_effect_factor": "nanograph.model",
    "slit_mask": "nanograph.geometry.masks",
    "Solution": "nanograph.linalg.solve",
    "solve_iterative": "nanograph.linalg.iterative",
    "solve_network": "nanograph.linalg.solve",
    "sorted_adjacency": "nanograph.analysis.sorted_adjacency",
    "spanning_tree_count": "nanograph.analysis.spanning",
    "spanning_tree_edge_frequencies": "nanograph.analysis.spanning",
    "Sticks": "nanograph.geometry.sticks",
    "SweepGrid": "nanograph.ensemble",
    "SymmetricPair": "nanograph.geometry.odf",
    "three_regular_gm": "nanograph.physics.emt",
    "threshold_runs": "nanograph.analysis.percolation",
    "ThresholdFit": "nanograph.analysis.percolation",
    "ThresholdRuns": "nanograph.analysis.percolation",
    "to_igraph": "nanograph.graphs.convert",
    "to_networkx": "nanograph.graphs.convert",
    "topology_graph": "nanograph.analysis.topology",
    "tortuosity": "nanograph.analysis.currents",
    "transmittance": "nanograph.physics.optics",
    "TruncatedNormalLength": "nanograph.geometry.lengths",
    "UniformLength": "nanograph.geometry.lengths",
    "UniformResistance": "nanograph.model",
    "UniformSector": "nanograph.geometry.odf",
    "van_der_pauw": "nanograph.analysis.vanderpauw",
    "van_der_pauw_sheet_resistance": "nanograph.analysis.vanderpauw",
    "wire_node_network": "nanograph.graphs.builders",
    "WirePopulation": "nanograph.model",
    "write_vtp": "nanograph.graphs.export",
}

__all__ = sorted(_EXPORTS, key=str.lower)


def __getattr__(name: str):
    """Import a public name's module on first use (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'nanograph' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
