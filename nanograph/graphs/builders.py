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

Electrodes: by default, if the sticks are open in x, the left (``x = 0``) and right (``x = Lx``) bus bars
are the two electrodes; if x is periodic there are none and :func:`~nanograph.linalg.solve.solve_network`
applies a potential drop across the periodic x boundary. With ``electrodes=`` (or a :class:`~nanograph.model.Film`
whose ``electrodes`` are an :class:`~nanograph.model.Electrodes` set) there are ``k`` electrodes of any shape
(segments anywhere in the box, probed sticks), one node each, in the order given
(:mod:`nanograph.linalg.multiterminal` measures between them). Each electrode's contacts have its own ``re``
where it has one, else the common one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nanograph import validation
from nanograph._kernels import order_by_stick_then_arc
from nanograph.choices import FORMS
from nanograph.errors import InvalidInputError
from nanograph.geometry.contacts import (
    Contacts,
    ElectrodeContacts,
    find_contacts,
    find_electrode_contacts,
    find_probe_contacts,
    find_segment_contacts,
)
from nanograph.geometry.sticks import Sticks, as_rng
from nanograph.graphs.contract import contract_zero_edges
from nanograph.graphs.network import EdgeKind, Network, NodeKind
from nanograph.model import (
    BusBars,
    Electrodes,
    Film,
    JunctionModel,
    ResistanceDistribution,
    as_electrodes,
    contact_resistance,
    parse_resistance,
)

__all__ = ["wire_node_network", "junction_node_network", "build_network", "FORMS"]


#: Smallest positive resistance whose conductance is finite (ohm); below it, 0 (merging) is meant.
_TINY_RESISTANCE = 1 / np.finfo(float).max


def _per_item(name: str, value, n: int, what: str) -> np.ndarray | float:
    """A resistance (ohm): one number for all, or an array with one value per ``what``."""
    checked = _per_item_values(name, value, n, what)
    tiny = (np.asarray(checked) > 0) & (np.asarray(checked) < _TINY_RESISTANCE)
    if np.any(tiny):
        raise InvalidInputError(
            f"{name} = {float(np.asarray(checked)[tiny].flat[0])!r} ohm is below {_TINY_RESISTANCE:.3g} ohm, whose "
            f"conductance is not a finite number; give {name} = 0 to merge the nodes it joins"
        )
    return checked


def _per_item_values(name: str, value, n: int, what: str) -> np.ndarray | float:
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
        rw = film.rw if film.rw is not None else film.stick_rw(sticks.population, sticks.diameter)
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
    re = _per_item("re", re, n_electrode_contacts, "electrode contact (electrode by electrode, in order)")
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


@dataclass(frozen=True, eq=False)
class _ElectrodePlan:
    """The electrodes of one build: their contacts, node positions, names and own contact resistances."""

    contacts: tuple[ElectrodeContacts, ...]
    position: np.ndarray
    names: tuple[str, ...]
    re: tuple
    bus_bars: bool

    @property
    def k(self) -> int:
        return len(self.contacts)

    @property
    def n_contacts(self) -> int:
        return sum(len(c) for c in self.contacts)

    def stick(self) -> np.ndarray:
        return np.concatenate([c.stick for c in self.contacts]) if self.k else np.zeros(0, np.int64)

    def arc(self) -> np.ndarray:
        return np.concatenate([c.arc for c in self.contacts]) if self.k else np.zeros(0)

    def counts(self) -> np.ndarray:
        return np.array([len(c) for c in self.contacts], dtype=np.int64)


def _bus_bar_plan(sticks: Sticks, electrode_contacts) -> _ElectrodePlan:
    if sticks.periodic[0]:
        return _ElectrodePlan((), np.zeros((0, 2)), (), (), False)
    contacts = find_electrode_contacts(sticks) if electrode_contacts is None else tuple(electrode_contacts)
    if len(contacts) != 2:
        raise InvalidInputError(f"electrode_contacts must be two (left, right bus bars), got {len(contacts)}")
    lx, ly = sticks.box
    return _ElectrodePlan(tuple(contacts), np.array([[0.0, ly / 2], [lx, ly / 2]]), ("left", "right"),
                          (None, None), True)  # fmt: skip


def _electrode_plan(sticks: Sticks, electrodes, electrode_contacts, film) -> _ElectrodePlan:
    """Bus bars (the default), or ``k`` electrodes of any shape with their contacts on ``sticks``."""
    if film is not None:
        electrodes = film.electrodes
    if electrodes is None or isinstance(electrodes, BusBars):
        return _bus_bar_plan(sticks, electrode_contacts)
    chosen = as_electrodes(electrodes, sticks.box, film.unit if film is not None else None)
    if electrode_contacts is None:
        electrode_contacts = [_contacts_of(sticks, e) for e in chosen.items]
    electrode_contacts = tuple(electrode_contacts)
    if len(electrode_contacts) != len(chosen):
        raise InvalidInputError(f"electrode_contacts must be {len(chosen)} (one per electrode), "
                                f"got {len(electrode_contacts)}")  # fmt: skip
    position = np.array([_electrode_position(sticks, e) for e in chosen.items]).reshape(-1, 2)
    return _ElectrodePlan(electrode_contacts, position, chosen.names, tuple(e.re for e in chosen.items), False)


def _contacts_of(sticks: Sticks, electrode) -> ElectrodeContacts:
    """Contacts of one electrode: where sticks cross its segments, and the midpoints of its probed sticks."""
    if len(electrode.sticks) and electrode.sticks.max() >= len(sticks):
        raise InvalidInputError(f"electrodes: electrode {electrode.name!r} probes stick {int(electrode.sticks.max())}"
                                f", but there are {len(sticks)} sticks")  # fmt: skip
    on_segments = find_segment_contacts(sticks, electrode.segments)
    probes = find_probe_contacts(sticks, electrode.sticks)
    stick = np.concatenate([on_segments.stick, probes.stick])
    arc = np.concatenate([on_segments.arc, probes.arc])
    point = np.concatenate([on_segments.point, probes.point])
    order = np.lexsort((arc, stick))
    return ElectrodeContacts(stick[order], arc[order], point[order])


def _electrode_position(sticks: Sticks, electrode) -> np.ndarray:
    """Where an electrode's node is drawn: the mean of its segment midpoints and probed stick centres."""
    points = np.concatenate([0.5 * (electrode.segments[:, :2] + electrode.segments[:, 2:]),
                             sticks.centres[electrode.sticks]])  # fmt: skip
    return points.mean(axis=0)


def _own_re(re, plan: _ElectrodePlan, film, rng):
    """``re`` per contact with each electrode's own ``re`` where it has one (a float when one value holds)."""
    if not any(r is not None for r in plan.re):
        return re
    out = np.broadcast_to(np.asarray(re, dtype=float), (plan.n_contacts,)).copy()
    bounds = np.r_[0, np.cumsum(plan.counts())]
    for k, own in enumerate(plan.re):  # one entry per electrode (a few), not per contact
        if own is None:
            continue
        value = contact_resistance(own, film.junctions if film is not None else 0.0)
        if isinstance(value, ResistanceDistribution):
            value = value.sample(bounds[k + 1] - bounds[k], _need_generator(as_rng(rng) if rng is not None else None))
        out[bounds[k] : bounds[k + 1]] = value
    return out


def _inputs(sticks, contacts, electrode_contacts, electrodes=None, film=None):
    if not isinstance(sticks, Sticks):
        raise InvalidInputError(f"sticks must be a nanograph Sticks object, got {type(sticks).__name__}")
    if contacts is None:
        contacts = find_contacts(sticks)
    return contacts, _electrode_plan(sticks, electrodes, electrode_contacts, film)


def _electrode_record(plan: _ElectrodePlan) -> dict:
    return {"bus_bars": plan.bus_bars, "electrode_names": plan.names}


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
    electrode_contacts: tuple[ElectrodeContacts, ...] | None = None,
    film: Film | None = None,
    rng: None | int | np.random.Generator = None,
    electrodes: BusBars | Electrodes | None = None,
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
        Precomputed :func:`find_contacts` / :func:`find_electrode_contacts` results (with ``electrodes``:
        one :class:`ElectrodeContacts` per electrode).
    film : Film, optional
        The model of the system: its junction model and electrodes replace ``rj`` and ``re``.
    rng : None, int or numpy.random.Generator
        Source of the draws of resistance distributions.
    electrodes : BusBars, Electrodes, Electrode or sequence of Electrode, optional
        The electrodes (ignored when ``film`` is given: the film's are used): default the two bus bars;
        ``k`` electrodes of any shape give ``k`` electrode nodes in their order.

    Returns
    -------
    Network
        Nodes ``0..N-1`` are the sticks (unless zero resistances merged some), then the electrodes (left and
        right bus bars by default).

    Examples
    --------
    >>> s = Sticks([[-0.5, 0.3, 0.7, 0.7], [0.3, 0.7, 1.5, 0.3]], box=1)
    >>> net = wire_node_network(s, rj=2.0, re=0.5)
    >>> net.n_nodes, net.edge_counts()["junction"], net.edge_counts()["electrode"]
    (4, 1, 2)
    """
    contacts, plan = _inputs(sticks, contacts, electrode_contacts, electrodes, film)
    _, rj, re, record = _resistances(sticks, contacts, plan.n_contacts, 0.0, rj, re, film, rng)
    re = _own_re(re, plan, film, rng)
    n, m, k = len(sticks), len(contacts), plan.k
    n_nodes = n + k
    node_position = np.empty((n_nodes, 2))
    node_position[:n] = sticks.centres
    node_kind = np.full(n_nodes, NodeKind.WIRE, dtype=np.int8)
    node_stick = np.full(n_nodes, -1, dtype=np.int32)
    node_stick[:n] = np.arange(n)
    n_edges = m + plan.n_contacts
    edges = np.empty((n_edges, 2), dtype=np.int64)
    edges[:m, 0], edges[:m, 1] = contacts.stick_i, contacts.stick_j
    edge_kind = np.full(n_edges, EdgeKind.JUNCTION, dtype=np.int8)
    resistance = np.empty(n_edges)
    resistance[:m] = rj
    edge_shift = np.zeros((n_edges, 2), dtype=np.int32)
    edge_shift[:m] = contacts.shift
    electrode_nodes = None
    if k:
        electrode_nodes = n + np.arange(k)
        node_position[n:] = plan.position
        node_kind[n:] = NodeKind.ELECTRODE
        edges[m:, 0] = plan.stick()
        edges[m:, 1] = np.repeat(electrode_nodes, plan.counts())
        edge_kind[m:] = EdgeKind.ELECTRODE
        resistance[m:] = re
    edge_stick = edges.astype(np.int32)
    edge_stick[m:, 1] = -1
    params = {"form": "wire-node", **record, "rw": None, **_electrode_record(plan)}
    return _assemble(
        "wire-node", sticks, node_position, node_kind, node_stick, edges, edge_kind, resistance,
        np.zeros(len(edges)), edge_stick, edge_shift, electrode_nodes, None, None, params,
    )  # fmt: skip


def _contact_positions(sticks: Sticks, s_sorted: np.ndarray, a_sorted: np.ndarray, n_nodes: int) -> np.ndarray:
    """Positions of the contact nodes (arc ``a`` along stick ``s``, in the stick's frame), rows for the rest left empty."""
    e = sticks.endpoints
    frac = a_sorted / sticks.lengths[s_sorted]
    position = np.empty((n_nodes, 2))
    k = len(s_sorted)
    for axis in (0, 1):
        start = e[:, axis][s_sorted]
        position[:k, axis] = start + frac * (e[:, axis + 2][s_sorted] - start)
    return position


def _stick_ends(sticks: Sticks, s_sorted: np.ndarray, a_sorted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last contact node of every stick (-1 when none) and the dangling end lengths (NaN when none)."""
    n, k = len(sticks), len(s_sorted)
    has = np.zeros(n, dtype=bool)
    has[s_sorted] = True
    ends = np.full((n, 2), -1, dtype=np.int64)
    ends[s_sorted[::-1], 0] = np.arange(k)[::-1]
    ends[s_sorted, 1] = np.arange(k)
    dead = np.full((n, 2), np.nan)
    dead[has, 0] = a_sorted[ends[has, 0]]
    dead[has, 1] = sticks.lengths[has] - a_sorted[ends[has, 1]]
    return ends, dead


def junction_node_network(
    sticks: Sticks,
    *,
    rw: float | np.ndarray = 1.0,
    rj: float | np.ndarray | str = 1.0,
    re: float | np.ndarray | None = None,
    contacts: Contacts | None = None,
    electrode_contacts: tuple[ElectrodeContacts, ...] | None = None,
    film: Film | None = None,
    rng: None | int | np.random.Generator = None,
    electrodes: BusBars | Electrodes | None = None,
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
        Precomputed :func:`find_contacts` / :func:`find_electrode_contacts` results (with ``electrodes``:
        one :class:`ElectrodeContacts` per electrode).
    film : Film, optional
        The model of the system: its wire populations (``rw`` per stick from resistivity and diameter), junction
        model and electrodes replace ``rw``, ``rj`` and ``re``.
    rng : None, int or numpy.random.Generator
        Source of the draws of resistance distributions.
    electrodes : BusBars, Electrodes, Electrode or sequence of Electrode, optional
        The electrodes (ignored when ``film`` is given: the film's are used): default the two bus bars;
        ``k`` electrodes of any shape give ``k`` electrode nodes in their order.

    Returns
    -------
    Network
        Contact nodes ordered by stick and by arc position along it, then the electrodes (the two bus bars by
        default).

    Examples
    --------
    >>> s = Sticks([[-0.5, 0.3, 0.7, 0.7], [0.3, 0.7, 1.5, 0.3]], box=1)
    >>> net = junction_node_network(s, rw=1.0, rj=2.0, re=0.5)
    >>> net.n_nodes, net.edge_counts()["segment"]
    (6, 2)
    """
    contacts, plan = _inputs(sticks, contacts, electrode_contacts, electrodes, film)
    rw, rj, re, record = _resistances(sticks, contacts, plan.n_contacts, rw, rj, re, film, rng)
    re = _own_re(re, plan, film, rng)
    n = len(sticks)
    m = len(contacts)
    # One entry per contact point per stick: junction ends first, then the electrode contacts in order.
    stick = np.concatenate([contacts.stick_i, contacts.stick_j, plan.stick()])
    arc = np.concatenate([contacts.arc_i, contacts.arc_j, plan.arc()])
    order = order_by_stick_then_arc(stick, arc, n)
    k = len(order)
    node_of_entry = np.empty(k, dtype=np.int64)
    node_of_entry[order] = np.arange(k)
    s_sorted, a_sorted = stick[order], arc[order]

    # Nodes: the contact points (in the frame of their stick), then the electrodes.
    n_nodes = k + plan.k
    node_position = _contact_positions(sticks, s_sorted, a_sorted, n_nodes)
    node_kind = np.full(n_nodes, NodeKind.CONTACT, dtype=np.int8)
    node_stick = np.full(n_nodes, -1, dtype=np.int32)
    node_stick[:k] = s_sorted

    # Edges: wire segments between consecutive contacts of a stick, junctions, electrode contacts.
    same = np.flatnonzero(s_sorted[1:] == s_sorted[:-1])
    n_seg, n_el = len(same), plan.n_contacts
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

    electrode_nodes = None
    if plan.k:
        electrode_nodes = k + np.arange(plan.k)
        node_position[k:] = plan.position
        node_kind[k:] = NodeKind.ELECTRODE
        edges[ele, 0] = node_of_entry[2 * m :]
        edges[ele, 1] = np.repeat(electrode_nodes, plan.counts())
        edge_kind[ele] = EdgeKind.ELECTRODE
        resistance[ele] = re
        edge_stick[ele, 0] = plan.stick()
        edge_stick[ele, 1] = -1

    ends, dead = _stick_ends(sticks, s_sorted, a_sorted)
    params = {"form": "junction-node", **record, **_electrode_record(plan)}
    return _assemble(
        "junction-node", sticks, node_position, node_kind, node_stick, edges, edge_kind, resistance,
        edge_length, edge_stick, edge_shift, electrode_nodes, ends, dead, params,
    )  # fmt: skip


def build_network(sticks: Sticks, form: str | None = None, *, rw: float | np.ndarray = 1.0,
                  rj: float | np.ndarray | str = 1.0, re: float | np.ndarray | None = None,
                  contacts: Contacts | None = None, film: Film | None = None,
                  rng: None | int | np.random.Generator = None,
                  electrodes: BusBars | Electrodes | None = None) -> Network:  # fmt: skip
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
    electrodes : BusBars, Electrodes or sequence of Electrode, optional
        The electrodes when no ``film`` gives them (default the two bus bars).

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
        return wire_node_network(sticks, rj=rj, re=re, contacts=contacts, film=film, rng=rng, electrodes=electrodes)
    if form == "junction-node":
        return junction_node_network(
            sticks, rw=rw, rj=rj, re=re, contacts=contacts, film=film, rng=rng, electrodes=electrodes
        )
    raise InvalidInputError(f"form must be one of {FORMS}, got {form!r}")
