"""The Windows Server 2016 and later ruleset's rules, one module per code range; each module lists
its rules in RULES (no registration by import)."""
