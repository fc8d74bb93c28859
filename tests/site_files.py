"""Reading a published site the way a web server does: every file under the site folder."""

from __future__ import annotations

import os
from pathlib import Path


def site_files(site_dir: Path) -> dict[str, bytes]:
    """Every file the site serves, by path relative to the site folder."""
    found = {}
    for folder, _, names in os.walk(site_dir, followlinks=True):
        for name in names:
            path = Path(folder) / name
            found[path.relative_to(site_dir).as_posix()] = path.read_bytes()
    return dict(sorted(found.items()))
