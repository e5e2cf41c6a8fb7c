"""The ws2016 script's block run once for the cluster: the live migration networks (S4, "Configure
Live Migration network selection") and the cluster-wide SMB bandwidth limit factor (S4,
"Configure cluster-wide SMB bandwidth limits"), on Windows Server 2022 and later only, never under
Network ATC (docs/rulesets/ws2016-and-later.md, F3.4 and F4.1)."""
from __future__ import annotations

import re
from dataclasses import replace

import pytest

from service.domain.rulesets.ws2016.bandwidth import smb_limit_factor
from service.domain.rulesets.ws2016.description import (
    HostVnic, Nic, OsVersion, RdmaKind, Traffic, Transport,
)
from service.domain.rulesets.ws2016.designer import design
from service.domain.rulesets.ws2016.render_ps1 import render

NODES = ("hv01", "hv02")
EXCLUDE = "Set-ClusterParameter -Name MigrationExcludeNetworks -Value $excludedNetworks[0].Id"
CLUSTER_COMMANDS = ("Get-NetIPAddress", "Get-ClusterNetwork", "Set-ClusterParameter",
                    "Get-Cluster", "$cluster.")


def nic(name, gbps, rdma=False):
    return Nic(name, int(gbps * 1000), make="Contoso", model="R" if rdma else "X",
               rdma=rdma or None, rdma_kind=RdmaKind.ROCE_V2 if rdma else None)


CONVERGED = (nic("pNIC01", 25, True), nic("pNIC02", 25, True))
DEDICATED = (nic("pNIC01", 10), nic("pNIC02", 10), nic("pNIC03", 25, True), nic("pNIC04", 25, True))


def script(inventory, version=OsVersion.WS2022, nodes=NODES, **settings):
    return render(design(inventory, nodes, os_version=version, **settings).design, nodes[0])


def commands(text):
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def test_live_migration_on_storage_vnics_keeps_to_their_cluster_networks():
    text = script(CONVERGED)
    assert ("$migrationAddresses = @(Get-NetIPAddress -InterfaceAlias 'vEthernet (SMB1)',"
            "'vEthernet (SMB2)' | ForEach-Object { $_.IPAddress })") in text
    assert "Get-ClusterNetworkInterface -Node 'hv01' -Network $_.Name" in text
    assert "$VMResourceType = Get-ClusterResourceType -Name 'Virtual Machine'" in text
    assert f"    $VMResourceType | {EXCLUDE}" in text
    # more than one network to exclude: named for Failover Cluster Manager, no joined ids
    assert "Live Migration Settings and uncheck" in text
    assert not any(";" in line for line in commands(text))


def test_live_migration_on_dedicated_adapters_keeps_to_their_cluster_networks():
    text = script(DEDICATED)
    assert "Get-NetIPAddress -InterfaceAlias 'pNIC03','pNIC04'" in text
    assert EXCLUDE in text


def test_the_cluster_block_is_run_once_and_comes_last():
    text = script(CONVERGED)
    assert text.splitlines()[1].endswith(
        "Run elevated on this node; the cluster-wide block at the end once for the cluster.")
    block = text[text.index("# Cluster-wide settings (S4): run this block once for the cluster"):]
    assert not any(line.startswith(("Set-SmbBandwidthLimit", "New-VMSwitch", "Set-VMHost"))
                   for line in commands(block))
    assert block.rstrip().endswith("$cluster.$factorName = 1450")


@pytest.mark.parametrize("inventory, factor", [(CONVERGED, 1450), (DEDICATED, 1035)])
def test_windows_server_2022_gets_the_cluster_wide_smb_factor_of_its_limit(inventory, factor):
    proposal = design(inventory, NODES, os_version=OsVersion.WS2022)
    host = proposal.design.hosts[0]
    limit = proposal.design.smb_limit_bytes_per_second * 8
    total = sum(n.speed_mbps for n in host.nics) * 1_000_000
    assert smb_limit_factor(limit, total) == factor
    assert factor * total // 10_000 <= limit  # never above Set-SmbBandwidthLimit's limit
    text = render(proposal.design, "hv01")
    assert f"$cluster.$factorName = {factor}" in text
    assert "$cluster.$enableName = 1" in text
    # both of S4's spellings are looked up, none guessed
    assert "@('SMBBandwidthLimitFactor','SetSMBBandwidthLimitFactor')" in text
    assert "@('SetSMBBandwidthLimit','SMBBandwidthLimit')" in text


def test_compression_gets_the_networks_but_no_smb_factor():
    text = script((nic("a", 10, True), nic("b", 10, True)))  # S6: 10 Gbps row, Compression
    assert "Set-VMHost -VirtualMachineMigrationPerformanceOption Compression" in text
    assert EXCLUDE in text
    assert "SMBBandwidthLimit" not in text


@pytest.mark.parametrize("version", [OsVersion.WS2016, OsVersion.WS2019, None])
def test_before_windows_server_2022_the_cluster_block_is_a_comment(version):
    text = script(CONVERGED, version)
    assert "# Cluster-wide settings: not rendered." in text
    assert "Run elevated on this node only." in text
    assert not any(c in line for line in commands(text) for c in CLUSTER_COMMANDS)


def test_a_mixed_version_cluster_gets_the_comment():
    proposal = design(CONVERGED, NODES, os_version=OsVersion.WS2022)
    hosts = (proposal.design.hosts[0], replace(proposal.design.hosts[1],
                                               os_version=OsVersion.WS2019))
    text = render(replace(proposal.design, hosts=hosts), "hv01")
    assert "# Cluster-wide settings: not rendered." in text


def test_network_atc_keeps_its_overrides_and_gets_no_cluster_block():
    text = script(CONVERGED, OsVersion.WS2025, network_atc=True, max_simultaneous_migrations=2)
    assert "Set-NetIntent -GlobalClusterOverrides $clusterOverride" in text
    assert "-MaximumSMBMigrationBandwidthInGbps 7" in text
    assert "Cluster-wide settings" not in text
    assert not any(c in line for line in commands(text) for c in CLUSTER_COMMANDS)


def test_one_node_has_no_live_migration_to_place():
    text = script(CONVERGED, nodes=("hv01",))
    assert "Cluster-wide" not in text and "MigrationExcludeNetworks" not in text


def test_live_migration_on_the_switchs_management_adapter_is_not_guessed():
    # Management on the switch's own host vNIC and no live migration vNIC or storage: live
    # migration falls back to management, whose adapter name the script cannot know.
    proposal = design((nic("a", 10), nic("b", 10)), NODES, os_version=OsVersion.WS2022)
    hosts = tuple(replace(h, vnics=(), switches=tuple(
        replace(s, traffic=frozenset({Traffic.MANAGEMENT, Traffic.COMPUTE})) for s in h.switches))
        for h in proposal.design.hosts)
    text = render(replace(proposal.design, hosts=hosts), "hv01")
    assert not any(c in line for line in commands(text) for c in CLUSTER_COMMANDS)
    assert "# Live migration networks: not set" in text
    assert "Run elevated on this node only." in text


def test_declared_live_migration_vnic_is_the_one_looked_up():
    proposal = design(CONVERGED, NODES, os_version=OsVersion.WS2022)
    host = proposal.design.hosts[0]
    lm = HostVnic("LM", "ConvergedSwitch", frozenset({Traffic.LIVE_MIGRATION}), vlan_id=713)
    hosts = (replace(host, vnics=(*host.vnics, lm)), *proposal.design.hosts[1:])
    text = render(replace(proposal.design, hosts=hosts, transport=Transport.COMPRESSION,
                          smb_limit_bytes_per_second=None), "hv01", audited="supported")
    assert "Get-NetIPAddress -InterfaceAlias 'vEthernet (LM)' |" in text


def test_the_cluster_block_is_ascii_and_its_brackets_balance():
    text = script(DEDICATED)
    assert text.isascii()
    for line in commands(text[text.index("# Cluster-wide settings (S4)"):]):
        code = re.sub(r"'[^']*'", "''", line)  # brackets inside strings do not count
        assert code.count("(") == code.count(")"), line
    block = "\n".join(commands(text[text.index("# Cluster-wide settings (S4)"):]))
    code = re.sub(r"'[^']*'", "''", block)
    assert code.count("{") == code.count("}")


def test_the_clusters_own_limit_on_simultaneous_migrations_is_set_once_for_the_cluster():
    # S2: in a failover cluster the cluster property takes precedence over each host's
    # Set-VMHost -MaximumVirtualMachineMigrations; S35 sets a cluster property on its object.
    text = script(CONVERGED, max_simultaneous_migrations=4)
    block = text[text.index("# Cluster-wide settings (S4)"):]
    assert "(Get-Cluster).MaximumParallelMigrations = 4" in commands(block)
    assert "Set-VMHost -MaximumVirtualMachineMigrations 4" in commands(text)
    assert "MaximumParallelMigrations" not in script(CONVERGED)
    assert "MaximumParallelMigrations" not in script(CONVERGED, version=OsVersion.WS2019,
                                                     max_simultaneous_migrations=4)
