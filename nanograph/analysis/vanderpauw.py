"""Four-probe and van der Pauw measurements of the sheet resistance, on stick networks or any network.

Four contacts ``A, B, C, D`` in order around the boundary of an open box
(:meth:`~nanograph.model.Electrodes.van_der_pauw`: ``midpoints`` of the four sides, or ``corners``). With the
current ``I_AB`` entering at ``A`` and leaving at ``B``, and ``C``, ``D`` voltage probes (they draw no
current),

    R_AB,CD = (V_D - V_C) / I_AB,        R_BC,DA = (V_A - V_D) / I_BC,

and the sheet resistance ``R_s`` of a homogeneous, isotropic sheet with contacts on its boundary solves van
der Pauw's equation (L. J. van der Pauw, *Philips Res. Rep.* 13, 1 (1958), Eq. 1; *Philips Tech. Rev.* 20,
220 (1958), Eq. 3):

    exp(-π R_AB,CD / R_s) + exp(-π R_BC,DA / R_s) = 1.

Both resistances come from one conductance matrix (:func:`~nanograph.linalg.multiterminal.conductance_matrix`:
one factorisation, three solves). The contact resistance ``re`` hardly enters a four-probe value: no net
current flows through a probe, so ``re`` matters only through how the current spreads over the several sticks
that a finite contact touches (point contacts on one stick each would remove it exactly). Reciprocity, ``R_AB,CD = R_CD,AB`` (the matrix is symmetric), is
reported as a check.

For anisotropic (aligned) films the assumption of isotropy fails, but not the measurement: the linear map
``x -> x / sqrt(σ_xx)``, ``y -> y / sqrt(σ_yy)`` (principal axes) turns the sheet into an isotropic one of
sheet conductance ``sqrt(σ_xx σ_yy)`` and another shape, with the contacts still on its boundary, so the
equation returns ``R_s = 1 / sqrt(det σ)``, the geometric mean of the two principal sheet resistances,
whatever the shape; the anisotropy shows only in the ratio ``R_AB,CD / R_BC,DA`` (H. C. Montgomery,
*J. Appl. Phys.* 42, 2971 (1971)). See ``docs/guide/probe.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nanograph.errors import InvalidInputError, NotPercolatingError
from nanograph.geometry.sticks import Sticks
from nanograph.graphs.builders import build_network
from nanograph.graphs.network import EdgeKind, Network
from nanograph.linalg.multiterminal import TerminalMatrix, conductance_matrix
from nanograph.model import Electrodes

__all__ = ["VanDerPauw", "van_der_pauw_sheet_resistance", "van_der_pauw", "four_probe"]


def van_der_pauw_sheet_resistance(r1: float, r2: float) -> float:
    """The sheet resistance ``R_s`` (ohm/sq) solving ``exp(-π r1/R_s) + exp(-π r2/R_s) = 1``.

    Solved for ``x = π/R_s`` as ``logaddexp(-x r1, -x r2) = 0`` by Brent's method on the bracket
    ``[ln 2 / max(r), ln 2 / min(r)]`` (both terms are at least 1/2 at its left end, at most 1/2 at its right),
    so any ratio ``r1/r2`` is solved to full precision, with no overflow.

    Parameters
    ----------
    r1, r2 : float
        ``R_AB,CD`` and ``R_BC,DA`` (ohm), both positive.

    Returns
    -------
    float
        ``R_s`` (ohm per square); ``π r / ln 2`` when ``r1 = r2 = r``.

    Raises
    ------
    InvalidInputError
        A resistance that is not positive and finite (the equation has no solution then).

    Examples
    --------
    >>> round(van_der_pauw_sheet_resistance(1.0, 1.0) * math.log(2) / math.pi, 12)
    1.0
    >>> rs = van_der_pauw_sheet_resistance(1.0, 1e-9)
    >>> round(math.exp(-math.pi / rs) + math.exp(-math.pi * 1e-9 / rs), 12)
    1.0
    """
    from scipy.optimize import brentq

    for name, r in (("r1", r1), ("r2", r2)):
        if not (isinstance(r, int | float | np.floating) and math.isfinite(r) and r > 0):
            raise InvalidInputError(f"{name} must be a positive resistance (ohm) for van der Pauw's equation, "
                                    f"got {r!r}")  # fmt: skip
    lo, hi = min(r1, r2), max(r1, r2)
    if lo == hi:
        return math.pi * lo / math.log(2)
    x = brentq(lambda x: np.logaddexp(-x * r1, -x * r2), math.log(2) / hi, math.log(2) / lo,
               xtol=1e-300, rtol=4 * np.finfo(float).eps, maxiter=500)  # fmt: skip
    return math.pi / x


@dataclass(frozen=True, eq=False)
class VanDerPauw:
    """A van der Pauw measurement: the two four-terminal resistances and the sheet resistance.

    Attributes
    ----------
    r_ab_cd, r_bc_da : float
        ``R_AB,CD = (V_D - V_C)/I_AB`` and ``R_BC,DA = (V_A - V_D)/I_BC`` (ohm).
    r_cd_ab : float
        ``R_CD,AB``: equal to ``r_ab_cd`` by reciprocity.
    sheet_resistance : float
        ``R_s`` solving van der Pauw's equation (ohm per square).
    reciprocity_error : float
        ``|R_AB,CD - R_CD,AB| / |R_AB,CD|``.
    matrix : TerminalMatrix
        The 4 x 4 conductance matrix of the contacts A, B, C, D.
    """

    r_ab_cd: float
    r_bc_da: float
    r_cd_ab: float
    sheet_resistance: float
    reciprocity_error: float
    matrix: TerminalMatrix

    def record(self) -> dict:
        """The measurement as plain values with units in the keys."""
        return {
            "r_ab_cd_ohm": self.r_ab_cd, "r_bc_da_ohm": self.r_bc_da, "r_cd_ab_ohm": self.r_cd_ab,
            "sheet_resistance_ohm_sq": self.sheet_resistance, "reciprocity_error": self.reciprocity_error,
            "symmetry_error": self.matrix.symmetry_error, "accuracy": self.matrix.accuracy,
            "conductance_matrix_S": self.matrix.conductance.tolist(), "contacts": list(self.matrix.names),
        }  # fmt: skip


def van_der_pauw(network: Network, terminals=None, *, solver: str = "auto") -> VanDerPauw:
    """Van der Pauw's measurement on a network with four contacts ``A, B, C, D`` in order around it.

    Parameters
    ----------
    network : Network
        A network with four electrodes (A, B, C, D in order around the sample: e.g. built with
        ``electrodes=Electrodes.van_der_pauw(...)``), or any network with ``terminals``.
    terminals : sequence of 4, optional
        The nodes (or node sets) of ``A, B, C, D``; default the network's four electrodes.
    solver : str
        Linear solver back-end.

    Returns
    -------
    VanDerPauw

    Raises
    ------
    InvalidInputError
        Not four terminals, or a resistance that is not positive (the sample is not a sheet).
    NotPercolatingError
        A contact touches no stick, or no cluster joins the four contacts.

    Examples
    --------
    A ring of four equal resistors r: R_AB,CD = R_BC,DA = r/4, so R_s = π r / (4 ln 2).

    >>> ring = Network.from_edges(4, [[0, 1], [1, 2], [2, 3], [3, 0]], 1.0)
    >>> result = van_der_pauw(ring, [0, 1, 2, 3])
    >>> round(result.r_ab_cd, 12), round(result.sheet_resistance * 4 * math.log(2) / math.pi, 12)
    (0.25, 1.0)
    """
    given = (
        len(terminals) if terminals is not None else len(network.electrodes if network.electrodes is not None else [])
    )
    if given != 4:
        raise InvalidInputError(f"terminals: van der Pauw needs four contacts A, B, C, D, got {given}")
    matrix = conductance_matrix(network, terminals, names=("A", "B", "C", "D") if terminals is not None else None,
                                solver=solver)  # fmt: skip
    _check_connected(network, matrix)
    a, b, c, d = range(4)
    r1 = matrix.resistance(a, b, c, d)
    r2 = matrix.resistance(b, c, d, a)
    r3 = matrix.resistance(c, d, a, b)
    if not (r1 > 0 and r2 > 0):
        raise InvalidInputError(f"network: the four-probe resistances R_AB,CD = {r1:.4g} and R_BC,DA = {r2:.4g} ohm "
                                "are not both positive: the contacts are not in order around a sheet")  # fmt: skip
    return VanDerPauw(r1, r2, r3, van_der_pauw_sheet_resistance(r1, r2), abs(r1 - r3) / abs(r1), matrix)


def _check_connected(network: Network, matrix: TerminalMatrix) -> None:
    """Name the contact that touches no stick, or say that no cluster joins all four."""
    electrode_edges = network.edges[network.edge_kind == EdgeKind.ELECTRODE]
    for name, nodes in zip(matrix.names, matrix.terminals, strict=True):
        if network.params.get("electrode_names") and not np.isin(electrode_edges, nodes).any():
            raise NotPercolatingError(f"contact {name!r} touches no stick: enlarge contact_size or add sticks")
    g = matrix.conductance
    joined = np.abs(g) > 1e-13 * max(float(np.max(np.diag(g))), np.finfo(float).tiny)
    from scipy.sparse.csgraph import connected_components

    if connected_components(joined, directed=False)[0] != 1:
        raise NotPercolatingError("no cluster of sticks joins the four contacts A, B, C, D: the film does not "
                                  "percolate between them")  # fmt: skip


def four_probe(
    sticks: Sticks,
    *,
    contacts: str = "midpoints",
    contact_size: float | None = None,
    form: str = "junction-node",
    rw: float = 1.0,
    rj: float = 1.0,
    re: float | None = None,
    solver: str = "auto",
) -> VanDerPauw:
    """Van der Pauw's measurement of a stick film with four boundary contacts.

    Parameters
    ----------
    sticks : Sticks
        The sticks, in a box open in x and in y.
    contacts : {"midpoints", "corners"}
        Contact layout (:meth:`~nanograph.model.Electrodes.van_der_pauw`).
    contact_size : float, optional
        Length of each contact segment (box units); default 0.05 times the shorter side.
    form : {"junction-node", "wire-node"}
        Graph form.
    rw, rj, re : float
        Resistance of a unit length of wire (ohm per box unit), of a junction and of a stick-contact contact
        (ohm; default ``rj``).
    solver : str
        Linear solver back-end.

    Returns
    -------
    VanDerPauw

    Raises
    ------
    InvalidInputError
        A periodic box, or a bad contact layout.
    NotPercolatingError
        A contact no stick touches, or no cluster joining the four contacts.
    """
    if not isinstance(sticks, Sticks):
        raise InvalidInputError(f"sticks must be a nanograph Sticks object, got {type(sticks).__name__}")
    if any(sticks.periodic):
        axes = " and ".join(a for a, p in zip("xy", sticks.periodic, strict=True) if p)
        raise InvalidInputError(f"periodic: van der Pauw needs a box open in x and y (its contacts lie on the "
                                f"boundary); the sticks wrap around {axes}")  # fmt: skip
    electrodes = Electrodes.van_der_pauw(sticks.box, contacts, contact_size)
    network = build_network(sticks, form, rw=rw, rj=rj, re=re, electrodes=electrodes)
    return van_der_pauw(network, solver=solver)
