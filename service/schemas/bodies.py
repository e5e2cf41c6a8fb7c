"""Marshmallow schemas: the contract's request and response bodies, mapped to domain dataclasses."""
from __future__ import annotations

import re
from collections.abc import Callable

import marshmallow as ma
from marshmallow import fields, post_load, validate, validates_schema

from ..domain.changes import STEP_ORDER
from ..domain.model import (
    Adapter,
    Classification,
    Cluster,
    Mode,
    Network,
    Node,
    Role,
    RoleAssignment,
    Severity,
    Team,
    TeamMode,
)
from ..domain.ports import parse_interface
from ..domain.qos import (
    dialog_kilobytes_per_second,
    exact_megabytes_per_second,
    guide_megabytes_per_second,
)
from ..domain.rulesets import DEFAULT_ID, IDS
from ..domain.rulesets.ws2016.description import (
    BandwidthMode,
    Dcb,
    HostVnic,
    LoadBalancing,
    OsVersion,
    RdmaKind,
    Switch,
    Teaming,
    Traffic,
    Transport,
)
from ..domain.selection import SelectedCluster, Ws2016Adapter, Ws2016Evaluation, Ws2016Node
from ..domain.validate import WS2016_ADAPTER, WS2016_CLUSTER, WS2016_NODE
from .fields import NamedEnum, Sent


def _valid_unicode(text: str) -> None:
    """Refuse lone surrogates: valid JSON escapes, but not text any document can carry."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ma.ValidationError(f"Not valid Unicode text (a lone surrogate at position "
                                 f"{error.start}).") from None


NAME: list[Callable[[str], object]] = [validate.Length(min=1, max=128), _valid_unicode]
NETWORKS = tuple(n.value for n in Network)
TEAM_MODES = tuple(m.value for m in TeamMode)
SELECTING = frozenset(("ruleset", *WS2016_CLUSTER))
WS2016_ADAPTER_FIELDS = frozenset(WS2016_ADAPTER)
WS2016_NODE_FIELDS = frozenset(WS2016_NODE)
RULESET_ONLY_2016 = "Windows Server 2016 and later ruleset only (`\"ruleset\": \"ws2016\"`): "
AUDIT_2016 = ("Windows Server 2016 and later ruleset, audit mode only (the declared layout is "
              "evaluated as it is): ")
TRAFFIC = tuple(t.value for t in Traffic)


class StrictInteger(fields.Integer):
    """An integer that is really an integer in the JSON: no strings, floats or booleans."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _validated(self, value):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._validated(value)


class StrictBoolean(fields.Boolean):
    """true or false only: "yes", 1 and "on" are not guessed at."""

    def _deserialize(self, value, attr, data, **kwargs):
        # A set lookup would take 0 and 1 for booleans (0 == False), so check the type.
        if type(value) is not bool:
            raise self.make_error("invalid", input=value)
        return value


class Base(ma.Schema):
    class Meta:
        unknown = ma.RAISE


def _network():
    return NamedEnum("Network", NETWORKS, allow_none=True, metadata={
        "description": "Network access of the port; omit when not known (design mode then decides "
                       "and says so)."})


def _vlan():
    return StrictInteger(validate=validate.Range(1, 4094), allow_none=True)


class CidrInterface(fields.IPInterface):
    """An address with its prefix length (CIDR): a bare address would make the subnet a guess."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            if not re.fullmatch(r"[^/]+/\d{1,3}", value):
                raise ma.ValidationError("Not CIDR: give the address with its prefix length, "
                                         "e.g. 192.168.10.11/24.")
            try:
                return parse_interface(value)  # memoised: parsing is slow, addresses recur
            except ValueError as error:
                raise self.make_error("invalid_ip_interface") from error
        return super()._deserialize(value, attr, data, **kwargs)


def _address():
    return CidrInterface(allow_none=True, metadata={
        "type": "string", "description": "The port's address in CIDR form, e.g. 192.168.10.11/24.",
        "example": "192.168.10.11/24"})


class RoleAssignmentSchema(Base):
    role = fields.Enum(Role, by_value=True, required=True)
    virtual = StrictBoolean(load_default=False,
                            metadata={"description": "A virtual network adapter on the VM switch."})
    bandwidth_cap_percent = StrictInteger(validate=validate.Range(1, 100), allow_none=True,
                                          load_default=None)

    @post_load
    def make(self, data, **kwargs):
        return RoleAssignment(**data)


def _roles():
    return fields.List(fields.Nested(RoleAssignmentSchema), validate=validate.Length(1, 4),
                       allow_none=True, metadata={
                           "description": "Declared roles: any of them puts the request in audit "
                                          "mode."})


class PortSchema(Base):
    """What an adapter and a team both may carry: network access, VLAN, address, roles."""

    name = fields.String(required=True, validate=NAME)
    network = _network()
    vlan_id = _vlan()
    address = _address()
    roles = _roles()

    def _fields(self, data: dict) -> dict:
        # The domain reads enums; the contract's strings are their values.
        if data.get("network") is not None:
            data["network"] = Network(data["network"])
        if data.get("mode") is not None:
            data["mode"] = TeamMode(data["mode"])
        if data.get("roles") is not None:
            data["roles"] = tuple(data["roles"])
        return data


def _declared_traffic(description: str, required: bool = False):
    return fields.List(
        NamedEnum("Traffic", TRAFFIC), required=required, allow_none=not required,
        validate=[validate.Length(1, len(TRAFFIC)), _distinct],
        metadata={"description": AUDIT_2016 + description + " Traffic types as Network ATC "
                                 "names them: management, compute (VM access), storage (SMB: "
                                 "Storage Spaces Direct, CSV and SMB live migration), and "
                                 "live_migration where it runs apart from storage."})


def _distinct(values: list) -> None:
    if len(set(values)) != len(values):
        raise ma.ValidationError("Each value at most once.")


def _hardware(what: str):
    return fields.String(validate=NAME, allow_none=True, metadata={
        "description": RULESET_ONLY_2016 + f"the adapter's {what}, compared across the members "
                       "a SET team may join (S5: identical make, model, firmware and driver)."})


class AdapterSchema(PortSchema):
    class Meta(PortSchema.Meta):
        fields = ("name", "speed_mbps", "team", "network", "vlan_id", "address", "roles",
                  "rdma", "rdma_kind", "make", "model", "firmware", "driver", "traffic")

    speed_mbps = StrictInteger(required=True, validate=validate.Range(10, 400_000),
                               metadata={"description": "Link speed in Mbps (1 Gbps = 1000)."})
    team = fields.String(validate=NAME, allow_none=True)
    rdma = StrictBoolean(allow_none=True, metadata={
        "description": RULESET_ONLY_2016 + "the adapter is RDMA capable and RDMA is enabled; "
                       "omit when not known."})
    rdma_kind = NamedEnum("RdmaKind", tuple(k.value for k in RdmaKind), allow_none=True,
                          metadata={"description": RULESET_ONLY_2016 + "the RDMA protocol "
                                                   "(`roce`: RoCE of a version not stated)."})
    make = _hardware("vendor")
    model = _hardware("model")
    firmware = _hardware("firmware version")
    driver = _hardware("driver version")
    traffic = _declared_traffic(
        "what this adapter carries itself, outside any switch (a standalone storage adapter: "
        "`[\"storage\"]`); declaring it puts the description in audit mode.")

    @post_load
    def build(self, data, **kwargs):  # not `make`: that is a field of this schema
        if data.get("traffic") is not None:
            data["traffic"] = frozenset(Traffic(t) for t in data["traffic"])
        if not WS2016_ADAPTER_FIELDS.isdisjoint(data):
            return Ws2016Adapter(**self._fields(data))
        return Adapter(**self._fields(data))


class TeamSchema(PortSchema):
    class Meta(PortSchema.Meta):
        fields = ("name", "mode", "network", "vlan_id", "address", "roles")

    mode = NamedEnum("TeamMode", TEAM_MODES, allow_none=True, load_default=None, metadata={
                             "description": "Omitted: evaluated as link aggregation, and said so "
                                            "(finding LM216)."})

    @post_load
    def make(self, data, **kwargs):
        return Team(**self._fields(data))


GUIDE_ADAPTER_FIELDS = ("name", "speed_mbps", "team", "network", "vlan_id", "address", "roles")


class AdapterNested(fields.Nested):
    """An Adapter, documented with every field; one that carries none of the ws2016 fields is
    loaded by a schema of the guide's fields only (marshmallow visits every declared field, even
    an absent one, and the 2008 R2 guide's large descriptions are loaded on every cache miss)."""

    def __init__(self, **kwargs):
        super().__init__(AdapterSchema, **kwargs)
        self._guide = AdapterSchema(only=GUIDE_ADAPTER_FIELDS)

    def _load(self, value, partial=None):
        if not (isinstance(value, dict) and WS2016_ADAPTER_FIELDS.isdisjoint(value)):
            return super()._load(value, partial=partial)
        # The same errors either way (any other key is unknown to both), raised as Nested does.
        try:
            return self._guide.load(value, unknown=self.unknown, partial=partial)
        except ma.ValidationError as error:
            raise ma.ValidationError(error.messages, valid_data=error.valid_data) from error


# Set-VMNetworkAdapter: "The range of the value is from 0 through 100. Specify 0 to disable the
# feature." (New-VMSwitch says 1 to 100 for Weight mode; 0 is the vNIC's "none".)
_WEIGHT = validate.Range(0, 100)


def _bandwidth_mode(description: str, **kwargs):
    return NamedEnum("MinimumBandwidthMode", tuple(m.value for m in BandwidthMode),
                     allow_none=True, metadata={"description": description}, **kwargs)


class DeclaredSwitchSchema(Base):
    """A Hyper-V switch as configured, and the team under it."""

    name = fields.String(required=True, validate=NAME)
    members = fields.List(fields.String(validate=NAME), required=True,
                          validate=[validate.Length(1, 32), _distinct], metadata={
        "description": "The node's adapters under the switch (New-VMSwitch -NetAdapterName)."})
    teaming = NamedEnum("Teaming", tuple(t.value for t in Teaming), allow_none=True, metadata={
        "description": "`set`: Switch Embedded Teaming; `lbfo`: a NIC team (LBFO) under the "
                       "switch. Omitted: SET when there are several members (New-VMSwitch "
                       "teams them itself)."})
    load_balancing = NamedEnum("LoadBalancing", tuple(b.value for b in LoadBalancing),
                               allow_none=True)
    mode = NamedEnum("TeamMode", TEAM_MODES, allow_none=True, metadata={
        "description": "`link_aggregation`: switch dependent (LACP or static); SET supports "
                       "switch independent only (WS204)."})
    standby_member = fields.String(validate=NAME, allow_none=True, metadata={
        "description": "A member in standby (LBFO); SET has none (WS204)."})
    traffic = _declared_traffic("what the switch carries: usually management and compute; "
                                "host vNICs on it declare their own.", required=True)
    minimum_bandwidth_mode = _bandwidth_mode("The mode it was created with (New-VMSwitch "
                                             "-MinimumBandwidthMode; "
                                             "Get-VMSwitch's BandwidthReservationMode); "
                                             "omitted: not stated.")
    default_flow_minimum_bandwidth_weight = StrictInteger(
        validate=_WEIGHT, allow_none=True, metadata={
            "description": "Set-VMSwitch -DefaultFlowMinimumBandwidthWeight: the weight of "
                           "traffic from virtual adapters without a minimum of their own (the "
                           "virtual machines). Needs minimum_bandwidth_mode weight."})

    @post_load
    def make(self, data, **kwargs):
        mode = data.get("minimum_bandwidth_mode")
        return Switch(data["name"], tuple(data["members"]),
                      Teaming(data["teaming"]) if data.get("teaming") else None,
                      LoadBalancing(data["load_balancing"]) if data.get("load_balancing")
                      else None,
                      TeamMode(data["mode"]) if data.get("mode") else None,
                      standby=data.get("standby_member") is not None,
                      traffic=frozenset(Traffic(t) for t in data["traffic"]),
                      bandwidth_mode=BandwidthMode(mode) if mode is not None else None,
                      default_flow_weight=data.get("default_flow_minimum_bandwidth_weight"))

    @validates_schema
    def standby_is_a_member(self, data, **kwargs):
        standby = data.get("standby_member")
        if standby is not None and standby not in data.get("members", ()):
            raise ma.ValidationError(f"'{standby}' is not one of the switch's members.",
                                     "standby_member")


class DeclaredHostVnicSchema(Base):
    """A host (management OS) virtual adapter as configured."""

    name = fields.String(required=True, validate=NAME)
    switch = fields.String(required=True, validate=NAME, metadata={
        "description": "The switch it is on (one of the node's `switches`)."})
    traffic = _declared_traffic("what this host vNIC carries.", required=True)
    rdma = StrictBoolean(load_default=False, metadata={
        "description": "RDMA enabled on it (Enable-NetAdapterRDMA \"vEthernet (name)\")."})
    vlan_id = _vlan()
    network = _network()
    mapped_to = fields.String(validate=NAME, allow_none=True, metadata={
        "description": "The switch member it is mapped to (Set-VMNetworkAdapterTeamMapping)."})
    minimum_bandwidth_weight = StrictInteger(validate=_WEIGHT, allow_none=True, metadata={
        "description": "Set-VMNetworkAdapter -ManagementOS -MinimumBandwidthWeight (0 to 100; 0 "
                       "disables it). Needs its switch's minimum_bandwidth_mode weight."})

    @post_load
    def make(self, data, **kwargs):
        network = data.get("network")
        return HostVnic(data["name"], data["switch"],
                        frozenset(Traffic(t) for t in data["traffic"]), rdma=data["rdma"],
                        vlan_id=data.get("vlan_id"),
                        network=Network(network) if network is not None else None,
                        mapped_to=data.get("mapped_to"),
                        weight=data.get("minimum_bandwidth_weight"))


_PRIORITY = validate.Range(0, 7)


class DcbSchema(Base):
    """Data Center Bridging as configured; a field omitted takes Network ATC's default."""

    hosts = StrictBoolean(load_default=True, metadata={
        "description": "DCB (PFC and ETS) configured on the hosts' adapters."})
    switches = StrictBoolean(allow_none=True, load_default=None, metadata={
        "description": "PFC and ETS configured on the physical switches; null: not stated."})
    smb_priority = StrictInteger(validate=_PRIORITY, load_default=3, metadata={
        "description": "The 802.1p priority SMB Direct (TCP 445) is tagged with."})
    pfc_priorities = fields.List(StrictInteger(validate=_PRIORITY), load_default=lambda: [3],
                                 validate=[validate.Length(0, 8), _distinct], metadata={
        "description": "The priorities with flow control on (Enable-NetQosFlowControl)."})
    smb_bandwidth_percent = StrictInteger(validate=validate.Range(1, 100), load_default=50,
                                          metadata={"description": "SMB's ETS reservation."})
    heartbeat_priority = StrictInteger(validate=_PRIORITY, allow_none=True, load_default=7,
                                       metadata={"description": "The cluster heartbeat's "
                                                                "priority; null: no policy."})
    heartbeat_bandwidth_percent = StrictInteger(validate=validate.Range(1, 100),
                                                allow_none=True, load_default=None, metadata={
        "description": "The cluster heartbeat's ETS reservation; null: no traffic class."})

    @post_load
    def make(self, data, **kwargs):
        return Dcb(data["hosts"], data["switches"], data["smb_priority"],
                   frozenset(data["pfc_priorities"]), data["smb_bandwidth_percent"],
                   data["heartbeat_priority"], data["heartbeat_bandwidth_percent"])


class NodeSchema(Base):
    name = fields.String(required=True, validate=NAME)
    processor_vendor = NamedEnum("ProcessorVendor", ("intel", "amd"), allow_none=True)
    management_ip = fields.IP(allow_none=True, metadata={"example": "10.0.0.11"})
    adapters = fields.List(AdapterNested(), required=True,
                           validate=validate.Length(1, 32))
    teams = fields.List(fields.Nested(TeamSchema), load_default=list,
                        validate=validate.Length(0, 16))
    os_version = NamedEnum("OsVersion", tuple(v.value for v in OsVersion), allow_none=True,
                           metadata={"description": RULESET_ONLY_2016 + "the node's Windows "
                                                    "Server version (`2012r2`: outside this "
                                                    "ruleset, finding WS101)."})
    switches = fields.List(fields.Nested(DeclaredSwitchSchema), allow_none=True,
                           validate=validate.Length(1, 32), metadata={
        "description": AUDIT_2016 + "the node's Hyper-V switches and the adapters teamed under "
                       "them; declaring them puts the description in audit mode."})
    host_vnics = fields.List(fields.Nested(DeclaredHostVnicSchema), allow_none=True,
                             validate=validate.Length(1, 32), metadata={
        "description": AUDIT_2016 + "the node's host (management OS) virtual adapters."})
    host_qos_throttles = StrictBoolean(allow_none=True, metadata={
        "description": AUDIT_2016 + "host QoS policies with throttle actions "
                       "(New-NetQosPolicy -ThrottleRateActionBitsPerSecond) are configured "
                       "(WS408: not compatible with SET)."})

    @post_load
    def make(self, data, **kwargs):
        ip = data.get("management_ip")
        data["management_ip"] = None if ip is None else str(ip)
        data["adapters"] = tuple(data["adapters"])
        data["teams"] = tuple(data["teams"])
        for name in ("switches", "host_vnics"):
            if data.get(name) is not None:
                data[name] = tuple(data[name])
        if not WS2016_NODE_FIELDS.isdisjoint(data):
            return Ws2016Node(**data)
        return Node(**data)


def _given(default, **metadata):
    """A field's default as documented; the Cluster's own default applies, so that the fields a
    caller sent stay known (a ruleset that does not read one refuses it)."""
    return {"metadata": {"default": default, **metadata}}


class SwitchlessLinkSchema(Base):
    nodes = fields.List(fields.String(validate=NAME), required=True,
                        validate=validate.Length(2, 2),
                        metadata={"description": "The two nodes the links join directly."})
    count = StrictInteger(validate=validate.Range(1, 8), load_default=1, metadata={
        "description": "How many direct links join them (2 or more: redundant, WS410)."})

    @post_load
    def make(self, data, **kwargs):
        first, second = data["nodes"]
        return (first, second, data["count"])


class ClusterSchema(Base):
    """A cluster description (SPEC §3)."""

    ruleset = NamedEnum("RulesetId", IDS, metadata={
        "description": "The ruleset that answers, by its id in GET /v1/rulesets: `ws2008r2` "
                       "(the Windows Server 2008 R2 guide, the default when omitted) or `ws2016` "
                       "(Windows Server 2016 and later). Each ruleset reads its own fields: a "
                       "field the chosen ruleset does not read is refused (422 naming it).",
        "default": DEFAULT_ID})
    name = fields.String(validate=NAME, allow_none=True)
    failover_clustering = StrictBoolean(**_given(True))
    shared_storage = NamedEnum("SharedStorage", ("iscsi", "fibre_channel", "sas", "smb", "none",
                                                 "storage_spaces_direct"), **_given(
        "iscsi", description="`storage_spaces_direct` with the ws2016 ruleset only (its "
                             "16-node limit and 10 Gbps minimum apply)."))
    cluster_shared_volumes = StrictBoolean(**_given(True))
    redundant_cluster_path = StrictBoolean(**_given(False, description=(
        "Cluster/CSV traffic has a redundant network path (the table's footnote).")))
    live_migration_ipsec = StrictBoolean(**_given(False))
    live_migration_encryption_required = StrictBoolean(**_given(False))
    tcp_chimney_offload = StrictBoolean(**_given(False))
    csv_smb_bindings_enabled = StrictBoolean(allow_none=True, metadata={
        "description": "Client for Microsoft Networks and File and Printer Sharing are enabled on "
                       "the CSV adapters; omit when not known (the rule is then reported as not "
                       "checked).", "default": None})
    azure_local = StrictBoolean(allow_none=True, metadata={
        "description": RULESET_ONLY_2016 + "the cluster is Azure Local rather than Windows "
                       "Server (stricter rules: WS311, WS313)."})
    network_atc = StrictBoolean(allow_none=True, metadata={
        "description": RULESET_ONLY_2016 + "the hosts' networking is managed by Network ATC "
                       "intents."})
    storage_interconnect = NamedEnum("StorageInterconnect", ("switched", "switchless"),
                                     allow_none=True, metadata={
        "description": RULESET_ONLY_2016 + "how the storage (SMB) adapters reach the other "
                       "nodes: through switches (assumed when omitted) or by direct links."})
    max_simultaneous_live_migrations = StrictInteger(
        validate=validate.Range(1, 64), allow_none=True, metadata={
            "description": RULESET_ONLY_2016 + "Set-VMHost -MaximumVirtualMachineMigrations: "
                           "the answer's host_networking carries it and the PowerShell script "
                           "sets it; omitted: not set (Hyper-V's default is 2)."})
    switchless_links = fields.List(
        fields.Nested(SwitchlessLinkSchema), allow_none=True, validate=validate.Length(0, 2016),
        metadata={"description": RULESET_ONLY_2016 + "the direct storage links between pairs "
                                 "of nodes when storage_interconnect is switchless (WS404: every "
                                 "pair linked; WS410: redundantly); omitted: not checked "
                                 "(WS001)."})
    live_migration_transport = NamedEnum(
        "LiveMigrationTransport", tuple(t.value for t in Transport), allow_none=True, metadata={
            "description": AUDIT_2016 + "Set-VMHost -VirtualMachineMigrationPerformanceOption "
                           "as configured; omitted: not set (Windows Server's default, "
                           "Compression, WS501)."})
    smb_bandwidth_limit_live_migration_bytes_per_second = StrictInteger(
        validate=validate.Range(1, 1_000_000_000_000), allow_none=True, metadata={
            "description": AUDIT_2016 + "Set-SmbBandwidthLimit -Category LiveMigration "
                           "-BytesPerSecond as configured, in bytes per second; omitted: none "
                           "(WS503 when live migration runs over SMB)."})
    dcb = fields.Nested(DcbSchema, allow_none=True, metadata={
        "description": AUDIT_2016 + "Data Center Bridging as configured; omitted: none "
                       "(RoCE then needs it: WS302)."})
    nodes = fields.List(fields.Nested(NodeSchema), required=True, validate=validate.Length(1, 64))

    @post_load
    def make(self, data, **kwargs):
        data["nodes"] = tuple(data["nodes"])
        if data.get("switchless_links") is not None:
            data["switchless_links"] = tuple(data["switchless_links"])
        # The 2008 R2 guide's descriptions stay plain Clusters; one that names a ruleset or
        # gives a cluster fact of the ws2016 ruleset carries them and the fields it was sent.
        if SELECTING.intersection(data):
            return SelectedCluster(**data, given=frozenset(data))
        return Cluster(**data)


# ---- responses -------------------------------------------------------------------------------

class PlacementSchema(Sent):
    role = fields.Enum(Role, by_value=True)
    port = fields.String()
    virtual = fields.Boolean()
    bandwidth_cap_percent = fields.Integer(allow_none=True)


class ReferenceRowSchema(Sent):
    row = fields.Integer()
    host_configuration = fields.String()
    classification = fields.Enum(Classification, by_value=True)


class QosPolicySchema(Sent):
    name = fields.String()
    protocol = NamedEnum("QosProtocol", ("tcp", "any"))
    destination_port = fields.Integer(allow_none=True)
    source_ip = fields.String(allow_none=True)
    port = fields.String()
    throttle_rate_bits_per_second = fields.Integer(metadata={
        "description": "Port speed in bit/s (1 Gbps = 10^9) times the cap: what "
                       "New-NetQosPolicy -ThrottleRateActionBitsPerSecond expects."})
    kind = NamedEnum("QosPolicyKind", ("live_migration", "management"))
    port_speed_mbps = fields.Integer()
    bandwidth_cap_percent = fields.Integer()
    gpedit_throttle_rate_kbps = fields.Method("kbps", metadata={"type": "integer",
        "description": "The figure to type in gpedit.msc's Specify Outbound Throttle Rate, in "
                       "KBps (counted with 1 KB = 1,024 bytes, rounded down, so it never exceeds "
                       "the cap)."})
    guide_convention_mbps = fields.Method("guide_mbps", metadata={"type": "number",
        "description": "The same cap by the guide's arithmetic (1 Gbps = 128 MBps), e.g. 115.2 "
                       "for 90% of 1 Gbps, which the guide rounds to 115."})
    exact_megabytes_per_second = fields.Method("exact_mbps", metadata={"type": "number",
        "description": "The exact rate in decimal MB/s (10^6 bytes)."})
    notes = fields.List(fields.String())

    def kbps(self, policy):
        return dialog_kilobytes_per_second(policy.throttle_rate_bits_per_second)

    def guide_mbps(self, policy):
        return guide_megabytes_per_second(policy.port_speed_mbps, policy.bandwidth_cap_percent)

    def exact_mbps(self, policy):
        return exact_megabytes_per_second(policy.throttle_rate_bits_per_second)


class AlternativeSchema(Sent):
    classification = fields.Enum(Classification, by_value=True)
    layout = fields.List(fields.Nested(PlacementSchema))
    reason = fields.String()


class NodeEvaluationSchema(Sent):
    name = fields.String()
    classification = fields.Enum(Classification, by_value=True)
    classification_source = NamedEnum("ClassificationSource", ("table", "derived"))
    reference_configuration = fields.Nested(ReferenceRowSchema, allow_none=True)
    layout = fields.List(fields.Nested(PlacementSchema))
    qos_policies = fields.List(fields.Nested(QosPolicySchema))
    alternative = fields.Nested(AlternativeSchema, allow_none=True)


class FindingSchema(Sent):
    code = fields.String()
    severity = fields.Enum(Severity, by_value=True)
    node = fields.String(allow_none=True)
    message = fields.String()
    guide_reference = fields.String()
    classification_cap = fields.Enum(Classification, by_value=True, allow_none=True, metadata={
        "description": "The best class possible while this finding stands (null: none)."})


CHANGE_KINDS = ", ".join(STEP_ORDER)


class RemediationSchema(Sent):
    action = fields.String()
    classification_after = fields.Enum(Classification, by_value=True)
    change = fields.String(metadata={
        "description": f"The kind of change, a stable word: {CHANGE_KINDS}; more kinds may "
                       "come, so read it as text."})


class PlanStepSchema(Sent):
    action = fields.String()
    change = fields.String(metadata={
        "description": f"The kind of change, a stable word: {CHANGE_KINDS}; more kinds may "
                       "come, so read it as text."})
    nodes = fields.List(fields.String(), metadata={
        "description": "The nodes the step applies to (every node for a cluster-wide change)."})
    classification_after = fields.Enum(Classification, by_value=True, metadata={
        "description": "The class once this step and every step before it are done."})


class PlanSchema(Sent):
    classification = fields.Enum(Classification, by_value=True, metadata={
        "description": "The class the plan reaches."})
    cost = fields.Integer(metadata={
        "description": "The plan's cost in the planner's units (docs/classification.md): a "
                       "setting 1, cabling 2 a port, moving a role 3, a 1 Gbps adapter 10 ... "
                       "per node it applies to."})
    steps = fields.List(fields.Nested(PlanStepSchema))


def _traffic():
    return fields.Function(lambda carrier: sorted(t.value for t in carrier.traffic), metadata={
        "type": "array", "items": {"type": "string"},
        "description": "The traffic it carries: management, compute (VM access), storage (SMB: "
                       "storage, cluster/CSV and SMB live migration)."})


class TrafficClassSchema(Sent):
    name = fields.String(metadata={"description": "New-NetQosTrafficClass -Name: SMB or Cluster "
                                                  "(the heartbeat)."})
    priority = fields.Integer(metadata={"description": "The IEEE 802.1p priority (0-7)."})
    bandwidth_percent = fields.Integer(metadata={
        "description": "The ETS reservation: New-NetQosTrafficClass -BandwidthPercentage."})


class DcbPlanSchema(Sent):
    smb_priority = fields.Integer(metadata={
        "description": "New-NetQosPolicy 'SMB' -NetDirectPortMatchCondition 445 "
                       "-PriorityValue8021Action."})
    pfc_priorities = fields.List(fields.Integer(), metadata={
        "description": "Enable-NetQosFlowControl -Priority; flow control is off for the others."})
    heartbeat_priority = fields.Integer(allow_none=True, metadata={
        "description": "New-NetQosPolicy 'Cluster' -Cluster -PriorityValue8021Action."})
    traffic_classes = fields.List(fields.Nested(TrafficClassSchema))


class SwitchSchema(Sent):
    name = fields.String(metadata={"description": "The Hyper-V switch the design creates."})
    members = fields.List(fields.String(), metadata={"description": "Its physical adapters."})
    embedded_teaming = fields.Boolean(attribute="is_set", metadata={
        "description": "Switch Embedded Teaming (SET): New-VMSwitch -EnableEmbeddedTeaming."})
    load_balancing = NamedEnum("LoadBalancing", ("hyper_v_port", "dynamic", "address_hash"),
                               allow_none=True)
    minimum_bandwidth_mode = _bandwidth_mode(
        attribute="bandwidth_mode",
        description="New-VMSwitch -MinimumBandwidthMode: weight for a converged switch without "
                    "RDMA (live migration and management host vNICs get weights); null: not set.")
    default_flow_minimum_bandwidth_weight = fields.Integer(
        attribute="default_flow_weight", allow_none=True, metadata={
            "description": "Set-VMSwitch -DefaultFlowMinimumBandwidthWeight: the virtual "
                           "machines' share; null: not set."})
    traffic = _traffic()


class HostVnicSchema(Sent):
    name = fields.String()
    switch = fields.String()
    vlan_id = fields.Integer(allow_none=True)
    rdma = fields.Boolean()
    mapped_to = fields.String(allow_none=True, metadata={
        "description": "The SET member it is mapped to (Set-VMNetworkAdapterTeamMapping)."})
    minimum_bandwidth_weight = fields.Integer(attribute="weight", allow_none=True, metadata={
        "description": "Set-VMNetworkAdapter -ManagementOS -MinimumBandwidthWeight; null: none."})
    traffic = _traffic()


class StorageAdapterSchema(Sent):
    name = fields.String()
    vlan_id = fields.Integer(allow_none=True)
    rdma = fields.Boolean(allow_none=True)


class NodeNetworkingSchema(Sent):
    name = fields.String()
    layout = NamedEnum("HostLayout", ("converged", "dedicated"), metadata={
        "description": "converged: one SET switch carries management, compute and a storage "
                       "host vNIC per member; dedicated: management and compute on a switch, "
                       "storage on adapters of its own."})
    switches = fields.List(fields.Nested(SwitchSchema))
    host_vnics = fields.List(fields.Nested(HostVnicSchema))
    storage_adapters = fields.List(fields.Nested(StorageAdapterSchema), metadata={
        "description": "Standalone storage (SMB) adapters (dedicated layout)."})


class HostNetworkingSchema(Sent):
    """The Windows Server 2016 and later ruleset's own outputs."""

    live_migration_transport = NamedEnum("LiveMigrationTransport", ("tcpip", "compression", "smb"),
                                         allow_none=True, metadata={
        "description": "Set-VMHost -VirtualMachineMigrationPerformanceOption: SMB when live "
                       "migration's share of the RDMA storage path is 5 Gbps or more, else "
                       "Compression (Microsoft's converged example)."})
    smb_bandwidth_limit_live_migration_bytes_per_second = fields.Integer(
        allow_none=True, metadata={
            "description": "Set-SmbBandwidthLimit -Category LiveMigration -BytesPerSecond, in "
                           "bytes per second (exact; not PowerShell's 1024-based MB/GB "
                           "suffixes); null unless the transport is SMB."})
    max_simultaneous_live_migrations = fields.Integer(allow_none=True, metadata={
        "description": "Set-VMHost -MaximumVirtualMachineMigrations, as the description gives "
                       "it; null: not set (Hyper-V's default is 2)."})
    dcb = fields.Nested(DcbPlanSchema, allow_none=True, metadata={
        "description": "The DCB configuration (Network ATC's defaults) for RDMA storage; null "
                       "when no storage adapter is RDMA."})
    nodes = fields.List(fields.Nested(NodeNetworkingSchema))


class EvaluationSchema(Sent):
    """An evaluation (SPEC §4)."""

    name = fields.String(allow_none=True)
    mode = NamedEnum("Mode", tuple(m.value for m in Mode))
    classification = fields.Enum(Classification, by_value=True)
    classification_source = NamedEnum("ClassificationSource", ("table", "derived"))
    reference_configuration = fields.Nested(ReferenceRowSchema, allow_none=True)
    best_classification = fields.Enum(Classification, by_value=True, metadata={
        "description": "The best class design mode finds, counting alternatives."})
    nodes = fields.List(fields.Nested(NodeEvaluationSchema))
    findings = fields.List(fields.Nested(FindingSchema))
    remediation = fields.List(fields.Nested(RemediationSchema), metadata={
        "description": "The first plan's steps (kept for compatibility; see plans)."})
    plans = fields.List(fields.Nested(PlanSchema), metadata={
        "description": "For each better class some change can reach, the cheapest set of "
                       "changes found that reaches it, as ordered steps; cheapest first."})
    plans_complete = fields.Boolean(metadata={
        "description": "False when the planner stopped at its work limit: the plans are the "
                       "best found within it."})
    ruleset_version = fields.String()


class Ws2016EvaluationSchema(EvaluationSchema):
    """An evaluation by the Windows Server 2016 and later ruleset (`"ruleset": "ws2016"`): the
    fields of Evaluation with this meaning, and its own outputs in host_networking.

    mode is design (the designer laid out the adapters) or audit (a declared layout: switches,
    host_vnics or an adapter's traffic); classification_source derived; best_classification in
    audit mode the better of the declared class and the designer's for the same adapters;
    reference_configuration null (the 2008 R2 guide's table has no row for these hosts);
    nodes[].layout places each role on the switch (virtual) or adapter that carries it, once per
    carrier (so a role on two standalone storage adapters has two entries); nodes[].qos_policies
    and alternative are empty (this ruleset has no TCP 6600 throttles, which SET does not
    support); plans (and remediation, the first plan's steps): in audit mode the changes to the
    declared layout, in design mode the hardware that buys a better class than the designer's
    best layout, each step a cmdlet-level action; a finding's guide_reference is the Microsoft
    page's title and address."""

    host_networking = fields.Nested(HostNetworkingSchema, metadata={
        "description": "The host networking (designed, or as declared in audit mode), the live "
                       "migration transport, SMB bandwidth limit, simultaneous migrations and DCB "
                       "traffic classes."})


_EVALUATION = EvaluationSchema()
_WS2016_EVALUATION = Ws2016EvaluationSchema()


def dump_evaluation(evaluation) -> dict:
    """An evaluation as the contract sends it, by the schema of the ruleset that answered."""
    if isinstance(evaluation, Ws2016Evaluation):
        return _WS2016_EVALUATION.dump(evaluation)
    return _EVALUATION.dump(evaluation)
