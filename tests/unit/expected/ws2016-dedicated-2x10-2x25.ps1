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
Enable-NetAdapterQos -Name 'pNIC03'
Enable-NetAdapterQos -Name 'pNIC04'

# Hyper-V switch with Switch Embedded Teaming (S5)
New-VMSwitch -Name 'MgmtCompute' -NetAdapterName 'pNIC01','pNIC02' -EnableEmbeddedTeaming $true -AllowManagementOS $true
Set-VMSwitchTeam -Name 'MgmtCompute' -LoadBalancingAlgorithm HyperVPort

# Standalone storage adapters (VLAN: S15; RDMA: S5)
Set-NetAdapterAdvancedProperty -Name 'pNIC03' -RegistryKeyword VlanID -RegistryValue "711"
Enable-NetAdapterRDMA 'pNIC03'
Set-NetAdapterAdvancedProperty -Name 'pNIC04' -RegistryKeyword VlanID -RegistryValue "712"
Enable-NetAdapterRDMA 'pNIC04'

# Live migration (S2, S3)
Set-VMHost -VirtualMachineMigrationPerformanceOption SMB
# 906250000 bytes/s = 7250000000 bit/s; -BytesPerSecond takes bytes (S3).
Add-WindowsFeature -Name FS-SMBBW
Set-SmbBandwidthLimit -Category LiveMigration -BytesPerSecond 906250000
