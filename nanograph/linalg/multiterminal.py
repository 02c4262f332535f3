"""Multi-terminal measurements: the ``k x k`` conductance matrix between ``k`` terminals, and drives of it.

A *terminal* is a node of the network, or a set of nodes held at one potential (an electrode of
:func:`~nanograph.graphs.builders.junction_node_network` with ``electrodes=``, a probe on a few nodes). With
the terminal potentials ``V`` imposed, the currents leaving the terminals into the network are ``I = G V``
with the *conductance matrix*

    G = L_TT - L_TI L_II^{-1} L_IT,

the Schur complement of the Laplacian on the terminals (Kron reduction). ``G`` is symmetric (reciprocity)
and its rows and columns sum to zero (a uniform potential drives no current; Kirchhoff's current law).

One factorisation of ``L_II`` (free nodes of the components that hold a terminal) and ``k - 1`` solves give
the columns ``j < k - 1`` (terminal ``j`` at 1 V, the others at 0); the last column follows from the zero
row sums. The last *row* is computed independently from the solves, so the symmetry of the result checks the
zero row sums: :attr:`TerminalMatrix.symmetry_error` is the largest ``|G - G^T|`` relative to the largest
diagonal entry.

Drives (:meth:`TerminalMatrix.drive`): any terminal is voltage-driven (its potential given) or
current-driven (its current given); a voltage probe is a current-driven terminal with zero current, so it
draws none. Four-terminal resistances (:meth:`TerminalMatrix.resistance`) follow van der Pauw's definition
``R_AB,CD = (V_D - V_C) / I_AB``, current ``I_AB`` entering at ``A`` and leaving at ``B``.

Stiff edges (resistance below :data:`~nanograph.linalg.solve.STIFF_RATIO` times the largest of their
component) are contracted as in :func:`~nanograph.linalg.solve.solve_network`, never merging two terminals;
the energy they neglect is bounded by ``G_jj sum r_e`` relative (every edge carries at most the current
``G_jj`` that enters the driven terminal, the flow being acyclic), added to :attr:`TerminalMatrix.accuracy`.

References
----------
G. Kron, *Tensor Analysis of Networks* (Wiley, 1939); F. Dörfler and F. Bullo, "Kron reduction of graphs
with applications to electrical networks", *IEEE Trans. Circuits Syst. I* 60, 150 (2013), Eq. (4).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from nanograph.errors import InvalidInputError, NotPercolatingError
from nanograph.graphs.contract import contract_edges
from nanograph.graphs.network import Network
from nanograph.linalg.accuracy import AccuracyChecked, rounding_accuracy
from nanograph.linalg.factor import factorize
from nanograph.linalg.laplacian import reduced_laplacian, scatter_add
from nanograph.linalg.solve import STIFF_RATIO

__all__ = ["TerminalMatrix", "TerminalState", "conductance_matrix"]



def _read_only(array) -> np.ndarray:
    out = np.array(array, dtype=float)
    out.flags.writeable = False
    return out


@dataclass(frozen=True, eq=False)
class TerminalState:
    """Potentials and currents of the terminals under one drive (:meth:`TerminalMatrix.drive`).

    Attributes
    ----------
    voltages : ndarray, shape (k,)
        Terminal potentials (V). A group of connected terminals with no voltage-driven one is grounded at its
        last terminal; one into which no current flows either is floating: NaN.
    currents : ndarray, shape (k,)
        Currents entering the network at each terminal (A); they sum to zero.
    potentials : ndarray, shape (V,)
        Potential of every node of the network (V); NaN on nodes of components that hold no terminal (and
        relative to 0 in the components of floating terminals).
    """

    voltages: np.ndarray
    currents: np.ndarray
    potentials: np.ndarray


@dataclass(frozen=True, eq=False)
class TerminalMatrix(AccuracyChecked):
    """The conductance matrix between ``k`` terminals of a network, with its checks.

    Attributes
    ----------
    network : Network
        The measured network.
    terminals : tuple of ndarray
        Node ids of each terminal.
    names : tuple of str
        Terminal names (the electrode names of the build, else ``T0, T1, ...``).
    conductance : ndarray, shape (k, k)
        ``G`` (S): ``I = G V``, currents entering the network at the terminals for terminal potentials ``V``;
        symmetrised, ``(G + G^T)/2``; rows and columns sum to zero.
    symmetry_error : float
        ``max |G - G^T| / max G_ii`` of the computed matrix before symmetrising (0 when no current flows).
    accuracy : float
        Expected relative accuracy: the rounding estimate ``eps max(g)/min(g)`` over the solved edges, the
        contraction bound and :attr:`symmetry_error`.
    n_unknowns : int
        Size of the factored system.
    n_contracted : int
        Edges contracted as stiff.
    backend : str
        ``"cholmod"``, ``"superlu"`` or ``"none"``.
    timings : dict
        Seconds spent in ``assemble``, ``factor`` and ``solve``.
    """

    SUBJECT = "the conductance matrix"

    network: Network
    terminals: tuple
    names: tuple
    conductance: np.ndarray
    symmetry_error: float
    accuracy: float
    n_unknowns: int
    n_contracted: int
    backend: str
    timings: dict = field(default_factory=dict)
    _node_map: np.ndarray | None = field(default=None, repr=False)
    _responses: np.ndarray | None = field(default=None, repr=False)
    _terminal_node: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "conductance", _read_only(self.conductance))

    @property
    def k(self) -> int:
        """Number of terminals."""
        return len(self.terminals)

    def index(self, terminal: int | str) -> int:
        """Position of a terminal given by position or name."""
        if isinstance(terminal, str):
            if terminal not in self.names:
                raise InvalidInputError(f"terminal {terminal!r} is not one of {', '.join(self.names)}")
            return self.names.index(terminal)
        if isinstance(terminal, bool) or not isinstance(terminal, int | np.integer) or not 0 <= terminal < self.k:
            raise InvalidInputError(f"terminal must be a name or a position in 0..{self.k - 1}, got {terminal!r}")
        return int(terminal)

    def drive(self, voltages: Mapping | None = None, currents: Mapping | None = None) -> TerminalState:
        """Solve the terminals for a drive: given potentials at some, given currents at the others.

        Parameters
        ----------
        voltages : mapping, optional
            ``{terminal: V}`` (terminal by name or position; V).
        currents : mapping, optional
            ``{terminal: I}``: current entering the network there (A). Terminals in neither mapping are voltage
            probes (zero current). The currents of each group of connected terminals without a voltage-driven
            one must sum to zero.

        Returns
        -------
        TerminalState

        Raises
        ------
        InvalidInputError
            A terminal both voltage- and current-driven, or currents that do not balance.
        NotPercolatingError
            Current driven into a terminal that no conducting path joins to another.
        """
        fixed, inject = _drive_vectors(self, voltages or {}, currents or {})
        v, i = _solve_drive(self.conductance, fixed, inject, self.names)
        return TerminalState(_read_only(v), _read_only(i), _read_only(self._node_potentials(v)))

    def resistance(self, a, b, c, d) -> float:
        """Four-terminal resistance ``R_ab,cd = (V_d - V_c) / I_ab`` (ohm), current entering at ``a``, leaving at ``b``.

        ``c`` and ``d`` (and every other terminal) are voltage probes. With ``a, b`` equal to ``d, c`` it is the
        two-terminal resistance between ``a`` and ``b``.

        Examples
        --------
        A ring of four 1-ohm resistors A-B-C-D-A: 1/4 of the current flows through D-C, so R_AB,CD = 1/4.

        >>> ring = Network.from_edges(4, [[0, 1], [1, 2], [2, 3], [3, 0]], 1.0)
        >>> m = conductance_matrix(ring, [0, 1, 2, 3], names="ABCD")
        >>> round(m.resistance("A", "B", "C", "D"), 12)
        0.25
        """
        ia, ib, ic, id_ = (self.index(t) for t in (a, b, c, d))
        if ia == ib:
            raise InvalidInputError("the current terminals a and b must differ")
        state = self.drive(currents={ia: 1.0, ib: -1.0})
        return float(state.voltages[id_] - state.voltages[ic])

    def _node_potentials(self, v: np.ndarray) -> np.ndarray:
        """Node potentials for terminal potentials ``v``: ``V_last + X (V[:-1] - V_last)`` on the free nodes."""
        unknown, x = self._responses
        small = np.full(len(unknown), np.nan)
        free = unknown >= 0
        if self.k:
            v = np.nan_to_num(v)  # floating terminals: their nodes relative to 0
            base = v[-1] if x.shape[1] else v[0]
            small[free] = base + (x @ (v[:-1] - v[-1]) if x.shape[1] else 0.0)
            small[self._terminal_node] = v
        return small[self._node_map]


def _drive_vectors(m: TerminalMatrix, voltages: Mapping, currents: Mapping) -> tuple[np.ndarray, np.ndarray]:
    fixed = np.full(m.k, np.nan)
    inject = np.zeros(m.k)
    for t, value in voltages.items():
        fixed[m.index(t)] = float(value)
    for t, value in currents.items():
        j = m.index(t)
        if not np.isnan(fixed[j]):
            raise InvalidInputError(f"terminal {m.names[j]!r} is both voltage- and current-driven")
        inject[j] = float(value)
    if not (np.all(np.isfinite(inject)) and np.all(np.isfinite(fixed[~np.isnan(fixed)]))):
        raise InvalidInputError("voltages and currents must be finite numbers")
    return fixed, inject


def _solve_drive(g: np.ndarray, fixed: np.ndarray, inject: np.ndarray, names) -> tuple[np.ndarray, np.ndarray]:
    """Terminal potentials and currents: ``G_BB V_B = I_B - G_BA V_A`` per group of connected terminals.

    A group without a voltage-driven terminal is grounded at its last terminal when current flows into it,
    and left undefined (NaN potentials) when none does (a floating probe).
    """
    scale = max(float(np.max(np.abs(np.diag(g)), initial=0.0)), np.finfo(float).tiny)
    _, group = csgraph.connected_components(sparse.csr_matrix(np.abs(g) > 1e-13 * scale), directed=False)
    fixed = fixed.copy()
    floating = np.zeros(len(g), dtype=bool)
    sizes = np.bincount(group, minlength=len(g))
    lonely = np.flatnonzero((sizes[group] == 1) & np.isnan(fixed) & (inject != 0))
    if len(lonely):
        raise NotPercolatingError(f"terminal {names[lonely[0]]!r} is joined to no other terminal: no current can "
                                  "enter it (no stick touches it, or its cluster reaches no other)")  # fmt: skip
    for label in np.unique(group):  # a few groups of terminals
        members = np.flatnonzero(group == label)
        if not np.isnan(fixed[members]).all():
            continue
        if not inject[members].any():
            floating[members] = True
            fixed[members] = 0.0
            continue
        total = inject[members].sum()
        if abs(total) > 1e-12 * np.abs(inject[members]).max():
            raise InvalidInputError(f"the currents into terminals {', '.join(names[j] for j in members)} sum to "
                                    f"{total:g} A, not 0: give currents that balance, or a voltage")  # fmt: skip
        fixed[members[-1]] = 0.0  # ground the group at its last terminal
    a = ~np.isnan(fixed)
    b = np.flatnonzero(~a)
    v = np.where(a, fixed, 0.0)
    if len(b):
        v[b] = np.linalg.solve(g[np.ix_(b, b)], inject[b] - g[np.ix_(b, np.flatnonzero(a))] @ fixed[a])
    currents = g @ v
    currents[b] = inject[b]
    v[floating] = np.nan
    return v, currents


def _terminal_sets(network: Network, terminals) -> tuple[np.ndarray, ...]:
    """Node ids of each terminal, checked (in range, disjoint)."""
    if terminals is None:
        if network.electrodes is None:
            raise InvalidInputError("terminals: the network has no electrodes; give terminals (node ids)")
        terminals = network.electrodes
    sets = []
    for t in terminals:
        ids = np.unique(np.asarray(t).ravel())
        if not ids.size or ids.dtype.kind not in "iu" or ids.min() < 0 or ids.max() >= network.n_nodes:
            raise InvalidInputError(f"terminals must be node ids (or sets of them) in 0..{network.n_nodes - 1}, "
                                    f"got {np.asarray(t).tolist()!r}")  # fmt: skip
        sets.append(ids.astype(np.int64))
    if not sets:
        raise InvalidInputError("terminals: give at least one terminal")
    allnodes = np.concatenate(sets)
    if len(np.unique(allnodes)) != len(allnodes):
        raise InvalidInputError("terminals must be disjoint: a node belongs to two terminals")
    return tuple(sets)


def _terminal_names(network: Network, terminals, names, k: int) -> tuple[str, ...]:
    if names is None:
        names = network.params.get("electrode_names") if terminals is None else None
        names = tuple(names) if names is not None and len(names) == k else tuple(f"T{j}" for j in range(k))
    names = tuple(str(n) for n in names)
    if len(names) != k or len(set(names)) != k:
        raise InvalidInputError(f"names must be {k} distinct names (one per terminal), got {list(names)}")
    return names


def _merge_terminals(network: Network, sets) -> tuple[np.ndarray, np.ndarray, int]:
    """Map network nodes to graph nodes with each terminal one node: node map, terminal nodes, size."""
    label = np.arange(network.n_nodes)
    for ids in sets:
        label[ids] = ids[0]
    _, node_map = np.unique(label, return_inverse=True)
    terminal_node = np.array([node_map[ids[0]] for ids in sets], dtype=np.int64)
    return node_map.astype(np.int64), terminal_node, int(node_map.max(initial=-1)) + 1


def _contract_stiff(n, edges, g, terminal_node):
    """Contract edges far below the largest resistance of their component (never joining two terminals)."""
    conducting = (g > 0) & (edges[:, 0] != edges[:, 1])
    graph = sparse.coo_matrix((np.ones(conducting.sum()), tuple(edges[conducting].T)), shape=(n, n))
    labels = csgraph.connected_components(graph, directed=False)[1]
    stiff = np.zeros(len(edges), dtype=bool)
    if conducting.any():
        gmin = np.full(labels.max() + 1, np.inf)
        np.minimum.at(gmin, labels[edges[conducting, 0]], g[conducting])
        stiff[conducting] = g[conducting] * STIFF_RATIO > gmin[labels[edges[conducting, 0]]]
    c = contract_edges(n, edges, np.zeros((len(edges), 1), np.int64), stiff, terminal_node, conflicts="skip")
    return c, conducting


def _assemble(n, edges, g, terminal_node):
    """Unknown ids of the free nodes of terminal components, the reduced Laplacian, ``L_IT`` and ``L_TT``."""
    k = len(terminal_node)
    graph = sparse.coo_matrix((np.ones(len(edges)), tuple(edges.T)), shape=(n, n))
    labels = csgraph.connected_components(graph, directed=False)[1]
    active = np.isin(labels, labels[terminal_node])
    is_terminal = np.full(n, -1, dtype=np.int64)
    is_terminal[terminal_node] = np.arange(k)
    free = active & (is_terminal < 0)
    unknown = np.full(n, -1, dtype=np.int64)
    unknown[free] = np.arange(int(free.sum()))
    n_unknowns = int(free.sum())
    lower = reduced_laplacian(unknown, n_unknowns, edges, g) if n_unknowns else None
    t, h = edges[:, 0], edges[:, 1]
    rows, cols, data = [], [], []
    for a, b in ((t, h), (h, t)):  # free node a, terminal b: L_IT[a, b] = -g
        sel = (unknown[a] >= 0) & (is_terminal[b] >= 0)
        rows.append(unknown[a[sel]]), cols.append(is_terminal[b[sel]]), data.append(-g[sel])
    l_it = sparse.csc_matrix((np.concatenate(data), (np.concatenate(rows), np.concatenate(cols))),
                             shape=(n_unknowns, k))  # fmt: skip
    l_tt = np.zeros((k, k))
    both = (is_terminal[t] >= 0) & (is_terminal[h] >= 0) & (t != h)
    np.add.at(l_tt, (is_terminal[t[both]], is_terminal[h[both]]), -g[both])
    np.add.at(l_tt, (is_terminal[h[both]], is_terminal[t[both]]), -g[both])
    at_terminal = scatter_add(is_terminal[t[is_terminal[t] >= 0]], g[is_terminal[t] >= 0], k)
    at_terminal += scatter_add(is_terminal[h[is_terminal[h] >= 0]], g[is_terminal[h] >= 0], k)
    loops = (t == h) & (is_terminal[t] >= 0)
    at_terminal -= 2 * scatter_add(is_terminal[t[loops]], g[loops], k)
    l_tt[np.diag_indices(k)] += at_terminal
    return unknown, lower, l_it, l_tt, labels, active


def conductance_matrix(
    network: Network,
    terminals: Sequence | None = None,
    *,
    names: Sequence[str] | None = None,
    solver: str = "auto",
    ordering: str = "amd",
    mode: str = "auto",
) -> TerminalMatrix:
    """The ``k x k`` conductance matrix between ``k`` terminals, from one factorisation and ``k - 1`` solves.

    Parameters
    ----------
    network : Network
        Any network (the periodic image shifts are ignored: edges that cross a periodic boundary are ordinary
        conductors, no EMF is applied). Conductances on edges; parallel edges add.
    terminals : sequence, optional
        Each terminal a node id or a set of node ids (shorted together); default the network's electrodes.
    names : sequence of str, optional
        Terminal names; default the electrode names of the build, else ``T0, T1, ...``.
    solver, ordering, mode : str
        As for :func:`~nanograph.linalg.solve.solve_network`.

    Returns
    -------
    TerminalMatrix

    Raises
    ------
    InvalidInputError
        Terminals out of range, overlapping, or none.

    Examples
    --------
    A star: terminals 0, 1, 2 joined to a centre by 1, 2 and 3 S; ``G_01 = -g_0 g_1 / (g_0 + g_1 + g_2)``.

    >>> star = Network.from_edges(4, [[0, 3], [1, 3], [2, 3]], [1.0, 2.0, 3.0])
    >>> m = conductance_matrix(star, [0, 1, 2])
    >>> (m.conductance * 6).round(12).tolist()
    [[5.0, -2.0, -3.0], [-2.0, 8.0, -6.0], [-3.0, -6.0, 9.0]]
    """
    t0 = time.perf_counter()
    sets = _terminal_sets(network, terminals)
    k = len(sets)
    names = _terminal_names(network, terminals, names, k)
    merge_map, terminal_node, n = _merge_terminals(network, sets)
    edges, g = merge_map[network.edges], network.edge_conductance
    c, _ = _contract_stiff(n, edges, g, terminal_node)
    small_edges, small_g = c.node_map[edges[c.keep]], g[c.keep]
    small_terminals = c.node_map[terminal_node]
    unknown, lower, l_it, l_tt, labels, active = _assemble(c.n_nodes, small_edges, small_g, small_terminals)
    t1 = t2 = time.perf_counter()
    x, backend = np.zeros((len(unknown[unknown >= 0]), max(k - 1, 0))), "none"
    if lower is not None and k > 1:
        solve, backend = factorize(lower, solver=solver, ordering=ordering, mode=mode)
        t2 = time.perf_counter()
        x = np.asarray(solve(-l_it[:, : k - 1].toarray())).reshape(-1, k - 1)
    gmat = np.zeros((k, k))
    if k > 1:
        gmat[:, : k - 1] = l_tt[:, : k - 1] + (l_it.T @ x if x.size else 0.0)
        gmat[:, k - 1] = -gmat[:, : k - 1].sum(axis=1)
        comp = labels[small_terminals]
        alone = np.bincount(comp)[comp] == 1  # alone in its component: no current, exactly
        gmat[alone, :] = 0.0
        gmat[:, alone] = 0.0
        gmat[comp[:, None] != comp[None, :]] = 0.0  # different components: exactly uncoupled
    scale = float(np.max(np.diag(gmat), initial=0.0))
    asym = float(np.max(np.abs(gmat - gmat.T), initial=0.0) / scale) if scale > 0 else 0.0
    merged = c.merged & active[c.node_map[edges[:, 0]]] & (g > 0)
    bound = scale * float(np.sum(1.0 / g[merged])) if merged.any() else 0.0
    solved = active[small_edges[:, 0]] & (small_g > 0) & (small_edges[:, 0] != small_edges[:, 1])
    accuracy = rounding_accuracy(labels, small_edges[solved], small_g[solved]) + bound + asym
    timings = {"assemble": t1 - t0, "factor": t2 - t1, "solve": time.perf_counter() - t2}
    return TerminalMatrix(
        network=network, terminals=sets, names=names, conductance=0.5 * (gmat + gmat.T), symmetry_error=asym,
        accuracy=accuracy, n_unknowns=int((unknown >= 0).sum()), n_contracted=int(merged.sum()), backend=backend,
        timings=timings, _node_map=c.node_map[merge_map], _responses=(unknown, x), _terminal_node=small_terminals,
    )  # fmt: skip
