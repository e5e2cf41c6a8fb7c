"""LM1xx: cluster requirements and settings."""
from __future__ import annotations

from collections import Counter

from ....catalogue import (
    ACCESS,
    ADAPTERS,
    HARDWARE,
    OUTSIDE,
    SECURITY,
    ClusterContext,
    Hit,
    Scope,
    rule,
)
from ....model import Classification as C, Severity as S
from ....names import hardware_signature


@rule("LM101", "Live migration requires failover clustering", S.ERROR, ACCESS, Scope.CLUSTER,
      cap=C.UNSUPPORTED,
      quote='Live migration requires failover clustering and shared storage.')
def failover_clustering(ctx: ClusterContext):
    if not ctx.cluster.failover_clustering:
        yield Hit("Failover clustering is off: live migration requires failover clustering.")


@rule("LM102", "Live migration requires shared storage", S.ERROR, ACCESS, Scope.CLUSTER,
      cap=C.UNSUPPORTED,
      quote='Live migration requires failover clustering and shared storage.')
def shared_storage(ctx: ClusterContext):
    if ctx.cluster.shared_storage == "none":
        yield Hit("No shared storage: live migration requires shared storage (Cluster Shared "
                  "Volumes on iSCSI, Fibre Channel or SAS).")


@rule("LM103", "Cluster nodes need processors by one manufacturer", S.ERROR, HARDWARE, Scope.CLUSTER,
      cap=C.UNSUPPORTED,
      quote=(
          'It is required that the storage configuration and hardware on the failover cluster '
          'be identical and that the cluster nodes used for live migration have processors by '
          'the same manufacturer.'
      ))
def one_processor_vendor(ctx: ClusterContext):
    vendors = Counter(n.host.processor_vendor for n in ctx.nodes if n.host.processor_vendor)
    if len(vendors) > 1:
        listed = ", ".join(f"{count} {vendor}" for vendor, count in sorted(vendors.items()))
        yield Hit(f"Nodes have processors by different manufacturers ({listed}); live migration "
                  "needs one manufacturer on every node.")


def unchecked_processor_vendor(ctx: ClusterContext):
    """LM001's hit for nodes whose processor vendor LM103 cannot compare."""
    missing = sorted(n.host.name for n in ctx.nodes if not n.host.processor_vendor)
    if missing and len(ctx.nodes) > 1:
        yield Hit(f"Not checked (LM103) for {', '.join(missing)}: processor_vendor not given.")


@rule("LM104", "Identical hardware on every node", S.WARNING, HARDWARE, Scope.CLUSTER,
      quote=(
          'If this is not possible, it is recommended that the hardware and system settings are'
          ' as similar as possible to minimize potential problems.'
      ))
def identical_hardware(ctx: ClusterContext):
    signatures = Counter(hardware_signature(n.ports) for n in ctx.nodes)
    if len(signatures) < 2:
        return
    counts = sorted(signatures.values(), reverse=True)
    # A configuration most nodes share is the reference; with no such majority every node differs.
    reference = signatures.most_common(1)[0][0] if counts[0] > counts[1] else None
    for n in ctx.nodes:
        if hardware_signature(n.ports) != reference:
            yield Hit("This node's network adapters differ from the cluster's other nodes; keep "
                      "hardware identical, or as similar as possible.", node=n.host.name)


@rule("LM105", "Cluster Shared Volumes on iSCSI, Fibre Channel or SAS", S.INFO, ACCESS, Scope.CLUSTER,
      quote=(
          'It is recommended that you use Cluster Shared Volumes on an iSCSI or a Fibre Channel'
          ' storage area network (SAN) or on Serial Attached SCSI (SAS) storage to provide '
          'shared access for optimal manageability.'
      ))
def csv_recommended(ctx: ClusterContext):
    cluster = ctx.cluster
    if not cluster.cluster_shared_volumes:
        yield Hit("Cluster Shared Volumes are off; the guide recommends them for optimal "
                  "manageability.")
    if cluster.shared_storage == "iscsi":
        yield Hit("iSCSI storage needs its own dedicated, private adapters, not listed here; "
                  "follow your storage vendor's guidelines.")


@rule("LM106", "No IPsec on the live migration network", S.WARNING, SECURITY, Scope.CLUSTER,
      cap=C.SUPPORTED,
      quote=(
          'If possible, do not apply IPsec policies on a private network for live migration '
          'because this can significantly impact the performance of live migration. However, '
          'IPsec should be implemented when the live migration traffic needs to be encrypted.'
      ))
def no_ipsec(ctx: ClusterContext):
    cluster = ctx.cluster
    if cluster.live_migration_ipsec and not cluster.live_migration_encryption_required:
        yield Hit("IPsec is applied to live migration traffic that need not be encrypted; it can "
                  "significantly impact live migration performance.")
    if cluster.live_migration_encryption_required and not cluster.live_migration_ipsec:
        yield Hit("Live migration traffic must be encrypted but no IPsec policy is applied; "
                  "IPsec should be implemented when it needs encryption.")


@rule("LM107", "Client for Microsoft Networks and File and Printer Sharing on CSV networks",
      S.ERROR, ADAPTERS, Scope.CLUSTER, cap=C.UNSUPPORTED,
      quote=(
          'Client for Microsoft Networks and File and Printer Sharing for Microsoft Networks '
          'must be enabled in the network adapter properties to support SMB, which is a '
          'requirement for Cluster Shared Volumes.'
      ))
def csv_smb_bindings(ctx: ClusterContext):
    cluster = ctx.cluster
    if not cluster.cluster_shared_volumes:
        return
    if cluster.csv_smb_bindings_enabled is False:
        yield Hit("Client for Microsoft Networks or File and Printer Sharing is disabled on the "
                  "CSV network; CSV requires SMB.")


def unchecked_smb_bindings(ctx: ClusterContext):
    """LM001's hit when LM107 cannot tell whether the CSV adapters carry SMB."""
    if ctx.cluster.cluster_shared_volumes and ctx.cluster.csv_smb_bindings_enabled is None:
        yield Hit("Not checked (LM107): csv_smb_bindings_enabled not given. Enable Client for "
                  "Microsoft Networks and File and Printer Sharing for Microsoft Networks on the "
                  "cluster/CSV adapters: CSV needs SMB.")


@rule("LM110", "IPsec on live migration traffic that must be encrypted", S.INFO, SECURITY,
      Scope.CLUSTER,
      quote=(
          'If possible, do not apply IPsec policies on a private network for live migration '
          'because this can significantly impact the performance of live migration. However, '
          'IPsec should be implemented when the live migration traffic needs to be encrypted.'
      ))
def ipsec_as_required(ctx: ClusterContext):
    # LM106's exception: encryption is required, so IPsec is right and only slows migrations.
    cluster = ctx.cluster
    if cluster.live_migration_encryption_required and cluster.live_migration_ipsec:
        yield Hit("IPsec encrypts live migration traffic as required; expect slower live "
                  "migrations.")


MAX_NODES = 16  # a Windows Server 2008 R2 failover cluster's limit (KB 288778)


@rule("LM108", "At most 16 nodes in a Windows Server 2008 R2 failover cluster", S.ERROR,
      OUTSIDE, Scope.CLUSTER, cap=C.UNSUPPORTED,
      quote=(
          'Windows Server 2008 R2 Enterprise / Windows Server 2008 R2 Datacenter / Microsoft '
          'Hyper-V Server 2008 R2: 1-16 nodes; Fibre Channel, iSCSI, or SAS.'
      ),
      source='http://support.microsoft.com/kb/288778')
def node_limit(ctx: ClusterContext):
    # A hard limit of the product: identical nodes classify like one node up to this many.
    if len(ctx.nodes) > MAX_NODES:
        yield Hit(f"{len(ctx.nodes)} nodes: a Windows Server 2008 R2 failover cluster has at most "
                  f"{MAX_NODES}; split the nodes into several clusters or plan "
                  "for a later Windows Server.")


@rule("LM109", "Shared block storage for Hyper-V on Windows Server 2008 R2", S.ERROR, OUTSIDE,
      Scope.CLUSTER, cap=C.UNSUPPORTED,
      quote=(
          'Hyper-V can store virtual machine files, such as configuration, Virtual hard disk '
          '(VHD) files, and snapshots, in file shares over the SMB 3.0 protocol. (Windows '
          'Server 2012 and later; KB 288778 lists Fibre Channel, iSCSI or SAS storage for '
          'Windows Server 2008 R2 clusters.)'
      ),
      source=(
          'https://learn.microsoft.com/windows-server/storage/file-server/file-server-smb-overv'
          'iew'
      ))
def block_storage(ctx: ClusterContext):
    # Outside the guide: CSV needs shared block storage, and virtual machines on SMB file
    # shares came with SMB 3.0 in Windows Server 2012.
    if ctx.cluster.shared_storage == "smb":
        csv = " Cluster Shared Volumes need shared block storage (iSCSI, Fibre Channel or SAS)." \
            if ctx.cluster.cluster_shared_volumes else ""
        yield Hit("Shared storage over SMB: Windows Server 2008 R2 cannot run Hyper-V virtual "
                  "machines from SMB file shares (that came with SMB 3.0 in Windows Server 2012)."
                  + csv + " Use an iSCSI or Fibre Channel SAN or SAS storage.")


# This module's rules, in code order (a ruleset is built from these tuples).
RULES = (
    failover_clustering,
    shared_storage,
    one_processor_vendor,
    identical_hardware,
    csv_recommended,
    no_ipsec,
    csv_smb_bindings,
    node_limit,
    block_storage,
    ipsec_as_required,
)
