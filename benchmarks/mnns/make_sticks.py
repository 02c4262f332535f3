"""nanograph side: write 4 stick sets (mnns text format, bus bars first) and their wire-node conductances."""

import json

import numpy as np

import nanograph as ng

out = {}
for seed in range(4):
    L = 6.0
    s = ng.generate_sticks(9.0, box=L, rng=seed)
    e = s.endpoints
    bars = np.array([[0, 0, 0, L], [L, 0, L, L]])
    allw = np.vstack([bars, e])
    np.savetxt(f"sticks{seed}.txt", allw.reshape(-1, 2))
    wn = ng.solve_network(ng.wire_node_network(s, rj=1.0, re=1.0))
    out[seed] = {
        "n_junctions": len(ng.find_contacts(s)),
        "G_wire_node": wn.conductance,
        "left": len(ng.find_electrode_contacts(s)[0]),
        "right": len(ng.find_electrode_contacts(s)[1]),
    }
json.dump(out, open("nanograph.json", "w"), indent=1)
print(out)
