"""Plot an aggregated sweep: an output against a grid parameter, with standard-error bars, one line per hue."""

from __future__ import annotations

from nanograph.errors import InvalidInputError

__all__ = ["plot_sweep"]


def plot_sweep(table, x: str, y: str, hue: str | None = None, *, ax=None, logx: bool = False,
               logy: bool = False):  # fmt: skip
    """Draw ``<y>_mean`` ± ``<y>_sem`` against ``x`` from an aggregate table, one line per value of ``hue``.

    Parameters
    ----------
    table : pandas.DataFrame
        :meth:`ResultsStore.aggregate` output.
    x : str
        Grid-parameter column on the horizontal axis (e.g. ``density``).
    y : str
        Output name (e.g. ``conductance``); its ``_mean`` and ``_sem`` columns are drawn.
    hue : str, optional
        Grid-parameter column whose values get separate lines (e.g. ``form``). Any other grid parameter
        that varies in ``table`` also splits the lines (and is named in the legend), so no line mixes
        grid points.
    ax : matplotlib.axes.Axes, optional
        Axes to draw in (a new figure when omitted).
    logx, logy : bool
        Logarithmic axes.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    InvalidInputError
        If a column is missing (the message lists the available ones).
    """
    names = [x, f"{y}_mean", f"{y}_sem"] + ([hue] if hue else [])
    missing = [c for c in names if c not in table.columns]
    if missing:
        outputs = sorted(c[: -len("_mean")] for c in table.columns if c.endswith("_mean"))
        if not outputs:
            raise InvalidInputError("the table has no outputs to plot: the sweep has no successful rows")
        raise InvalidInputError(f"no column {', '.join(missing)}; grid parameters: "
                                f"{', '.join(c for c in table.columns if not c.endswith(('_mean', '_sem', '_count')))}"
                                f"; outputs: {', '.join(outputs)}")  # fmt: skip
    if ax is None:
        from matplotlib.figure import Figure

        ax = Figure(figsize=(5.5, 4), layout="constrained").add_subplot()
    params = [c for c in table.columns if not c.endswith(("_mean", "_sem", "_count")) and c not in ("runs", "errors")]
    lines = ([hue] if hue else []) + [c for c in params if c not in (x, hue) and table[c].nunique(dropna=False) > 1]
    groups = table.groupby(lines, sort=True, dropna=False) if lines else [((), table)]
    for values, part in groups:
        part = part.sort_values(x)
        label = ", ".join(f"{k} = {v}" for k, v in zip(lines, values, strict=True)) or None
        ax.errorbar(part[x], part[f"{y}_mean"], yerr=part[f"{y}_sem"].fillna(0), marker="o", ms=4, capsize=3,
                    label=label)  # fmt: skip
    ax.set_xlabel(x)
    ax.set_ylabel(f"{y} (mean ± s.e.)")
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    if lines:
        ax.legend(frameon=False, fontsize="small")
    return ax
