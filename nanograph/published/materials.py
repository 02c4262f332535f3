"""Material constants of nanowire films: resistivities, mass densities, electron mean free paths, optics.

Every value names its source. Bulk values at 20 °C.

- Resistivity and mass density: W. M. Haynes (ed.), *CRC Handbook of Chemistry and Physics*, 97th ed.
  (CRC Press, 2016), "Electrical resistivity of pure metals" (12-40) and "Physical constants of inorganic
  compounds" (4-43). Silver's 1.59e-8 ohm m is the value the films issue's worked example uses (a 20 um,
  50 nm Ag wire has 162 ohm).
- Electron mean free path (for the size-dependent resistivity of thin wires): D. Gall, "Electron mean
  free path in elemental metals", *J. Appl. Phys.* 119, 085101 (2016), Table I (first-principles, 295 K).
- Impedance of free space ``Z0 = 376.73 ohm`` (CODATA 2018, ``mu0 c``), used by the De-Coleman figure of
  merit: S. De, J. N. Coleman, *ACS Nano* 4, 2713 (2010), Eq. (1).
- Extinction efficiency of a wire (``Q_ext``, projected-area units) for the transmittance model
  ``T = exp(-Q_ext AF)``: of order 1-3 for 30-100 nm silver wires at 550 nm from Mie theory of a cylinder
  (R. M. Mutiso et al., *ACS Nano* 7, 7654 (2013), Fig. 2; A. R. Madaria et al., *Nano Res.* 3, 564 (2010)).
  The default 2.0 is that order of magnitude, not a measurement: give ``q_ext`` for your wires.
"""

from __future__ import annotations

#: Impedance of free space (ohm), CODATA 2018 (De & Coleman 2010, Eq. 1).
Z0_OHM = 376.730313668

#: Default extinction efficiency of a wire for ``T = exp(-Q_ext AF)`` (see the module docstring).
DEFAULT_Q_EXT = 2.0

#: Material presets: resistivity (ohm m), mass density (kg/m^3), electron mean free path (m).
MATERIALS: dict[str, dict[str, float]] = {
    "Ag": {"resistivity": 1.59e-8, "mass_density": 10490.0, "mean_free_path": 53.3e-9},
    "Cu": {"resistivity": 1.678e-8, "mass_density": 8960.0, "mean_free_path": 39.9e-9},
    "Au": {"resistivity": 2.214e-8, "mass_density": 19300.0, "mean_free_path": 37.7e-9},
    "Ni": {"resistivity": 6.93e-8, "mass_density": 8908.0, "mean_free_path": 5.87e-9},
}

#: The EMT paper's Table 1 (Tarasevich et al. 2025): AgNW films in the literature,
#: (reference, mean length (um), mean diameter (nm), areal mass density range (mg/m^2)).
EMT_TABLE1_FILMS: tuple[tuple[str, float, float, tuple[float, float]], ...] = (
    ("Lagrange et al. [13]", 20.4, 26.0, (20.0, 50.0)),
    ("Lagrange et al. [13]", 13.6, 45.0, (20.0, 120.0)),
    ("Lagrange et al. [13]", 7.6, 55.0, (50.0, 150.0)),
    ("Lagrange et al. [13]", 42.9, 117.0, (20.0, 220.0)),
    ("Lagrange et al. [13]", 32.0, 138.0, (50.0, 300.0)),
    ("Bardet et al. [14]", 8.0, 79.0, (25.0, 250.0)),
    ("Bardet et al. [14]", 11.0, 119.0, (25.0, 250.0)),
    ("De et al. [15]", 6.6, 84.0, (28.0, 780.0)),
    ("Nian et al. [17]", 15.0, 35.0, (3.1, 16.0)),
    ("Göbelt et al. [18]", 5.81, 118.0, (331.0, 331.0)),
    ("Yu et al. [19]", 80.0, 88.0, (94.0, 366.2)),
    ("Milano et al. [20]", 35.0, 115.0, (60.0, 181.0)),
)
#: Table 1 rows left out of EMT_TABLE1_FILMS because they give ranges, not means, of the length or diameter:
#: Sannicolo et al. [10] (~10 um, 20-150 nm, 40-200 mg/m^2) and Celle et al. [16] (2-25 um, 40-80 nm, 35 mg/m^2).
