"""Build the Cython kernels (everything else is configured in pyproject.toml)."""

import numpy as np
from Cython.Build import cythonize
from setuptools import Extension, setup

extension = Extension(
    "nanograph._kernels",
    ["nanograph/_kernels.pyx"],
    include_dirs=[np.get_include()],
    define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
    extra_compile_args=["-O3", "-ffp-contract=off"],
)
selinv = Extension(
    "nanograph._selinv",
    ["nanograph/_selinv.pyx"],
    **{k: getattr(extension, k) for k in ("include_dirs", "define_macros", "extra_compile_args")},
)
setup(ext_modules=cythonize([extension, selinv], compiler_directives={"language_level": "3"}))
