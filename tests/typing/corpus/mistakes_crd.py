"""Mistakes users make with a generated CRD package (cert-manager): each marked line must be
reported, on its line, by `mypy --strict` and by pyright, and no other line may be. Never run."""

from __future__ import annotations

from certmanager import Clientset
from certmanager.models.cert_manager_v1 import (
    CertificateSpec,
    CertificateSpecIssuerRef,
    CertificateSpecPrivateKey,
)

cs = Clientset.from_kubeconfig()
certificates = cs.cert_manager_v1.certificates("default")
issuer = CertificateSpecIssuerRef(name="letsencrypt")

# fmt: off
CertificateSpecPrivateKey(algorithm="DSA")  # expect-error: invalid enum value
CertificateSpecPrivateKey(sise=256)  # expect-error: typo'd keyword
CertificateSpec(secret_name="tls")  # expect-error: missing required field (issuer_ref)
CertificateSpec(secret_name="tls", issuer_ref={"name": "x"})  # expect-error: dict where a model is required
CertificateSpec(secret_name=1, issuer_ref=issuer)  # expect-error: wrong type
issuer.nam = "x"  # expect-error: unknown attribute write
certificates.apply({"spec": {"secretNam": "tls"}}, field_manager="x")  # expect-error: typo in an apply configuration
certificates.secret_name(1)  # expect-error: wrong type of an expansion method's argument
certificates.secret_names("web")  # expect-error: unknown attribute (a method no expansion adds)
