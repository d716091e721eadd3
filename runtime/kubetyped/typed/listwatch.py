"""Typed ListWatch adapters for informers: the cache's REST adapters, decoding into models.

`AsyncTypedListWatch` is in `async_listwatch` (the source) and `TypedListWatch` in
`sync_listwatch` (generated from it by `make unasync`); both decode with `listwatch_decoding`.
"""

from kubetyped.typed.async_listwatch import AsyncTypedListWatch
from kubetyped.typed.sync_listwatch import TypedListWatch

__all__ = ["AsyncTypedListWatch", "TypedListWatch"]
