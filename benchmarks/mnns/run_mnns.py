"""mnns wire-node (JDA) conductance on the sticks written by make_sticks.py (run in the mnns venv)."""

import json

import numpy as np
from mnns.calculations import solve_drain_current
from mnns.fromtext import create_NWN_from_txt

reference = json.load(open("nanograph.json"))
for seed, ref in reference.items():
    nwn = create_NWN_from_txt(f"sticks{seed}.txt", conductance=1.0)
    g = float(np.abs(np.atleast_1d(solve_drain_current(nwn, (0,), (1,), 1.0, scaled=False))).sum())
    edges_ng = ref["n_junctions"] + ref["left"] + ref["right"]
    rel = abs(g - ref["G_wire_node"]) / ref["G_wire_node"]
    print(f"seed {seed}: edges mnns {nwn.number_of_edges()} vs nanograph {edges_ng}; "
          f"G mnns {g:.12g} vs nanograph {ref['G_wire_node']:.12g}; relative difference {rel:.1e}")  # fmt: skip
