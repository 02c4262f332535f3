"""Analyses of stick networks: percolation, backbone and dead ends, expected adjacency."""
