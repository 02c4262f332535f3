"""Build the wire-node and junction-node networks from sticks and their contacts.

* **wire-node**: one node per stick (plus one per electrode); one edge per junction of resistance ``rj``
  and one per stick–electrode contact of resistance ``re``. Wire resistance is neglected (the
  junction-dominated limit).
* **junction-node**: one node per contact point per stick (electrode contacts included); consecutive
  contacts on a stick are joined by a wire-segment edge of resistance ``rw * s`` (``s`` its length); each
  junction joins the contact nodes of its two sticks by an edge of resistance ``rj``; each electrode
  contact joins its node to the electrode by ``re``. The dangling end pieces of every stick carry no
  current and are kept as data (:attr:`Network.dead_end_lengths`).
* **seamless** (``rj = 0``): the two contact nodes of every junction are one node (degree 4 in the bulk).

Any zero resistance is handled exactly by merging the nodes it joins
(:func:`~nanograph.graphs.contract.contract_zero_edges`).

Geometry: if the sticks are open in x, the left (``x = 0``) and right (``x = Lx``) bus bars are the
electrodes. If x is periodic there are no electrodes; :func:`~nanograph.linalg.solve.solve_network` then
applies a potential drop across the periodic x boundary.
"""

from __future__ import annotations

import numpy as np

from nanograph import validation
from nanograph._kernels import order_by_stick_then_arc
from nanograph.errors import InvalidInputError
from nanograph.geometry.contacts import Contacts, ElectrodeContacts, find_contacts, find_electrode_contacts
from nanograph.geometry.sticks import Sticks, as_rng
from nanograph.graphs.contract import contract_zero_edges
from nanograph.graphs.network import EdgeKind, Network, NodeKind
from nanograph.model import Film, JunctionModel, ResistanceDistribution, contact_resistance, parse_resistance

__all__ = ["wire_node_network", "junction_node_network", "build_network", "FORMS"]

FORMS = ("wire-node", "junction-node")


def _per_item(name: str, value, n: int, what: str) -> np.ndarray | float:
    """A resistance (ohm): one number for all, or an array with one value per ``what``."""
    if np.ndim(value) == 0 and not isinstance(value, str | ResistanceDistribution):
        return validation.resistance(name, value)
    if isinstance(value, str | ResistanceDistribution):
        value = parse_resistance(value, name)
        if not isinstance(value, ResistanceDistribution):
            return value
        raise InvalidInputError(f"{name} is a distribution: pass it through a Film (film=...) with an rng")
    return validation.float_array(name, value, length=n, what=what)


def _resistances(sticks, contacts, n_electrode_contacts: int, rw, rj, re, film, rng):
    """Resolve the wire, junction and electrode-contact resistances of one build.

    Returns ``rw`` per stick (ohm per box unit), ``rj`` per junction and ``re`` per electrode contact (ohm),
    each a float when one value holds for all, and the record of them for :attr:`Network.params`.
    """
    n, m = len(sticks), len(contacts)
    if film is not None:
        generator = as_rng(rng) if rng is not None else None
        rw = film.stick_rw(sticks.population, sticks.diameter)
        pop = sticks.population
        rj_values = film.junctions.resistances(pop[contacts.stick_i], pop[contacts.stick_j], film.names, generator)
        re_model = film.re
        if isinstance(re_model, ResistanceDistribution):
            re_values = re_model.sample(n_electrode_contacts, _need_generator(generator))
        else:
            re_values = re_model
        rj = film.junctions.constant if film.junctions.constant is not None else rj_values
        re = re_values
        record_rj, record_rw = film.junctions.constant, film.rw
    else:
        junctions = JunctionModel.of(rj) if not isinstance(rj, np.ndarray | list | tuple) else None
        if junctions is not None and junctions.distribution is not None:
            rj = junctions.distribution.sample(m, _need_generator(as_rng(rng) if rng is not None else None))
        if n_electrode_contacts or re is not None:
            re = contact_resistance(re, junctions if junctions is not None else JunctionModel(values=rj))
        else:
            re = 0.0  # no electrode contact: nothing to resolve
        record_rj, record_rw = None, None
    rw = _per_item("rw", rw, n, "stick")
    rj = _per_item("rj", rj, m, "junction of find_contacts(sticks)")
    if isinstance(re, ResistanceDistribution):
        re = re.sample(n_electrode_contacts, _need_generator(as_rng(rng) if rng is not None else None))
    re = _per_item("re", re, n_electrode_contacts, "electrode contact (left bus bar, then right)")
    record = {
        "rw": rw if np.ndim(rw) == 0 else record_rw,
        "rj": rj if np.ndim(rj) == 0 else record_rj,
        "re": re if np.ndim(re) == 0 else None,
        "heterogeneous": any(np.ndim(v) for v in (rw, rj, re)),
    }
    if film is not None:
        record["film"] = film
    return rw, rj, re, record


def _need_generator(rng):
    if rng is None:
        raise InvalidInputError("a resistance distribution needs rng (a seed or numpy Generator) to draw from")
    return rng


def _inputs(sticks, contacts, electrode_contacts):
    if not isinstance(sticks, Sticks):
        raise InvalidInputError(f"sticks must be a nanograph Sticks object, got {type(sticks).__name__}")
    if contacts is None:
        contacts = find_contacts(sticks)
    bus_bars = not sticks.periodic[0]
    if bus_bars and electrode_contacts is None:
        electrode_contacts = find_electrode_contacts(sticks)
    if not bus_bars:
        empty = ElectrodeContacts(np.zeros(0, np.int64), np.zeros(0), np.zeros((0, 2)))
        electrode_contacts = (empty, empty)
    return contacts, electrode_contacts, bus_bars


def _assemble(
    form: str,
    sticks: Sticks,
    node_position: np.ndarray,
    node_kind: np.ndarray,
    node_stick: np.ndarray,
    edges: np.ndarray,
    edge_kind: np.ndarray,
    resistance: np.ndarray,
    edge_length: np.ndarray,
    edge_stick: np.ndarray,
    edge_shift: np.ndarray,
    electrodes: np.ndarray | None,
    stick_end_nodes: np.ndarray | None,
    dead_end_lengths: np.ndarray | None,
    params: dict,
) -> Network:
    """Turn resistances into conductances, merge zero-resistance edges, and freeze the network."""
    zero = resistance == 0
    if zero.any():
        node_map, rep, keep, edge_shift = contract_zero_edges(len(node_position), edges, edge_shift, zero, electrodes)
        kind = np.zeros(len(rep), dtype=np.int8)
        np.maximum.at(kind, node_map, node_kind)  # a merged node is an electrode if any member is
        position, stick = node_position[rep], node_stick[rep]
        if electrodes is not None:
            position[node_map[electrodes]] = node_position[electrodes]
            stick[node_map[electrodes]] = -1
            electrodes = node_map[electrodes]
        if stick_end_nodes is not None:
            stick_end_nodes = np.where(stick_end_nodes >= 0, node_map[np.maximum(stick_end_nodes, 0)], -1)
        node_position, node_kind, node_stick = position, kind, stick
        edges, edge_kind, resistance = node_map[edges[keep]], edge_kind[keep], resistance[keep]
        edge_length, edge_stick = edge_length[keep], edge_stick[keep]
    return Network(
        form=form,
        node_position=node_position,
        node_kind=node_kind,
        node_stick=node_stick,
        edges=edges,
        edge_kind=edge_kind,
        edge_conductance=1.0 / resistance,
        edge_length=edge_length,
        edge_stick=edge_stick,
        edge_shift=edge_shift,
        box=sticks.box,
        periodic=sticks.periodic,
        electrodes=electrodes,
        stick_end_nodes=stick_end_nodes,
        dead_end_lengths=dead_end_lengths,
        params=params,
    )


def wire_node_network(
    sticks: Sticks,
    *,
    rj: float | np.ndarray | str = 1.0,
    re: float | np.ndarray | None = None,
    contacts: Contacts | None = None,
    electrode_contacts: tuple[ElectrodeContacts, ElectrodeContacts] | None = None,
    film: Film | None = None,
    rng: None | int | np.random.Generator = None,
) -> Network:
    """The wire-node network: a node per stick, an edge per junction (``rj``) and electrode contact (``re``).

    Parameters
    ----------
    sticks : Sticks
        Sticks, box and periodicity (open x: bus bars at ``x = 0`` and ``x = Lx``).
    rj : float, str or ndarray of shape (M,)
        Junction resistance (ohm; ``"10ohm"`` or a distribution spec drawn with ``rng``), or one per junction
        of ``find_contacts(sticks)`` in its order; 0 merges the two sticks.
    re : float or ndarray, optional
        Stick–electrode contact resistance (ohm), or one per electrode contact (left bus bar, then right, in
        :func:`find_electrode_contacts` order); default ``rj`` (:func:`~nanograph.model.contact_resistance`).
    contacts, electrode_contacts : optional
        Precomputed :func:`find_contacts` / :func:`find_electrode_contacts` results.
    film : Film, optional
        The model of the system: its junction model and electrodes replace ``rj`` and ``re``.
    rng : None, int or numpy.random.Generator
        Source of the draws of resistance distributions.

    Returns
    -------
    Network
        Nodes ``0..N-1`` are the sticks (unless zero resistances merged some), then the left and right
        electrodes.

    Examples
    --------
    >>> s = Sticks([[-0.5, 0.3, 0.7, 0.7], [0.3, 0.7, 1.5, 0.3]], box=1)
    >>> net = wire_node_network(s, rj=2.0, re=0.5)
    >>> net.n_nodes, net.edge_counts()["junction"], net.edge_counts()["electrode"]
    (4, 1, 2)
    """
    contacts, (left_c, right_c), bus_bars = _inputs(sticks, contacts, electrode_contacts)
    n_el = len(left_c) + len(right_c) if bus_bars else 0
    _, rj, re, record = _resistances(sticks, contacts, n_el, 0.0, rj, re, film, rng)
    n, m = len(sticks), len(contacts)
    n_nodes = n + 2 if bus_bars else n
    node_position = np.empty((n_nodes, 2))
    node_position[:n] = sticks.centres
    node_kind = np.full(n_nodes, NodeKind.WIRE, dtype=np.int8)
    node_stick = np.full(n_nodes, -1, dtype=np.int32)
    node_stick[:n] = np.arange(n)
    n_edges = m + (len(left_c) + len(right_c) if bus_bars else 0)
    edges = np.empty((n_edges, 2), dtype=np.int64)
    edges[:m, 0], edges[:m, 1] = contacts.stick_i, contacts.stick_j
    edge_kind = np.full(n_edges, EdgeKind.JUNCTION, dtype=np.int8)
    resistance = np.empty(n_edges)
    resistance[:m] = rj
    edge_shift = np.zeros((n_edges, 2), dtype=np.int32)
    edge_shift[:m] = contacts.shift
    electrodes = None
    if bus_bars:
        lx, ly = sticks.box
        electrodes = np.array([n, n + 1])
        node_position[n:] = [[0.0, ly / 2], [lx, ly / 2]]
        node_kind[n:] = NodeKind.ELECTRODE
        edges[m:, 0] = np.concatenate([left_c.stick, right_c.stick])
        edges[m:, 1] = np.repeat([n, n + 1], [len(left_c), len(right_c)])
        edge_kind[m:] = EdgeKind.ELECTRODE
        resistance[m:] = re
    edge_stick = edges.astype(np.int32)
    edge_stick[m:, 1] = -1
    params = {"form": "wire-node", **record, "rw": None, "bus_bars": bus_bars}
    return _assemble(
        "wire-node", sticks, node_position, node_kind, node_stick, edges, edge_kind, resistance,
        np.zeros(len(edges)), edge_stick, edge_shift, electrodes, None, None, params,
    )  # fmt: skip


def junction_node_network(
    sticks: Sticks,
    *,
    rw: float | np.ndarray = 1.0,
    rj: float | np.ndarray | str = 1.0,
    re: float | np.ndarray | None = None,
    contacts: Contacts | None = None,
    electrode_contacts: tuple[ElectrodeContacts, ElectrodeContacts] | None = None,
    film: Film | None = None,
    rng: None | int | np.random.Generator = None,
) -> Network:
    """The junction-node network: a node per contact point per stick.

    Parameters
    ----------
    sticks : Sticks
        Sticks, box and periodicity (open x: bus bars at ``x = 0`` and ``x = Lx``).
    rw : float or ndarray of shape (N,)
        Resistance of a unit length of wire (ohm per box unit), or one per stick; a segment of length ``s``
        of stick ``k`` has ``rw[k] * s``. ``rw = 0`` merges all contacts of a stick.
    rj : float, str or ndarray of shape (M,)
        Junction resistance (ohm; ``"10ohm"`` or a distribution spec drawn with ``rng``), or one per junction
        of ``find_contacts(sticks)`` in its order; ``rj = 0`` gives the seamless network.
    re : float or ndarray, optional
        Stick–electrode contact resistance (ohm), or one per electrode contact (left bus bar, then right);
        default ``rj``; 0 merges the contact into the electrode.
    contacts, electrode_contacts : optional
        Precomputed :func:`find_contacts` / :func:`find_electrode_contacts` results.
    film : Film, optional
        The model of the system: its wire populations (``rw`` per stick from resistivity and diameter), junction
        model and electrodes replace ``rw``, ``rj`` and ``re``.
    rng : None, int or numpy.random.Generator
        Source of the draws of resistance distributions.

    Returns
    -------
    Network
        Contact nodes ordered by stick and by arc position along it, then the two electrodes.

    Examples
    --------
    >>> s = Sticks([[-0.5, 0.3, 0.7, 0.7], [0.3, 0.7, 1.5, 0.3]], box=1)
    >>> net = junction_node_network(s, rw=1.0, rj=2.0, re=0.5)
    >>> net.n_nodes, net.edge_counts()["segment"]
    (6, 2)
    """
    contacts, (left_c, right_c), bus_bars = _inputs(sticks, contacts, electrode_contacts)
    n_el = len(left_c) + len(right_c) if bus_bars else 0
    rw, rj, re, record = _resistances(sticks, contacts, n_el, rw, rj, re, film, rng)
    n = len(sticks)
    m = len(contacts)
    # One entry per contact point per stick: junction ends first, then left and right electrode contacts.
    stick = np.concatenate([contacts.stick_i, contacts.stick_j, left_c.stick, right_c.stick])
    arc = np.concatenate([contacts.arc_i, contacts.arc_j, left_c.arc, right_c.arc])
    order = order_by_stick_then_arc(stick, arc, n)
    k = len(order)
    node_of_entry = np.empty(k, dtype=np.int64)
    node_of_entry[order] = np.arange(k)
    s_sorted, a_sorted = stick[order], arc[order]

    # Nodes: the contact points (in the frame of their stick), then the two electrodes.
    n_nodes = k + 2 if bus_bars else k
    e = sticks.endpoints
    lengths = sticks.lengths
    frac = a_sorted / lengths[s_sorted]
    node_position = np.empty((n_nodes, 2))
    for axis in (0, 1):
        start_coord = e[:, axis][s_sorted]
        node_position[:k, axis] = start_coord + frac * (e[:, axis + 2][s_sorted] - start_coord)
    node_kind = np.full(n_nodes, NodeKind.CONTACT, dtype=np.int8)
    node_stick = np.full(n_nodes, -1, dtype=np.int32)
    node_stick[:k] = s_sorted

    # Edges: wire segments between consecutive contacts of a stick, junctions, electrode contacts.
    same = np.flatnonzero(s_sorted[1:] == s_sorted[:-1])
    n_seg, n_el = len(same), len(left_c) + len(right_c) if bus_bars else 0
    n_edges = n_seg + m + n_el
    seg, jun, ele = slice(0, n_seg), slice(n_seg, n_seg + m), slice(n_seg + m, n_edges)
    edges = np.empty((n_edges, 2), dtype=np.int64)
    edge_kind = np.empty(n_edges, dtype=np.int8)
    resistance = np.empty(n_edges)
    edge_length = np.zeros(n_edges)
    edge_stick = np.empty((n_edges, 2), dtype=np.int32)
    edge_shift = np.zeros((n_edges, 2), dtype=np.int32)

    edges[seg, 0], edges[seg, 1] = same, same + 1
    edge_kind[seg] = EdgeKind.SEGMENT
    edge_length[seg] = a_sorted[same + 1] - a_sorted[same]
    resistance[seg] = (rw if np.ndim(rw) == 0 else rw[s_sorted[same]]) * edge_length[seg]
    edge_stick[seg, 0] = edge_stick[seg, 1] = s_sorted[same]

    edges[jun, 0], edges[jun, 1] = node_of_entry[:m], node_of_entry[m : 2 * m]
    edge_kind[jun] = EdgeKind.JUNCTION
    resistance[jun] = rj
    edge_stick[jun, 0], edge_stick[jun, 1] = contacts.stick_i, contacts.stick_j
    edge_shift[jun] = contacts.shift

    electrodes = None
    if bus_bars:
        lx, ly = sticks.box
        electrodes = np.array([k, k + 1])
        node_position[k:] = [[0.0, ly / 2], [lx, ly / 2]]
        node_kind[k:] = NodeKind.ELECTRODE
        nl = len(left_c)
        edges[ele, 0] = node_of_entry[2 * m :]
        edges[ele, 1] = np.repeat([k, k + 1], [nl, len(right_c)])
        edge_kind[ele] = EdgeKind.ELECTRODE
        resistance[ele] = re
        edge_stick[ele, 0] = np.concatenate([left_c.stick, right_c.stick])
        edge_stick[ele, 1] = -1

    # First and last contact of every stick, and the dangling end pieces beyond them.
    has = np.zeros(n, dtype=bool)
    has[s_sorted] = True
    ends = np.full((n, 2), -1, dtype=np.int64)
    ends[s_sorted[::-1], 0] = np.arange(k)[::-1]
    ends[s_sorted, 1] = np.arange(k)
    dead = np.full((n, 2), np.nan)
    dead[has, 0] = a_sorted[ends[has, 0]]
    dead[has, 1] = lengths[has] - a_sorted[ends[has, 1]]

    params = {"form": "junction-node", **record, "bus_bars": bus_bars}
    return _assemble(
        "junction-node", sticks, node_position, node_kind, node_stick, edges, edge_kind, resistance,
        edge_length, edge_stick, edge_shift, electrodes, ends, dead, params,
    )  # fmt: skip


def build_network(sticks: Sticks, form: str | None = None, *, rw: float | np.ndarray = 1.0,
                  rj: float | np.ndarray | str = 1.0, re: float | np.ndarray | None = None,
                  contacts: Contacts | None = None, film: Film | None = None,
                  rng: None | int | np.random.Generator = None) -> Network:  # fmt: skip
    """Build the graph form ``form`` of a stick network: the one entry point over both builders.

    Parameters
    ----------
    sticks : Sticks
        The sticks and their box.
    form : str, optional
        ``"wire-node"`` (:func:`wire_node_network`, one node per stick) or ``"junction-node"``
        (:func:`junction_node_network`, one node per contact); default the film's form, else junction-node.
    rw : float or ndarray
        Resistance of a unit length of wire (ohm per box unit), or one per stick; ignored by the wire-node form.
    rj : float, str or ndarray
        Junction (wire-wire contact) resistance (ohm), or one per junction; 0 is seamless (contacts merged).
    re : float or ndarray, optional
        Stick-electrode contact resistance (ohm), or one per electrode contact. Default ``rj``.
    contacts : Contacts, optional
        Precomputed :func:`~nanograph.geometry.contacts.find_contacts` result, reused instead of searched.
    film : Film, optional
        The model of the system, replacing ``rw``, ``rj`` and ``re`` (and giving the default ``form``).
    rng : None, int or numpy.random.Generator
        Source of the draws of resistance distributions.

    Returns
    -------
    Network

    Raises
    ------
    InvalidInputError
        An unknown ``form``, or a negative or non-finite resistance.

    Examples
    --------
    >>> s = Sticks([[-0.5, 0.3, 0.7, 0.7], [0.3, 0.7, 1.5, 0.3]], box=1)
    >>> [build_network(s, form).n_nodes for form in FORMS]  # 2 sticks / 4 contacts, and the 2 electrodes
    [4, 6]
    """
    if form is None:
        form = film.form if film is not None else "junction-node"
    if form == "wire-node":
        return wire_node_network(sticks, rj=rj, re=re, contacts=contacts, film=film, rng=rng)
    if form == "junction-node":
        return junction_node_network(sticks, rw=rw, rj=rj, re=re, contacts=contacts, film=film, rng=rng)
    raise InvalidInputError(f"form must be one of {FORMS}, got {form!r}")
