"""A user's script calling methods added by expansions (tests/typing/corpus/expansions/).

Checked by `mypy --strict` and pyright with no plugin; never run. Must produce no diagnostics:
the added methods are seen on the clients the clientset returns and on the informer's lister.
"""

from __future__ import annotations

from typing import assert_type

from certmanager import AsyncClientset, Clientset, SharedInformerFactory
from certmanager.models.cert_manager_v1 import Certificate


def sync_use() -> None:
    cs = Clientset.from_kubeconfig()
    assert_type(cs.cert_manager_v1.certificates("prod").secret_name("web"), str)
    lister = SharedInformerFactory(cs).cert_manager_v1.certificates().lister()
    assert_type(lister.for_secret("web-tls"), list[Certificate])


async def async_use() -> None:
    async with AsyncClientset.from_kubeconfig() as cs:
        assert_type(await cs.cert_manager_v1.certificates("prod").secret_name("web"), str)
