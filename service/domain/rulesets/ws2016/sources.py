"""The Microsoft pages the Windows Server 2016 and later ruleset rests on (docs/rulesets/
ws2016-and-later.md lists each with the path of its source and the facts read from it).

A rule's `section` is its page's title and its `source` the page's address; `quote` is the
page's sentence. The ids (S1..S40) are the fact sheet's.
"""
from __future__ import annotations

from ...ruleset import Source

LEARN = "https://learn.microsoft.com"

S1 = Source("Set up hosts for live migration without Failover Clustering",
            f"{LEARN}/windows-server/virtualization/hyper-v/deploy/"
            "set-up-hosts-for-live-migration-without-failover-clustering")
S2 = Source("Set-VMHost", f"{LEARN}/powershell/module/hyper-v/set-vmhost")
S3 = Source("Set-SmbBandwidthLimit", f"{LEARN}/powershell/module/smbshare/set-smbbandwidthlimit")
S4 = Source("Configure cluster-wide Live Migration SMB bandwidth control",
            f"{LEARN}/windows-server/failover-clustering/configure-live-migration-smb-bandwidth")
S5 = Source("Remote Direct Memory Access (RDMA) and Switch Embedded Teaming (SET)",
            f"{LEARN}/windows-server/virtualization/hyper-v-virtual-switch/"
            "rdma-and-switch-embedded-teaming")
S6 = Source("Host network requirements for Azure Local",
            f"{LEARN}/azure/azure-local/concepts/host-network-requirements")
S7 = Source("Network ATC overview", f"{LEARN}/azure/azure-local/concepts/network-atc-overview")
S8 = Source("Deploy host networking with Network ATC",
            f"{LEARN}/azure/azure-local/deploy/network-atc")
S9 = Source("Physical network requirements for Azure Local",
            f"{LEARN}/azure/azure-local/concepts/physical-network-requirements")
S12 = Source("Set-VMSwitch", f"{LEARN}/powershell/module/hyper-v/set-vmswitch")
S13 = Source("New-VMSwitch", f"{LEARN}/powershell/module/hyper-v/new-vmswitch")
S14 = Source("NIC Teaming",
             f"{LEARN}/windows-server/networking/technologies/nic-teaming/nic-teaming")
S15 = Source("Converged NIC in a Teamed NIC configuration (datacenter)",
             f"{LEARN}/windows-server/networking/technologies/conv-nic/cnic-datacenter")
S17 = Source("Storage Spaces Direct hardware requirements in Windows Server",
             f"{LEARN}/windows-server/storage/storage-spaces/"
             "storage-spaces-direct-hardware-requirements")
S18 = Source("Network reference patterns overview for Azure Local",
             f"{LEARN}/azure/azure-local/plan/network-patterns-overview")
S19 = Source("Review single-server storage deployment network reference pattern for Azure Local",
             f"{LEARN}/azure/azure-local/plan/single-server-deployment")
S20 = Source("Review two-node storage switchless, single switch deployment network reference "
             "pattern for Azure Local",
             f"{LEARN}/azure/azure-local/plan/two-node-switchless-single-switch")
S22 = Source("Review two-node storage switched, non-converged deployment network reference pattern "
             "for Azure Local", f"{LEARN}/azure/azure-local/plan/two-node-switched-non-converged")
S24 = Source("Review three-node storage switchless, dual TOR, single link deployment network "
             "reference pattern for Azure Local",
             f"{LEARN}/azure/azure-local/plan/three-node-switchless-two-switches-single-link")
S26 = Source("Live Migration Overview",
             f"{LEARN}/windows-server/virtualization/hyper-v/manage/live-migration-overview")
S29 = Source("Set-VMNetworkAdapter", f"{LEARN}/powershell/module/hyper-v/set-vmnetworkadapter")
S30 = Source("Failover clustering hardware requirements and storage options",
             f"{LEARN}/windows-server/failover-clustering/clustering-requirements")
S31 = Source("Deploy host networking with Network ATC (Windows Server)",
             f"{LEARN}/windows-server/networking/network-atc/network-atc")
S32 = Source("Cluster operating system rolling upgrade",
             f"{LEARN}/windows-server/failover-clustering/cluster-operating-system-rolling-upgrade")
S40 = Source("Hyper-V Virtual Switch",
             f"{LEARN}/windows-server/virtualization/hyper-v-virtual-switch/hyper-v-virtual-switch")
# A Windows Server 2012 page (previous versions): Microsoft's guidance for the weights, which later
# versions' pages do not restate.
S38 = Source("QoS Minimum Bandwidth Best Practices",
             f"{LEARN}/previous-versions/windows/it-pro/windows-server-2012-R2-and-2012/"
             "jj735303(v=ws.11)")
# Microsoft's own repository, not a Microsoft Learn page (no Learn page was found for the fact).
S27 = Source("Convert-LBFO2SET (Microsoft, GitHub)", "https://github.com/microsoft/convert-lbfo2set")

SOURCES: tuple[Source, ...] = (S1, S2, S3, S4, S5, S6, S7, S8, S9, S12, S13, S14, S15, S17,
                               S18, S19, S20, S22, S24, S26, S27, S29, S30, S31, S32, S38, S40)
