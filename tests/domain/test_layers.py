"""The architecture holds: lower layers never import upper ones (checked in a clean interpreter)."""

import subprocess
import sys

import pytest

RULES = {
    # package: modules it must never pull in
    "desktop_app.domain": ("PySide6", "peewee", "desktop_app.store", "desktop_app.exchange",
                           "desktop_app.services", "desktop_app.ui", "desktop_app.cli"),
    "desktop_app.store": ("PySide6", "desktop_app.exchange", "desktop_app.services",
                          "desktop_app.ui", "desktop_app.cli"),
    "desktop_app.exchange": ("PySide6", "peewee", "desktop_app.store", "desktop_app.services",
                             "desktop_app.ui", "desktop_app.cli"),
    "desktop_app.services": ("PySide6", "desktop_app.ui", "desktop_app.cli"),
}

PROBE = """
import importlib, pkgutil, sys
package = importlib.import_module({package!r})
for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(info.name)
forbidden = {forbidden!r}
bad = sorted(m for m in sys.modules if any(m == f or m.startswith(f + ".") for f in forbidden))
print("\\n".join(bad))
"""


@pytest.mark.parametrize("package", sorted(RULES))
def test_layer_imports_nothing_above_it(package):
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(package=package, forbidden=RULES[package])],
        capture_output=True, text=True, check=True,
    )
    assert out.stdout.strip() == "", f"{package} imports {out.stdout.split()}"
