"""A whole film, from datasheet to ohm per square: realizations, optics, EMT and MFA predictions, design.

:func:`simulate_film` places the sticks of a :class:`~nanograph.model.Film` ``runs`` times, builds its network
(wire resistance from resistivity and diameter, junctions from the junction model), solves it between the bus
bars and reports the sheet resistance ``R_s = W / (L G)`` (``W = Ly`` across the current, ``L = Lx`` along it),
with the area fraction, transmittance and figure of merit of :mod:`nanograph.physics.optics`, and two
predictions:

- **EMT**: ``g_m`` of the 3-regular closure with the film's wire and junction resistances averaged over their
  distributions (:func:`~nanograph.physics.emt.disordered_three_regular_gm`), put on every edge of each
  realization's own network (junctions, segments, electrode contacts) and solved. The closure edges are left
  out of that uniform network: in the film they carry no current, but with ``g_m`` they would join the two
  end contacts of every stick by one edge, a shortcut past its whole chain of segments. Measured at
  ``n l² = 48.5``, ``L = 10``: with the closure edges the EMT conductance is 3.1x (``Rw = Rj = 1``) and 7.6x
  (``Rw = 162``, ``Rj = 10`` ohm) the direct one; without them 0.43x and 1.07x. Junction-node form,
  ``n l² > π`` only.
- **MFA**: the MFA paper's Eq. (15), ``σ (Rs + Rj)``, with ``Rs = rw ⟨l⟩`` and ``Rj`` the mean junction
  resistance (exact for equal lengths and one ``Rj``; an approximation otherwise), or Eq. (62) for ``Rs = 0``.

Seeds: one ``SeedSequence`` per run, spawned from the root; each run spawns two streams, one for the sticks and
one for the resistance draws, so the same seed gives the same films on every machine.

:func:`design_film` inverts: the areal mass density that meets a target ``R_s`` or ``T`` at a stated
confidence, from realizations with common random numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from nanograph.errors import InvalidInputError
from nanograph.geometry.contacts import find_contacts
from nanograph.geometry.sticks import film_sticks
from nanograph.graphs.builders import build_network
from nanograph.linalg.solve import solve_network
from nanograph.model import Film, ResistanceDistribution
from nanograph.physics import emt, mfa, optics
from nanograph.published.materials import DEFAULT_Q_EXT

__all__ = ["FilmRun", "FilmResult", "simulate_film", "emt_sheet_resistance", "mfa_sheet_resistance", "design_film",
           "FilmDesign"]  # fmt: skip


@dataclass(frozen=True)
class FilmRun:
    """One realization of a film.

    Attributes
    ----------
    conductance : float
        Bus-bar conductance (S); 0 when the film does not percolate.
    sheet_resistance : float
        ``Ly / (Lx G)`` (ohm/sq); inf when the film does not percolate.
    percolates : bool
        A cluster joins the bus bars.
    area_fraction, transmittance : float
        Optics (NaN when the sticks have no diameters).
    emt_sheet_resistance : float
        EMT prediction on this realization (ohm/sq; NaN where EMT has no root or does not apply).
    accuracy : float
        The solve's relative accuracy estimate.
    n_junctions : int
        Wire-wire junctions.
    """

    conductance: float
    sheet_resistance: float
    percolates: bool
    area_fraction: float
    transmittance: float
    emt_sheet_resistance: float
    accuracy: float
    n_junctions: int


@dataclass(frozen=True, eq=False)
class FilmResult:
    """Realizations of a film and their statistics.

    Attributes
    ----------
    film : Film
        What was simulated.
    runs : tuple of FilmRun
        One per realization.
    seed : int
        Root entropy of the runs (drawn fresh and recorded when none was given).
    q_ext : float
        Extinction efficiency used for the transmittance.
    mfa_sheet_resistance : float
        MFA prediction (ohm/sq; NaN where it does not apply).
    """

    film: Film
    runs: tuple[FilmRun, ...]
    seed: int
    q_ext: float
    mfa_sheet_resistance: float
    _stats: dict = field(default_factory=dict, repr=False)

    def _column(self, name: str) -> np.ndarray:
        return np.array([getattr(r, name) for r in self.runs], dtype=float)

    def mean(self, name: str) -> tuple[float, float]:
        """Mean and standard error of a :class:`FilmRun` quantity over the runs (NaN entries skipped)."""
        values = self._column(name)
        values = values[~np.isnan(values)]
        if not len(values):
            return math.nan, math.nan
        if np.any(np.isinf(values)):
            return math.inf, math.nan
        sem = float(np.std(values, ddof=1) / math.sqrt(len(values))) if len(values) > 1 else math.nan
        return float(np.mean(values)), sem

    @property
    def n_percolating(self) -> int:
        """Runs whose film percolates."""
        return int(sum(r.percolates for r in self.runs))

    def to_pandas(self):
        """One row per realization: ``run`` then every :class:`FilmRun` field (SI units, see there).

        Returns
        -------
        pandas.DataFrame

        Raises
        ------
        BackendUnavailableError
            When pandas is not installed.
        """
        from dataclasses import asdict, fields

        from nanograph._display import require_pandas

        pd = require_pandas("FilmResult.to_pandas")
        columns = ["run", *(f.name for f in fields(FilmRun))]
        return pd.DataFrame([{"run": i, **asdict(r)} for i, r in enumerate(self.runs)], columns=columns)

    def _display(self) -> list[tuple[str, object]]:
        rs, rs_err = self.mean("sheet_resistance")
        t, _ = self.mean("transmittance")
        return [("density", self.film.density), ("n_sticks", self.film.n_sticks), ("box", tuple(self.film.size)),
                ("runs", len(self.runs)), ("n_percolating", self.n_percolating),
                ("sheet_resistance_ohm_sq", f"{rs:.6g} ± {rs_err:.2g}"), ("transmittance", t),
                ("mfa_sheet_resistance_ohm_sq", self.mfa_sheet_resistance), ("seed", self.seed)]  # fmt: skip

    def __repr__(self) -> str:
        """One line: density, sticks, box, runs, percolating runs, mean sheet resistance, transmittance, seed."""
        from nanograph._display import summary_repr

        return summary_repr("FilmResult", self._display())

    def _repr_html_(self) -> str:
        from nanograph._display import html_table

        return html_table("FilmResult", self._display())

    def summary(self) -> dict:
        """The record the ``film`` command prints (SI units, the unit in each key)."""
        film = self.film
        rs, rs_err = self.mean("sheet_resistance")
        af, _ = self.mean("area_fraction")
        t, t_err = self.mean("transmittance")
        emt_rs, _ = self.mean("emt_sheet_resistance")
        fom = optics.figure_of_merit(rs, t) if math.isfinite(rs) and 0 < t < 1 else math.nan
        rw = film.rw
        return {
            "density": film.density,
            "n_sticks": film.n_sticks,
            "box": list(film.size),
            "unit_m": film.unit,
            "rw_per_length_ohm_m": None if rw is None or film.unit is None else rw / film.unit,
            "rw_per_length": rw,
            "rw_wire_ohm": film.rw_wire,
            "rj_mean_ohm": film.junctions.mean,
            "area_fraction": af,
            "transmittance": t,
            "transmittance_err": t_err,
            "q_ext": self.q_ext,
            "sheet_resistance_ohm_sq": rs,
            "sheet_resistance_ohm_sq_err": rs_err,
            "figure_of_merit": fom,
            "emt_sheet_resistance_ohm_sq": emt_rs,
            "mfa_sheet_resistance_ohm_sq": self.mfa_sheet_resistance,
            "runs": len(self.runs),
            "n_percolating": self.n_percolating,
            "accuracy": float(np.nanmax(self._column("accuracy"))) if self.runs else math.nan,
            "seed": self.seed,
            "film": film.describe(),
        }


def _run_seeds(seed, runs: int) -> tuple[int, list[np.random.SeedSequence]]:
    root = np.random.SeedSequence(seed)
    return int(root.entropy), root.spawn(runs)


def _representative_rw(film: Film, sticks, n_quantiles: int = 64) -> np.ndarray | float:
    """Whole-wire resistances ``rw ⟨l⟩`` (ohm) for EMT's Eq. (14) in units of ``⟨l⟩``: one value, or
    ``n_quantiles`` mid-quantiles of the sticks' values when they differ."""
    if film.rw_wire is not None or not len(sticks):
        return film.rw_wire
    rw = film.stick_rw(sticks.population, sticks.diameter) * film.mean_length
    return np.quantile(rw, (np.arange(n_quantiles) + 0.5) / n_quantiles)


def _junction_spread(film: Film, network) -> float | np.ndarray | ResistanceDistribution:
    model = film.junctions
    if model.constant is not None:
        return model.constant
    if model.distribution is not None:
        return model.distribution
    junction = network.edge_kind == 0
    return 1 / network.edge_conductance[junction]


def emt_sheet_resistance(film: Film, sticks, network) -> float:
    """EMT sheet resistance of one realization (ohm/sq): the closure's ``g_m`` on every edge of its network.

    Parameters
    ----------
    film : Film
        The model (junction-node form).
    sticks : Sticks
        The realization's sticks.
    network : Network
        Its junction-node network.

    Returns
    -------
    float
        ``Ly / (Lx G_EMT)``; NaN for the wire-node form, ``n l² <= π`` (Eq. 21 has no root) or a network
        that does not percolate.
    """
    density = sticks.density
    if film.form != "junction-node" or density <= math.pi or network.electrodes is None:
        return math.nan
    rw = _representative_rw(film, sticks)
    if np.any(np.asarray(rw) <= 0):
        return math.nan
    try:
        gm = emt.disordered_three_regular_gm(density, rw, _junction_spread(film, network))
    except InvalidInputError:
        return math.nan
    uniform = network.replace(edge_conductance=np.full(network.n_edges, gm))
    solution = solve_network(uniform)
    return 1 / solution.sheet_conductance if solution.percolates else math.nan


def mfa_sheet_resistance(film: Film) -> float:
    """MFA sheet resistance (ohm/sq) of a film of one population (NaN otherwise, or where Eq. 15 fails).

    ``R_s = (Rs + Rj) / [σ (Rs + Rj)]`` from the MFA paper's Eq. (15) with ``Rs = rw ⟨l⟩``, ``Rj`` the mean
    junction resistance and the population's ODF; Eq. (62) (``σ Rj``) for the wire-node form.

    Parameters
    ----------
    film : Film
        The model.

    Returns
    -------
    float
        ohm/sq.
    """
    if len(film.populations) != 1:
        return math.nan
    odf = film.populations[0].odf
    rj = film.junctions.mean
    rs = 0.0 if film.form == "wire-node" else film.rw_wire
    density = film.density
    if rs is None or not (rj > 0 or rs > 0) or density <= 0:
        return math.nan
    if rs == 0:
        value = float(mfa.rs0_conductivity(density, odf))
        return rj / value if value > 0 else math.nan
    if rj == 0:
        return math.nan
    value = float(mfa.mfa_conductivity(density, rs / rj, odf, formula=15))
    return (rs + rj) / value if value > 0 else math.nan


def _one_run(film: Film, seed: np.random.SeedSequence, q_ext: float, predict: bool) -> FilmRun:
    stick_seed, resistance_seed = seed.spawn(2)
    sticks = film_sticks(film, np.random.default_rng(stick_seed))
    contacts = find_contacts(sticks)
    network = build_network(sticks, film=film, contacts=contacts, rng=np.random.default_rng(resistance_seed))
    solution = solve_network(network)
    has_diameter = len(sticks) and not np.any(np.isnan(sticks.diameter))
    af = optics.area_fraction(sticks, contacts) if has_diameter else math.nan
    rs = 1 / solution.sheet_conductance if solution.sheet_conductance > 0 else math.inf
    return FilmRun(
        conductance=solution.conductance,
        sheet_resistance=rs,
        percolates=bool(solution.percolates),
        area_fraction=af,
        transmittance=optics.transmittance(af, q_ext) if has_diameter else math.nan,
        emt_sheet_resistance=emt_sheet_resistance(film, sticks, network) if predict else math.nan,
        accuracy=solution.accuracy,
        n_junctions=len(contacts),
    )


def simulate_film(
    film: Film,
    runs: int = 10,
    *,
    rng: None | int | np.random.SeedSequence = None,
    q_ext: float = DEFAULT_Q_EXT,
    predict: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> FilmResult:
    """Realize a film ``runs`` times: sheet resistance, optics, and the EMT and MFA predictions.

    Parameters
    ----------
    film : Film
        What to simulate (open x: bus bars; a periodic-x film is solved across its periodic boundary).
    runs : int
        Realizations, >= 1.
    rng : None, int or numpy.random.SeedSequence
        Root seed; None draws fresh entropy, recorded in :attr:`FilmResult.seed`.
    q_ext : float
        Extinction efficiency for ``T = exp(−Q_ext AF)``.
    predict : bool
        Compute the EMT prediction per run (one more solve each).
    progress : callable, optional
        Called as ``progress(done, runs)`` after each run.

    Returns
    -------
    FilmResult

    Raises
    ------
    InvalidInputError
        ``runs < 1``.

    Examples
    --------
    >>> from nanograph.model import Film, WirePopulation
    >>> film = Film(WirePopulation(length="20um", diameter="50nm", material="Ag", density=20), box=6, junctions="10ohm")
    >>> result = simulate_film(film, runs=3, rng=1)
    >>> s = result.summary()
    >>> s["n_percolating"], s["sheet_resistance_ohm_sq"] > 0, 0 < s["transmittance"] < 1
    (3, True, True)
    """
    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
        raise InvalidInputError(f"runs must be an integer >= 1, got {runs!r}")
    optics.transmittance(0.0, q_ext)  # validates q_ext before any work
    if isinstance(rng, np.random.Generator):
        raise InvalidInputError("rng: give a seed (int) or SeedSequence, so that the runs can be regenerated")
    entropy, seeds = _run_seeds(rng.entropy if isinstance(rng, np.random.SeedSequence) else rng, runs)
    results = []
    for k, seed in enumerate(seeds):
        results.append(_one_run(film, seed, q_ext, predict))
        if progress is not None:
            progress(k + 1, runs)
    return FilmResult(film, tuple(results), entropy, q_ext, mfa_sheet_resistance(film) if predict else math.nan)


# --- Inverse design ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FilmDesign:
    """The areal mass density that meets a target, and the film it gives.

    Attributes
    ----------
    areal_mass_density : float
        kg/m².
    target : str
        ``"sheet_resistance"`` or ``"transmittance"``.
    target_value : float
        ohm/sq or dimensionless.
    confidence : float
        Fraction of realizations that meet the target at this amd.
    result : FilmResult
        The realizations at the design point.
    iterations : int
        Bisection steps.
    """

    areal_mass_density: float
    target: str
    target_value: float
    confidence: float
    result: FilmResult
    iterations: int


def _bracket(film: Film, meets, *, good_side_high: bool, max_density: float) -> tuple[float, float]:
    """``(log amd_lo, log amd_hi)`` with the target met on one side and missed on the other: start at the film's
    own amount and double (or halve) it."""
    amd0 = film.density / film.populations[0].length.mean ** 2 * film._mass_per_wire(film.populations[0])
    amd0 /= film.unit**2  # kg/m^2 of the film as given
    per_density = amd0 / film.density
    ok0, _ = meets(amd0)
    step = math.log(2.0)
    here = math.log(amd0)
    direction = -1 if ok0 == good_side_high else 1  # move towards the boundary
    while True:
        there = here + direction * step
        density = math.exp(there) / per_density
        if density > max_density or density < 1.0:
            raise InvalidInputError(f"the target is out of reach for n l^2 between 1 and max_density = {max_density:g}")
        ok, _ = meets(math.exp(there))
        if ok != ok0:
            return (min(here, there), max(here, there))
        here = there


def design_film(
    film: Film,
    *,
    sheet_resistance: float | None = None,
    transmittance: float | None = None,
    confidence: float = 0.9,
    runs: int = 10,
    rng: None | int = None,
    q_ext: float = DEFAULT_Q_EXT,
    max_density: float = 500.0,
    rtol: float = 0.01,
) -> FilmDesign:
    """The areal mass density meeting a target sheet resistance or transmittance at a stated confidence.

    For ``sheet_resistance``: the smallest amd at which at least ``confidence`` of the realizations have
    ``R_s <=`` the target (more wire lowers ``R_s``). For ``transmittance``: the largest amd at which at least
    ``confidence`` of them have ``T >=`` the target. Bisection on ``log amd`` with the same seeds at every
    step (common random numbers), to ``rtol``.

    Parameters
    ----------
    film : Film
        A physical film of one population with a diameter and a material (its amount is replaced).
    sheet_resistance, transmittance : float, optional
        Exactly one target (ohm/sq, or ``T`` in (0, 1)).
    confidence : float
        In (0, 1].
    runs : int
        Realizations per step.
    rng : None or int
        Root seed.
    q_ext : float
        Extinction efficiency.
    max_density : float
        Largest ``n l²`` the search may try (it starts at the film's amount and doubles or halves it).
    rtol : float
        Relative tolerance on amd.

    Returns
    -------
    FilmDesign

    Raises
    ------
    InvalidInputError
        No or two targets, a target out of reach below ``max_density`` (or above ``n l² = 1``), or a film that is
        not physical.
    """
    if (sheet_resistance is None) == (transmittance is None):
        raise InvalidInputError("give exactly one of sheet_resistance and transmittance")
    if film.unit is None or len(film.populations) != 1 or film.populations[0].diameter is None:
        raise InvalidInputError("film: design needs one population with physical lengths, a diameter and a material")
    if not 0 < confidence <= 1:
        raise InvalidInputError(f"confidence must be in (0, 1], got {confidence!r}")
    entropy = int(np.random.SeedSequence(rng).entropy)
    target = "sheet_resistance" if sheet_resistance is not None else "transmittance"
    value = float(sheet_resistance if sheet_resistance is not None else transmittance)

    def meets(amd: float) -> tuple[bool, FilmResult]:
        result = simulate_film(
            film.with_population(0, areal_mass_density=amd), runs, rng=entropy, q_ext=q_ext, predict=False
        )
        column = result._column(target)
        ok = column <= value if target == "sheet_resistance" else column >= value
        return float(np.mean(ok)) >= confidence, result

    lo, hi = _bracket(film, meets, good_side_high=target == "sheet_resistance", max_density=max_density)
    good_side_high = target == "sheet_resistance"  # more wire is better for R_s, worse for T
    iterations = 0
    while hi - lo > math.log1p(rtol):
        mid = 0.5 * (lo + hi)
        ok, _ = meets(math.exp(mid))
        if ok == good_side_high:
            hi = mid
        else:
            lo = mid
        iterations += 1
    amd = math.exp(hi if good_side_high else lo)
    _, result = meets(amd)
    column = result._column(target)
    achieved = float(np.mean(column <= value if target == "sheet_resistance" else column >= value))
    return FilmDesign(amd, target, value, achieved, result, iterations)
