"""Every published number nanograph compares against, one module per source paper, each with its equation,
table or figure. Nothing else in the package hard-codes a published value.

- :mod:`nanograph.published.emt_foster` — Tarasevich et al. 2025, EMT via Foster's theorem.
- :mod:`nanograph.published.mfa` — Tarasevich et al., mean-field approximation for cross-aligned networks.
- :mod:`nanograph.published.sorted_adjacency` — Jagota & Scheinfeld 2020, sorted expected adjacency matrix.
"""
