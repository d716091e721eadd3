"""Users' type checkers and editors on the installed package: mypy --strict and pyright, no plugin.

The package is installed (non-editable, `pip install --target`) into build/typing/site, as a user
gets it from a wheel (pip builds one from the source tree); a CRD package is generated from tests/data/crds/cert-manager next to the
user code, as `kubetyped generate --crd` leaves it in a user's repository. The corpus
(tests/typing/corpus/) is realistic user code: the correct files must give no diagnostic at all
(their `assert_type` lines are what must be inferred), and in the `mistakes_*` files every line
marked `# expect-error` must be reported on that line by each checker, and no other line.
Every ```python block of README.md is checked the same way, in strict mode for both checkers
(`mypy --strict`, pyright `strict`), and must give no diagnostic.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "corpus"
CRDS = ROOT / "tests" / "data" / "crds" / "cert-manager"
WORK = ROOT / "build" / "typing"  # stable paths keep mypy's cache useful between runs
BIN = Path(sys.executable).parent
CORRECT = (
    "builtin_kinds.py",
    "crd_kinds.py",
    "case_typed_constructor.py",
    "expansion_use.py",
    "public_api.py",
    "scalars_as_users_write_them.py",
    "request_options.py",
    "informer_handlers.py",
    "catching_errors.py",
)
MISTAKES = ("mistakes_builtin.py", "mistakes_crd.py")
README = ROOT / "README.md"
# Names README fragments use from the text around them ("`cs` is the clientset of the short
# example"), declared before a block that uses them without defining them.
_README_CONTEXT = {
    "cs": "from kubetyped_kubernetes import Clientset as _Clientset\ncs = _Clientset.load()",
    "rest": "from kubetyped_kubernetes import Clientset as _Clientset\nrest = _Clientset.load().rest",
    "httpx": "import httpx",
}


def readme_blocks() -> dict[str, tuple[str, int]]:
    """README's python blocks as checkable files: name -> (source, README line of line 1)."""
    text = README.read_text()
    blocks: dict[str, tuple[str, int]] = {}
    for number, found in enumerate(re.finditer(r"```python\n(.*?)```", text, re.S)):
        code = found.group(1)
        tree = ast.parse(code)
        bound = {a.asname or a.name.split(".")[0] for n in ast.walk(tree)
                 if isinstance(n, ast.Import | ast.ImportFrom) for a in n.names}  # fmt: skip
        bound |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)
                  and isinstance(n.ctx, ast.Store)}  # fmt: skip
        used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        context = [
            _README_CONTEXT[name] for name in sorted(_README_CONTEXT) if name in used - bound
        ]
        head = "\n".join(["# pyright: strict", *context, ""])
        first_line = text.count("\n", 0, found.start(1)) + 1
        blocks[f"readme_block_{number}.py"] = (head + code, first_line - head.count("\n"))
    return blocks


READMES = tuple(readme_blocks())

pytestmark = pytest.mark.timeout(1200)  # a cold mypy run checks most of the generated package


@dataclass(frozen=True)
class Checked:
    """Diagnostics per corpus file: line -> messages."""

    errors: dict[str, dict[int, list[str]]]
    output: str

    def lines(self, name: str) -> dict[int, list[str]]:
        return self.errors.get(name, {})


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def workspace() -> Iterator[tuple[Path, dict[str, str]]]:
    """build/typing/{site (the installed kubetyped), user (corpus + generated certmanager)}."""
    site, user = WORK / "site", WORK / "user"
    for folder in (site, user):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    install = _run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
         "--target", str(site), str(ROOT)],
        ROOT, dict(os.environ),
    )  # fmt: skip
    assert install.returncode == 0, install.stdout + install.stderr
    crds = [
        str(CRDS / "cert-manager.io_certificates.yaml"),
        str(CRDS / "cert-manager.io_issuers.yaml"),
    ]
    # The user's expansions (client-go's *_expansion.go) sit in the package before generation.
    expansions = user / "certmanager" / "expansions"
    expansions.mkdir(parents=True)
    (expansions / "__init__.py").write_text("")
    shutil.copy(CORPUS / "expansions" / "cert_manager_v1.py", expansions / "cert_manager_v1.py")
    generate = _run(
        [str(BIN / "kubetyped"), "generate", "--crd", *crds, "--package", "certmanager",
         "--out", str(user / "certmanager")],
        ROOT, dict(os.environ),
    )  # fmt: skip
    assert generate.returncode == 0, generate.stdout + generate.stderr
    for name in (*CORRECT, *MISTAKES):
        shutil.copy(CORPUS / name, user / name)
    for name, (source, _) in readme_blocks().items():
        (user / name).write_text(source)
    (user / "mypy.ini").write_text("[mypy]\nstrict = True\n")  # a user's config: no plugin
    (user / "pyrightconfig.json").write_text(
        json.dumps({"typeCheckingMode": "standard", "pythonVersion": "3.11"})
    )
    # The installed package is found as a user's interpreter finds it: on its import path.
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("MYPYPATH", None)
    yield user, env


@pytest.fixture(scope="module")
def mypy(workspace: tuple[Path, dict[str, str]]) -> Checked:
    user, env = workspace
    result = _run(
        [sys.executable, "-m", "mypy", "--config-file", "mypy.ini", "--python-executable",
         sys.executable, "--cache-dir", str(WORK / "mypy-cache"), "--no-error-summary",
         "--show-error-codes", *CORRECT, *MISTAKES, *READMES],
        user, env,
    )  # fmt: skip
    errors: dict[str, dict[int, list[str]]] = {}
    for line in result.stdout.splitlines():
        found = re.match(r"^([^:]+\.py):(\d+): error: (.*)$", line)
        if found:
            name, number, message = found.groups()
            errors.setdefault(Path(name).name, {}).setdefault(int(number), []).append(message)
    assert result.returncode in (0, 1), result.stdout + result.stderr  # 2: mypy itself failed
    return Checked(errors, result.stdout)


@pytest.fixture(scope="module")
def pyright(workspace: tuple[Path, dict[str, str]]) -> Checked:
    user, env = workspace
    result = _run(
        [str(BIN / "pyright"), "--outputjson", "--pythonpath", sys.executable,
         *CORRECT, *MISTAKES, *READMES],
        user, env,
    )  # fmt: skip
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"pyright did not run: {result.stdout}{result.stderr}")
    errors: dict[str, dict[int, list[str]]] = {}
    for diagnostic in report["generalDiagnostics"]:
        if diagnostic["severity"] != "error":
            continue
        line = diagnostic["range"]["start"]["line"] + 1
        name = Path(diagnostic["file"]).name
        errors.setdefault(name, {}).setdefault(line, []).append(diagnostic["message"])
    return Checked(errors, result.stdout)


def _checked(request: pytest.FixtureRequest, checker: str) -> Checked:
    result: Checked = request.getfixturevalue(checker)
    return result


@pytest.mark.parametrize("checker", ["mypy", "pyright"])
@pytest.mark.parametrize("name", CORRECT)
def test_correct_user_code_has_no_diagnostics(
    request: pytest.FixtureRequest, checker: str, name: str
) -> None:
    checked = _checked(request, checker)
    assert checked.lines(name) == {}, f"{checker} on {name}:\n{checked.output}"


@pytest.mark.parametrize("checker", ["mypy", "pyright"])
def test_readme_code_blocks_check_in_strict_mode(
    request: pytest.FixtureRequest, checker: str
) -> None:
    """The README's code, as a user copies it, passes `mypy --strict` and pyright strict."""
    checked = _checked(request, checker)
    found = {
        f"README.md:{offset + number - 1} ({name})": messages
        for name, (_, offset) in readme_blocks().items()
        for number, messages in checked.lines(name).items()
    }
    assert found == {}, f"{checker}:\n" + "\n".join(f"{k}: {v}" for k, v in found.items())


def _expected_lines(name: str) -> dict[int, str]:
    lines = (CORPUS / name).read_text().splitlines()
    return {
        number: line.split("# expect-error:", 1)[1].strip()
        for number, line in enumerate(lines, 1)
        if "# expect-error:" in line
    }


@pytest.mark.parametrize("checker", ["mypy", "pyright"])
@pytest.mark.parametrize("name", MISTAKES)
def test_each_mistake_is_reported_on_its_line(
    request: pytest.FixtureRequest, checker: str, name: str
) -> None:
    checked = _checked(request, checker)
    expected = _expected_lines(name)
    reported = checked.lines(name)
    missed = {number: what for number, what in expected.items() if number not in reported}
    spurious = {number: msgs for number, msgs in reported.items() if number not in expected}
    assert not missed, f"{checker} did not report: {missed}\n{checked.output}"
    assert not spurious, f"{checker} reported unmarked lines: {spurious}"


def test_the_mistakes_cover_what_the_issue_lists() -> None:
    kinds = {what for name in MISTAKES for what in _expected_lines(name).values()}
    for mistake in (
        "typo'd keyword",
        "wrong type",
        "unknown attribute read",
        "unknown attribute write",
        "invalid enum value",
        "dict where a model is required",
        "missing required field",
        "typo in an apply configuration",
    ):
        assert any(kind.startswith(mistake) for kind in kinds), mistake


def test_editors_resolve_clientset_constructors(workspace: tuple[Path, dict[str, str]]) -> None:
    """jedi (the completion engine of many editors) infers the clientset and what flows from it
    without an annotation."""
    import jedi

    user, env = workspace
    code = (
        "from kubetyped_kubernetes import Clientset, AsyncClientset\n"
        "cs = Clientset.from_kubeconfig()\n"
        "cs\n"
        'deployment = cs.apps_v1.deployments("web").get("api")\n'
        "deployment\n"
        "incluster = AsyncClientset.from_incluster()\n"
        "incluster\n"
        "with Clientset.from_kubeconfig() as scoped:\n"
        "    scoped\n"
    )
    project = jedi.Project(path=user, added_sys_path=[env["PYTHONPATH"]], smart_sys_path=False)
    script = jedi.Script(code, path=user / "editor.py", project=project)

    def inferred(line: int, column: int = 0) -> list[str]:
        return [d.full_name or d.name for d in script.infer(line, column)]

    assert inferred(3) == ["kubetyped_kubernetes.clientset.Clientset"]
    assert inferred(5) == ["kubetyped_kubernetes.models.apps_v1._deployment.Deployment"]
    assert inferred(7) == ["kubetyped_kubernetes.clientset.AsyncClientset"]
    assert inferred(9, 4) == ["kubetyped_kubernetes.clientset.Clientset"]
    attributes = [c.name for c in jedi.Script(code + "cs.", project=project).complete(10, 3)]
    assert "apps_v1" in attributes and "core_v1" in attributes


def test_an_installed_generated_package_carries_its_types(
    workspace: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """A regenerated package installed as a distribution (not next to the user's code) is
    still type-checked: it ships `py.typed` (PEP 561)."""
    user, env = workspace
    site = tmp_path / "site"
    shutil.copytree(user / "certmanager", site / "certmanager")
    assert (site / "certmanager" / "py.typed").read_text().startswith("# Code generated")
    (tmp_path / "use.py").write_text(
        "from certmanager.models.cert_manager_v1 import CertificateSpecPrivateKey\n"
        'CertificateSpecPrivateKey(algorithm="DSA")\n'
    )
    (tmp_path / "mypy.ini").write_text("[mypy]\nstrict = True\n")
    result = _run(
        [sys.executable, "-m", "mypy", "--config-file", "mypy.ini", "--python-executable",
         sys.executable, "--cache-dir", str(WORK / "mypy-cache"), "use.py"],
        tmp_path, {**env, "PYTHONPATH": f"{env['PYTHONPATH']}{os.pathsep}{site}"},
    )  # fmt: skip
    assert "py.typed" not in result.stdout, result.stdout
    assert re.search(r"use\.py:2: error: .*algorithm", result.stdout), result.stdout
