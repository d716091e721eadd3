"""The kubetyped generator: snapshots, generator model, rendering, diff."""

try:
    import jinja2  # noqa: F401 - the generator's templates
except ModuleNotFoundError as _missing:  # pragma: no cover - exercised in a subprocess test
    raise ModuleNotFoundError(
        "the kubetyped generator needs its extra: pip install 'kubetyped[codegen]'",
        name=_missing.name,
    ) from None
