"""mnns junction-node (MNR) conductance; rw calibrated from one stick spanning the box (run in the mnns venv)."""

import json

import numpy as np
from mnns.calculations import solve_drain_current
from mnns.fromtext import create_NWN_from_txt
from mnns.nanowires import convert_NWN_to_MNR


def mnr_conductance(path):
    nwn = create_NWN_from_txt(path, conductance=1.0)
    convert_NWN_to_MNR(nwn)
    src = [n for n in nwn.nodes if n[0] == 0]
    drn = [n for n in nwn.nodes if n[0] == 1]
    i = solve_drain_current(nwn, src, drn, 1.0, scaled=False)
    return float(np.abs(np.atleast_1d(i)).sum()), nwn.number_of_nodes()


L = 6.0
np.savetxt("single.txt", np.array([[0, 0, 0, L], [L, 0, L, L], [-0.5, 3.0, 6.5, 3.0]]).reshape(-1, 2))
g1, _ = mnr_conductance("single.txt")
rw = (1 / g1 - 2.0) / L  # one stick, two electrode junctions of Rj = 1
out = {"rw": rw}
for seed in range(4):
    out[seed] = mnr_conductance(f"sticks{seed}.txt")
json.dump(out, open("mnns_jn.json", "w"), indent=1)
print(out)
