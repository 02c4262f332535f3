"""The factor adapter (scikit-sparse 0.4 and 0.5, SuperLU fallback), and the package version's one home."""

import importlib.metadata
import types

import numpy as np
import pytest
from scipy import sparse

from nanograph._version import __version__
from nanograph.cli import main
from nanograph.errors import BackendUnavailableError, SingularSystemError
from nanograph.geometry.sticks import generate_sticks
from nanograph.graphs.builders import junction_node_network
from nanograph.linalg import factor
from nanograph.linalg.resistance import edge_resistances
from nanograph.linalg.solve import solve_network


def fake_scikit_sparse_05(cholmod04):
    """A module with scikit-sparse 0.5's API (as read from its source), computing with 0.4 underneath.

    0.5: ``ldl_factor`` / ``cho_factor(A, *, lower, order, supernodal_mode)`` return a ``CholeskyFactor`` with
    ``solve(b)``, the LD view ``factor`` and ``get_perm()``; ``cholesky`` returns a matrix, not a factor.
    """
    calls = []

    class CholeskyFactor:
        def __init__(self, a, lower, order, supernodal_mode, ldl):
            assert lower is True and sparse.issparse(a)
            calls.append((order, supernodal_mode, ldl))
            self._f = cholmod04.cholesky(a, ordering_method=order, mode=supernodal_mode)
            self.factor = self._f.LD() if ldl else None

        def solve(self, b, system="A"):
            return self._f.solve_A(b)

        def get_perm(self):
            return self._f.P()

    def make(ldl):
        def factorize(a, beta=0.0, *, lower=False, order="default", sym_kind=None, supernodal_mode=None):
            return CholeskyFactor(a, lower, order, supernodal_mode, ldl)

        return factorize

    module = types.SimpleNamespace(
        cho_factor=make(False), ldl_factor=make(True), cholesky=lambda *a, **k: None,
        CholmodNotPositiveDefiniteError=cholmod04.CholmodNotPositiveDefiniteError, calls=calls,
    )  # fmt: skip
    return module


def test_scikit_sparse_05_api_goes_through_the_adapter(monkeypatch):
    cholmod04 = pytest.importorskip("sksparse.cholmod")
    net = junction_node_network(generate_sticks(8.0, box=5, rng=3), rw=0.5, rj=2.0)
    expected = solve_network(net).conductance, edge_resistances(net)
    fake = fake_scikit_sparse_05(cholmod04)
    monkeypatch.setattr(factor, "_import_cholmod", lambda: fake)
    assert factor.cholmod_api() == "0.5" and factor.cholmod_available()
    solution = solve_network(net)
    assert solution.backend == "cholmod" and solution.conductance == pytest.approx(expected[0], rel=1e-12)
    np.testing.assert_allclose(edge_resistances(net, method="selinv"), expected[1], rtol=1e-10)
    assert ("amd", "simplicial", True) in fake.calls  # simplicial factors are LDL^T, as under 0.4
    big = sparse.random(400, 400, density=0.01, random_state=1, format="csc")
    spd = sparse.tril(big @ big.T + 400 * sparse.eye(400), format="csc")
    x = factor.cholesky_factor(spd, mode="supernodal").solve_A(np.ones(400))
    np.testing.assert_allclose((big @ big.T + 400 * sparse.eye(400)) @ x, 1.0, rtol=1e-10)
    assert fake.calls[-1] == ("amd", "supernodal", False)


def test_adapter_maps_not_positive_definite_to_singular_system_error():
    pytest.importorskip("sksparse.cholmod")
    with pytest.raises(SingularSystemError, match="positive definite"):
        factor.cholesky_factor(sparse.csc_matrix(np.array([[-1.0, 0.0], [0.0, 1.0]])), mode="supernodal")
    f = factor.cholesky_factor(sparse.csc_matrix(np.array([[4.0, 0.0], [2.0, 5.0]])))  # [[4, 2], [2, 5]]
    assert f.api == factor.cholmod_api() and sorted(f.P().tolist()) == [0, 1]
    np.testing.assert_allclose(f.solve_A(np.array([6.0, 7.0])), [1.0, 1.0])


def test_without_scikit_sparse_superlu_warns_in_one_line(monkeypatch):
    monkeypatch.setattr(factor, "_import_cholmod", lambda: None)
    assert factor.cholmod_api() is None and not factor.cholmod_available()
    net = junction_node_network(generate_sticks(8.0, box=5, rng=3))
    with pytest.warns(RuntimeWarning, match="nanograph\\[cholmod\\]") as record:
        assert solve_network(net).backend == "superlu"
    assert len(record) == 1 and "\n" not in str(record[0].message)
    with pytest.raises(BackendUnavailableError, match="nanograph\\[cholmod\\]"):
        solve_network(net, solver="cholmod")


def test_version_has_one_home_and_the_cli_prints_it(capsys):
    assert __version__ == importlib.metadata.version("nanograph")
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out.strip() == f"nanograph {__version__}"
