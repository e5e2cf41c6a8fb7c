"""A fixed set of ws2016 descriptions for the golden evaluations: varied, deterministic, as JSON.

Drawn from a seeded generator over the ws2016 description's whole vocabulary, as a client would
send it (loaded by `load_description`, so the golden set also pins the loading): one to four
nodes (alike or not, and a few Storage Spaces Direct clusters beyond 16 nodes), groups of RDMA
adapters of every kind beside adapters without RDMA, 1 to 100 Gbps, make, model, firmware and
driver alike or differing (or not given), every Windows Server version (2012 R2 included) or none,
Azure Local, Network ATC, switched or switchless storage with complete, missing or no direct
links, Storage Spaces Direct and other storage, and the live migration limit.
"""
from __future__ import annotations

import copy
import random
from itertools import combinations

COUNT = 240
SEED = 2016
# None: the field is left out (as most clients do); the sentinel below sends an explicit null.
NULL = object()

SPEEDS = (1_000, 1_000, 10_000, 10_000, 10_000, 25_000, 25_000, 40_000, 50_000, 100_000)
MODELS = {"Mellanox": ("ConnectX-4", "ConnectX-6"), "Intel": ("X710", "E810"),
          "Chelsio": ("T6225",), "Broadcom": ("P225p",), "Contoso": ("X-10", "R-25")}
RDMA_KINDS = ("roce_v2", "roce_v2", "roce", "iwarp", "infiniband", None)
OS_VERSIONS = ("2016", "2019", "2022", "2022", "2025", "2012r2", None, NULL)
STORAGE = ("storage_spaces_direct", "storage_spaces_direct", "smb", "iscsi", "fibre_channel",
           "sas", "none")


def _maybe(rng: random.Random, values: tuple, omitted: float = 0.4):
    """A value of `values`, None (the field left out) with probability `omitted`."""
    return None if rng.random() < omitted else rng.choice(values)


def _put(out: dict, key: str, value) -> None:
    if value is NULL:
        out[key] = None
    elif value is not None:
        out[key] = value


def _group(rng: random.Random) -> list[dict]:
    """One to four adapters bought together: one speed, make, model and RDMA setting, with now
    and then a member whose firmware, driver, model or speed differs."""
    make = _maybe(rng, tuple(MODELS), 0.25)
    spec: dict = {"speed_mbps": rng.choice(SPEEDS)}
    _put(spec, "rdma", rng.choice((True, True, False, None, NULL)))
    if spec.get("rdma"):
        _put(spec, "rdma_kind", rng.choice(RDMA_KINDS))
    elif rng.random() < 0.05:  # drawn as before (a kind without rdma is a 422), so the
        rng.choice(RDMA_KINDS[:-1])  # descriptions after it stay the ones recorded
    if make is not None:
        spec["make"] = make
        _put(spec, "model", _maybe(rng, MODELS[make], 0.1))
        _put(spec, "firmware", _maybe(rng, ("14.32.1010", "22.36.1010", "4.2.1"), 0.5))
        _put(spec, "driver", _maybe(rng, ("3.10.51000", "1.12.68.0"), 0.5))
    members = [dict(spec) for _ in range(rng.choice((1, 2, 2, 2, 3, 4)))]
    if len(members) > 1 and rng.random() < 0.2:
        odd = members[-1]
        what = rng.choice(("firmware", "driver", "model", "speed_mbps"))
        if what == "speed_mbps":
            odd[what] = rng.choice([s for s in sorted(set(SPEEDS)) if s != odd[what]])
        else:
            odd[what] = rng.choice(("0.0.1-beta", "9.9.9", "Other"))
    return members


def _adapters(rng: random.Random, groups: int | None = None) -> list[dict]:
    adapters = [a for _ in range(groups or rng.choice((1, 1, 2, 2, 2, 3))) for a in _group(rng)]
    return [{"name": f"pNIC{i + 1:02d}", **a} for i, a in enumerate(adapters)]


def _unlike(rng: random.Random, template: list[dict]) -> list[dict]:
    """Another node's adapters: new ones, or the template with one change (an adapter more or
    less, another firmware, another speed, or other names)."""
    change = rng.choice(("new", "drop", "add", "firmware", "speed", "names"))
    adapters = copy.deepcopy(template)
    if change == "new":
        return _adapters(rng)
    if change == "drop" and len(adapters) > 1:
        adapters.pop(rng.randrange(len(adapters)))
    elif change == "add":
        adapters.append({"name": f"pNIC{len(adapters) + 1:02d}", **_group(rng)[0]})
    elif change == "firmware":
        rng.choice(adapters)["firmware"] = "0.0.2-rc"
    elif change == "speed":
        adapter = rng.choice(adapters)
        adapter["speed_mbps"] = rng.choice([s for s in sorted(set(SPEEDS)) if s != adapter["speed_mbps"]])
    else:  # Network ATC needs the same names on every node (WS105)
        for i, adapter in enumerate(adapters):
            adapter["name"] = f"SLOT{i + 1}-PORT1"
    return adapters


def _links(rng: random.Random, names: list[str]) -> list[dict]:
    """Direct storage links: every pair (once or redundantly), or with pairs missing."""
    pairs = list(combinations(names, 2))
    if len(pairs) > 1 and rng.random() < 0.35:
        pairs = rng.sample(pairs, rng.randint(1, len(pairs) - 1))
    redundant = rng.random() < 0.5
    return [{"nodes": list(p), "count": rng.choice((2, 2, 4)) if redundant else 1} for p in pairs]


def _nodes(rng: random.Random, count: int) -> list[dict]:
    alike = rng.random() < 0.65
    template = _adapters(rng, 1 if count > 4 else None)
    same_os = rng.random() < 0.8
    os_version = rng.choice(OS_VERSIONS)
    nodes = []
    for i in range(count):
        adapters = template if i == 0 or alike else _unlike(rng, template)
        node: dict = {"name": f"hv{i + 1:02d}", "adapters": copy.deepcopy(adapters)}
        _put(node, "os_version", os_version if same_os else rng.choice(OS_VERSIONS))
        nodes.append(node)
    return nodes


def _description(rng: random.Random) -> dict:
    big = rng.random() < 0.03  # beyond Storage Spaces Direct's 16 nodes (WS104)
    count = 17 if big else rng.choice((1, 2, 2, 2, 3, 3, 4))
    out: dict = {"ruleset": "ws2016"}
    _put(out, "name", rng.choice((None, None, NULL, "hci-01", "azl-east")))
    _put(out, "shared_storage", "storage_spaces_direct" if big else _maybe(rng, STORAGE, 0.3))
    for flag in ("azure_local", "network_atc"):
        _put(out, flag, rng.choice((None, None, True, False, NULL)))
    interconnect = rng.choice((None, None, "switched", "switchless", "switchless", NULL))
    _put(out, "storage_interconnect", interconnect)
    _put(out, "max_simultaneous_live_migrations", rng.choice((None, None, NULL, 1, 2, 4, 8, 64)))
    out["nodes"] = _nodes(rng, count)
    if interconnect == "switchless" and count > 1:
        links = rng.choice(("given", "given", "omitted", "null"))
        if links == "given":
            out["switchless_links"] = _links(rng, [n["name"] for n in out["nodes"]])
        elif links == "null":
            out["switchless_links"] = None
    return out


def inventories() -> list[dict]:
    """The golden set: COUNT ws2016 descriptions as JSON values, the same on every run."""
    rng = random.Random(SEED)
    return [_description(rng) for _ in range(COUNT)]
