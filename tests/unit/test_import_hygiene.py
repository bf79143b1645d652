"""The domain layer must import without any UI library (design.md: data flows one way)."""

import subprocess
import sys


def test_lessons_package_imports_no_ui_library():
    code = (
        "import sys, pkgutil, importlib, lessons\n"
        "for mod in pkgutil.walk_packages(lessons.__path__, 'lessons.'):\n"
        "    importlib.import_module(mod.name)\n"
        "ui = ('textual', 'plotext', 'textual_plotext', 'rich')\n"
        "print([m for m in sys.modules if m.split('.')[0] in ui])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
