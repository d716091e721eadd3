"""Layering: no module imports a layer above it (docs/ARCHITECTURE.md draws the same graph).

Every import statement counts, including those inside functions and `TYPE_CHECKING` blocks: a
lazy import is still a dependency. Layers, lowest first:

- the runtime (`runtime/kubetyped/`, package `kubetyped`), in the order of `RUNTIME_LAYERS`; a module may
  import only from strictly lower layers (same-layer units are independent of each other);
- the generated models (`kubetyped_kubernetes.models`) sit on `kubetyped.model` alone, and the
  runtime reaches them only through `kubetyped.api` (client-go's `k8s.io/api` seam);
- generated clients, listers, informers and fakes sit on top of the runtime;
- the generator (`codegen/kubetyped_codegen/`, package `kubetyped_codegen`) is beside: it may use the runtime, never the generated package;
  nothing in the runtime imports it, and its own modules import each other without a cycle.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: Runtime units (a top-level module or subpackage of `kubetyped`), lowest layer first.
RUNTIME_LAYERS: list[set[str]] = [
    {"errors", "version", "urls", "concurrency", "lazy"},
    {"model", "request", "ratelimit", "watch", "warnings", "yamlio", "backoff"},
    {"api", "pager", "retry", "auth"},
    {"config", "transport"},
    {"async_transport", "sync_transport"},
    {"rest"},
    # the request core every client family shares (client-go rest.Request + gentype.Client)
    {"resource"},
    {"discovery", "cache", "workqueue", "retry_conflict"}
    | {"remotecommand", "portforward", "wait"},
    {"dynamic", "scale", "metadata", "typed"},
    # leader election and the event recorder sit on the typed request builder, as client-go's
    # sit on the typed clientset (coordinationv1client.LeasesGetter, typedeventsv1)
    {"fake", "manifests", "leaderelection", "events"},
    {"apply"},
    {"__init__"},
]
LAYER_OF = {unit: index for index, layer in enumerate(RUNTIME_LAYERS) for unit in layer}
#: The one runtime module that may import generated code (models only).
API_SEAM = "kubetyped.api"
#: Generated packages of `kubetyped_kubernetes` that are client code (not API types).
GENERATED_CLIENT_CODE = ("clients", "informers", "listers", "clientset", "fake", "__init__")
#: codegen modules allowed to import `kubetyped_kubernetes`, and why (none: the pipeline finds
#: the committed package's folder with `importlib.util.find_spec`, without importing it).
CODEGEN_EXCEPTIONS: dict[str, str] = {}


def _modules(folder: str, package: str) -> Iterator[tuple[str, Path]]:
    for path in sorted((ROOT / folder).rglob("*.py")):
        parts = list(path.relative_to(ROOT / folder).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join([package, *parts]), path


def _imports(module: str, path: Path) -> Iterator[str]:
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                keep = len(base) - node.level + (1 if is_package else 0)
                target = ".".join(base[:keep] + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target != "kubetyped":  # `from kubetyped import x` imports `kubetyped.x`
                yield target
            yield from (f"{target}.{alias.name}" for alias in node.names)


def _runtime_unit(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "kubetyped":
        return None
    return parts[1] if len(parts) > 1 else "__init__"


def _runtime_violations() -> list[str]:
    found = []
    for module, path in _modules("runtime/kubetyped", "kubetyped"):
        unit = _runtime_unit(module)
        assert unit in LAYER_OF, f"{module}: add its unit {unit!r} to RUNTIME_LAYERS"
        for target in _imports(module, path):
            if target.startswith("kubetyped_codegen"):
                found.append(f"{module} imports the generator ({target})")
            elif target.startswith("kubetyped_kubernetes"):
                if module != API_SEAM or not target.startswith("kubetyped_kubernetes.models"):
                    found.append(f"{module} imports generated code ({target}); use kubetyped.api")
            else:
                other = _runtime_unit(target)
                if other is None or other == unit or other not in LAYER_OF:
                    continue
                if LAYER_OF[other] >= LAYER_OF[unit] and unit != "__init__":
                    found.append(f"{module} (layer {unit}) imports {target} (layer {other})")
    return found


def test_runtime_imports_only_lower_layers() -> None:
    assert _runtime_violations() == []


def test_generated_models_sit_on_the_model_base_only() -> None:
    found = []
    for module, path in _modules(
        "generated/kubetyped_kubernetes/models", "kubetyped_kubernetes.models"
    ):
        for target in _imports(module, path):
            if target.startswith("kubetyped") and not target.startswith(
                ("kubetyped.model", "kubetyped_kubernetes.models")
            ):
                found.append(f"{module} imports {target}")
    assert found == []


def test_generated_client_code_is_never_imported_below_it() -> None:
    """Nothing in the runtime or the generator imports generated clients/informers/fakes."""
    found = []
    for folder, package in (
        ("runtime/kubetyped", "kubetyped"),
        ("codegen/kubetyped_codegen", "kubetyped_codegen"),
    ):
        for module, path in _modules(folder, package):
            for target in _imports(module, path):
                parts = target.split(".")
                if parts[0] != "kubetyped_kubernetes":
                    continue
                if len(parts) == 1 and module in CODEGEN_EXCEPTIONS:
                    continue
                if len(parts) == 1 or parts[1] in GENERATED_CLIENT_CODE:
                    found.append(f"{module} imports {target}")
    assert found == []


def test_codegen_is_beside_the_runtime() -> None:
    found = []
    for module, path in _modules("codegen/kubetyped_codegen", "kubetyped_codegen"):
        for target in _imports(module, path):
            if target.startswith("kubetyped_kubernetes") and module not in CODEGEN_EXCEPTIONS:
                found.append(f"{module} imports {target}")
    assert found == []


@pytest.mark.parametrize(
    ("unit", "target"),
    [
        ("request", "kubetyped.rest.sync_client"),
        ("metadata", "kubetyped_kubernetes.models.meta_v1"),
    ],
)
def test_the_check_catches_an_upward_import(
    unit: str, target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy of the runtime with one upward import added fails the check."""
    runtime = tmp_path / "runtime" / "kubetyped"
    for module, path in _modules("runtime/kubetyped", "kubetyped"):
        relative = path.relative_to(ROOT / "runtime" / "kubetyped")
        (runtime / relative).parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text(encoding="utf-8")
        if _runtime_unit(module) == unit and path.name in ("request.py", "__init__.py"):
            text += f"\nimport {target}\n"
        (runtime / relative).write_text(text, encoding="utf-8")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert any(target in violation for violation in _runtime_violations())


def _codegen_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the codegen modules it imports (lazy and ``TYPE_CHECKING`` imports included).

    ``from kubetyped_codegen.x import name`` is an edge to ``x`` (or to ``x.name`` when that is a
    module); importing a submodule is not counted as importing its parent package's
    ``__init__`` (Python runs it, but a package importing its own parts is no cycle).
    """
    modules = dict(_modules_under(root / "codegen" / "kubetyped_codegen", "kubetyped_codegen"))
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        edges = set()
        for target in _imports(module, path):
            if not target.startswith("kubetyped_codegen"):
                continue
            parts = target.split(".")
            while parts and ".".join(parts) not in modules:
                parts.pop()
            found = ".".join(parts)
            if found and found != module:
                edges.add(found)
        graph[module] = edges
    return graph


def _modules_under(folder: Path, package: str) -> Iterator[tuple[str, Path]]:
    for path in sorted(folder.rglob("*.py")):
        parts = list(path.relative_to(folder).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join([package, *parts]), path


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for edge in sorted(graph.get(node, ())):
            if edge not in index:
                visit(edge)
                low[node] = min(low[node], low[edge])
            elif edge in on_stack:
                low[node] = min(low[node], index[edge])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_codegen_has_no_import_cycle() -> None:
    """The generator is a library with a thin CLI: no two of its modules import each other,
    directly or round a loop (the old cli <-> crd <-> diff <-> load_v3 knot)."""
    assert _cycles(_codegen_graph(ROOT)) == []


def test_the_cycle_check_catches_a_lazy_back_import(tmp_path: Path) -> None:
    """A copy of codegen/ where the pipeline's loader imports the CLI back (inside a function)
    has a cycle."""
    copy = tmp_path / "codegen" / "kubetyped_codegen"
    for _, path in _modules_under(ROOT / "codegen" / "kubetyped_codegen", "kubetyped_codegen"):
        target = copy / path.relative_to(ROOT / "codegen" / "kubetyped_codegen")
        target.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text(encoding="utf-8")
        if path.name == "load_v3.py":
            text += "\n\ndef _back() -> None:\n    from kubetyped_codegen.cli import main\n"
        target.write_text(text, encoding="utf-8")
    loops = _cycles(_codegen_graph(tmp_path))
    assert any({"kubetyped_codegen.cli", "kubetyped_codegen.load_v3"} <= set(c) for c in loops)


def _unit_edges() -> dict[str, set[str]]:
    """Direct imports between runtime units (generated models left out: `api` is the seam)."""
    edges: dict[str, set[str]] = {unit: set() for unit in LAYER_OF}
    for module, path in _modules("runtime/kubetyped", "kubetyped"):
        unit = _runtime_unit(module)
        assert unit is not None
        for target in _imports(module, path):
            other = _runtime_unit(target)
            if other is not None and other != unit and other in LAYER_OF:
                edges[unit].add(other)
    return edges


def _architecture_table() -> list[tuple[set[str], dict[str, set[str]]]]:
    """Each row of docs/ARCHITECTURE.md's layer table: its units and, per unit, its imports."""
    rows = []
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for line in text.splitlines():
        match = re.match(r"\| (\d+) \| (.*) \| (.*) \|$", line)
        if match is None:
            continue
        units = set(re.findall(r"`([a-z_]+)(?:\.py|/)`", match.group(2)))
        imports: dict[str, set[str]] = {}
        for entry in re.sub(r"\([^)]*\)", "", match.group(3)).split(";"):
            unit, arrow, targets = entry.partition("→")
            if arrow:
                names = {t.strip() for t in targets.split(",")} - {"—", ""}
                imports[unit.strip()] = names
        rows.append((units, imports))
    return rows


def test_the_architecture_table_is_the_import_graph() -> None:
    """docs/ARCHITECTURE.md's layer table names RUNTIME_LAYERS row by row and every edge."""
    rows = _architecture_table()
    assert [units for units, _ in rows] == RUNTIME_LAYERS, "table rows != RUNTIME_LAYERS"
    edges = _unit_edges()
    wrong = []
    for units, imports in rows:
        for unit in sorted(units - {"__init__"}):
            if imports.get(unit) != edges[unit]:
                documented = sorted(imports.get(unit, set()))
                wrong.append(
                    f"{unit}: the table says {documented}, the code imports {sorted(edges[unit])}"
                )
    assert wrong == [], "update docs/ARCHITECTURE.md's layer table:\n" + "\n".join(wrong)
