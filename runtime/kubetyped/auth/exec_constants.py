"""Exec-plugin constants the kubeconfig layer validates against, without loading the runner."""

from __future__ import annotations

import unicodedata

__all__ = [
    "DEFAULT_TIMEOUT",
    "INTERACTIVE_MODES",
    "SUPPORTED_API_VERSIONS",
    "V1",
    "clean_ansi_escape_codes",
]

V1 = "client.authentication.k8s.io/v1"
V1BETA1 = "client.authentication.k8s.io/v1beta1"
SUPPORTED_API_VERSIONS = (V1, V1BETA1)
INTERACTIVE_MODES = ("Never", "IfAvailable", "Always")
#: Seconds a non-interactive exec plugin may run before it is killed (interactive ones wait for
#: their human without a limit, as in client-go).
DEFAULT_TIMEOUT = 60.0

# Letters, marks, numbers, punctuation, symbols, separators; tab..carriage return (client-go).
_PRINTABLE_CATEGORIES = frozenset("LMNPSZ")
_SPACE_CONTROLS = frozenset("\t\n\v\f\r")


def clean_ansi_escape_codes(text: str) -> str:
    """`text` with every other character (ESC, other controls) written as `U+001B`.

    client-go: `cleanANSIEscapeCodes` (tools/clientcmd/client_config.go), applied to an exec
    plugin's `installHint` so it cannot put the user's terminal into another state.
    """
    return "".join(
        ch
        if ch in _SPACE_CONTROLS or unicodedata.category(ch)[0] in _PRINTABLE_CATEGORIES
        else f"U+{ord(ch):04X}"
        for ch in text
    )
