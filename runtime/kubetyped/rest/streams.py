"""Streamed response bodies decoded incrementally: watch events and followed container logs.

``AsyncChunkStream``, ``AsyncWatchStream`` and ``AsyncLogStream`` are in ``async_streams`` (the
source); ``ChunkStream``, ``WatchStream`` and ``LogStream`` in ``sync_streams``, generated from
it by ``make unasync``. The decoders (``StreamDecoder``, ``LineDecoder``) are sans-IO, in
``kubetyped.rest.common``.
"""

from kubetyped.rest.async_streams import AsyncChunkStream, AsyncLogStream, AsyncWatchStream
from kubetyped.rest.common import LineDecoder, StreamDecoder
from kubetyped.rest.sync_streams import ChunkStream, LogStream, WatchStream

__all__ = [
    "AsyncChunkStream",
    "AsyncLogStream",
    "AsyncWatchStream",
    "ChunkStream",
    "LineDecoder",
    "LogStream",
    "StreamDecoder",
    "WatchStream",
]
