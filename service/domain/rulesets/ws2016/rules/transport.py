"""WS5xx: the live migration transport and its SMB bandwidth limit."""
from __future__ import annotations

from ....catalogue import Hit, Scope, rule
from ....model import Classification as C, Severity as S
from ..bandwidth import (
    RDMA_FROM_BITS_PER_SECOND,
    SMB_LIMIT_MINIMUM_BYTES,
    SMB_RESERVATION_PERCENT,
    converged,
)
from ..description import Design, Traffic, Transport
from ..sources import S1, S3, S4, S6
from .context import gbps


def _limit_bits(design: Design) -> int | None:
    limit = design.smb_limit_bytes_per_second
    return None if limit is None else limit * 8


def _rdma_storage(design: Design) -> bool:
    return all(any(n.rdma for n in h.physical_for(Traffic.STORAGE)) for h in design.hosts)


@rule("WS501", "Live migration transport stated", S.INFO, S1.title, Scope.CLUSTER,
      source=S1.url,
      quote=("Compression ... Compresses the memory content of the virtual machine before copying "
             "it to the destination server over a TCP/IP connection. Note: This is the default "
             "setting."))
def transport_stated(design: Design):
    if design.transport is None and len(design.hosts) > 1:
        yield Hit("No live migration transport given: Windows Server's default is Compression "
                  "(Network ATC calculates SMB, TCP or Compression).")


@rule("WS502", "SMB with RDMA where live migration gets 5 Gbps or more", S.INFO, S6.title,
      Scope.CLUSTER, source=S6.url,
      quote=("If the available bandwidth for Live Migration is >= 5 Gbps, and the network "
             "adapters are capable, use RDMA. ... If the available bandwidth for Live Migration "
             "is < 5 Gbps, use compression to reduce blackout times."))
def transport_by_share(design: Design):
    share = _limit_bits(design)
    if design.transport is Transport.SMB and share is not None \
            and share < RDMA_FROM_BITS_PER_SECOND:
        yield Hit(f"SMB transport with {gbps(share / 1_000_000)} for live migration: Microsoft's "
                  "example uses Compression below 5 Gbps (an example, not a requirement).")
    elif design.transport in (Transport.COMPRESSION, Transport.TCPIP) and _rdma_storage(design):
        # Without a limit, the share SMB would give: 29% of the SMB reservation (the declared
        # DCB's, else the example's 50%) of the smallest node's storage path.
        planned = share is None
        gets = _planned_share(design) if share is None else share
        if gets >= RDMA_FROM_BITS_PER_SECOND:
            what = ("with Microsoft's example's proportions of the SMB reservation"
                    if planned else "under the declared limit")
            yield Hit(f"{_NAMES[design.transport]} transport on RDMA storage adapters where "
                      f"live migration over SMB would get {gbps(gets / 1_000_000)} ({what}): "
                      "Microsoft's example uses SMB (RDMA) from 5 Gbps.")


_NAMES = {Transport.COMPRESSION: "Compression", Transport.TCPIP: "TCP/IP"}


def _planned_share(design: Design) -> int:
    """Live migration's share of the smallest node's storage path by S6's example, within the
    declared SMB reservation when DCB is declared."""
    reserved = (design.dcb.smb_bandwidth_percent if design.dcb is not None and design.dcb.hosts
                else SMB_RESERVATION_PERCENT)
    return min(converged(min(n.speed_mbps for n in storage), members=len(storage),
                         smb_percent=reserved).live_migration_bits_per_second
               for storage in (h.physical_for(Traffic.STORAGE) for h in design.hosts))


@rule("WS503", "SMB live migration needs an SMB bandwidth limit", S.WARNING, S4.title,
      Scope.CLUSTER, cap=C.NOT_RECOMMENDED, source=S4.url,
      quote=("When you configure Hyper-V to use SMB for Live Migration, having the SMB bandwidth "
             "limits configured is critical to the reliability and availability of the system. "
             "If live migration over SMB consumes too much bandwidth, storage and cluster network "
             "traffic could be delayed or dropped, affecting the system and hosted services."))
def smb_needs_limit(design: Design):
    if design.transport is Transport.SMB and design.smb_limit_bytes_per_second is None:
        yield Hit("SMB live migration with no LiveMigration bandwidth limit: storage and cluster "
                  "traffic could be delayed or dropped. Set one with Set-SmbBandwidthLimit (on "
                  "Windows Server 2022 and later the cluster-wide limit defaults to 25% once "
                  "FS-SMBBW is installed).")


@rule("WS504", "SMB bandwidth limit within the SMB reservation", S.WARNING, S6.title,
      Scope.CLUSTER, cap=C.SUPPORTED, source=S6.url,
      quote=("If you're using RDMA for Live Migration traffic, ensure that Live Migration traffic "
             "can't consume the entire bandwidth allocated to the RDMA traffic class by using an "
             "SMB bandwidth limit."))
def limit_within_reservation(design: Design):
    share = _limit_bits(design)
    dcb = design.dcb
    if share is None or dcb is None or not dcb.hosts or design.transport is not Transport.SMB:
        return
    for host in design.hosts:
        storage = sum(n.speed_mbps for n in host.physical_for(Traffic.STORAGE))
        reservation = storage * 1_000_000 * dcb.smb_bandwidth_percent // 100
        if storage and share >= reservation:
            yield Hit(f"The LiveMigration limit ({design.smb_limit_bytes_per_second} bytes/s, "
                      f"{gbps(share / 1_000_000)}) is not below {host.name}'s SMB reservation "
                      f"({dcb.smb_bandwidth_percent}% of {gbps(storage)} = "
                      f"{gbps(reservation / 1_000_000)}): live migration must not consume the "
                      "whole RDMA class.", node=host.name)


@rule("WS506", "SMB bandwidth limit of at least 1 MB per second", S.ERROR, S3.title,
      Scope.CLUSTER, cap=C.UNSUPPORTED, source=S3.url,
      quote="You cannot specify a value smaller than 1MB (1048576 bytes) for this parameter.")
def limit_minimum(design: Design):
    limit = design.smb_limit_bytes_per_second
    if limit is not None and limit < SMB_LIMIT_MINIMUM_BYTES:
        yield Hit(f"A LiveMigration limit of {limit} bytes/s cannot be set: the minimum is "
                  f"{SMB_LIMIT_MINIMUM_BYTES} bytes (1MB).")


RULES = (transport_stated, transport_by_share, smb_needs_limit, limit_within_reservation,
         limit_minimum)
