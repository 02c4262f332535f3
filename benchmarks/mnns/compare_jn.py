"""nanograph junction-node conductance with the rw found by run_mnns_jn.py, against mnns."""

import json

import nanograph as ng

m = json.load(open("mnns_jn.json"))
rw = m["rw"]
for seed in range(4):
    s = ng.generate_sticks(9.0, box=6.0, rng=seed)
    net = ng.junction_node_network(s, rw=rw, rj=1.0, re=1.0)
    sol = ng.solve_network(net)
    g_m, nodes_m = m[str(seed)]
    print(
        f"seed {seed}: G nanograph {sol.conductance:.12g} mnns {g_m:.12g} rel diff {abs(sol.conductance - g_m) / g_m:.2e}; nodes {net.n_nodes} vs mnns {nodes_m}"
    )
