"""The real Debian FAQ (English and Simplified Chinese), unpacked once per session from Debian's packages."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

FAQ_PACKAGES = ("debian-faq", "debian-faq-zh-cn")


@pytest.fixture(scope="session")
def debian_faq(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding the FAQ's HTML chapters, zh-cn/ chapters, and gzipped PDF and text versions."""
    if shutil.which("apt-get") is None or shutil.which("dpkg-deb") is None:
        pytest.skip("apt-get and dpkg-deb are needed to fetch the Debian FAQ packages; this is not a Debian system")
    work = tmp_path_factory.mktemp("debian-faq")
    done = subprocess.run(
        ["apt-get", "download", *FAQ_PACKAGES], cwd=work, capture_output=True, text=True, timeout=300, check=False
    )
    debs = sorted(work.glob("*.deb"))
    if done.returncode != 0 or len(debs) != len(FAQ_PACKAGES):
        reason = (done.stderr.strip().splitlines() or ["no output"])[-1]
        pytest.skip(f"apt-get download {' '.join(FAQ_PACKAGES)} failed ({reason}); run apt-get update first")
    root = work / "root"
    for deb in debs:
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True, timeout=120)
    return root / "usr/share/doc/debian/FAQ"
