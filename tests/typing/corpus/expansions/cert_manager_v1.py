"""A user's expansions of the generated cert-manager clients (client-go's `*_expansion.go`).

Copied to `certmanager/expansions/cert_manager_v1.py` (with an empty `__init__.py`) before
`kubetyped generate`; the generator makes each class a base of the generated class it names
(`CertificateExpansion` -> `CertificateClient`, `AsyncCertificateExpansion` ->
`AsyncCertificateClient`, `CertificateListerExpansion` -> `CertificateLister`) and never writes
this folder. Used by tests/typing (mypy --strict, pyright) and tests/unit/test_codegen_expansions.
"""

from __future__ import annotations

from certmanager.models.cert_manager_v1 import Certificate

from kubetyped.cache import NamespacedLister
from kubetyped.typed import async_verbs as a
from kubetyped.typed import sync_verbs as s


def _secret_name(name: str, certificate: Certificate) -> str:
    if certificate.spec is None:
        raise ValueError(f"certificate {name} has no spec")
    return certificate.spec.secret_name


class CertificateExpansion(s.Get[Certificate]):
    """Added to `CertificateClient`: inherit the verb mixins the methods use."""

    def secret_name(self, name: str) -> str:
        """The Secret the Certificate `name` stores its key pair in."""
        return _secret_name(name, self.get(name))


class AsyncCertificateExpansion(a.Get[Certificate]):
    """Added to `AsyncCertificateClient`."""

    async def secret_name(self, name: str) -> str:
        """The Secret the Certificate `name` stores its key pair in."""
        return _secret_name(name, await self.get(name))


class CertificateListerExpansion(NamespacedLister[Certificate]):
    """Added to `CertificateLister` (the cache of a Certificate informer)."""

    def for_secret(self, secret_name: str) -> list[Certificate]:
        """The cached Certificates that write the Secret `secret_name`."""
        return [c for c in self.list() if c.spec is not None and c.spec.secret_name == secret_name]
