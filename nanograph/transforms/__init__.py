"""Transforms of a network that return a new network with a map back to the original.

* :func:`regular_closure` — the 3-regular (junction-node) and 4-regular (seamless) closures of the EMT
  paper: a conductance-0 edge between the extreme contacts of every stick.
"""

from nanograph.transforms.closure import Closure, predicted_edge_fractions, regular_closure

__all__ = ["Closure", "predicted_edge_fractions", "regular_closure"]
