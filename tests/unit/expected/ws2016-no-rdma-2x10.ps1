# hv01: host networking for live migration (Windows Server 2016 and later).
# Sources: docs/rulesets/ws2016-and-later.md. Run elevated on this node only.
$ErrorActionPreference = 'Stop'

# Hyper-V switch with Switch Embedded Teaming (S5)
New-VMSwitch -Name 'ConvergedSwitch' -NetAdapterName 'pNIC01','pNIC02' -EnableEmbeddedTeaming $true -AllowManagementOS $true -MinimumBandwidthMode Weight
Set-VMSwitchTeam -Name 'ConvergedSwitch' -LoadBalancingAlgorithm HyperVPort
# Minimum-bandwidth weights (S12, S29): shares under contention, not limits; values within Microsoft's guidance (S34).
Set-VMSwitch -Name 'ConvergedSwitch' -DefaultFlowMinimumBandwidthWeight 50
Rename-VMNetworkAdapter -ManagementOS -Name 'ConvergedSwitch' -NewName 'Management'
Set-VMNetworkAdapter -ManagementOS -Name 'Management' -MinimumBandwidthWeight 10
Add-VMNetworkAdapter -SwitchName 'ConvergedSwitch' -Name 'LiveMigration' -ManagementOS
Set-VMNetworkAdapterIsolation -ManagementOS -VMNetworkAdapterName 'LiveMigration' -IsolationMode VLAN -DefaultIsolationID 710
Set-VMNetworkAdapter -ManagementOS -Name 'LiveMigration' -MinimumBandwidthWeight 40

# Live migration (S2, S3)
Set-VMHost -VirtualMachineMigrationPerformanceOption Compression
