"""Test data shared across tiers."""
from __future__ import annotations

import copy

SPEC_EXAMPLE = {
    "name": "hv-prod-01",
    "failover_clustering": True,
    "shared_storage": "iscsi",
    "cluster_shared_volumes": True,
    "redundant_cluster_path": False,
    "live_migration_ipsec": False,
    "live_migration_encryption_required": False,
    "tcp_chimney_offload": False,
    "nodes": [{
        "name": "hv01",
        "processor_vendor": "intel",
        "management_ip": "10.0.0.11",
        "adapters": [
            {"name": "NIC1", "speed_mbps": 1000},
            {"name": "NIC2", "speed_mbps": 1000, "team": "T1"},
            {"name": "NIC3", "speed_mbps": 1000, "team": "T1", "address": "192.168.10.11/24"},
        ],
        "teams": [{"name": "T1", "mode": "link_aggregation", "network": "private"}],
    }],
}


def spec_example() -> dict:
    """A fresh copy of SPEC §3's request."""
    return copy.deepcopy(SPEC_EXAMPLE)
