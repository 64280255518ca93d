"""packaging/glibc_compat.py on a real shared library (fast; needs gcc and glibc >= 2.29)."""

from __future__ import annotations

import ctypes
import importlib.util
import shutil
import subprocess

import pytest

from tests.packaging.conftest import PACKAGING

SOURCE = """
#include <math.h>
double power(double x, double y) { return pow(x, y); }
double natural_log(double x) { return log(x); }
double square_root(double x) { return sqrt(x); }
"""


def load_compat():
    spec = importlib.util.spec_from_file_location("glibc_compat", PACKAGING / "glibc_compat.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def glibc_needs(path) -> set[str]:
    out = subprocess.run(
        ["readelf", "-V", "-W", str(path)], capture_output=True, text=True, check=True
    ).stdout
    needs = out.split("Version needs section", 1)[-1]
    return {word for word in needs.split() if word.startswith("GLIBC_")}


@pytest.mark.skipif(shutil.which("gcc") is None or shutil.which("readelf") is None, reason="gcc")
def test_pow_and_log_are_rebound_to_the_old_glibc_versions(tmp_path, layout):
    source = tmp_path / "m.c"
    source.write_text(SOURCE)
    library = tmp_path / "libm_user.so"
    subprocess.run(
        ["gcc", "-O2", "-shared", "-fPIC", "-fno-builtin", "-o", str(library), str(source), "-lm"],
        check=True,
    )
    if "GLIBC_2.29" not in glibc_needs(library):
        pytest.skip("this glibc is older than 2.29: nothing to rewrite")
    assert layout.glibc_required(tmp_path) == "2.29"
    compat = load_compat()
    assert sorted(compat.rewrite_math_versions(library)) == ["log", "pow"]
    assert "GLIBC_2.29" not in glibc_needs(library)
    assert "GLIBC_2.2.5" in glibc_needs(library)
    # the .deb's Depends: read from the version needs, not from the name left in the strings
    assert layout.glibc_required(tmp_path) < "2.29"
    loaded = ctypes.CDLL(str(library))  # ld.so accepts the rewritten version needs
    loaded.power.restype = loaded.natural_log.restype = ctypes.c_double
    loaded.power.argtypes = [ctypes.c_double, ctypes.c_double]
    loaded.natural_log.argtypes = [ctypes.c_double]
    assert loaded.power(2.0, 10.0) == 1024.0
    assert abs(loaded.natural_log(2.718281828459045) - 1.0) < 1e-12
    assert compat.rewrite_math_versions(library) == []  # a second run changes nothing


def test_a_newer_libc_need_is_left_alone(tmp_path):
    source = tmp_path / "t.c"
    source.write_text("#define _GNU_SOURCE\n#include <unistd.h>\nint tid(void){return gettid();}\n")
    library = tmp_path / "libtid.so"
    if shutil.which("gcc") is None:
        pytest.skip("gcc")
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(library), str(source)], check=True)
    before = library.read_bytes()
    assert load_compat().rewrite_math_versions(library) == []  # gettid (2.30) has no old version
    assert library.read_bytes() == before
