"""Refuse realizations that cannot fit in memory, before anything is allocated.

A junction-node network of ``N`` sticks at density ``n l²`` has about ``N (1 + 2 n l²/π)`` nodes and twice as many
edges; with CHOLMOD's fill the solve needs roughly ``MEMORY_PER_CONTACT`` bytes per contact point (measured: the
foster benchmark's L = 128, n l² = 30 case, 9.3 M nodes in 11.7 GB, is 1.26 kB per node). :func:`check_stick_budget`
compares that estimate with the machine's physical memory and refuses with both numbers in the message.

Examples
--------
>>> check_stick_budget(1000.0, density=10.0)
1000
"""

from __future__ import annotations

import math
import os

from nanograph.errors import InvalidInputError

__all__ = ["MEMORY_PER_CONTACT", "estimated_bytes", "machine_memory", "check_stick_budget"]

#: Bytes per contact point of a realization solved in the junction-node form (CHOLMOD fill included).
MEMORY_PER_CONTACT = 1300.0


def machine_memory() -> float:
    """Physical memory of this machine (bytes); inf where the platform does not say."""
    try:
        return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):  # pragma: no cover - non-POSIX platforms
        return math.inf


def estimated_bytes(n_sticks: float, density: float) -> float:
    """Estimated peak memory (bytes) of building and solving ``n_sticks`` sticks at ``density = n l²``."""
    contacts_per_stick = 1.0 + 2.0 * max(density, 0.0) / math.pi
    return n_sticks * contacts_per_stick * MEMORY_PER_CONTACT


def check_stick_budget(n_sticks: float, density: float, *, name: str = "density") -> int:
    """``round(n_sticks)`` when the realization fits in this machine's memory, else a one-line refusal.

    Parameters
    ----------
    n_sticks : float
        The (expected) number of sticks, before rounding; may be huge or inf.
    density : float
        ``n l²``.
    name : str
        The parameter that asked for it (named in the error).

    Returns
    -------
    int
        The number of sticks.

    Raises
    ------
    InvalidInputError
        When the estimate exceeds the machine's memory, or the count is not finite.
    """
    need, have = estimated_bytes(n_sticks, density), machine_memory()
    if not math.isfinite(n_sticks) or need > have:
        raise InvalidInputError(
            f"{name}: {n_sticks:.3g} sticks at n l^2 = {density:.3g} need about {need / 1e9:.3g} GB, more than this "
            f"machine's {have / 1e9:.3g} GB; use a smaller box or density",
            name,
        )
    return int(round(n_sticks))
