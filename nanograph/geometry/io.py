"""Read and write sticks as ``.npz`` (array ``sticks`` of shape (N, 4)) or CSV (``x0, y0, x1, y1``).

The ``.npz`` file also holds ``box`` (``[Lx, Ly]``), ``periodic`` (``[px, py]``), optionally ``unit`` (metres
per coordinate unit, for sticks in physical units) and ``metadata``: a JSON text recording the provenance of
the sticks (``nanograph_version``, the ``parameters`` that made them, their ``units`` and the ``seed``;
issue 13 §3). A CSV holds the sticks and one ``#`` comment line with the same metadata, so the box,
periodicity and unit are given when loading it. Invalid files raise :class:`~nanograph.errors.InvalidInputError`
with one line naming the file (or parameter) and the problem, and the row (1-based line for CSV).
"""

from __future__ import annotations

import csv
import json
import math
import re
import zipfile
import zlib
from pathlib import Path

import numpy as np

from nanograph._version import __version__
from nanograph.errors import InvalidInputError
from nanograph.geometry.sticks import Sticks, as_box

__all__ = ["load_sticks", "read_metadata", "save_sticks", "sticks_metadata"]

_COLUMNS = ("x0", "y0", "x1", "y1")
#: A plain decimal number, strictly (no ``_`` separators, hex, ``nan`` or ``inf``).
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_NON_FINITE = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}
_TRUE, _FALSE = {"true", "1", "yes"}, {"false", "0", "no"}


def _check_rows(array: np.ndarray, where: str, first_row: int, unit: str) -> None:
    bad = ~np.all(np.isfinite(array), axis=1)
    if bad.any():
        raise InvalidInputError(
            f"{where}: {unit} {int(np.flatnonzero(bad)[0]) + first_row} has a NaN or infinite coordinate"
        )
    zero = (array[:, 0] == array[:, 2]) & (array[:, 1] == array[:, 3])
    if zero.any():
        raise InvalidInputError(f"{where}: {unit} {int(np.flatnonzero(zero)[0]) + first_row} is a zero-length stick")


def _csv_values(cells: list[str], path: Path, line_no: int, row) -> list[float]:
    if len(cells) != 4:
        raise InvalidInputError(f"{path}: line {line_no}: expected 4 columns (x0,y0,x1,y1), got {len(cells)}")
    if any(c.lower() in _NON_FINITE for c in cells):
        raise InvalidInputError(f"{path}: line {line_no}: NaN or infinite coordinate")
    if not all(_NUMBER.fullmatch(c) for c in cells):
        raise InvalidInputError(f"{path}: line {line_no}: non-numeric value in {row!r} (plain decimal numbers only)")
    values = [float(c) for c in cells]
    if not all(math.isfinite(v) for v in values):
        raise InvalidInputError(f"{path}: line {line_no}: NaN or infinite coordinate")
    if values[0] == values[2] and values[1] == values[3]:
        raise InvalidInputError(f"{path}: line {line_no}: zero-length stick")
    return values


def _read_csv(path: Path) -> np.ndarray:
    rows = []
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            for line_no, row in enumerate(csv.reader(handle), start=1):
                cells = [c.strip() for c in row]
                if not any(cells) or cells[0].startswith("#"):
                    continue
                if not rows and not all(_NUMBER.fullmatch(c) for c in cells):
                    if [c.lower() for c in cells] == list(_COLUMNS):
                        continue  # header
                    if len(cells) != 4 or not all(c.lower() in _NON_FINITE or _NUMBER.fullmatch(c) for c in cells):
                        raise InvalidInputError(
                            f"{path}: line {line_no}: expected a header x0,y0,x1,y1 or four numbers, got {row!r}"
                        )
                rows.append(_csv_values(cells, path, line_no, row))
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"{path}: not UTF-8 text (byte {exc.start}); save the CSV as UTF-8") from None
    return np.array(rows, dtype=float).reshape(-1, 4)


def _check_readable(path: Path) -> None:
    if path.is_dir():
        raise InvalidInputError(f"sticks file {path} is a folder, not a file; give the .npz or .csv inside it")
    if not path.exists():
        raise InvalidInputError(f"sticks file {path} does not exist")
    try:
        with path.open("rb"):
            pass
    except PermissionError:
        raise InvalidInputError(
            f"sticks file {path} cannot be read (permission denied); check its permissions"
        ) from None
    except OSError as exc:
        raise InvalidInputError(f"sticks file {path} cannot be read ({exc.strerror or exc})") from None


def _npz_array(data, name: str, path: Path) -> np.ndarray:
    """Array ``name`` of an open archive, with one-line errors for damaged members and object arrays."""
    try:
        return data[name]
    except ValueError as exc:
        if "allow_pickle" in str(exc) or "Object arrays" in str(exc):
            raise InvalidInputError(f"{path}: array {name!r} holds Python objects (refused: loading them would "
                                    "run code); store plain numbers") from None  # fmt: skip
        raise InvalidInputError(f"{path}: array {name!r} is damaged ({exc})") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, KeyError) as exc:
        raise InvalidInputError(f"{path}: array {name!r} is damaged (bad CRC or compressed data: {exc})") from None


def _open_npz(path: Path):
    with path.open("rb") as handle:
        magic = handle.read(6)
    if magic == b"\x93NUMPY":
        raise InvalidInputError(f"{path}: a single .npy array, not a .npz archive; save it with numpy.savez("
                                "path, sticks=array, box=[Lx, Ly])")  # fmt: skip
    if not magic.startswith(b"PK"):
        raise InvalidInputError(f"{path}: not a readable .npz file (not a zip archive)")
    try:
        return np.load(path, allow_pickle=False)
    except Exception as exc:  # zipfile/format errors come in many types
        raise InvalidInputError(f"{path}: not a readable .npz file ({exc})") from None


def _numeric(array: np.ndarray, name: str, path: Path) -> np.ndarray:
    if array.dtype.kind not in "iuf":
        what = "complex" if array.dtype.kind == "c" else "not numeric"
        raise InvalidInputError(f"{path}: array {name!r} is {what} (dtype {array.dtype}); store real numbers")
    return array.astype(float)


def _stored_periodic(value: np.ndarray, path: Path) -> tuple[bool, ...]:
    flags = []
    for item in np.asarray(value).ravel().tolist():
        if isinstance(item, bool | int) and item in (0, 1):
            flags.append(bool(item))
        elif isinstance(item, str) and item.strip().lower() in _TRUE | _FALSE:
            flags.append(item.strip().lower() in _TRUE)
        elif isinstance(item, float) and item in (0.0, 1.0):
            flags.append(bool(item))
        else:
            raise InvalidInputError(f"{path}: stored 'periodic' must be two booleans (true/false), got {item!r}")
    if len(flags) not in (1, 2):
        raise InvalidInputError(f"{path}: stored 'periodic' must be [px, py], got {len(flags)} values")
    return tuple(flags) if len(flags) == 2 else (flags[0], flags[0])


def _stored_box(data, path: Path, box):
    stored = _numeric(_npz_array(data, "box", path), "box", path).ravel()
    try:
        stored = as_box(stored)
    except InvalidInputError as exc:
        raise InvalidInputError(f"{path}: stored 'box' is invalid: {exc}") from None
    if box is not None and not np.allclose(as_box(box), stored, rtol=1e-12, atol=0.0):
        given = as_box(box)
        raise InvalidInputError(
            f"box {given[0]:g} {given[1]:g} disagrees with the box {stored[0]:g} x {stored[1]:g} stored in "
            f"{path}; omit box to use the file's box",
            parameter="box",
        )
    return stored


def read_metadata(data, path: Path) -> dict:
    """The provenance stored in an open ``.npz`` archive (empty for files written by older versions)."""
    if "metadata" not in data:
        return {}
    raw = _npz_array(data, "metadata", path)
    try:
        meta = json.loads(str(raw.item() if raw.ndim == 0 else raw.ravel()[0]))
    except (ValueError, IndexError):
        raise InvalidInputError(f"{path}: stored 'metadata' is not JSON text") from None
    if not isinstance(meta, dict):
        raise InvalidInputError(f"{path}: stored 'metadata' must be a JSON object")
    return meta


def _stored_unit(data, path: Path) -> float | None:
    if "unit" not in data:
        return None
    unit = _numeric(_npz_array(data, "unit", path), "unit", path).ravel()
    if unit.size != 1 or not (math.isfinite(unit[0]) and unit[0] > 0):
        raise InvalidInputError(f"{path}: stored 'unit' must be one positive length in metres, got {unit.tolist()}")
    return float(unit[0])


def _load_npz(path: Path, box, periodic):
    data = _open_npz(path)
    if "sticks" not in data:
        raise InvalidInputError(f"{path}: no array named 'sticks' (found: {', '.join(data.files) or 'none'})")
    raw = _npz_array(data, "sticks", path)
    if raw.ndim != 2 or raw.shape[1] != 4:
        raise InvalidInputError(f"{path}: array 'sticks' must have shape (N, 4) = x0, y0, x1, y1; got {raw.shape}")
    array = _numeric(raw, "sticks", path)
    _check_rows(array, str(path), 0, "row")
    if "box" in data:
        box = _stored_box(data, path, box)
    if periodic is None and "periodic" in data:
        periodic = _stored_periodic(_npz_array(data, "periodic", path), path)
    return array, box, periodic, _stored_unit(data, path), read_metadata(data, path)


def load_sticks(
    path: str | Path,
    *,
    box: float | tuple[float, float] | None = None,
    periodic: bool | tuple[bool, bool] | None = None,
    unit: float | None = None,
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
    unit : float, optional
        Length of one coordinate unit (m); overrides the ``.npz``'s stored ``unit``. Default: stored, else
        none (box units).

    Returns
    -------
    Sticks
        The sticks, with the box and periodicity; ``info`` holds the stored metadata and ``unit_m`` (metres
        per coordinate unit, or None).

    Raises
    ------
    InvalidInputError
        A missing, unreadable or damaged file, a folder, a ``.npy`` renamed ``.npz``, object, complex or text
        arrays, a wrong shape, non-numeric values (strictly: ``0.2_5`` is refused), NaN, zero-length sticks,
        non-UTF-8 CSV, an invalid stored box or periodic flag, no box for a CSV, a box that disagrees with
        the ``.npz``'s stored box, or stick centres outside the box along an open axis.
    """
    path = Path(path)
    _check_readable(path)
    suffix = path.suffix.lower()
    meta, stored_unit = {}, None
    if suffix == ".npz":
        array, box, periodic, stored_unit, meta = _load_npz(path, box, periodic)
    elif suffix == ".csv":
        array = _read_csv(path)
    else:
        raise InvalidInputError(f"{path}: unknown sticks format {suffix!r}; use .npz or .csv")
    if box is None:
        raise InvalidInputError(f"box: {path} does not give the box; pass box=L or (Lx, Ly)")
    if unit is not None and not (isinstance(unit, int | float) and math.isfinite(unit) and unit > 0):
        raise InvalidInputError(f"unit must be a positive length in metres, got {unit!r}")
    info = {**meta, "unit_m": float(unit) if unit is not None else stored_unit, "file": str(path)}
    return Sticks(array, box, False if periodic is None else periodic, info)


def sticks_metadata(sticks: Sticks, metadata: dict | None = None) -> dict:
    """The provenance written with ``sticks``: version, parameters, units and seed (issue 13 §3).

    Parameters
    ----------
    sticks : Sticks
        The sticks; their ``info`` (how they were made) becomes the ``parameters``.
    metadata : dict, optional
        More keys (e.g. ``seed``, ``parameters`` given on the command line); they override ``info``.

    Returns
    -------
    dict
        ``nanograph_version``, ``parameters``, ``units``, ``seed`` (None when unknown), ``box``, ``periodic``.

    Examples
    --------
    >>> from nanograph.geometry.sticks import generate_sticks
    >>> meta = sticks_metadata(generate_sticks(2.0, box=3, rng=1), {"seed": 1})
    >>> meta["seed"], meta["units"]["coordinates"]
    (1, 'box units (multiples of the mean stick length)')
    """
    info = {k: v for k, v in sticks.info.items() if k not in ("file", "nanograph_version")}
    unit = info.pop("unit_m", None)
    meta = {
        "nanograph_version": __version__,
        "parameters": info.pop("parameters", info),
        "units": {"coordinates": f"{unit!r} m" if unit else "box units (multiples of the mean stick length)",
                  "unit_m": unit},
        "seed": info.pop("seed", None),
        "box": list(sticks.box),
        "periodic": list(sticks.periodic),
    }  # fmt: skip
    meta.update(metadata or {})
    return meta


def _json_text(meta: dict) -> str:
    return json.dumps(meta, default=lambda v: v.tolist() if hasattr(v, "tolist") else str(v), allow_nan=True)


def save_sticks(path: str | Path, sticks: Sticks, *, metadata: dict | None = None) -> Path:
    """Write sticks to ``.npz`` (with ``box``, ``periodic``, ``unit`` and ``metadata``) or ``.csv``.

    Parameters
    ----------
    path : str or Path
        File to write; the suffix (``.npz`` or ``.csv``) chooses the format. Its folder must exist.
    sticks : Sticks
        The sticks. A CSV keeps only the endpoints and a ``#`` metadata line: give the box (``--box``) and
        unit (``--unit``) when loading it.
    metadata : dict, optional
        Provenance to record beside :func:`sticks_metadata`'s (``seed``, ``parameters``, ...).

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
    ...     path = save_sticks(Path(folder) / "s.npz", generate_sticks(2.0, box=3, rng=1), metadata={"seed": 1})
    ...     back = load_sticks(path)
    >>> len(back), back.info["seed"], back.info["nanograph_version"] == __version__
    (18, 1, True)
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.parent.is_dir():
        raise InvalidInputError(f"path {str(path)!r}: folder {str(path.parent)!r} does not exist; create it first")
    meta = sticks_metadata(sticks, metadata)
    if suffix == ".npz":
        extra = {"unit": np.array(meta["units"]["unit_m"])} if meta["units"]["unit_m"] else {}
        np.savez(path, sticks=sticks.endpoints, box=np.array(sticks.box), periodic=np.array(sticks.periodic),
                 metadata=np.array(_json_text(meta)), **extra)  # fmt: skip
    elif suffix == ".csv":
        header = f"# nanograph {_json_text(meta)}\n" + ",".join(_COLUMNS)
        np.savetxt(path, sticks.endpoints, delimiter=",", header=header, comments="", fmt="%.17g")
    else:
        raise InvalidInputError(f"{path}: unknown sticks format {suffix!r}; use .npz or .csv")
    return path
