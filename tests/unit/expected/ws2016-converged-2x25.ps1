# hv01: host networking for live migration (Windows Server 2016 and later).
# Sources: docs/rulesets/ws2016-and-later.md. Run elevated on this node only.
$ErrorActionPreference = 'Stop'

# Data Center Bridging (S5; priorities and reservations: Network ATC's defaults, S8)
Install-WindowsFeature Data-Center-Bridging
New-NetQosPolicy -Name 'SMB' -NetDirectPortMatchCondition 445 -PriorityValue8021Action 3
New-NetQosPolicy -Name 'Cluster' -Cluster -PriorityValue8021Action 7
Enable-NetQosFlowControl -Priority 3
Disable-NetQosFlowControl -Priority 0,1,2,4,5,6,7
New-NetQosTrafficClass -Name 'SMB' -Priority 3 -BandwidthPercentage 50 -Algorithm ETS
New-NetQosTrafficClass -Name 'Cluster' -Priority 7 -BandwidthPercentage 1 -Algorithm ETS
Enable-NetAdapterQos -Name 'pNIC01'
Enable-NetAdapterQos -Name 'pNIC02'

# Hyper-V switch with Switch Embedded Teaming (S5)
New-VMSwitch -Name 'ConvergedSwitch' -NetAdapterName 'pNIC01','pNIC02' -EnableEmbeddedTeaming $true -AllowManagementOS $true
Set-VMSwitchTeam -Name 'ConvergedSwitch' -LoadBalancingAlgorithm HyperVPort
Add-VMNetworkAdapter -SwitchName 'ConvergedSwitch' -Name 'SMB1' -ManagementOS
Set-VMNetworkAdapterIsolation -ManagementOS -VMNetworkAdapterName 'SMB1' -IsolationMode VLAN -DefaultIsolationID 711
Enable-NetAdapterRDMA 'vEthernet (SMB1)'
Set-VMNetworkAdapterTeamMapping -VMNetworkAdapterName 'SMB1' -ManagementOS -PhysicalNetAdapterName 'pNIC01'
Add-VMNetworkAdapter -SwitchName 'ConvergedSwitch' -Name 'SMB2' -ManagementOS
Set-VMNetworkAdapterIsolation -ManagementOS -VMNetworkAdapterName 'SMB2' -IsolationMode VLAN -DefaultIsolationID 712
Enable-NetAdapterRDMA 'vEthernet (SMB2)'
Set-VMNetworkAdapterTeamMapping -VMNetworkAdapterName 'SMB2' -ManagementOS -PhysicalNetAdapterName 'pNIC02'

# Live migration (S2, S3)
Set-VMHost -VirtualMachineMigrationPerformanceOption SMB
# 906250000 bytes/s = 7250000000 bit/s; -BytesPerSecond takes bytes (S3).
Add-WindowsFeature -Name FS-SMBBW
Set-SmbBandwidthLimit -Category LiveMigration -BytesPerSecond 906250000
