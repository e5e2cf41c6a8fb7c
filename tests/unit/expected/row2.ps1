# Hyper-V live migration QoS policies for cluster hv-prod-01, as New-NetQosPolicy calls.
# Ruleset: ws2008r2-live-migration/1+test
#
# Policies (caps of the evaluated layout; rates are port speed x cap, 1 Gbps = 10^9 bit/s):
#   hv01-live-migration: live migration, TCP to destination port 6600, on T1 (2 Gbps), cap 40% = 800000000 bit/s
#   hv01-management: management operating system, source 10.0.0.11/32, on NIC1 (1 Gbps), cap 10% = 100000000 bit/s
#   hv02-live-migration: live migration, TCP to destination port 6600, on T1 (2 Gbps), cap 40% = 800000000 bit/s
#   hv02-management: management operating system, source 10.0.0.12/32, on NIC1 (1 Gbps), cap 10% = 100000000 bit/s
#
# Units (New-NetQosPolicy docs): -ThrottleRateActionBitsPerSecond is in bits per second. Values
# are plain integers on purpose: PowerShell multiplier suffixes are 1024-based (MB = 1048576, not 10^6).
# Windows Server 2012 (RTM) documents the parameter as -ThrottleRateActionBytesPerSecond instead;
# the full name is used, not an alias such as -MaxBw, so that such a host fails loudly rather than
# reading the number in another unit. Run this on Windows Server 2012 R2 or later, elevated.
#
# Live migration is matched with -IPProtocolMatchCondition TCP -IPDstPortMatchCondition 6600, not
# with -LiveMigration: the docs say the built-in filters cannot be mixed with other conditions.
#
# Notes (Hyper-V: Live Migration Network Configuration Guide):
# - The policies throttle outbound traffic only: "The bandwidth throttling ... provides control
#   only for the outgoing traffic of a physical network adapter". Run the script on every node.
# - "If TCP Chimney is enabled in the Hyper-V management operating system, the QoS configuration
#   ... will not work": check with 'netsh int tcp show global' and disable Chimney Offload first.
# - Each node's block runs only where $env:COMPUTERNAME (the NetBIOS name, compared without regard
#   to case) equals the node's name as the description gives it; an FQDN there never matches.
#Requires -Modules NetQos
[CmdletBinding()]
param(
    # New-NetQosPolicy docs: without -PolicyStore the policy goes to the local computer and
    # persists; 'ActiveStore' applies at once but "will not persist after reboot".
    # A Group Policy store ('GPO:COMPUTERNAME', 'GPO:DOMAIN\GPONAME') also works.
    [string]$PolicyStore = $env:COMPUTERNAME
)
$ErrorActionPreference = 'Stop'
$matched = $false

if ($env:COMPUTERNAME -eq 'hv01') {
    $matched = $true
    # hv01-live-migration: live migration, TCP to destination port 6600, on T1 (2 Gbps), cap 40% = 800000000 bit/s
    Remove-NetQosPolicy -Name 'hv01-live-migration' -PolicyStore $PolicyStore -Confirm:$false -ErrorAction SilentlyContinue
    New-NetQosPolicy -Name 'hv01-live-migration' -PolicyStore $PolicyStore -IPProtocolMatchCondition TCP -IPDstPortMatchCondition 6600 -ThrottleRateActionBitsPerSecond 800000000
    # hv01-management: management operating system, source 10.0.0.11/32, on NIC1 (1 Gbps), cap 10% = 100000000 bit/s
    Remove-NetQosPolicy -Name 'hv01-management' -PolicyStore $PolicyStore -Confirm:$false -ErrorAction SilentlyContinue
    New-NetQosPolicy -Name 'hv01-management' -PolicyStore $PolicyStore -IPSrcPrefixMatchCondition '10.0.0.11/32' -ThrottleRateActionBitsPerSecond 100000000
}

if ($env:COMPUTERNAME -eq 'hv02') {
    $matched = $true
    # hv02-live-migration: live migration, TCP to destination port 6600, on T1 (2 Gbps), cap 40% = 800000000 bit/s
    Remove-NetQosPolicy -Name 'hv02-live-migration' -PolicyStore $PolicyStore -Confirm:$false -ErrorAction SilentlyContinue
    New-NetQosPolicy -Name 'hv02-live-migration' -PolicyStore $PolicyStore -IPProtocolMatchCondition TCP -IPDstPortMatchCondition 6600 -ThrottleRateActionBitsPerSecond 800000000
    # hv02-management: management operating system, source 10.0.0.12/32, on NIC1 (1 Gbps), cap 10% = 100000000 bit/s
    Remove-NetQosPolicy -Name 'hv02-management' -PolicyStore $PolicyStore -Confirm:$false -ErrorAction SilentlyContinue
    New-NetQosPolicy -Name 'hv02-management' -PolicyStore $PolicyStore -IPSrcPrefixMatchCondition '10.0.0.12/32' -ThrottleRateActionBitsPerSecond 100000000
}

if (-not $matched) {
    Write-Warning "This computer ($env:COMPUTERNAME) is not a node of this plan; nothing was changed."
}
