"""The layers run one way: ``core`` at the bottom, ``community`` on it, ``search`` and the
features on those, ``home`` on top — read from every module's imports (migrations aside), so a
new import that closes a circle fails here before it tangles the house."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("core", "community", "search", "news", "deliberation", "casework", "home")


def imports_of(app: str) -> dict[str, set[str]]:
    """Which of our other apps ``app`` imports, each with the modules of ``app`` that do."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in APPS and top != app:
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


GRAPH = {app: imports_of(app) for app in APPS if (ROOT / app).is_dir()}


def find_cycle(graph: dict[str, dict[str, set[str]]]) -> list[str] | None:
    visiting: list[str] = []
    done: set[str] = set()

    def visit(app: str) -> list[str] | None:
        if app in visiting:
            return [*visiting[visiting.index(app) :], app]
        if app in done:
            return None
        visiting.append(app)
        for other in sorted(graph.get(app, {})):
            cycle = visit(other)
            if cycle:
                return cycle
        visiting.pop()
        done.add(app)
        return None

    for app in sorted(graph):
        cycle = visit(app)
        if cycle:
            return cycle
    return None


def test_the_cycle_finder_finds_a_circle_through_a_third_app():
    graph = {"a": {"b": {"a/x.py"}}, "b": {"c": {"b/y.py"}}, "c": {"a": {"c/z.py"}}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b": {"a/x.py"}}, "b": {}}) is None


def test_no_two_of_our_apps_import_each_other_in_a_circle():
    cycle = find_cycle(GRAPH)
    assert cycle is None, (
        " → ".join(cycle)
        + ": "
        + "; ".join(
            f"{a} → {b} in {sorted(GRAPH[a][b])}" for a, b in zip(cycle, cycle[1:], strict=False)
        )
    )


def test_core_imports_none_of_our_apps():
    assert GRAPH["core"] == {}


@pytest.mark.parametrize(
    ("app", "allowed"),
    [
        ("community", {"core"}),
        ("search", {"core"}),
        ("news", {"core", "community", "search", "deliberation"}),
        ("deliberation", {"core", "community", "search"}),
    ],
)
def test_each_app_stands_only_on_the_floors_below(app, allowed):
    assert set(GRAPH[app]) <= allowed, {k: sorted(v) for k, v in GRAPH[app].items()}


def test_nothing_but_settings_and_addresses_imports_the_top_floor():
    users = {app: sorted(GRAPH[app]["home"]) for app in GRAPH if "home" in GRAPH[app]}
    assert users == {}
