"""The imports follow the layers of docs/architecture.md: every module's imports are read with ``ast``
(tests/import_layers.py holds the table and the rules), and an arrow the table forbids, a circle between
two apps, an import inside a function with no comment saying why, or another app's views imported
outside config/urls.py fails the test, with every offending ``file:line  A -> B``.

``python -m tests.import_layers`` prints the same list.
"""

import textwrap

from tests import import_layers
from tests.import_layers import (
    CIRCLE,
    FORBIDDEN,
    KNOWN_VIOLATIONS,
    MAY_IMPORT,
    MOVING,
    ROOT,
    UNEXPLAINED,
    VIEWS,
    project_modules,
)


class TestLayers:
    def test_every_app_has_a_row_in_the_layer_table(self):
        assert not import_layers.unknown_apps(), "add these apps to MAY_IMPORT in tests/import_layers.py"

    def test_the_layer_table_itself_has_no_circle(self):
        def reaches(start, goal, seen=()):
            return any(app == goal or (app not in seen and reaches(app, goal, (*seen, app)))
                       for app in MAY_IMPORT.get(start, ()))

        assert [app for app in MAY_IMPORT if reaches(app, app)] == []

    def test_no_import_breaks_the_layers(self):
        found = [violation for violation in import_layers.violations() if violation.key not in KNOWN_VIOLATIONS]
        in_circles = {tuple(sorted((violation.importer_app, violation.imported_app)))
                      for violation in found if violation.rule == CIRCLE}
        circles = {pair: lines for pair, lines in import_layers.circles().items() if pair in in_circles}
        assert not found, "Imports that break the layers of docs/architecture.md:\n" + import_layers.report(found, circles)

    def test_the_known_violations_only_shrink(self):
        still = {violation.key for violation in import_layers.violations()}
        fixed = sorted(KNOWN_VIOLATIONS - still)
        assert not fixed, "Fixed: delete these from KNOWN_VIOLATIONS in tests/import_layers.py:\n" + "\n".join(
            f"  {entry!r}," for entry in fixed
        )

    def test_every_module_still_moving_exists(self):
        modules = project_modules(ROOT)
        gone = sorted(prefix for prefix in MOVING
                      if prefix not in modules and not any(module.startswith(prefix + ".") for module in modules))
        assert not gone, f"These have moved: delete them from MOVING in tests/import_layers.py: {gone}"


def write_tree(root, files: dict[str, str]):
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source).lstrip("\n"), encoding="utf-8")


class TestTheCheckerOnATinyTree:
    """A synthetic project in tmp_path, to prove the checker reports what it should and nothing else."""

    FILES = {
        "currency/__init__.py": "",
        "currency/selectors.py": """
            from catalog.models import Product
        """,
        "catalog/__init__.py": "",
        "catalog/models.py": """
            from currency.selectors import money
            from . import signals


            def listing(request):
                from search.views import listing_context
                return listing_context(request)
        """,
        "catalog/signals.py": "",
        "catalog/services.py": """
            def product_save():
                # inside the function: the models import this module
                from .models import Product

                from .signals import saved
                return Product, saved


            def product_delete():
                from .models import Product  # noqa: F401


            def product_publish():
                from .models import Product  # noqa: F401  (the models import this module)
        """,
        "catalog/migrations/__init__.py": "",
        "catalog/migrations/0001_initial.py": """
            from search.models import Document
        """,
        "search/__init__.py": "",
        "search/apps.py": """
            from django.apps import AppConfig


            class SearchConfig(AppConfig):
                def ready(self):
                    from . import signals  # noqa: F401
        """,
        "search/signals.py": "",
        "search/views.py": """
            from catalog.models import Product
        """,
        "config/__init__.py": "",
        "config/urls.py": """
            from search.views import search_page
        """,
        "tests/__init__.py": "",
        "tests/test_anything.py": """
            from search.views import search_page
        """,
    }

    def test_it_reports_the_forbidden_arrows_circles_lazy_imports_and_views(self, tmp_path):
        write_tree(tmp_path, self.FILES)
        found = {(violation.rule, violation.path, violation.line, violation.importer_app, violation.imported_app)
                 for violation in import_layers.violations(tmp_path)}
        assert found == {
            (CIRCLE, "currency/selectors.py", 1, "currency", "catalog"),
            (CIRCLE, "catalog/models.py", 6, "catalog", "search"),
            (VIEWS, "catalog/models.py", 6, "catalog", "search"),
            (UNEXPLAINED, "catalog/models.py", 6, "catalog", "search"),
            (UNEXPLAINED, "catalog/services.py", 10, "catalog", "catalog"),
        }

    def test_a_one_way_forbidden_arrow_is_reported_as_such(self, tmp_path):
        write_tree(tmp_path, {"currency/__init__.py": "", "sellers/__init__.py": "",
                              "currency/models.py": "from sellers.models import Seller\n"})
        [violation] = import_layers.violations(tmp_path)
        assert (violation.rule, str(violation)) == (FORBIDDEN, "currency/models.py:1  currency -> sellers  (sellers.models)")

    def test_it_lists_every_line_of_both_directions_of_a_circle(self, tmp_path):
        write_tree(tmp_path, self.FILES)
        circles = import_layers.circles(tmp_path)
        assert sorted(circles) == [("catalog", "currency"), ("catalog", "search")]
        assert circles["catalog", "search"] == [
            "catalog/models.py:6  catalog -> search  (search.views)",
            "search/views.py:1  search -> catalog  (catalog.models)",
        ]

    def test_the_message_names_each_offending_file_line_and_arrow(self, tmp_path):
        write_tree(tmp_path, self.FILES)
        message = import_layers.report(import_layers.violations(tmp_path), import_layers.circles(tmp_path))
        assert "  catalog/models.py:6  catalog -> search  (search.views)" in message
        assert "  currency/selectors.py:1  currency -> catalog  (catalog.models)" in message

    def test_relative_imports_resolve_to_their_module(self, tmp_path):
        write_tree(tmp_path, self.FILES)
        imports = {(each.path, each.imported) for each in import_layers.project_imports(tmp_path)}
        assert ("catalog/models.py", "catalog.signals") in imports
        assert ("catalog/services.py", "catalog.models") in imports

    def test_an_app_missing_from_the_table_is_reported(self, tmp_path):
        write_tree(tmp_path, {"gadgets/__init__.py": "", "catalog/__init__.py": ""})
        assert import_layers.unknown_apps(tmp_path) == {"gadgets"}
