"""The Windows Server 2008 R2 guide's rules: every requirement and recommendation as one small check.

Codes are stable: LM1xx cluster requirements and settings (cluster.py), LM2xx a node's adapters
and the placement of roles (placement.py), LM3xx addressing (addressing.py), LM4xx QoS and
declared layouts (qos.py). Each module lists its rules in `RULES`; importing registers nothing
(the ruleset in `service/domain/rulesets/ws2008r2/` is built from those tuples).
"""
from .names import ROLE_NAMES, WINDOWS_2008_R2_MAX_NODES, hardware_signature

__all__ = ["ROLE_NAMES", "WINDOWS_2008_R2_MAX_NODES", "hardware_signature"]
