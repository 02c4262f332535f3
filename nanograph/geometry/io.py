"""Read and write sticks as ``.npz`` (array ``sticks`` of shape (N, 4)) or CSV (``x0, y0, x1, y1``).

The ``.npz`` file may also hold ``box`` (``[Lx, Ly]``) and ``periodic`` (``[px, py]``); a CSV holds only
the sticks, so the box and periodicity are given when loading. Invalid files raise
:class:`~nanograph.errors.InvalidInputError` naming the problem and the row (1-based line for CSV).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from nanograph.errors import InvalidInputError
from nanograph.geometry.sticks import Sticks, as_box

__all__ = ["load_sticks", "save_sticks"]

_COLUMNS = ("x0", "y0", "x1", "y1")


def _check_rows(array: np.ndarray, where: str, first_row: int, unit: str) -> None:
    bad = ~np.all(np.isfinite(array), axis=1)
    if bad.any():
        raise InvalidInputError(
            f"{where}: {unit} {int(np.flatnonzero(bad)[0]) + first_row} has a NaN or infinite coordinate"
        )
    zero = (array[:, 0] == array[:, 2]) & (array[:, 1] == array[:, 3])
    if zero.any():
        raise InvalidInputError(f"{where}: {unit} {int(np.flatnonzero(zero)[0]) + first_row} is a zero-length stick")


def _read_csv(path: Path) -> np.ndarray:
    rows = []
    with path.open(newline="") as handle:
        for line_no, row in enumerate(csv.reader(handle), start=1):
            cells = [c.strip() for c in row]
            if not any(cells) or cells[0].startswith("#"):
                continue
            if not rows:
                try:
                    [float(c) for c in cells]
                except ValueError:
                    if [c.lower() for c in cells] == list(_COLUMNS):
                        continue  # header
                    raise InvalidInputError(
                        f"{path}: line {line_no}: expected a header x0,y0,x1,y1 or four numbers, got {row!r}"
                    ) from None
            if len(cells) != 4:
                raise InvalidInputError(f"{path}: line {line_no}: expected 4 columns (x0,y0,x1,y1), got {len(cells)}")
            try:
                values = [float(c) for c in cells]
            except ValueError:
                raise InvalidInputError(f"{path}: line {line_no}: non-numeric value in {row!r}") from None
            if not all(math.isfinite(v) for v in values):
                raise InvalidInputError(f"{path}: line {line_no}: NaN or infinite coordinate")
            if values[0] == values[2] and values[1] == values[3]:
                raise InvalidInputError(f"{path}: line {line_no}: zero-length stick")
            rows.append(values)
    return np.array(rows, dtype=float).reshape(-1, 4)


def load_sticks(
    path: str | Path,
    *,
    box: float | tuple[float, float] | None = None,
    periodic: bool | tuple[bool, bool] | None = None,
) -> Sticks:
    """Load sticks from ``.npz`` or ``.csv``.

    Parameters
    ----------
    path : str or Path
        File to read; the suffix chooses the format.
    box : float or (float, float), optional
        The box ``L`` or ``(Lx, Ly)``. A CSV needs it; an ``.npz`` that stores a box needs none, and a
        ``box`` given for it must agree with the stored one.
    periodic : bool or (bool, bool), optional
        Periodicity in x and y; overrides the ``.npz``'s stored value. Default: stored, else open.

    Returns
    -------
    Sticks
        The sticks, with the box and periodicity.

    Raises
    ------
    InvalidInputError
        Missing file, wrong shape, non-numeric values, NaN, zero-length sticks, no box for a CSV, a box that
        disagrees with the ``.npz``'s stored box, or stick centres outside the box along an open axis.
    """
    path = Path(path)
    if not path.is_file():
        raise InvalidInputError(f"sticks file {path} does not exist")
    suffix = path.suffix.lower()
    if suffix == ".npz":
        try:
            data = np.load(path, allow_pickle=False)
        except Exception as exc:  # zipfile/format errors come in many types
            raise InvalidInputError(f"{path}: not a readable .npz file ({exc})") from None
        if "sticks" not in data:
            raise InvalidInputError(f"{path}: no array named 'sticks' (found: {', '.join(data.files) or 'none'})")
        raw = data["sticks"]
        if raw.ndim != 2 or raw.shape[1] != 4:
            raise InvalidInputError(f"{path}: array 'sticks' must have shape (N, 4) = x0, y0, x1, y1; got {raw.shape}")
        if not np.issubdtype(raw.dtype, np.number):
            raise InvalidInputError(f"{path}: array 'sticks' is not numeric (dtype {raw.dtype})")
        array = raw.astype(float)
        _check_rows(array, str(path), 0, "row")
        if "box" in data:
            stored = as_box(np.asarray(data["box"], dtype=float).ravel())
            if box is not None and not np.allclose(as_box(box), stored, rtol=1e-12, atol=0.0):
                given = as_box(box)
                raise InvalidInputError(
                    f"--box {given[0]:g} {given[1]:g} disagrees with the box {stored[0]:g} x {stored[1]:g} stored in "
                    f"{path}; omit --box (box= in Python) to use the file's box"
                )
            box = stored
        if periodic is None and "periodic" in data:
            periodic = tuple(bool(p) for p in np.asarray(data["periodic"]).ravel())
    elif suffix == ".csv":
        array = _read_csv(path)
    else:
        raise InvalidInputError(f"{path}: unknown sticks format {suffix!r}; use .npz or .csv")
    if box is None:
        raise InvalidInputError(f"{path}: the file does not give the box; pass box=L or (Lx, Ly) (--box on the CLI)")
    return Sticks(array, box, False if periodic is None else periodic)


def save_sticks(path: str | Path, sticks: Sticks) -> Path:
    """Write sticks to ``.npz`` (with ``box`` and ``periodic``) or ``.csv`` (header ``x0,y0,x1,y1``).

    Parameters
    ----------
    path : str or Path
        File to write; the suffix (``.npz`` or ``.csv``) chooses the format. Its folder must exist.
    sticks : Sticks
        The sticks. A CSV keeps only the endpoints: give the box (``--box``) when loading it.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    InvalidInputError
        Unknown suffix, or a folder that does not exist.

    Examples
    --------
    >>> import tempfile
    >>> from nanograph.geometry.sticks import generate_sticks
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = save_sticks(Path(folder) / "s.npz", generate_sticks(2.0, box=3, rng=1))
    ...     len(load_sticks(path))
    18
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.parent.is_dir():
        raise InvalidInputError(f"path {str(path)!r}: folder {str(path.parent)!r} does not exist; create it first")
    if suffix == ".npz":
        np.savez(path, sticks=sticks.endpoints, box=np.array(sticks.box), periodic=np.array(sticks.periodic))
    elif suffix == ".csv":
        np.savetxt(path, sticks.endpoints, delimiter=",", header=",".join(_COLUMNS), comments="", fmt="%.17g")
    else:
        raise InvalidInputError(f"{path}: unknown sticks format {suffix!r}; use .npz or .csv")
    return path
