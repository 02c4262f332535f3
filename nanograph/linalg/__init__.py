"""Linear algebra of resistor networks: Laplacian assembly, CHOLMOD/SuperLU factorisation, Kirchhoff solves and
effective resistances (selected inversion, Foster's theorem).
"""
