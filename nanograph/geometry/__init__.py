"""Geometry of stick networks: orientation distributions, stick lengths and placement, periodic images,
intersections (contacts) and stick file I/O.
"""
