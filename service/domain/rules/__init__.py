"""The rule catalogue: every requirement and recommendation of the guide as one small check.

Codes are stable: LM1xx cluster requirements and settings (cluster.py), LM2xx a node's adapters
and the placement of roles (placement.py), LM3xx addressing (addressing.py), LM4xx QoS and
declared layouts (qos.py). Each check reads a context and yields hits; see `catalogue.py` for how
hits become findings. Importing this package registers every rule, in code order.
"""
# Imported in code order, so the catalogue lists LM1xx to LM4xx in order.
from . import cluster  # noqa: F401, I001  (each import registers its rules)
from . import placement  # noqa: F401
from . import addressing  # noqa: F401
from . import qos  # noqa: F401
from .names import ROLE_NAMES, WINDOWS_2008_R2_MAX_NODES, hardware_signature

__all__ = ["ROLE_NAMES", "WINDOWS_2008_R2_MAX_NODES", "hardware_signature"]
