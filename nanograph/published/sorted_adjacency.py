"""Published numbers of Jagota & Scheinfeld 2020 (Phys. Rev. E 101, 012304 (2020)).

Each constant names its equation, section or figure.
"""

PAPER = "Jagota & Scheinfeld 2020, sorted expected adjacency matrix"

#: Section III: wire-wire junction resistance (ohm) and wire-electrode resistance (ohm).
RJ = 1.0
RE = 0.01
#: Figs. 4 and 6: wire length (unit square) and Monte Carlo samples per point.
LENGTH = 0.1
SAMPLES = 30
#: Fig. 6: the density CN = N l² of the orientation study.
FIG6_CN = 50
#: Fig. 4: asymptotic power-law exponent of E σ (and σ*) in CN, and its value at medium densities.
EXPONENT_ASYMPTOTIC = 2.0
EXPONENT_MEDIUM = 1.75
#: Section V: σ* is about 100 times faster than a Monte Carlo estimate with M = 30 samples.
SPEEDUP_OVER_MONTE_CARLO = 100.0
#: Fig. 2: the sampled A* pictured, N = 500 wires of length l = 0.2.
FIG2_N = 500
FIG2_LENGTH = 0.2
