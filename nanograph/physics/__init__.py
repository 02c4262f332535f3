"""Theories of the network conductance: effective medium theory (EMT via Foster's theorem) and the mean-field
approximation (MFA) for arbitrary orientation distributions.
"""
