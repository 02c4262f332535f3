"""The model of the system (nanograph.model), units, and heterogeneous builds."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nanograph.errors import InvalidInputError
from nanograph.geometry.contacts import find_contacts
from nanograph.geometry.sticks import Sticks, film_sticks, generate_sticks
from nanograph.graphs.builders import build_network, junction_node_network, wire_node_network
from nanograph.graphs.network import EdgeKind
from nanograph.linalg.solve import solve_network
from nanograph.model import (
    BusBars,
    EmpiricalResistance,
    Film,
    JunctionModel,
    LogNormalResistance,
    Material,
    WirePopulation,
    contact_resistance,
    parse_resistance,
    size_effect_factor,
)
from nanograph.units import parse_quantity

# --- units ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("20um", "length", 20e-6),
        ("50 nm", "diameter", 50e-9),
        ("10ohm", "rj", 10.0),
        ("10 Ω", "rj", 10.0),
        ("50mg/m^2", "areal_mass_density", 50e-6),
        ("1.59e-8 ohm*m", "resistivity", 1.59e-8),
        ("10.49 g/cm^3", "mass_density", 10490.0),
        ("8.1e6 ohm/m", "rw", 8.1e6),
        ("2 kohm", "re", 2000.0),
        ("3", "length", 3.0),
        (2.5, "box", 2.5),
    ],
)
def test_quantities_convert_exactly(text, name, expected):
    assert parse_quantity(text, name) == expected


@pytest.mark.parametrize(
    ("text", "name", "match"),
    [
        ("20ohm", "length", "length: '20ohm' has the dimension ohm, expected m"),
        ("5 furlong", "length", "unknown unit"),
        ("0.2_5", "length", "'0.2_5'"),
        ("nan", "box", "expected a number"),
        ("1e400 m", "box", "finite"),
        ("50mg/m", "areal_mass_density", "expected m\\^-2·kg"),
    ],
)
def test_wrong_quantities_are_one_line_errors_naming_the_parameter(text, name, match):
    with pytest.raises(InvalidInputError, match=match) as info:
        parse_quantity(text, name)
    assert "\n" not in str(info.value) and str(info.value).startswith(name)


# --- materials, amd and rw ----------------------------------------------------------------------------------


def test_the_issue_silver_film_from_datasheet_values():
    # <l> = 20 um, D = 50 nm, 50 mg/m^2 -> n l^2 = 48.55; rho = 1.59e-8 ohm m -> 162 ohm per wire.
    film = Film(WirePopulation(length="20um", diameter="50nm", material="Ag", areal_mass_density="50mg/m^2"),
                box="200um", junctions="10ohm")  # fmt: skip
    mass = 10490.0 * math.pi / 4 * (50e-9) ** 2 * 20e-6
    n_per_m2 = 50e-6 / mass
    assert film.unit == 20e-6 and film.size == (10.0, 10.0)
    assert film.density == pytest.approx(n_per_m2 * (20e-6) ** 2, rel=1e-12)
    assert film.n_sticks == round(n_per_m2 * (200e-6) ** 2)
    rw_per_m = 1.59e-8 / (math.pi / 4 * (50e-9) ** 2)
    assert film.rw == pytest.approx(rw_per_m * 20e-6, rel=1e-12)  # ohm per box unit (= per <l>)
    assert film.rw_wire == pytest.approx(161.96, abs=0.01)
    assert film.junctions.constant == 10.0 and film.re == 10.0


def test_explicit_resistivity_and_mass_density_override_the_preset():
    p = WirePopulation(length="20um", diameter="50nm", material="Ag", resistivity="3.18e-8 ohm*m", count=10)
    assert p.material.resistivity == 3.18e-8 and p.material.mass_density == 10490.0
    assert Film(p, box=2).rw_wire == pytest.approx(2 * 161.96, abs=0.02)


def test_diameter_distribution_gives_each_wire_its_own_rw():
    film = Film(WirePopulation(length="10um", diameter="lognormal:mean=50nm,std=10nm", material="Cu", count=200),
                box=5)  # fmt: skip
    sticks = film_sticks(film, rng=3)
    rw = film.stick_rw(sticks.population, sticks.diameter)
    d_m = sticks.diameter * film.unit
    np.testing.assert_allclose(rw, 1.678e-8 / (math.pi / 4 * d_m**2) * film.unit, rtol=1e-12)
    assert film.rw is None and np.ptp(rw) > 0


def test_size_effect_raises_resistivity_of_thin_wires():
    ag = Material.preset("Ag")
    thin, thick = size_effect_factor(np.array([20e-9, 2e-6]), ag)
    assert thin == pytest.approx(1 + 0.75 * 53.3 / 20) and 1 < thick < 1.03
    ms = size_effect_factor(np.array([20e-9, 2e-6]), ag, "mayadas-shatzkes", grain_reflection=0.3)
    assert ms[0] > ms[1] > 1


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"length": "-2um", "count": 1}, "length"),
        ({"length": "20um", "diameter": "0nm", "count": 1}, "diameter"),
        (
            {"length": "20um", "diameter": "50nm", "material": "Ag", "resistivity": "-1 ohm*m", "count": 1},
            "resistivity",
        ),
        ({"length": "20ohm", "count": 1}, "length"),
        ({"count": 3, "density": 2}, "one of count, density"),
        ({"material": "Pt", "count": 1}, "material"),
        ({"length": "lognormal:mean=20um,std=-1um", "count": 1}, "std"),
    ],
)
def test_bad_population_parameters_are_named(kwargs, match):
    with pytest.raises(InvalidInputError, match=match):
        WirePopulation(**kwargs)


def test_a_film_that_needs_more_sticks_than_the_cap_is_refused_before_allocation():
    population = WirePopulation(length="20um", diameter="50nm", material="Ag", areal_mass_density="50mg/m^2")
    with pytest.raises(InvalidInputError, match="more than max_sticks = 1,000"):
        Film(population, box="1mm", max_sticks=1000)
    # 4.9e7 sticks: the memory estimate (with CHOLMOD's fill) exceeds any test machine's memory
    with pytest.raises(InvalidInputError, match=r"^areal_mass_density: 4.86e\+07 sticks .* GB, more than this machine's"):
        Film(population, box="2cm")


# --- junction and electrode models ----------------------------------------------------------------------


def test_re_defaults_to_rj_in_one_place():
    assert contact_resistance(None, 3.0) == 3.0
    assert contact_resistance("2ohm", 3.0) == 2.0
    lognormal = LogNormalResistance(10.0, 1.0)
    assert contact_resistance(None, JunctionModel(distribution=lognormal)) is lognormal
    with pytest.raises(InvalidInputError, match="re must be given"):
        contact_resistance(None, JunctionModel(values=[1.0, 2.0]))


def test_resistance_distributions_parse_and_sample_with_the_passed_rng():
    d = parse_resistance("lognormal:median=10ohm,sigma=0.5")
    assert d == LogNormalResistance(10.0, 0.5) and d.mean == pytest.approx(10 * math.exp(0.125))
    a, b = d.sample(5, np.random.default_rng(1)), d.sample(5, np.random.default_rng(1))
    np.testing.assert_array_equal(a, b)
    u = parse_resistance("uniform:low=5,high=15")
    assert u.mean == 10.0 and np.all((u.quantiles(8) > 5) & (u.quantiles(8) < 15))
    e = parse_resistance("resample:1,2,3ohm")
    assert isinstance(e, EmpiricalResistance) and e.mean == 2.0
    with pytest.raises(InvalidInputError, match="sigma"):
        parse_resistance("lognormal:median=10,sigma=-1")
    with pytest.raises(InvalidInputError, match="needs exactly the parameters"):
        parse_resistance("lognormal:median=10")


# --- heterogeneous builds on hand-solved circuits -----------------------------------------------------------

# Two horizontal sticks across a unit box (x from -0.5 to 1.5): each has one unit-length segment between
# its two bus-bar contacts; they do not touch. G = sum_k 1 / (re_left + rw_k * 1 + re_right).
PARALLEL = Sticks([[-0.5, 0.3, 1.5, 0.3], [-0.5, 0.7, 1.5, 0.7]], box=1)


def test_per_stick_rw_on_two_parallel_wires():
    net = junction_node_network(PARALLEL, rw=np.array([2.0, 6.0]), rj=1.0, re=0.5)
    assert solve_network(net).conductance == pytest.approx(1 / 3 + 1 / 7, rel=1e-12)


def test_per_contact_re_lands_on_the_right_contacts():
    # electrode contacts: left bus bar (stick 0, stick 1), then right bus bar (stick 0, stick 1)
    net = junction_node_network(PARALLEL, rw=1.0, rj=1.0, re=np.array([1.0, 2.0, 3.0, 4.0]))
    assert solve_network(net).conductance == pytest.approx(1 / (1 + 1 + 3) + 1 / (2 + 1 + 4), rel=1e-12)


# A cross: stick 0 spans the box horizontally, sticks 1 and 2 are short verticals crossing it at x = 0.25
# and x = 0.75 (each one junction with stick 0).
CROSS = Sticks([[-0.5, 0.5, 1.5, 0.5], [0.25, 0.3, 0.25, 0.7], [0.75, 0.3, 0.75, 0.7]], box=1)


def test_per_junction_rj_lands_on_the_junctions_in_find_contacts_order():
    contacts = find_contacts(CROSS)
    assert [(int(i), int(j)) for i, j in zip(contacts.stick_i, contacts.stick_j, strict=True)] == [(0, 1), (0, 2)]
    for form, builder in (("wire-node", wire_node_network), ("junction-node", junction_node_network)):
        net = builder(CROSS, rj=np.array([7.0, 11.0]), re=1.0)
        junction = net.edge_kind == EdgeKind.JUNCTION
        pairs = net.edge_stick[junction]
        g = net.edge_conductance[junction]
        assert dict(zip(map(tuple, pairs.tolist()), g.tolist(), strict=True)) == {(0, 1): 1 / 7, (0, 2): 1 / 11}, form


def test_junction_table_by_population_pair():
    sticks = Sticks(CROSS.endpoints, box=1, population=np.array([0, 1, 0]))
    film = Film([WirePopulation(count=2, name="Ag"), WirePopulation(count=1, name="Cu")], box=1,
                junctions={("Ag", "Cu"): 5.0, ("Ag", "Ag"): 9.0}, electrodes=BusBars(re=1.0))  # fmt: skip
    net = junction_node_network(sticks, film=film)
    junction = net.edge_kind == EdgeKind.JUNCTION
    assert sorted(net.edge_conductance[junction].tolist()) == [1 / 9, 1 / 5]
    assert net.edge_conductance[junction][net.edge_stick[junction][:, 1] == 1][0] == 1 / 5


def test_junction_distribution_is_drawn_from_the_build_rng():
    sticks = generate_sticks(8.0, box=6, rng=2)
    film = Film(WirePopulation(density=8.0), box=6, junctions="lognormal:median=2,sigma=1")
    a = junction_node_network(sticks, film=film, rng=5)
    b = junction_node_network(sticks, film=film, rng=5)
    np.testing.assert_array_equal(a.edge_conductance, b.edge_conductance)
    g = a.edge_conductance[a.edge_kind == EdgeKind.JUNCTION]
    assert np.median(1 / g) == pytest.approx(2.0, rel=0.3) and np.std(np.log(1 / g)) == pytest.approx(1.0, rel=0.2)
    with pytest.raises(InvalidInputError, match="rng"):
        junction_node_network(sticks, film=film)


def test_wrong_length_arrays_are_refused_naming_the_parameter():
    with pytest.raises(InvalidInputError, match=r"rw has 3 values, expected 2 \(one per stick\)"):
        junction_node_network(PARALLEL, rw=np.ones(3))
    with pytest.raises(InvalidInputError, match="rj has 1 values, expected 2"):
        junction_node_network(CROSS, rj=np.ones(1), re=1.0)
    with pytest.raises(InvalidInputError, match=r"rj\[1\]"):
        wire_node_network(CROSS, rj=np.array([1.0, -1.0]), re=1.0)


def test_zero_resistances_merge_element_by_element():
    # rj = 0 on the first junction only merges sticks 0 and 1 there; the second junction stays an edge.
    net = wire_node_network(CROSS, rj=np.array([0.0, 2.0]), re=1.0)
    assert net.edge_counts()["junction"] == 1 and net.n_nodes == 4


# --- properties ---------------------------------------------------------------------------------------------


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    rw=st.floats(0.05, 20),
    rj=st.floats(0.05, 20),
    form=st.sampled_from(["wire-node", "junction-node"]),
)
def test_homogeneous_arrays_equal_the_scalar_form_bit_for_bit(seed, rw, rj, form):
    sticks = generate_sticks(6.0, box=4, rng=seed)
    m = len(find_contacts(sticks))
    scalar = build_network(sticks, form, rw=rw, rj=rj)
    arrays = build_network(sticks, form, rw=np.full(len(sticks), rw), rj=np.full(m, rj), re=rj)
    np.testing.assert_array_equal(scalar.edge_conductance, arrays.edge_conductance)
    np.testing.assert_array_equal(scalar.edges, arrays.edges)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**16), c=st.floats(0.01, 100))
def test_scaling_every_resistance_scales_the_resistance(seed, c):
    sticks = generate_sticks(9.0, box=4, rng=seed)
    rng = np.random.default_rng(seed)
    rw, rj = rng.uniform(0.1, 3, len(sticks)), rng.uniform(0.1, 3, len(find_contacts(sticks)))
    g1 = solve_network(junction_node_network(sticks, rw=rw, rj=rj, re=0.7)).conductance
    g2 = solve_network(junction_node_network(sticks, rw=c * rw, rj=c * rj, re=c * 0.7)).conductance
    assert g2 == pytest.approx(g1 / c, rel=1e-9, abs=0)


def test_a_film_of_one_population_draws_what_generate_sticks_draws():
    film = Film(WirePopulation(density=10.0, length="uniform:low=0.5,high=1.5"), box=5, periodic="y")
    a = film_sticks(film, rng=4)
    b = generate_sticks(film.density, box=5, length="uniform:low=0.5,high=1.5", periodic=(False, True), rng=4)
    np.testing.assert_array_equal(a.endpoints, b.endpoints)


def test_a_network_does_not_share_the_callers_arrays():
    from nanograph.graphs.network import Network

    g = np.array([1.0, 2.0])
    net = Network.from_edges(3, [[0, 1], [1, 2]], g)
    g[0] = -7.0
    assert net.edge_conductance.tolist() == [1.0, 2.0] and not net.edge_conductance.flags.writeable


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"density": 1e6, "box": 16}, r"^density: 2.56e\+08 sticks .* GB, more than this machine's"),
        ({"density": 10, "box": 1e300}, r"^density: inf sticks"),
        ({"density": 10, "box": 4, "length": 1e-300}, r"^density: inf sticks"),
        ({"n_sticks": 10**9, "box": 16}, r"^n_sticks: 1e\+09 sticks"),
    ],
)
def test_absurd_sizes_are_refused_before_allocation(kwargs, match):
    with pytest.raises(InvalidInputError, match=match):
        generate_sticks(rng=1, **kwargs)


def test_a_resistance_whose_conductance_overflows_is_named():
    with pytest.raises(InvalidInputError, match=r"^rj = 1e-320 ohm is below"):
        junction_node_network(PARALLEL, rj=1e-320)
    with pytest.raises(InvalidInputError, match=r"^rw = 1e-320 ohm"):
        junction_node_network(PARALLEL, rw=np.array([1.0, 1e-320]))


def test_network_params_are_typed_fields_and_a_mapping():
    film = Film(WirePopulation(density=8.0, rw=2.0), box=4, junctions=3.0)
    net = build_network(film_sticks(film, rng=1), film=film)
    p = net.params
    assert (p.form, p.rw, p.rj, p.re, p.heterogeneous, p.bus_bars, p.film) == ("junction-node", 2.0, 3.0, 3.0, False, True, film)
    assert p["rj"] == 3.0 and {**p}["form"] == "junction-node" and p.get("closure") is None
    hetero = junction_node_network(PARALLEL, rw=np.array([1.0, 2.0]))
    assert hetero.params.rw is None and hetero.params.heterogeneous


@pytest.mark.parametrize(
    ("length", "match"),
    [("normal:loc=-50,scale=1", "standard deviations below 0"), ("gamma:mean=1,std=1e300", "std/mean"),
     ("lognormal:mean=1,std=1e300", "std/mean")],
)
def test_length_distributions_at_floating_point_extremes_are_refused(length, match):
    with pytest.raises(InvalidInputError, match=match):
        generate_sticks(5.0, box=4, length=length, rng=1)


def test_voltages_whose_currents_overflow_are_refused():
    net = junction_node_network(PARALLEL)
    with pytest.raises(InvalidInputError, match=r"^voltage = 1e\+300 V is outside"):
        solve_network(net, voltage=1e300)
    assert solve_network(net, voltage=1e50).conductance == pytest.approx(solve_network(net).conductance, rel=1e-12)
