"""The Windows Server 2008 R2 guide's rules: every requirement and recommendation as one small check.

Codes are stable: LM0xx bookkeeping (facts.py: LM001, a rule not checked for a missing
fact), LM1xx cluster requirements and settings (cluster.py), LM2xx a node's adapters
and the placement of roles (placement.py), LM3xx addressing (addressing.py), LM4xx QoS and
declared layouts (qos.py). Each module lists its rules in `RULES`; importing registers nothing
(the ruleset in `..__init__` is built from those tuples).
"""
