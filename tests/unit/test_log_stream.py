"""Followed container logs: the line decoder and the stream over a scripted chunked body."""

from __future__ import annotations

import httpx

from kubetyped.rest import LogStream
from kubetyped.rest.streams import LineDecoder


def test_line_decoder_splits_across_chunks() -> None:
    decoder = LineDecoder()
    assert decoder.feed(b"fir") == []
    assert decoder.feed(b"st\r\nsec") == ["first"]
    assert decoder.feed(b"ond\n\nthi\xc3") == ["second", ""]
    assert decoder.feed(b"\xa9rd") == []
    assert decoder.finish() == ["thiérd"]
    assert decoder.finish() == []


def test_log_stream_yields_lines_as_chunks_arrive() -> None:
    chunks = [b"one\ntw", b"o\n", b"three"]
    request = httpx.Request("GET", "https://k/api/v1/namespaces/n/pods/p/log?follow=true")
    stream = LogStream(lambda: httpx.Response(200, content=iter(chunks), request=request))
    assert list(stream) == ["one", "two", "three"]
