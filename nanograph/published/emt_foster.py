"""Published numbers of the EMT/Foster paper (`see the [references](../theory/index.md#references)`).

Each constant names its equation, table or figure. Where the paper has a slip (see ``docs/theory/slips.md``) the
printed value is kept here as printed; nanograph computes its own and the reproduction prints both.
"""

PAPER = "Tarasevich et al. 2025, effective medium theory via Foster's theorem"

#: Eq. (22): Rj = 0, z = 3: ``g_m Rw ≈ 3.275 · 2 n l²/π`` at large density (printed; exact root 3.27838).
EQ22_CONSTANT = 3.275
#: Eq. (22): the same written as ``g_m Rw ≈ 2.08 n l²``.
EQ22_SLOPE = 2.08
#: Eq. (29): seamless network, z = 4: ``g_m Rw ≈ 1.637 · 2 n l²/π`` (printed; exact root 1.63919).
EQ29_CONSTANT = 1.637
#: Eq. (29): the same written as ``g_m Rw ≈ 1.04 n l²``.
EQ29_SLOPE = 1.04

#: Table 2: fit ``log10 g_m = A log10(4 n l²/(π Rw)) + B`` (Eq. 23) per Rj: (A, B, 10^(-2B)).
TABLE2 = {
    1: (0.512, -0.026, 1.13),
    2: (0.510, -0.171, 2.2),
    10: (0.505, -0.510, 10.5),
    16: (0.504, -0.609, 16.5),
    25: (0.503, -0.704, 25.6),
    36: (0.502, -0.782, 36.6),
    64: (0.501, -0.905, 64.6),
    100: (0.501, -1.001, 100.6),
}
#: Tolerances the issue sets for reproducing Table 2: A within 0.005, B within 0.01.
TABLE2_TOLERANCE_A = 0.005
TABLE2_TOLERANCE_B = 0.01

#: Fig. 3: square lattice, conductance ∝ 1.037 n (theory 1.04).
FIG3_SQUARE_SLOPE = 1.037
#: Fig. 3: square lattice, the theoretical slope quoted (Eq. 29's rounded 1.04).
FIG3_SQUARE_THEORY = 1.04
#: Fig. 3: kagome lattice slope 0.899.
FIG3_KAGOME_SLOPE = 0.899
#: Fig. 3: kagome theory quoted as 1.04·√3/2 = 0.901 (unrounded 1.0435·√3/2 = 0.9037).
FIG3_KAGOME_THEORY = 0.901
#: Fig. 3: lattice sizes and runs per point.
FIG3_SIZES = (32, 64, 128)
FIG3_RUNS = 10

#: Fig. 4: box side and runs per density of the direct random-nanowire computation.
FIG4_BOX = 32
FIG4_RUNS = 10
#: Fig. 4: EMT conductance is "about twice" the direct computation (the paper blames dead ends).
FIG4_EMT_OVER_DIRECT = 2.0
