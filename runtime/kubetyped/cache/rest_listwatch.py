"""ListWatch adapters over ``kubetyped.rest`` clients (re-exported from ``async_listwatch`` and
its generated twin ``sync_listwatch``)."""

from kubetyped.cache.async_listwatch import AsyncRestListWatch
from kubetyped.cache.protocols import list_result
from kubetyped.cache.sync_listwatch import RestListWatch

__all__ = ["AsyncRestListWatch", "RestListWatch", "list_result"]
