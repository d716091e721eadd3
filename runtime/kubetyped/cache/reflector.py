"""Reflectors: ``AsyncReflector`` (``async_reflector``) and ``Reflector`` (``sync_reflector``,
generated from it by ``make unasync``), the I/O drivers of the sans-IO ``ReflectorCore``."""

from kubetyped.cache.async_reflector import AsyncReflector
from kubetyped.cache.sync_reflector import Reflector

__all__ = ["AsyncReflector", "Reflector"]
