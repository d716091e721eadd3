"""`RESTClient` / `AsyncRESTClient`: verbs over raw JSON (dicts) or bytes, with typed errors.

Both clients share request building (`kubetyped.request`), pagination (`kubetyped.pager`), stream
decoding (`kubetyped.watch`) and response checking (`_RestCommon`); they differ only in the loops
that drive I/O. Method names are identical; the async ones are awaited / async-iterated.

Rate limiting: a client made from a config uses `kubetyped.transport.shared_limiter(config)`, so
every client built from one `ClientConfig` object shares one token bucket (client-go's clientset
semantics). Pass `limiter=` to share one across configs, or `http_client=` to bring your own.
"""

from kubetyped.rest.async_client import AsyncRESTClient
from kubetyped.rest.common import Obj, api_error, decode_json, transport_error
from kubetyped.rest.streams import AsyncLogStream, AsyncWatchStream, LogStream, WatchStream
from kubetyped.rest.sync_client import RESTClient

__all__ = [
    "AsyncLogStream",
    "AsyncRESTClient",
    "AsyncWatchStream",
    "LogStream",
    "Obj",
    "RESTClient",
    "WatchStream",
    "api_error",
    "decode_json",
    "transport_error",
]
