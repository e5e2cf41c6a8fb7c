# hv01: host networking for live migration (Windows Server 2016 and later).
# Sources: docs/rulesets/ws2016-and-later.md. Run elevated on this node; the cluster-wide block at the end once for the cluster.
$ErrorActionPreference = 'Stop'

# Hyper-V switch with Switch Embedded Teaming (S5)
New-VMSwitch -Name 'ConvergedSwitch' -NetAdapterName 'pNIC01','pNIC02' -EnableEmbeddedTeaming $true -AllowManagementOS $true -MinimumBandwidthMode Weight
Set-VMSwitchTeam -Name 'ConvergedSwitch' -LoadBalancingAlgorithm HyperVPort
# Minimum-bandwidth weights (S12, S29): shares under contention, not limits; WS511-WS513 judge the values and their use on SET.
Set-VMSwitch -Name 'ConvergedSwitch' -DefaultFlowMinimumBandwidthWeight 50
Rename-VMNetworkAdapter -ManagementOS -Name 'ConvergedSwitch' -NewName 'Management'
Set-VMNetworkAdapter -ManagementOS -Name 'Management' -MinimumBandwidthWeight 10
Add-VMNetworkAdapter -SwitchName 'ConvergedSwitch' -Name 'LiveMigration' -ManagementOS
Set-VMNetworkAdapterIsolation -ManagementOS -VMNetworkAdapterName 'LiveMigration' -IsolationMode VLAN -DefaultIsolationID 710
Set-VMNetworkAdapter -ManagementOS -Name 'LiveMigration' -MinimumBandwidthWeight 40

# Live migration (S2, S3)
Set-VMHost -VirtualMachineMigrationPerformanceOption Compression

# Cluster-wide settings (S4): run this block once for the cluster, not on every node: on hv01 (it
# reads hv01's addresses), after the cluster is created. Running it again sets the same values.
if (-not (Get-Cluster -ErrorAction SilentlyContinue)) { throw 'No cluster here: run this block after the cluster is created.' }
# Live migration networks (S4): live migration runs on vEthernet (LiveMigration). The design names
# adapters, not cluster networks, so the script takes the cluster networks on which hv01's cluster
# network interfaces have those adapters' addresses, and excludes every other cluster network from
# live migration.
$migrationAddresses = @(Get-NetIPAddress -InterfaceAlias 'vEthernet (LiveMigration)' | ForEach-Object { $_.IPAddress })
$migrationNetworks = @(Get-ClusterNetwork | Where-Object { @(Get-ClusterNetworkInterface -Node 'hv01' -Network $_.Name | Where-Object { $migrationAddresses -contains $_.Address }).Count -gt 0 })
if ($migrationNetworks.Count -eq 0) { throw 'No cluster network has an address of vEthernet (LiveMigration) on hv01: run this block after the cluster is created.' }
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
