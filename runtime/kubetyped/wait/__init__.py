"""Wait for an object to reach a state (`kubectl wait`): a condition, a field value, its
existence or its deletion, through list + watch (never polling).

Typed clients have `wait_for(name, for_, timeout=...)` (`deployments.wait_for("api",
condition("Available"), timeout=120)`), dynamic resources the same over dicts.
"""

from kubetyped.wait.core import (
    FieldPathError,
    WaitFor,
    WaitTimeoutError,
    condition,
    deleted,
    exists,
    field_equals,
)

__all__ = [
    "FieldPathError",
    "WaitFor",
    "WaitTimeoutError",
    "condition",
    "deleted",
    "exists",
    "field_equals",
]
