"""Published numbers of the MFA paper (Tarasevich et al. 2025; ``docs/theory/index.md``, References).

Each constant names its equation, table or figure; slips (``docs/theory/slips.md``) are kept as printed.
"""

import math

PAPER = "Tarasevich et al., mean-field approximation for cross-aligned nanowire networks"

#: Table 1, ODF (2) isotropic: ⟨|sin(α1 − α2)|⟩ = 2/π and ⟨S²⟩ = 1/2.
TABLE1_ISOTROPIC = (2 / math.pi, 0.5)
#: Table 1, ODF (6) with m = 10: ⟨|sin|⟩ printed 0.5727988619 (exact 13855460621/(7699613922 π) = 0.57279886…).
TABLE1_COS2M10_MEAN_ABS_SIN = 0.5727988619
#: Table 1, ODF (6): ⟨S²⟩ = (m + 1)/(m + 2).
#: Table 1, ODF (4): ⟨|sin|⟩ printed as 1 − ω (a slip; the population mean is 2ω(1 − ω)).
#: Fig. 5 caption: ⟨S²⟩ = 0.687 for ε = π/32 (a slip for 0.987).
FIG5_CAPTION_S2_EPS_PI_32 = 0.687

#: Eq. (18) / Mertens & Moore 2012: percolation threshold of isotropic widthless sticks, n_c l².
THRESHOLD_ISOTROPIC = 5.6372858
#: The MFA paper's quoted threshold of the perfect cross (ODF 4 with ω = 1/2).
THRESHOLD_PERFECT_CROSS = 6.1934

#: Direct computations (Figs. 2, 4–7): box side, runs per density, Δ = Rs/Rj values.
DIRECT_BOX = 32
DIRECT_SMALL_BOX = 8
DIRECT_RUNS = 10
DIRECT_DELTAS = (1e-6, 1.0, 1e6)
#: ODF (3): the two-Gaussian width σ = π/11.5 used by the paper.
DOUBLE_GAUSSIAN_SIGMA = math.pi / 11.5
#: Fig. 5 caption: ⟨S²⟩ = 0.818 for ε = π/8.
FIG5_CAPTION_S2_EPS_PI_8 = 0.818
#: Fig. 6 caption: ⟨S²⟩ = 0.917 for ODF (6) with m = 10.
FIG6_CAPTION_S2_M10 = 0.917
#: Fig. 2: the second value of Δ shown to be "a limiting case Δ ≪ 1" (L = 32).
FIG2_DELTA = 1e-3
