"""The house's limits, checked by walking the source tree (issue 13).

Every .py file outside tests/, migrations/, bench/ and .venv: no module over 400 lines, no
function over 80 lines, nothing of radon cyclomatic grade D or worse (a complexity over 20).
And the direction of imports: `scrutiny` imports neither `audits` nor `surveys`, and those two
never import each other (ARCHITECTURE.md, docs/architecture.md).

Today's offenders are named in KNOWN_OVER, each with what it breaks as measured when the list
was written (in the comment). The list can only shrink: a new offender fails the test, and so
does a listed breach that has been fixed but is still listed. When you split a module or a
function below the limits, delete its line here.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from radon.complexity import cc_rank, cc_visit
from radon.visitors import Class, Function

ROOT = Path(__file__).resolve().parent.parent
SKIPPED = {"tests", "migrations", "bench", ".venv", "node_modules"}

MODULE_LINES = 400
FUNCTION_LINES = 80
WORST_GRADE = "C"  # radon's grades: A to C pass, D (a complexity of 21 to 30) to F fail

# A breach is named "module" (over MODULE_LINES), "long <function>" (over FUNCTION_LINES) or
# "complex <function>" (grade D or worse); a method is named Class.method, a nested function
# outer.inner. The comments give the measurement when the list was written.
KNOWN_OVER: dict[str, tuple[str, ...]] = {}


def source_files() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if SKIPPED.isdisjoint(parts) and not any(p.startswith(".") for p in parts):
            yield path


def _functions(tree: ast.AST) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Every function, method and nested function, with its qualified name."""

    def walk(node: ast.AST, prefix: str) -> Iterator[tuple[str, Any]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = f"{prefix}{child.name}"
                yield name, child
                yield from walk(child, f"{name}.")
            elif isinstance(child, ast.ClassDef):
                yield from walk(child, f"{prefix}{child.name}.")
            else:
                yield from walk(child, prefix)

    yield from walk(tree, "")


def _blocks(blocks: list[Function | Class], prefix: str = "") -> Iterator[tuple[str, int]]:
    """radon's blocks (functions, classes, methods and closures) as (qualified name, complexity)."""
    for block in blocks:
        name = f"{prefix}{block.fullname}"
        yield name, block.complexity
        if isinstance(block, Function):
            yield from _blocks(block.closures, f"{name}.")


def measure(path: Path) -> dict[str, str]:
    """What a file breaks: each breach's name to its measurement."""
    text = path.read_text(encoding="utf-8")
    found: dict[str, str] = {}
    lines = len(text.splitlines())
    if lines > MODULE_LINES:
        found["module"] = f"{lines} lines"
    for name, node in _functions(ast.parse(text, filename=str(path))):
        length = (node.end_lineno or node.lineno) - node.lineno + 1
        if length > FUNCTION_LINES:
            found[f"long {name}"] = f"{length} lines"
    for name, complexity in _blocks(cc_visit(text)):
        grade = cc_rank(complexity)
        if grade > WORST_GRADE:
            found[f"complex {name}"] = f"{grade}{complexity}"
    return found


def measured() -> dict[str, dict[str, str]]:
    result = {}
    for path in source_files():
        found = measure(path)
        if found:
            result[path.relative_to(ROOT).as_posix()] = found
    return result


def test_no_new_module_function_or_complexity_over_the_limits():
    new = {
        f"{file}: {breach} ({value})"
        for file, found in measured().items()
        for breach, value in found.items()
        if breach not in KNOWN_OVER.get(file, ())
    }
    assert not new, (
        f"Over the limits (a module of {MODULE_LINES} lines, a function of {FUNCTION_LINES}, "
        f"radon grade {WORST_GRADE}): split these rather than list them:\n" + "\n".join(sorted(new))
    )


def test_known_offenders_are_struck_off_once_fixed():
    now = measured()
    fixed = {
        f"{file}: {breach}"
        for file, listed in KNOWN_OVER.items()
        for breach in listed
        if breach not in now.get(file, {})
    }
    assert not fixed, "Within the limits now: strike them off KNOWN_OVER:\n" + "\n".join(
        sorted(fixed)
    )


def test_the_walk_finds_the_apps():
    files = {path.relative_to(ROOT).parts[0] for path in source_files()}
    assert {"config", "scrutiny", "audits", "surveys"} <= files
    assert not files & SKIPPED


# ---------------------------------------------------------------------------------------------
# The direction of imports

APPS = ("scrutiny", "audits", "surveys")
DYNAMIC_IMPORTS = ("import_module", "__import__")
MAY_NOT_IMPORT = {
    "scrutiny": {"audits", "surveys"},
    "audits": {"surveys"},
    "surveys": {"audits"},
}


def _package(path: Path) -> list[str]:
    """The package a file belongs to, as its dotted parts (a package's __init__ is its own)."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return parts[:-1]


def imported(path: Path) -> Iterator[tuple[int, str]]:
    """The modules a file imports (relative imports resolved), with their lines; also a
    literal string given to importlib.import_module or __import__."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = _package(path)
                base = package[: len(package) - node.level + 1]
                yield node.lineno, ".".join([*base, *([node.module] if node.module else [])])
            else:
                yield node.lineno, node.module or ""
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) in DYNAMIC_IMPORTS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value


def test_scrutiny_imports_neither_channel_and_the_channels_not_each_other():
    wrong = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            for line, module in imported(path):
                top = module.split(".")[0]
                if top in MAY_NOT_IMPORT[app]:
                    wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not wrong, "Imports against ARCHITECTURE.md's direction:\n" + "\n".join(wrong)


def test_the_import_check_sees_every_form(tmp_path, monkeypatch):
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    module = tmp_path / "scrutiny" / "views" / "page.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "import audits.models\n"
        "from surveys import services\n"
        "from ...audits import completion\n"
        "def later():\n"
        "    from audits.views import x\n"
        "    importlib.import_module('surveys.apis')\n"
    )
    found = sorted(name for _, name in imported(module))
    assert found == [
        "audits",
        "audits.models",
        "audits.views",
        "surveys",
        "surveys.apis",
    ], found
