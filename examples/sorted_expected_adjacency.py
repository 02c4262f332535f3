"""σ* = σ(E A*) (Jagota & Scheinfeld 2020) next to a small Monte Carlo mean, for three orientation distributions.

Run: python examples/sorted_expected_adjacency.py
"""

from nanograph.analysis.expected_adjacency import sigma_star
from nanograph.analysis.sorted_adjacency import sampled_conductances

cn, length = 30, 0.1  # CN = N l^2, sticks of a tenth of the box width: N = 3000
for odf in ("isotropic", "theta1:alpha=45deg", "theta2:alpha=50deg"):
    star = sigma_star(cn, length, odf)
    sampled = sampled_conductances(star.n_wires, length, odf, samples=3, rng=1)
    print(f"{odf:>20}: sigma* = {star.sigma_star:8.3f} S  (band K = {star.band_width}), "
          f"Monte Carlo mean of 3 = {sampled.mean():8.3f} S, ratio {star.sigma_star / sampled.mean():.3f}")  # fmt: skip
