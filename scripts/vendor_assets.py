"""Copy the front-end packages installed by npm (package-lock.json) into the static tree.

Nothing is loaded from a CDN at run time: schools and bureaus often run on intranets.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "src" / "educio" / "static" / "vendor"

FILES = {
    "tabler": [
        "@tabler/core/dist/css/tabler.min.css",
        "@tabler/core/dist/css/tabler.min.css.map",
        "@tabler/core/dist/js/tabler.min.js",
        "@tabler/core/dist/js/tabler.min.js.map",
    ],
    "echarts": ["echarts/dist/echarts.min.js"],
    "htmx": ["htmx.org/dist/htmx.min.js"],
}


def main() -> int:
    missing = [rel for rels in FILES.values() for rel in rels if not (NODE / rel).exists()]
    if missing:
        print("missing front-end files (run npm ci):", ", ".join(missing), file=sys.stderr)
        return 1
    for folder, rels in FILES.items():
        target = VENDOR / folder
        target.mkdir(parents=True, exist_ok=True)
        for rel in rels:
            shutil.copy2(NODE / rel, target / Path(rel).name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
