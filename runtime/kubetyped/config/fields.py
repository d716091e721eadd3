"""Typed, located access to one kubeconfig entry's fields (errors name file, entry and field)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kubetyped.config.errors import InvalidKubeconfigError
from kubetyped.config.kubeconfig_files import Entry

__all__: list[str] = []


class Fields:
    """Reads fields of `entry.body` (or of a nested map under `prefix`), checking their types."""

    def __init__(
        self, entry: Entry, body: Mapping[str, Any] | None = None, prefix: str = ""
    ) -> None:
        self.entry = entry
        self.body = entry.body if body is None else body
        self.prefix = prefix

    def name(self, key: str) -> str:
        """The field's name as an error reports it: `prefix` + `key` (e.g.
        "auth-provider.config.client-id").
        """
        return f"{self.prefix}{key}"

    def error(self, key: str, message: str) -> InvalidKubeconfigError:
        """An `InvalidKubeconfigError` naming the file, the entry and the field `key`, with `message`
        (never the field's value).
        """
        return InvalidKubeconfigError(
            f"{self.entry.where(self.name(key))}: {message}",
            path=str(self.entry.source),
            entry=self.entry.name,
            field=self.name(key),
        )

    def has(self, key: str) -> bool:
        """True when `key` is set to something other than null, "", [] or {} (client-go treats empty as
        unset).
        """
        value = self.body.get(key)
        return value is not None and value != "" and value != [] and value != {}

    def string(self, key: str) -> str | None:
        """The string at `key`, None when unset or ""; `InvalidKubeconfigError` when it is not a
        string.
        """
        value = self.body.get(key)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise self.error(key, f"must be a string, not {type(value).__name__}")
        return value

    def boolean(self, key: str) -> bool:
        """The boolean at `key`, False when unset; `InvalidKubeconfigError` when it is not true/false."""
        value = self.body.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.error(key, f"must be true or false, not {type(value).__name__}")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        """The list of strings at `key` as a tuple, () when unset; `InvalidKubeconfigError` otherwise."""
        value = self.body.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(key, "must be a list of strings")
        return tuple(value)

    def mapping(self, key: str) -> Mapping[str, Any] | None:
        """The mapping at `key`, None when unset; `InvalidKubeconfigError` when it is not a mapping."""
        value = self.body.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.error(key, f"must be a mapping, not {type(value).__name__}")
        return value

    def b64(self, key: str) -> bytes | None:
        """Decode a `*-data` field; the message never contains the data."""
        value = self.string(key)
        if value is None:
            return None
        try:
            return base64.b64decode("".join(value.split()), validate=True)
        except (binascii.Error, ValueError):
            raise self.error(key, "is not valid base64") from None

    def file_bytes(self, key: str) -> bytes | None:
        """The contents of the file named at `key`, None when unset; `InvalidKubeconfigError` (with the
        OS reason) when it cannot be read. Relative paths were already resolved against the
        kubeconfig's folder when it was loaded, as client-go's `ResolveLocalPaths` does.
        """
        path = self.string(key)
        if path is None:
            return None
        try:
            return Path(path).read_bytes()
        except OSError as exc:
            raise self.error(key, f"cannot read {path}: {exc.strerror or exc}") from None

    def data_or_file(self, data_key: str, file_key: str) -> bytes | None:
        """`<x>-data` or `<x>` (a file); both at once is an error, like client-go's validation."""
        if self.has(data_key) and self.has(file_key):
            raise self.error(data_key, f'"{data_key}" and "{file_key}" are both set; use one')
        return self.b64(data_key) if self.has(data_key) else self.file_bytes(file_key)
