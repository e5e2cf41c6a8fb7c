"""The bandwidth plan of Microsoft's converged example (S6, "Traffic bandwidth allocation"), in
exact integers: SMB reserved by DCB, live migration limited within it with Set-SmbBandwidthLimit,
the transport chosen by the live migration share, and the heartbeat class.

S6 calls its table "an example and not a support requirement"; Network ATC computes its own
values in ways not published (docs/rulesets/ws2016-and-later.md, F9.5). The plan reproduces S6's
table exactly (R17-R22) and says where each number comes from.
"""
from __future__ import annotations

from dataclasses import dataclass

from .description import Transport

BITS_PER_MEGABIT = 1_000_000
SMB_RESERVATION_PERCENT = 50  # S6 "SMB is given a 50 percent bandwidth allocation by using DCB"
LIVE_MIGRATION_PERCENT_OF_SMB = 29  # S6 "receives 29 percent of the remaining bandwidth"
CSV_PERCENT_OF_SMB = 70  # S6 "receives 70 percent of the SMB bandwidth reservation"
RDMA_FROM_BITS_PER_SECOND = 5_000_000_000  # S6 ">= 5 Gbps ... use RDMA"; "< 5 Gbps, use compression"
SMB_LIMIT_MINIMUM_BYTES = 1_048_576  # S3 "You cannot specify a value smaller than 1MB (1048576 bytes)"


def heartbeat_percent(member_speed_mbps: int) -> int:
    """S8: "2% if the adapter(s) are <= 10 Gbps; 1% if the adapter(s) are > 10 Gbps"."""
    return 2 if member_speed_mbps <= 10_000 else 1


@dataclass(frozen=True)
class ConvergedPlan:
    member_speed_mbps: int
    members: int
    rdma: bool
    teamed_bits_per_second: int
    smb_reservation_bits_per_second: int
    csv_bits_per_second: int
    live_migration_bits_per_second: int
    heartbeat_percent: int
    heartbeat_bits_per_second: int  # per adapter, as S6's table gives it
    transport: Transport

    @property
    def smb_limit_bytes_per_second(self) -> int | None:
        """Set-SmbBandwidthLimit -Category LiveMigration -BytesPerSecond: the live migration
        share in bytes (exact; S3 takes bytes, and PowerShell's MB suffix is 1048576 bytes).
        None when the transport is not SMB (the limit applies to SMB traffic only)."""
        if self.transport is not Transport.SMB:
            return None
        return max(self.live_migration_bits_per_second // 8, SMB_LIMIT_MINIMUM_BYTES)


def converged(member_speed_mbps: int, members: int = 2, rdma: bool = True,
              smb_percent: int = SMB_RESERVATION_PERCENT,
              live_migration_percent: int = LIVE_MIGRATION_PERCENT_OF_SMB) -> ConvergedPlan:
    """S6's converged example for `members` SET members of one speed."""
    teamed = member_speed_mbps * BITS_PER_MEGABIT * members
    smb = teamed * smb_percent // 100
    live_migration = smb * live_migration_percent // 100
    fast_enough = rdma and live_migration >= RDMA_FROM_BITS_PER_SECOND
    beat = heartbeat_percent(member_speed_mbps)
    return ConvergedPlan(
        member_speed_mbps=member_speed_mbps,
        members=members,
        rdma=rdma,
        teamed_bits_per_second=teamed,
        smb_reservation_bits_per_second=smb,
        csv_bits_per_second=smb * CSV_PERCENT_OF_SMB // 100,
        live_migration_bits_per_second=live_migration,
        heartbeat_percent=beat,
        heartbeat_bits_per_second=member_speed_mbps * BITS_PER_MEGABIT * beat // 100,
        transport=Transport.SMB if fast_enough else Transport.COMPRESSION,
    )


def smb_limit_factor(limit_bits_per_second: int, total_bits_per_second: int) -> int:
    """The cluster-wide SMB bandwidth limit factor (S4): the limit divided by the sum of all the
    node's bandwidth, times 10000 (2500 is 25%, the default). Rounded down."""
    return limit_bits_per_second * 10_000 // total_bits_per_second
