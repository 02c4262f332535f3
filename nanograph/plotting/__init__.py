"""Matplotlib drawings of stick networks; every function takes ``ax=`` and returns the Axes, never calls show()."""
