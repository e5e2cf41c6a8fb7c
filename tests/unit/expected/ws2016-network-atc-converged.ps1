# hv01: host networking for live migration (Windows Server 2016 and later).
# Sources: docs/rulesets/ws2016-and-later.md. Run elevated on one node: Network ATC applies the intents to every node.
$ErrorActionPreference = 'Stop'

# Network ATC deploys this host networking (S31): add the intents once, on one node of the
# cluster, instead of creating the switch, host vNICs and DCB by hand (New-VMSwitch or
# New-NetQosTrafficClass would conflict with what the intents deploy).
Add-NetIntent -Name ConvergedIntent -Management -Compute -Storage -AdapterName 'pNIC01','pNIC02'

# Live migration: Network ATC's cluster overrides (S31, S41)
# 906250000 bytes/s, rounded down to whole Gbps.
$clusterOverride = New-NetIntentGlobalClusterOverrides -EnableVirtualMachineMigrationPerformanceSelection $false -VirtualMachineMigrationPerformanceOption 'SMB' -MaximumSMBMigrationBandwidthInGbps 7 -MaximumVirtualMachineMigrations 2
Set-NetIntent -GlobalClusterOverrides $clusterOverride
