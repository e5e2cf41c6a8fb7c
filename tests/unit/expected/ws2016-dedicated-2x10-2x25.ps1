# hv01: host networking for live migration (Windows Server 2016 and later).
# Sources: docs/rulesets/ws2016-and-later.md. Run elevated on this node; the cluster-wide block at the end once for the cluster.
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

# Cluster-wide settings (S4): run this block once for the cluster, not on every node: on hv01 (it
# reads hv01's addresses), after the cluster is created. Running it again sets the same values.
if (-not (Get-Cluster -ErrorAction SilentlyContinue)) { throw 'No cluster here: run this block after the cluster is created.' }
# Live migration networks (S4): live migration runs on pNIC03, pNIC04. The design names adapters,
# not cluster networks, so the script takes the cluster networks on which hv01's cluster network
# interfaces have those adapters' addresses, and excludes every other cluster network from live
# migration.
$migrationAddresses = @(Get-NetIPAddress -InterfaceAlias 'pNIC03','pNIC04' | ForEach-Object { $_.IPAddress })
$migrationNetworks = @(Get-ClusterNetwork | Where-Object { @(Get-ClusterNetworkInterface -Node 'hv01' -Network $_.Name | Where-Object { $migrationAddresses -contains $_.Address }).Count -gt 0 })
if ($migrationNetworks.Count -eq 0) { throw 'No cluster network has an address of pNIC03, pNIC04 on hv01: run this block after the cluster is created.' }
$excludedNetworks = @(Get-ClusterNetwork | Where-Object { $migrationNetworks.Id -notcontains $_.Id })
# S4 sets MigrationExcludeNetworks to one network's id; no page for Windows Server 2012 and later
# gives a value with several ids, so several networks are left to Failover Cluster Manager's Live
# Migration Settings (S4).
if ($excludedNetworks.Count -eq 1) {
    $VMResourceType = Get-ClusterResourceType -Name 'Virtual Machine'
    $VMResourceType | Set-ClusterParameter -Name MigrationExcludeNetworks -Value $excludedNetworks[0].Id
} elseif ($excludedNetworks.Count -gt 1) {
    Write-Warning ('Not set: in Failover Cluster Manager, right-click Networks, select Live Migration Settings and uncheck ' + (($excludedNetworks | ForEach-Object { $_.Name }) -join ', '))
}
# Cluster-wide SMB bandwidth limit for live migration (S4; Windows Server 2022 with KB5017381, or
# later): a factor of each node's total bandwidth, the sum of pNIC01, pNIC02, pNIC03, pNIC04.
# (limit / total) x 10000 = (7250000000 / 70000000000) x 10000 = 1035, rounded down so as not to
# exceed the limit Set-SmbBandwidthLimit sets above (1035 gives 7245000000 bit/s).
# S4 spells the factor SetSMBBandwidthLimitFactor and SMBBandwidthLimitFactor, and the switch (1
# enables the limit) SetSMBBandwidthLimit and SMBBandwidthLimit: the script sets the names this
# cluster has, as Get-Cluster's page sets a cluster property (S35).
$cluster = Get-Cluster
$properties = $cluster.PSObject.Properties.Name
$factorName = @('SMBBandwidthLimitFactor','SetSMBBandwidthLimitFactor') | Where-Object { $properties -contains $_ } | Select-Object -First 1
$enableName = @('SetSMBBandwidthLimit','SMBBandwidthLimit') | Where-Object { $properties -contains $_ } | Select-Object -First 1
if (-not $factorName -or -not $enableName) { throw 'The cluster has no SMB bandwidth limit properties: install KB5017381 or later on every node (S4).' }
$cluster.$enableName = 1
$cluster.$factorName = 1035
