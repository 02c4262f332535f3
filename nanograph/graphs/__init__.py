"""The canonical array multigraph (:class:`Network`), the wire-node and junction-node builders, lattices, and
conversion to and from igraph and networkx.
"""
