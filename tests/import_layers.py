"""Which app may import which: the layer table of docs/architecture.md, and the checker that reads every
module's imports with ``ast``.

Run ``python -m tests.import_layers`` to print every offending import, and the current violations as a
``KNOWN_VIOLATIONS`` literal.

The rules, checked by tests/test_import_layers.py:

(a) A module of app A imports app B only if ``MAY_IMPORT[A]`` holds B (imports within an app are
    free). Nothing imports ``config`` (the project reaches the apps through ``django.conf.settings``),
    except the modules in ``CONFIG_FOR_EVERY_APP``.
(b) No circle between two apps: when A imports B and B imports A, the arrows the table forbids are
    reported as the circle's, with every line of both directions in the message.
(c) An import inside a function body (lazy, so it may hide a circle) carries its reason: a comment on
    the import's own line(s), or on a line of its own just above it. Imports written one after another
    (blank lines between them allowed, no other statement) share the comment above the first. A linter
    directive alone (``# noqa: F401``) is not a reason; ``# noqa: F401  (registers the receivers)``
    is. Exempt: ``AppConfig.ready()`` in an ``apps.py``, Django's place for an app's start-up imports,
    and the directories in ``FUNCTION_IMPORTS_UNCHECKED``.
(d) A views module (``views.py``, ``*_views.py``, or a module of a ``views`` package) of one app is
    imported by another app only in ``URLCONFS``.

Every import counts, at module level or inside a function, under ``if TYPE_CHECKING:`` or not.
"""

import ast
import io
import re
import sys
import tokenize
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Directories that are not the project's apps.
SKIPPED_DIRS = {"tests", "migrations", ".venv", "node_modules", "static", "templates", "locale", "docs", ".git"}

# The apps, each owning the modules under its dotted prefix (the longest prefix wins). A package not
# named here is an app of its own name, and the test asks for a row in MAY_IMPORT.
APP_OF_MODULE = {
    "config": "config",
    "currency": "currency",
    "customs": "customs",
    "sellers": "sellers",
    "outbox": "outbox",
    "accounts": "accounts",
    "catalog": "catalog",
    "labels": "labels",
    "notices": "notices",
    "marketplace": "marketplace",
    "marketplace.basket": "basket",
    "marketplace.checkout": "checkout",
    "marketplace.orders": "orders",
    "marketplace.payouts": "payouts",
    "marketplace.returns": "returns",
    "marketplace.trade": "trade",
    "marketplace.quotes": "quotes",
    "marketplace.payments": "payments",
    "marketplace.shipping": "shipping",
    "search": "search",
    "observatory": "observatory",
    "api": "api",
    "demo": "demo",
    "frontend": "frontend",
    "bench": "bench",
}

# Where modules live until issue 16 moves them to their app: delete an entry once its module has moved
# (the test fails on an entry whose module no longer exists).
MOVING: dict[str, str] = {}

# The bottom of the site: every app above may import them.
BOTTOM = {"currency", "customs", "sellers", "outbox"}
COMMERCE = {"basket", "checkout", "orders", "payouts", "payments", "returns", "shipping", "trade", "quotes"}
# Everything below the apps on top (observatory, demo, frontend, the project).
BELOW_TOP = BOTTOM | {"catalog", "labels", "notices", "marketplace", "accounts", "search"} | COMMERCE

# Which apps each app may import, bottom to top (docs/architecture.md draws the same arrows). An app
# always imports itself.
MAY_IMPORT = {
    "currency": set(),
    # Destination rules, duty rates and the landed-cost arithmetic: plain figures any app may read.
    "customs": {"currency"},
    "outbox": set(),
    "sellers": {"currency", "outbox"},
    "catalog": BOTTOM,
    # Labels are about products: labels import catalog, catalog never imports labels.
    "labels": BOTTOM | {"catalog"},
    # Notices about products (DSA, GPSR) and the contact point: a decision may unpublish a product's pages.
    "notices": BOTTOM | {"catalog"},
    "shipping": BOTTOM | {"catalog", "labels"},
    # Payments is the entry point (start, refund, transfer, cancel) that orders, fulfilment and payouts
    # call; its events reach orders through a signal, never by importing orders.
    "payments": BOTTOM | {"catalog", "labels"},
    # Trade accounts: the companies that buy wholesale. The commerce apps ask here who buys on trade terms.
    "trade": BOTTOM | {"catalog"},
    "basket": BOTTOM | {"catalog", "labels", "shipping", "trade"},
    # An order is placed from basket lines, checked the basket's way.
    "orders": BOTTOM | {"catalog", "labels", "shipping", "basket", "payments", "trade"},
    "payouts": BOTTOM | {"catalog", "labels", "orders", "payments"},
    "checkout": BOTTOM | {"catalog", "labels", "basket", "orders", "payments", "shipping", "trade"},
    # Requests for quote and quotes between trade buyers and sellers: an accepted quote becomes an order.
    "quotes": BOTTOM | {"catalog", "labels", "shipping", "basket", "payments", "orders", "trade"},
    # Returns of delivered parts: refunded through payments, stock back through orders, clawed back
    # from payouts.
    "returns": BOTTOM | {"catalog", "labels", "orders", "payments", "payouts"},
    # The package that holds the commerce apps.
    "marketplace": BOTTOM | {"catalog", "labels"} | COMMERCE,
    # Sign-in and the buyer's account area: favourites, saved addresses, order history. It sits above
    # commerce and hands checkout the saved addresses through a provider it registers at start-up, so
    # commerce never imports accounts.
    "accounts": BOTTOM | {"catalog", "labels", "marketplace"} | COMMERCE,
    # Search reads catalog, labels and sellers to build its documents; no model or service imports it
    # (a category page gets its listing through the provider search registers at start-up). The shopping
    # feeds quote each product's shipping per country from the shipping zones (shipping imports no search).
    "search": BOTTOM | {"catalog", "labels", "shipping"},
    "observatory": BELOW_TOP,
    # The open catalogue API, on top beside observatory: it reads search, the catalogue, labels, sellers,
    # currencies and the published sector figures; nothing imports it but config/urls.py.
    "api": BOTTOM | {"catalog", "labels", "search", "observatory"},
    "demo": BELOW_TOP,
    # Templates, static files and template tags: nothing imports it.
    "frontend": BELOW_TOP,
    # The Django project, then the benchmarks, on top of everything.
    "config": BELOW_TOP | {"observatory", "api", "demo", "frontend"},
    "bench": BELOW_TOP | {"observatory", "api", "demo", "frontend", "config"},
}

# Modules of the project (config) that every app may import, and why.
CONFIG_FOR_EVERY_APP = {
    "config.storage": "one place decides where private uploads live (file system or object storage) and how they are handed out",
    "config.public_urls": "absolute links to this site for every app's emails, PDFs and QR codes, one rule",
    "config.ratelimit": "one request rate limiter guards the views of every app (it imports only Django)",
    "config.form_errors": "one helper turns a service's ValidationError into form errors (it imports only Django)",
    "config.bulk_rows": "one way to write many rows fast (COPY on PostgreSQL), for the demo seed and the search documents (it imports only Django)",
}

# Where an import inside a function needs no comment, and why.
FUNCTION_IMPORTS_UNCHECKED = {
    "bench/": "a command-line harness, not part of the site: it sets Django up inside its functions (and again "
    "in each worker process) before it may import the project",
}

# The only modules that import other apps' views.
URLCONFS = {"config.urls"}

# Imports that break the rules, as (file, imported module), while a change is under way; empty since issue 16.
# The list only shrinks: the test fails on an entry that no longer happens, so that it is deleted.
KNOWN_VIOLATIONS: set[tuple[str, str]] = set()


FORBIDDEN = "arrow the layers forbid"
CIRCLE = "circle between two apps (the arrow to remove)"
UNEXPLAINED = "import inside a function without a comment saying why"
VIEWS = "views imported outside config/urls.py"


@dataclass(frozen=True)
class Import:
    path: str  # relative to the project root, with forward slashes
    line: int
    importer: str  # dotted module name
    imported: str  # dotted module name, relative imports resolved
    in_function: bool
    has_reason: bool  # a comment says why (rule (c), for imports inside functions)


@dataclass(frozen=True)
class Violation:
    rule: str
    path: str
    line: int
    importer_app: str
    imported_app: str
    imported: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.path, self.imported)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}  {self.importer_app} -> {self.imported_app}  ({self.imported})"


def project_modules(root: Path) -> dict[str, Path]:
    """Every module of the project's packages, by dotted name: the top-level directories with an
    ``__init__.py``, less tests, migrations and the virtual environment."""
    modules = {}
    for package in sorted(root.iterdir()):
        if package.name in SKIPPED_DIRS or not (package / "__init__.py").is_file():
            continue
        for path in sorted(package.rglob("*.py")):
            relative = path.relative_to(root)
            if SKIPPED_DIRS.intersection(relative.parts[:-1]):
                continue
            parts = list(relative.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def app_of(module: str) -> str:
    """The app a dotted module belongs to: the longest prefix in MOVING or APP_OF_MODULE, else its
    top-level package."""
    owners = {**APP_OF_MODULE, **MOVING}
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in owners:
            return owners[prefix]
    return parts[0]


def is_views_module(module: str) -> bool:
    parts = module.split(".")
    return parts[-1] == "views" or parts[-1].endswith("_views") or "views" in parts[:-1]


_DIRECTIVE = re.compile(
    r"\b(noqa(:\s*[A-Z]+[0-9]+(\s*,\s*[A-Z]+[0-9]+)*)?|type:\s*ignore(\[[^\]]*\])?|pragma:[\w ,-]*|fmt:\s*\w+|isort:\s*\w+)"
)


def _comments(source: str) -> tuple[set[int], set[int]]:
    """The lines holding a comment that says something (more than a linter directive), and among them
    those where the comment stands on a line of its own."""
    anywhere, alone = set(), set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT and re.search(r"[A-Za-z]", _DIRECTIVE.sub("", token.string[1:])):
            anywhere.add(token.start[0])
            if not token.line[: token.start[1]].strip():
                alone.add(token.start[0])
    return anywhere, alone


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def module_imports(module: str, path: Path, root: Path, known_modules) -> list[Import]:
    """Every import statement of a module, each imported module resolved to its dotted name: ``from
    . import signals`` imports ``<package>.signals`` when that is a module, else the package."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    anywhere, alone = _comments(source)
    relative = path.relative_to(root).as_posix()
    is_package = path.name == "__init__.py"
    found = []

    def imported_names(node) -> list[str]:
        if isinstance(node, ast.Import):
            return [alias.name for alias in node.names]
        base = _resolve(module, is_package, node)
        return list(dict.fromkeys(
            f"{base}.{alias.name}" if f"{base}.{alias.name}" in known_modules else base for alias in node.names
        ))

    def visit(node, in_function):
        # Whether the statement just before, in the same body, is an import that carries a reason: the
        # imports that follow it share that reason.
        block_reasoned = False
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                end = child.end_lineno or child.lineno
                reasoned = (
                    child.lineno - 1 in alone
                    or bool(anywhere.intersection(range(child.lineno, end + 1)))
                    or block_reasoned
                )
                for name in imported_names(child):
                    found.append(Import(relative, child.lineno, module, name, in_function, reasoned))
                block_reasoned = reasoned
                continue
            block_reasoned = False
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                app_ready = path.name == "apps.py" and getattr(child, "name", "") == "ready"
                visit(child, not app_ready)
            else:
                visit(child, in_function)

    visit(tree, False)
    return found


def project_imports(root: Path = ROOT) -> list[Import]:
    modules = project_modules(root)
    return [found for module, path in modules.items() for found in module_imports(module, path, root, modules)]


def _arrows(imports: list[Import], packages: set[str]) -> dict[tuple[str, str], list[Import]]:
    """The imports from one app to another, by (importer app, imported app)."""
    arrows = defaultdict(list)
    for each in imports:
        if each.imported.split(".")[0] in packages and each.imported not in CONFIG_FOR_EVERY_APP:
            pair = (app_of(each.importer), app_of(each.imported))
            if pair[0] != pair[1]:
                arrows[pair].append(each)
    return arrows


def _allowed(importer_app: str, imported_app: str) -> bool:
    return imported_app in MAY_IMPORT.get(importer_app, set())


def violations(root: Path = ROOT) -> list[Violation]:
    """Every import that breaks rule (a), (b), (c) or (d), sorted by rule and file."""
    modules = project_modules(root)
    packages = {module.split(".")[0] for module in modules}
    imports = [found for module, path in modules.items() for found in module_imports(module, path, root, modules)]
    arrows = _arrows(imports, packages)
    found = []
    for each in imports:
        unchecked = any(each.path.startswith(prefix) for prefix in FUNCTION_IMPORTS_UNCHECKED)
        if each.in_function and not each.has_reason and not unchecked:
            first_party = each.imported.split(".")[0] in packages
            found.append(Violation(UNEXPLAINED, each.path, each.line, app_of(each.importer),
                                   app_of(each.imported) if first_party else "-", each.imported))
    for (importer_app, imported_app), lines in arrows.items():
        circle = (imported_app, importer_app) in arrows
        for each in lines:
            if is_views_module(each.imported) and each.importer not in URLCONFS:
                found.append(Violation(VIEWS, each.path, each.line, importer_app, imported_app, each.imported))
            if not _allowed(importer_app, imported_app):
                rule = CIRCLE if circle else FORBIDDEN
                found.append(Violation(rule, each.path, each.line, importer_app, imported_app, each.imported))
    return sorted(found, key=lambda violation: (violation.rule, violation.path, violation.line, violation.imported))


def circles(root: Path = ROOT) -> dict[tuple[str, str], list[str]]:
    """Each pair of apps that import each other, with every import line of both directions."""
    modules = project_modules(root)
    packages = {module.split(".")[0] for module in modules}
    arrows = _arrows(project_imports(root), packages)
    return {
        (first, second): [
            f"{each.path}:{each.line}  {app_of(each.importer)} -> {app_of(each.imported)}  ({each.imported})"
            for each in arrows[first, second] + arrows[second, first]
        ]
        for first, second in arrows if first < second and (second, first) in arrows
    }


def unknown_apps(root: Path = ROOT) -> set[str]:
    """Apps of the tree that have no row in the layer table."""
    return {app_of(module) for module in project_modules(root)} - set(MAY_IMPORT)


def report(found: list[Violation], circle_lines=None) -> str:
    """The violations by rule, one ``file:line  A -> B  (module)`` a line, then each circle's lines."""
    sections = defaultdict(list)
    for violation in found:
        sections[violation.rule].append(str(violation))
    text = []
    for rule, lines in sorted(sections.items()):
        text.append(f"{rule} ({len(lines)}):")
        text.extend(f"  {line}" for line in lines)
    for (first, second), lines in sorted((circle_lines or {}).items()):
        text.append(f"circle {first} <-> {second}:")
        text.extend(f"  {line}" for line in lines)
    return "\n".join(text)


def known_violations_literal(found: list[Violation]) -> str:
    keys = sorted({violation.key for violation in found})
    return "KNOWN_VIOLATIONS = {\n" + "".join(f'    ("{path}", "{module}"),\n' for path, module in keys) + "}"


if __name__ == "__main__":
    everything = violations()
    sys.stdout.write(report(everything, circles()) + "\n\n" + known_violations_literal(everything) + "\n")
