import math

import numpy as np
import pytest
from conftest import random_sticks
from hypothesis import given
from hypothesis import strategies as st

from nanograph import InvalidInputError, Sticks, find_contacts, find_electrode_contacts
from nanograph.analysis.percolation import (
    UNIVERSAL_CROSSING,
    extrapolate_threshold,
    first_percolation_count,
    label_clusters,
    percolates,
    threshold_runs,
)
from nanograph.published.mfa import THRESHOLD_ISOTROPIC

# --- hand-built cases -------------------------------------------------------------------------------


def test_two_clusters_one_spanning():
    s = Sticks(
        [
            [-0.2, 0.3, 1.2, 0.3],  # crosses both bars
            [0.5, 0.1, 0.5, 0.5],  # hangs on it
            [0.1, 0.8, 0.4, 0.8],  # isolated pair
            [0.2, 0.7, 0.3, 0.95],
        ],
        box=1,
    )
    c = label_clusters(s)
    assert c.labels.tolist() == [0, 0, 1, 1]
    assert c.sizes.tolist() == [2, 2]
    assert c.spans.tolist() == [True, False]
    assert c.touches_left.tolist() == [True, False]
    assert percolates(s, "span")


def test_no_cluster_spans_when_each_touches_one_bar():
    s = Sticks([[-0.2, 0.3, 0.4, 0.3], [0.6, 0.3, 1.2, 0.3]], box=1)
    c = label_clusters(s)
    assert c.touches_left.tolist() == [True, False] and c.touches_right.tolist() == [False, True]
    assert not percolates(s, "span")


def test_wrapping_by_displacement_not_by_touching_sides():
    box = (2.0, 2.0)
    # A chain of three horizontal-ish sticks joined by two short crossers going once around x.
    chain = [[0.0, 1.0, 1.0, 1.05], [0.9, 0.9, 0.9, 1.2], [0.8, 1.1, 1.9, 1.1], [1.8, 0.9, 1.8, 1.2],
             [1.7, 1.0, 2.2, 1.0]]  # fmt: skip
    wraps = label_clusters(Sticks(chain, box, periodic=True))
    assert wraps.n_clusters == 1 and wraps.wraps.tolist() == [[True, False]]
    # The same sticks without the last link touch both sides (x = 0 and 2) but do not wrap.
    open_chain = label_clusters(Sticks(chain[:4] + [[1.7, 0.5, 1.95, 0.5]], box, periodic=True))
    assert not open_chain.wraps.any()
    assert percolates(Sticks(chain, box, periodic=True), "wrap-either")
    assert not percolates(Sticks(chain, box, periodic=True), "wrap-both")


def test_diagonal_loop_wraps_both_axes():
    # Three sticks in a unit torus whose loop closes one box up and one box to the right: winding (1, 1).
    s = Sticks([[0.0, 0.0, 0.8, 0.8], [0.7, 0.75, 1.1, 0.7], [1.05, 0.6, 1.3, 1.35]], box=1, periodic=True)
    c = label_clusters(s)
    assert c.wraps.all()


def test_bad_criteria_are_refused():
    s = Sticks([[0.1, 0.1, 0.5, 0.5]], box=1, periodic=(True, False))
    with pytest.raises(InvalidInputError, match="bus bars"):
        percolates(s, "span")
    with pytest.raises(InvalidInputError, match="periodic"):
        percolates(s, "wrap-y")
    with pytest.raises(InvalidInputError, match="criterion"):
        percolates(s, "wraps")


# --- Newman-Ziff count against a one-stick-at-a-time reference -------------------------------------


def _reference_first_count(sticks: Sticks, criterion: str) -> int:
    """Add sticks one at a time into a union-find that tracks each stick's image offset (pure Python)."""
    n = len(sticks)
    contacts = find_contacts(sticks)
    by_stick = [[] for _ in range(n + 1)]
    for i, j, s in zip(contacts.stick_i, contacts.stick_j, contacts.shift, strict=True):
        by_stick[max(i, j)].append((int(i), int(j), (int(s[0]), int(s[1]))))
    bar = n  # both bus bars as one node; the right bar sits one box to the right
    if criterion == "span":
        left, right = find_electrode_contacts(sticks)
        for k in left.stick:
            by_stick[k].append((int(k), bar, (0, 0)))
        for k in right.stick:
            by_stick[k].append((int(k), bar, (1, 0)))
    parent = list(range(n + 1))
    offset = [(0, 0)] * (n + 1)  # position of a node relative to its parent, in boxes
    wraps = [[False, False] for _ in range(n + 1)]

    def find(v):
        if parent[v] == v:
            return v, (0, 0)
        root, off = find(parent[v])
        total = (offset[v][0] + off[0], offset[v][1] + off[1])
        parent[v], offset[v] = root, total
        return root, total

    for k in range(n):
        for i, j, s in by_stick[k]:
            (ri, oi), (rj, oj) = find(i), find(j)
            # j sits at s relative to i: offset(j) should equal offset(i) + s.
            if ri == rj:
                w = (oi[0] + s[0] - oj[0], oi[1] + s[1] - oj[1])
                wraps[ri][0] |= w[0] != 0
                wraps[ri][1] |= w[1] != 0
            else:
                parent[rj] = ri
                offset[rj] = (oi[0] + s[0] - oj[0], oi[1] + s[1] - oj[1])
                wraps[ri] = [wraps[ri][0] or wraps[rj][0], wraps[ri][1] or wraps[rj][1]]
        roots = {find(v)[0] for v in range(n + 1)}
        flags = [wraps[r] for r in roots]
        if criterion in ("span", "wrap-x") and any(f[0] for f in flags):
            return k + 1
        if criterion == "wrap-y" and any(f[1] for f in flags):
            return k + 1
        if criterion == "wrap-either" and any(f[0] or f[1] for f in flags):
            return k + 1
        if criterion == "wrap-both" and any(f[0] and f[1] for f in flags):
            return k + 1
    return -1


@given(seed=st.integers(0, 10_000), n=st.integers(2, 45), side=st.floats(1.3, 4.0), aspect=st.floats(0.7, 1.4))
def test_first_count_equals_one_at_a_time(seed, n, side, aspect):
    box = (side, side * aspect)
    torus = random_sticks(seed, n, box, periodic=(True, True))
    for criterion in ("wrap-x", "wrap-y", "wrap-either", "wrap-both"):
        assert first_percolation_count(torus, criterion) == _reference_first_count(torus, criterion)
    for periodic in ((False, False), (False, True)):
        bars = random_sticks(seed, n, box, periodic=periodic)
        assert first_percolation_count(bars, "span") == _reference_first_count(bars, "span")


def test_first_count_is_where_percolation_starts():
    s = random_sticks(5, 300, (6.0, 6.0), periodic=(False, True))
    k = first_percolation_count(s, "span")
    assert k > 0
    assert percolates(Sticks(s.endpoints[:k], s.box, s.periodic), "span")
    assert not percolates(Sticks(s.endpoints[: k - 1], s.box, s.periodic), "span")


# --- threshold estimation ---------------------------------------------------------------------------


def test_probability_curves_and_their_errors():
    runs = threshold_runs(8, criterion="wrap-x", runs=60, rng=3)
    assert runs.counts.min() > 0 and runs.runs == 60
    grid = np.linspace(3, 9, 7)
    for ensemble in ("canonical", "microcanonical"):
        p, err = runs.probability(grid, ensemble)
        assert np.all(np.diff(p) >= -1e-12) and p[0] < 0.2 and p[-1] > 0.8
        assert np.all(err >= 0) and np.all(err <= 0.5 / math.sqrt(59) + 1e-12)
    # The microcanonical probability is the empirical CDF of the first-percolation densities.
    d = np.sort(runs.densities)
    assert runs.probability(d[29], "microcanonical")[0][0] == pytest.approx(np.mean(runs.densities <= d[29]))


def test_threshold_runs_reproducible_and_validated():
    a = threshold_runs(6, criterion="span", runs=5, rng=11)
    b = threshold_runs(6, criterion="span", runs=5, rng=11)
    assert a.counts.tolist() == b.counts.tolist()
    with pytest.raises(InvalidInputError, match="runs"):
        threshold_runs(6, runs=0)


def test_isotropic_threshold_within_error_bar_quick():
    runs = threshold_runs(16, criterion="wrap-x", runs=150, rng=2024)
    estimate, error = runs.crossing_density()
    assert abs(estimate - THRESHOLD_ISOTROPIC) <= 3 * error, (estimate, error)
    assert 0.01 < error < 0.1


def test_crossing_level_defaults_and_refusal():
    runs = threshold_runs(6, criterion="span", runs=20, rng=1)
    assert UNIVERSAL_CROSSING["wrap-x"] == pytest.approx(0.521058290)
    with pytest.raises(InvalidInputError, match="universal.*mean_density.*periodic_y=False"):
        runs.crossing_density()  # span on a cylinder: no universal value is listed
    d, _ = runs.crossing_density(0.5)
    assert runs.probability(d)[0][0] == pytest.approx(0.5)


def test_extrapolation_recovers_a_known_line():
    sizes = np.array([8.0, 16.0, 32.0, 64.0])
    fit = extrapolate_threshold(sizes, 5.6 + 2.0 * sizes**-0.75, np.full(4, 0.01))
    assert fit.threshold == pytest.approx(5.6) and fit.slope == pytest.approx(2.0)
    assert fit.chi2_per_dof == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(InvalidInputError):
        extrapolate_threshold([8.0], [5.0], [0.1])


def test_cli_percolation_json(capsys):
    import json

    from nanograph.cli import main

    assert main(["percolation", "--box", "6", "8", "--runs", "12", "--seed", "1", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert {"threshold", "threshold_error", "sizes", "extrapolation", "eq18_threshold"} <= set(record)
    assert record["threshold_error"] > 0 and len(record["sizes"]) == 2
    curve = record["sizes"][0]["curve"]
    assert len(curve["density"]) == len(curve["probability"]) == len(curve["error"])
    assert main(["percolation", "--box", "6", "--runs", "5", "--seed", "1", "--criterion", "span"]) == 0
    assert "threshold" in capsys.readouterr().out


def test_threshold_runs_stop_when_nothing_can_percolate():
    from nanograph.errors import NotPercolatingError

    with pytest.raises(NotPercolatingError, match=r"^odf = 'theta1:alpha=0deg' makes every stick parallel") as info:
        threshold_runs(8, criterion="wrap-y", runs=2, odf="theta1:alpha=0", rng=1)
    assert info.value.parameter == "odf"  # the CLI maps it to --odf
    # max_density really bounds the sticks drawn: nearly-parallel sticks along x cannot wrap y at n l^2 = 20.
    with pytest.raises(NotPercolatingError, match=r"criterion = 'wrap-y'\) at .*max_density = 20"):
        threshold_runs(8, criterion="wrap-y", runs=2, odf="theta1:alpha=0.05", max_density=20, rng=1)
    with pytest.raises(InvalidInputError, match="max_density"):
        threshold_runs(8, runs=2, max_density=-1.0)
    with pytest.raises(InvalidInputError, match="^box must be at least one mean stick length"):
        threshold_runs(0.5, runs=2)


def test_cli_percolation_refusals_and_fresh_seed(capsys):
    import json

    from nanograph.cli import main

    for argv, flag in [
        (["--runs", "1"], "--runs"),
        (["--open-y"], "--open-y"),
        (["--criterion", "span", "--estimator", "crossing"], "--estimator mean"),
        (["--box", "0.5"], "--box"),
        (["--odf", "theta1:alpha=0", "--criterion", "wrap-y"], "--odf"),
    ]:
        assert main(["percolation", "--runs", "4", *argv]) == 2
        err = capsys.readouterr().err
        assert flag in err and len(err.strip().splitlines()) == 1, err
    assert main(["percolation", "--box", "4", "--runs", "3", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert isinstance(record["seed"], int)
    assert main(["percolation", "--box", "4", "--runs", "3", "--json", "--seed", str(record["seed"])]) == 0
    assert json.loads(capsys.readouterr().out)["threshold"] == record["threshold"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"runs": "a"}, "^runs must be a non-negative integer"), ({"runs": 0}, "^runs must be a positive integer"),
     ({"max_density": "x"}, "^max_density: expected a number"),
     ({"max_density": 0.0}, r"^max_density must be a finite number > 0 \(n <l>\^2\), got 0.0$")],
)  # fmt: skip
def test_threshold_runs_numbers_are_checked_by_name(kwargs, message):
    with pytest.raises(InvalidInputError, match=message):
        threshold_runs(8, **{"runs": 2, **kwargs})
