"""The dependency rule between the apps, read from the source with the standard library's ast.

Layers, bottom to top (an app may import only the apps listed for it, and itself):

    portal                      no other app (Django and third-party packages only)
    catalog                     portal
    municipalities, suppliers   catalog, portal (not each other)
    tenders                     municipalities, suppliers, catalog, portal
    consultations               tenders and everything below
    config, demo                anything; nothing below may import them

Every import statement counts, wherever it sits: at module level, inside a function or under
``if TYPE_CHECKING:`` (an upward import is a dependency wherever it is written). Relative
imports are resolved. ``migrations/`` and ``tests/`` folders are not checked.

Besides the layering, no two modules of these packages may import each other through any
chain (an import circle), and no application module may grow beyond 500 lines.

The checks are small functions that take the root of a source tree, so that they are tested
on tiny synthetic trees first (they can fail) and then run on this repository.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Which other apps each app may import (it may always import itself).
BELOW_CONSULTATIONS = ("tenders", "municipalities", "suppliers", "catalog", "portal")
EVERY_APP = ("consultations", *BELOW_CONSULTATIONS, "config", "demo")
ALLOWED: dict[str, tuple[str, ...]] = {
    "portal": (),
    "catalog": ("portal",),
    "municipalities": ("catalog", "portal"),
    "suppliers": ("catalog", "portal"),
    "tenders": ("municipalities", "suppliers", "catalog", "portal"),
    "consultations": BELOW_CONSULTATIONS,
    # On top of everything: the settings, root URLs, API router, Celery app and dashboard,
    # and the demo data.
    "config": tuple(app for app in EVERY_APP if app != "config"),
    "demo": tuple(app for app in EVERY_APP if app != "demo"),
}
APPS = tuple(ALLOWED)

SKIPPED_FOLDERS = frozenset({"migrations", "tests", "__pycache__"})
MAX_LINES = 500


@dataclass(frozen=True)
class ImportStatement:
    module: str  # the importing module, e.g. "tenders.tasks"
    path: str  # its file relative to the root, e.g. "tenders/tasks.py"
    line: int
    names: tuple[str, ...]  # the absolute dotted names the statement may import


def find_modules(
    root: Path, packages: Iterable[str], skip: frozenset[str] = SKIPPED_FOLDERS
) -> dict[str, Path]:
    """Dotted module name -> file, for every .py file of the packages (a package by its
    ``__init__``), except those in a skipped folder."""
    modules: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root)
            if skip & set(relative.parts[:-1]):
                continue
            name = ".".join(relative.with_suffix("").parts)
            modules[name.removesuffix(".__init__")] = path
    return modules


def absolute_module(module: str | None, level: int, package: str) -> str:
    """The absolute name of ``from <level dots><module> import ...`` written in ``package``."""
    if not level:
        return module or ""
    parts = package.split(".")
    base = parts[: max(len(parts) - level + 1, 0)]
    return ".".join([*base, module] if module else base)


def read_imports(root: Path, modules: Mapping[str, Path]) -> Iterator[ImportStatement]:
    """Every import statement of the modules, wherever it sits in the file."""
    for module, path in modules.items():
        relative = path.relative_to(root).as_posix()
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield ImportStatement(module, relative, node.lineno, (alias.name,))
            elif isinstance(node, ast.ImportFrom):
                base = absolute_module(node.module, node.level, package)
                # ``from a import b`` imports package a, and module a.b if b is a module.
                names = (
                    base,
                    *(f"{base}.{alias.name}" for alias in node.names if alias.name != "*"),
                )
                yield ImportStatement(module, relative, node.lineno, names)


def resolve(name: str, modules: Mapping[str, Path]) -> str | None:
    """The module an import of ``name`` depends on: ``name`` itself if it is a module, else the
    nearest enclosing package (``a.b.Thing`` -> ``a.b``); None outside the scanned modules."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def imported_modules(statement: ImportStatement, modules: Mapping[str, Path]) -> list[str]:
    """What a statement imports, as reported: the name as written (relative imports resolved),
    or for ``from a import b`` the module a.b when b is a module rather than a name in a."""
    base, *members = statement.names
    submodules = [name for name in members if name in modules]
    return submodules or [base]


def describe_allowed(app: str, allowed: Mapping[str, tuple[str, ...]]) -> str:
    if not allowed[app]:
        return f"{app} may use no other app"
    return f"{app} may use {', '.join(allowed[app])}"


def layer_violations(root: Path, allowed: Mapping[str, tuple[str, ...]] = ALLOWED) -> list[str]:
    """One line per import of an app that the importing app may not use."""
    modules = find_modules(root, allowed)
    problems = []
    for statement in sorted(read_imports(root, modules), key=lambda s: (s.path, s.line)):
        app = statement.module.split(".")[0]
        for target in imported_modules(statement, modules):
            other = target.split(".")[0]
            if other in allowed and other != app and other not in allowed[app]:
                problems.append(
                    f"{statement.path}:{statement.line} imports {target} "
                    f"({describe_allowed(app, allowed)})"
                )
    return list(dict.fromkeys(problems))


def import_graph(
    root: Path, packages: Iterable[str]
) -> dict[str, dict[str, list[tuple[str, int]]]]:
    """module -> imported module -> [(file, line), ...] between the scanned modules."""
    modules = find_modules(root, packages)
    graph: dict[str, dict[str, list[tuple[str, int]]]] = {name: {} for name in modules}
    for statement in read_imports(root, modules):
        for name in statement.names:
            target = resolve(name, modules)
            if target is None or target == statement.module:
                continue
            places = graph[statement.module].setdefault(target, [])
            if (statement.path, statement.line) not in places:
                places.append((statement.path, statement.line))
    return graph


def strongly_connected_components(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Tarjan's algorithm, without recursion; components in no particular order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(graph[start]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(graph[successor])))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(component)
    return components


def import_circles(root: Path, packages: Iterable[str] = APPS) -> list[str]:
    """For each circle: a line naming its modules, then one line per import inside it."""
    graph = import_graph(root, packages)
    report = []
    circles = [sorted(c) for c in strongly_connected_components(graph) if len(c) > 1]
    for circle in sorted(circles):
        report.append("circle: " + " <-> ".join(circle))
        members = set(circle)
        for module in circle:
            for target, places in sorted(graph[module].items()):
                if target in members:
                    report.extend(
                        f"  {path}:{line} {module} imports {target}" for path, line in places
                    )
    return report


def long_modules(
    root: Path,
    packages: Iterable[str] = APPS,
    limit: int = MAX_LINES,
    skip: frozenset[str] = SKIPPED_FOLDERS,
) -> list[str]:
    report = []
    for path in find_modules(root, packages, skip).values():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            report.append(f"{path.relative_to(root).as_posix()}: {lines} lines (limit {limit})")
    return report


# -- the checks on synthetic trees ------------------------------------------------------------


def plant(root: Path, files: Mapping[str, str]) -> Path:
    """Write a tiny source tree: every app gets an ``__init__.py``, then the given files."""
    for app in APPS:
        (root / app).mkdir(parents=True, exist_ok=True)
        (root / app / "__init__.py").touch()
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


CLEAN_TREE = {
    "portal/models.py": "from django.db import models\n",
    "catalog/models.py": "from portal.models import models\n",
    "municipalities/models.py": "from catalog.models import models\nfrom portal import models\n",
    "suppliers/models.py": "from catalog import models\n",
    "tenders/models.py": """
        import municipalities.models
        from suppliers.models import models
        """,
    "tenders/services/__init__.py": "",
    "tenders/services/programme.py": "from ..models import models\nfrom . import helpers\n",
    "tenders/services/helpers.py": "from tenders.models import models\n",
    "consultations/models/__init__.py": "from .consultation import Consultation\n",
    "consultations/models/consultation.py": "from tenders.models import models\n",
    "config/urls.py": "import demo.loader\nfrom consultations.models import Consultation\n",
    "demo/loader.py": "from config import settings\nfrom consultations import models\n",
    "config/settings.py": "DEBUG = False\n",
}


def test_a_clean_tree_passes(tmp_path):
    root = plant(tmp_path, CLEAN_TREE)

    assert layer_violations(root) == []
    assert import_circles(root) == []
    assert long_modules(root) == []


def test_the_scan_finds_modules_and_packages_but_skips_migrations_and_tests(tmp_path):
    root = plant(
        tmp_path,
        {
            **CLEAN_TREE,
            "tenders/migrations/0001_initial.py": "from consultations.models import X\n",
            "portal/tests/test_views.py": "from config import urls\n",
            "tenders/services/tests/test_programme.py": "import demo\n",
        },
    )

    modules = find_modules(root, APPS)

    assert {"portal", "tenders.services", "tenders.services.programme"} <= set(modules)
    assert not [name for name in modules if ".migrations" in name or ".tests" in name]
    assert layer_violations(root) == []


def test_an_upward_import_is_reported_with_its_file_and_line(tmp_path):
    root = plant(
        tmp_path,
        {
            **CLEAN_TREE,
            "municipalities/selectors.py": """
                from portal.models import models


                def participants():
                    from tenders.models import Programme

                    return Programme
                """,
        },
    )

    assert layer_violations(root) == [
        "municipalities/selectors.py:5 imports tenders.models "
        "(municipalities may use catalog, portal)"
    ]


def test_imports_under_type_checking_and_sideways_between_equals_count(tmp_path):
    root = plant(
        tmp_path,
        {
            **CLEAN_TREE,
            "suppliers/selectors.py": """
                from typing import TYPE_CHECKING

                if TYPE_CHECKING:
                    from municipalities.models import Participation
                """,
            "portal/services.py": "import catalog.models\n",
        },
    )

    assert layer_violations(root) == [
        "portal/services.py:1 imports catalog.models (portal may use no other app)",
        "suppliers/selectors.py:4 imports municipalities.models "
        "(suppliers may use catalog, portal)",
    ]


def test_nothing_below_may_import_config_or_demo(tmp_path):
    root = plant(
        tmp_path,
        {
            **CLEAN_TREE,
            "consultations/tasks.py": "from config.celery import app\n",
            "tenders/views.py": "import os\n\n\ndef page():\n    from demo import loader\n",
        },
    )

    assert layer_violations(root) == [
        "consultations/tasks.py:1 imports config.celery "
        "(consultations may use tenders, municipalities, suppliers, catalog, portal)",
        "tenders/views.py:5 imports demo.loader "
        "(tenders may use municipalities, suppliers, catalog, portal)",
    ]


def test_relative_imports_are_resolved():
    assert absolute_module("models", 1, "tenders.services") == "tenders.services.models"
    assert absolute_module("models", 2, "tenders.services") == "tenders.models"
    assert absolute_module(None, 1, "tenders") == "tenders"
    assert absolute_module("django.db", 0, "tenders") == "django.db"


def test_a_two_module_circle_is_reported_with_each_import(tmp_path):
    root = plant(
        tmp_path,
        {
            **CLEAN_TREE,
            "tenders/services/aggregation.py": """
                from tenders.models import models
                from tenders.tasks import aggregate_later
                """,
            "tenders/tasks.py": """
                def aggregate_later():
                    from .services import aggregation

                    return aggregation
                """,
        },
    )

    assert import_circles(root) == [
        "circle: tenders.services.aggregation <-> tenders.tasks",
        "  tenders/services/aggregation.py:2 tenders.services.aggregation imports tenders.tasks",
        "  tenders/tasks.py:2 tenders.tasks imports tenders.services.aggregation",
    ]


def test_a_circle_through_a_package_init_is_reported(tmp_path):
    # ``from portal import VERSION``: portal.VERSION is not a module, so it depends on
    # portal/__init__.py, which imports portal.helpers.
    root = plant(
        tmp_path,
        {
            **CLEAN_TREE,
            "portal/__init__.py": "from portal.helpers import slugify\n",
            "portal/helpers.py": "import re\n\nfrom portal import VERSION\n",
        },
    )

    assert import_circles(root) == [
        "circle: portal <-> portal.helpers",
        "  portal/__init__.py:1 portal imports portal.helpers",
        "  portal/helpers.py:3 portal.helpers imports portal",
    ]


def test_a_longer_circle_names_every_module(tmp_path):
    root = plant(
        tmp_path,
        {
            **CLEAN_TREE,
            "municipalities/a.py": "from municipalities import b\n",
            "municipalities/b.py": "import municipalities.c\n",
            "municipalities/c.py": "from .a import thing\n",
        },
    )

    report = import_circles(root)

    assert report[0] == "circle: municipalities.a <-> municipalities.b <-> municipalities.c"
    assert "  municipalities/c.py:1 municipalities.c imports municipalities.a" in report


def test_a_long_module_is_reported_outside_migrations_and_tests(tmp_path):
    root = plant(
        tmp_path,
        {
            **CLEAN_TREE,
            "municipalities/excel.py": "x = 1\n" * (MAX_LINES + 1),
            "municipalities/forms.py": "x = 1\n" * MAX_LINES,
            "municipalities/migrations/0001_initial.py": "x = 1\n" * 900,
            "municipalities/tests/test_excel.py": "x = 1\n" * 900,
        },
    )

    assert long_modules(root) == [f"municipalities/excel.py: {MAX_LINES + 1} lines (limit 500)"]


# -- the checks on this repository ------------------------------------------------------------


def test_the_scan_sees_every_app_of_this_repository():
    modules = find_modules(ROOT, APPS)

    assert {"config.settings", "consultations.models", "portal.models"} <= set(modules)
    assert {name.split(".")[0] for name in modules} == set(APPS)


def test_apps_import_only_the_layers_below_them():
    problems = layer_violations(ROOT)
    if problems:
        pytest.fail("Imports against the dependency rule:\n" + "\n".join(problems), pytrace=False)


def test_no_import_circles_between_modules():
    circles = import_circles(ROOT)
    if circles:
        pytest.fail("Import circles between modules:\n" + "\n".join(circles), pytrace=False)


def test_no_application_module_is_longer_than_500_lines():
    problems = long_modules(ROOT)
    if problems:
        pytest.fail(
            f"Modules longer than {MAX_LINES} lines:\n" + "\n".join(problems), pytrace=False
        )


def test_no_test_or_benchmark_module_is_longer_than_500_lines_either():
    # Tests and benchmarks are read by people as much as the code: the same limit holds.
    problems = long_modules(
        ROOT, (*APPS, "tests", "benchmarks"), skip=frozenset({"migrations", "__pycache__"})
    )
    if problems:
        pytest.fail(
            f"Modules longer than {MAX_LINES} lines:\n" + "\n".join(problems), pytrace=False
        )
