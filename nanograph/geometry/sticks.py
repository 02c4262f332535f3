"""Random stick placement in an ``Lx x Ly`` box with open or periodic boundaries.

Convention (the leading peer's, so results compare): a stick's centre is uniform in the box and the stick
is *not* clipped; with a periodic axis, its images shifted by multiples of the box side are the same
stick, so a stick crossing the box edge meets sticks on the other side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from nanograph.errors import InvalidInputError
from nanograph.geometry.budget import check_stick_budget
from nanograph.geometry.lengths import LengthDistribution, parse_length
from nanograph.geometry.odf import Isotropic, OrientationDistribution, parse_odf
from nanograph.validation import count, nonnegative

if TYPE_CHECKING:  # the model is read by attribute only: geometry imports nothing above it
    from nanograph.model import Film

__all__ = ["film_sticks", "Sticks", "generate_sticks", "as_box", "as_rng"]


def as_rng(rng: None | int | np.random.Generator | np.random.SeedSequence) -> np.random.Generator:
    """SPEC 7: turn ``None``, a seed, a ``SeedSequence`` or a ``Generator`` into a ``Generator``.

    Parameters
    ----------
    rng : None, int, numpy.random.SeedSequence or numpy.random.Generator
        ``None`` for fresh entropy, a non-negative integer seed (or a sequence of them), a ``SeedSequence``,
        or a ``Generator`` (returned as is).

    Returns
    -------
    numpy.random.Generator

    Raises
    ------
    InvalidInputError
        For a negative seed, a float, a bool or anything else NumPy cannot seed from.

    Examples
    --------
    >>> int(as_rng(1).integers(10))
    4
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if not isinstance(rng, (bool, float, str, bytes)):
        try:
            return np.random.default_rng(rng)
        except (TypeError, ValueError):
            pass
    raise InvalidInputError(f"rng must be None, a non-negative integer seed or a numpy Generator, got {rng!r}")


def as_box(box: float | tuple[float, float] | np.ndarray) -> tuple[float, float]:
    """``L`` or ``(Lx, Ly)`` as a validated ``(Lx, Ly)`` of positive finite floats."""
    values = np.atleast_1d(np.asarray(box, dtype=float))
    if values.shape == (1,):
        values = np.repeat(values, 2)
    if values.shape != (2,) or not np.all(np.isfinite(values)) or np.any(values <= 0):
        raise InvalidInputError(f"box must be L or (Lx, Ly) with positive finite sides, got {box!r}")
    return float(values[0]), float(values[1])


def _as_periodic(periodic: bool | tuple[bool, bool]) -> tuple[bool, bool]:
    if isinstance(periodic, (bool, np.bool_)):
        return bool(periodic), bool(periodic)
    try:
        px, py = periodic
    except (TypeError, ValueError):
        px = py = None
    if not all(isinstance(p, (bool, np.bool_, int, np.integer)) and p in (0, 1) for p in (px, py)):
        raise InvalidInputError(
            f"periodic must be a bool or a pair (periodic_x, periodic_y) of bools, got {periodic!r}"
        )
    return bool(px), bool(py)


def _check_centres_in_box(endpoints: np.ndarray, box: tuple[float, float], periodic: tuple[bool, bool]) -> None:
    """Refuse stick centres outside ``[0, Lx] x [0, Ly]`` along open axes (tolerance 1e-9 box sides).

    Along a periodic axis a centre outside the box is an image of one inside it (and is wrapped), so it is allowed.
    """
    centres = 0.5 * (endpoints[:, :2] + endpoints[:, 2:])
    sides = np.asarray(box)
    tol = 1e-9 * sides
    open_axis = ~np.asarray(periodic)
    outside = np.any(((centres < -tol) | (centres > sides + tol)) & open_axis, axis=1)
    if outside.any():
        i = int(np.flatnonzero(outside)[0])
        lo, hi = centres.min(axis=0), centres.max(axis=0)
        raise InvalidInputError(
            f"box {box[0]:g} x {box[1]:g}: {int(outside.sum())} stick centre(s) lie outside it (stick {i} at "
            f"({centres[i, 0]:.6g}, {centres[i, 1]:.6g}); centres span x {lo[0]:.6g}..{hi[0]:.6g}, "
            f"y {lo[1]:.6g}..{hi[1]:.6g}); give the box the sticks were placed in",
            "box",
        )


@dataclass(frozen=True, eq=False)
class Sticks:
    """Straight zero-width sticks in a box: the geometric input of every network.

    Parameters
    ----------
    endpoints : ndarray, shape (N, 4)
        ``x0, y0, x1, y1`` of each stick (box units). Arc positions along a stick are measured from
        ``(x0, y0)``.
    box : (float, float)
        ``(Lx, Ly)``; the box is ``[0, Lx] x [0, Ly]``.
    periodic : (bool, bool)
        Whether x and y are periodic.
    population : ndarray of int, shape (N,), optional
        Index of the wire population of each stick (:class:`~nanograph.model.Film`); default all 0.
    diameter : ndarray of float, shape (N,), optional
        Diameter of each stick (box units); default NaN (zero-width sticks).
    info : dict
        Free-form provenance (how the sticks were made).

    Raises
    ------
    InvalidInputError
        Non-finite or zero-length sticks, or a stick centre outside ``[0, Lx] x [0, Ly]`` along an open axis
        (sticks are not clipped, but their centres lie in the box: a stick file read with the wrong box is
        refused). Along a periodic axis a centre outside the box is an image and is allowed.
    """

    endpoints: np.ndarray
    box: tuple[float, float] = (1.0, 1.0)
    periodic: tuple[bool, bool] = (False, False)
    info: dict = field(default_factory=dict, compare=False)
    population: np.ndarray | None = field(default=None, compare=False)
    diameter: np.ndarray | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        try:
            pts = np.array(self.endpoints, dtype=float)
        except (TypeError, ValueError):
            raise InvalidInputError("endpoints must be numbers x0, y0, x1, y1 per stick") from None
        if pts.size == 0:
            pts = np.zeros((0, 4))
        if pts.ndim != 2 or pts.shape[1] != 4:
            raise InvalidInputError(f"endpoints must have shape (N, 4), got {pts.shape}")
        bad = ~np.all(np.isfinite(pts), axis=1)
        if bad.any():
            raise InvalidInputError(f"stick {int(np.flatnonzero(bad)[0])} has a NaN or infinite coordinate")
        zero = np.hypot(pts[:, 2] - pts[:, 0], pts[:, 3] - pts[:, 1]) == 0
        if zero.any():
            raise InvalidInputError(f"stick {int(np.flatnonzero(zero)[0])} has zero length")
        box, periodic = as_box(self.box), _as_periodic(self.periodic)
        _check_centres_in_box(pts, box, periodic)
        pts.setflags(write=False)
        object.__setattr__(self, "endpoints", pts)
        object.__setattr__(self, "box", box)
        object.__setattr__(self, "periodic", periodic)
        self._set_per_stick(len(pts))

    def _set_per_stick(self, n: int) -> None:
        population = np.zeros(n, np.int16) if self.population is None else np.array(self.population, copy=True)
        diameter = np.full(n, np.nan) if self.diameter is None else np.array(self.diameter, dtype=float, copy=True)
        if population.shape != (n,) or population.dtype.kind not in "iu" or (n and population.min() < 0):
            raise InvalidInputError(f"population must be {n} non-negative integers (one per stick)")
        if diameter.shape != (n,) or np.any(diameter <= 0) or np.any(np.isinf(diameter)):
            raise InvalidInputError(f"diameter must be {n} positive finite values or NaN (one per stick)")
        population.setflags(write=False)
        diameter.setflags(write=False)
        object.__setattr__(self, "population", population)
        object.__setattr__(self, "diameter", diameter)

    def __len__(self) -> int:
        return len(self.endpoints)

    def _display(self) -> list[tuple[str, object]]:
        from nanograph._display import periodic_name

        lengths = self.lengths
        return [("n_sticks", len(self)), ("box", self.box), ("periodic", periodic_name(self.periodic)),
                ("density", self.density), ("mean_length", float(lengths.mean()) if len(self) else math.nan),
                ("populations", len(np.unique(self.population)))]  # fmt: skip

    def __repr__(self) -> str:
        """One line: number of sticks, box, periodicity, density ``n <l>^2``, mean length, populations."""
        from nanograph._display import summary_repr

        return summary_repr("Sticks", self._display())

    def _repr_html_(self) -> str:
        from nanograph._display import html_table

        return html_table("Sticks", self._display())

    @property
    def lengths(self) -> np.ndarray:
        """Stick lengths, shape (N,)."""
        e = self.endpoints
        return np.hypot(e[:, 2] - e[:, 0], e[:, 3] - e[:, 1])

    @property
    def centres(self) -> np.ndarray:
        """Stick midpoints, shape (N, 2)."""
        e = self.endpoints
        return 0.5 * (e[:, :2] + e[:, 2:])

    @property
    def angles(self) -> np.ndarray:
        """Orientation ``alpha`` in ``[-pi/2, pi/2)`` to the x axis (radians), shape (N,)."""
        e = self.endpoints
        a = np.arctan2(e[:, 3] - e[:, 1], e[:, 2] - e[:, 0])
        return (a + math.pi / 2) % math.pi - math.pi / 2

    @property
    def density(self) -> float:
        """Dimensionless number density ``n <l>^2 = N <l>^2 / (Lx Ly)``."""
        if len(self) == 0:
            return 0.0
        return len(self) * float(np.mean(self.lengths)) ** 2 / (self.box[0] * self.box[1])

    def translated(self, shift: tuple[float, float]) -> Sticks:
        """The same sticks moved by ``shift`` (centres wrapped back into the box along periodic axes)."""
        e = self.endpoints + np.tile(np.asarray(shift, dtype=float), 2)
        for axis in (0, 1):
            if self.periodic[axis]:
                side = self.box[axis]
                centre = 0.5 * (e[:, axis] + e[:, axis + 2])
                wrap = np.floor(centre / side) * side
                e[:, axis] -= wrap
                e[:, axis + 2] -= wrap
        return Sticks(e, self.box, self.periodic, dict(self.info), self.population, self.diameter)


def generate_sticks(
    density: float | None = None,
    *,
    n_sticks: int | None = None,
    box: float | tuple[float, float] = 16.0,
    length: float | str | LengthDistribution = 1.0,
    odf: str | OrientationDistribution = "isotropic",
    periodic: bool | tuple[bool, bool] = False,
    rng: None | int | np.random.Generator = None,
) -> Sticks:
    """Place random sticks with uniform centres in a box.

    Give either ``density`` (dimensionless ``n <l>^2``; ``N = round(density Lx Ly / <l>^2)``) or
    ``n_sticks``. Draws, in this order: centre x, centre y (uniform on the box), angles (from ``odf``),
    lengths (from ``length``), so the same seed gives the same sticks on every machine.

    Parameters
    ----------
    density : float, optional
        ``n <l>^2``, the number of sticks per area ``<l>^2``.
    n_sticks : int, optional
        Number of sticks ``N``.
    box : float or (float, float)
        ``L`` or ``(Lx, Ly)`` in the length unit of ``length``.
    length : float, str or LengthDistribution
        Fixed length or a distribution (see :func:`~nanograph.geometry.lengths.parse_length`).
    odf : str or OrientationDistribution
        Orientation distribution of the angle to the x axis (default isotropic, MFA paper Eq. 2).
    periodic : bool or (bool, bool)
        Periodic boundaries in x and y.
    rng : None, int or numpy.random.Generator
        Source of randomness (SPEC 7).

    Returns
    -------
    Sticks

    Examples
    --------
    >>> sticks = generate_sticks(5.0, box=4, rng=1)
    >>> len(sticks), sticks.box
    (80, (4.0, 4.0))
    """
    lx, ly = as_box(box)
    lengths_dist = parse_length(length)
    orientation = parse_odf(odf) if odf is not None else Isotropic()
    if (density is None) == (n_sticks is None):
        raise InvalidInputError("give exactly one of density (n l^2) and n_sticks")
    if density is not None:
        with np.errstate(over="ignore"):  # huge boxes or tiny lengths overflow to inf, refused just below
            expected = nonnegative("density", density) * (lx / lengths_dist.mean) * (ly / lengths_dist.mean)
        n_sticks = check_stick_budget(expected, density, name="density")  # refused before anything is allocated
    n = count("n_sticks", n_sticks)
    check_stick_budget(n, n * (lengths_dist.mean / lx) * (lengths_dist.mean / ly), name="n_sticks")
    generator = as_rng(rng)
    cx = generator.uniform(0.0, lx, n)
    cy = generator.uniform(0.0, ly, n)
    alpha = orientation.sample(n, generator)
    ell = lengths_dist.sample(n, generator)
    dx = 0.5 * ell * np.cos(alpha)
    dy = 0.5 * ell * np.sin(alpha)
    endpoints = np.column_stack([cx - dx, cy - dy, cx + dx, cy + dy])
    info = {"density": density, "n_sticks": n, "odf": orientation.spec(), "length": repr(lengths_dist)}
    return Sticks(endpoints, (lx, ly), _as_periodic(periodic), info)


def film_sticks(film: Film, rng: None | int | np.random.Generator = None) -> Sticks:
    """Place the sticks of a :class:`~nanograph.model.Film`: each population in turn, uniform centres.

    For each population, in order: centre x, centre y, angles, lengths, then diameters (when a distribution),
    so the same seed gives the same film on every machine. A film of one population without diameters draws
    exactly what :func:`generate_sticks` draws.

    Parameters
    ----------
    film : Film
        The model of the system (box units: :attr:`Film.size`).
    rng : None, int or numpy.random.Generator
        Source of randomness (SPEC 7).

    Returns
    -------
    Sticks
        With :attr:`Sticks.population` and :attr:`Sticks.diameter` (box units) set.

    Examples
    --------
    >>> from nanograph.model import Film, WirePopulation
    >>> film = Film([WirePopulation(density=3, name="long"), WirePopulation(count=5, length=0.5, name="short")], box=4)
    >>> s = film_sticks(film, rng=1)
    >>> len(s), s.population.tolist().count(1)
    (53, 5)
    """
    generator = as_rng(rng)
    lx, ly = film.size
    blocks, populations, diameters = [], [], []
    for k, (population, n) in enumerate(zip(film.populations, film.counts, strict=True)):
        cx = generator.uniform(0.0, lx, n)
        cy = generator.uniform(0.0, ly, n)
        alpha = population.odf.sample(n, generator)
        ell = population.length.sample(n, generator)
        if population.diameter is None:
            diameters.append(np.full(n, np.nan))
        else:
            diameters.append(population.diameter.sample(n, generator))
        dx, dy = 0.5 * ell * np.cos(alpha), 0.5 * ell * np.sin(alpha)
        blocks.append(np.column_stack([cx - dx, cy - dy, cx + dx, cy + dy]))
        populations.append(np.full(n, k, np.int16))
    info = {"film": film.describe()}
    return Sticks(np.concatenate(blocks), (lx, ly), film.periodic, info, np.concatenate(populations),
                  np.concatenate(diameters))  # fmt: skip
