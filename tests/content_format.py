"""Write docs/content-format.md from the table of keys (format/fields.py).

``.venv/bin/python -m tests.content_format`` after a change to the table;
tests/unit/test_content_format.py fails while the committed file differs.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pelican.plugins.conference_papers.format import fields

DOC = Path(__file__).resolve().parents[1] / "docs" / "content-format.md"


def main() -> int:
    DOC.write_text(fields.markdown(), encoding="utf-8")
    print(f"{DOC}: {sum(len(keys) for keys in fields.TABLE.values())} keys")
    return 0


if __name__ == "__main__":
    sys.exit(main())
