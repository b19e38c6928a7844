"""A reference column: Hugo (Debian's ``hugo``) building the same papers.

Only when the binary is installed (``apt-get install hugo``); the bench reports
``null`` otherwise. The site is the bare minimum that gives every paper its own
page from the same title, date, authors, tags and Markdown abstract, and every
conference a list page: no theme, no taxonomies, no feeds, as plain Pelican's
column. It shows how far a compiled engine is from the floor of a Python one.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

CONFIG = """\
baseURL = "/"
title = "Keuper Labs"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.goldmark.renderer]
unsafe = false
"""

SINGLE = """\
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1>
<p>{{ delimit .Params.authors ", " }}</p>
<p><time>{{ .Date.Format "2006-01-02" }}</time></p>
{{ .Content }}
</main></body></html>
"""

LIST = """\
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</main></body></html>
"""


def version() -> str | None:
    if not shutil.which("hugo"):
        return None
    done = subprocess.run(["hugo", "version"], capture_output=True, text=True)
    return done.stdout.split()[1] if done.returncode == 0 else None


def _front_matter(text: str) -> tuple[dict, str]:
    """Our paper file's header (``Key: value`` lines) and its abstract."""
    head, _, body = text.partition("\n\n")
    fields = dict(line.split(": ", 1) for line in head.splitlines())
    matter = {
        "title": fields["Title"],
        "date": fields["Date"],
        "authors": [a.strip() for a in fields["Authors"].split(",")],
        "tags": [t.strip() for t in fields.get("Tags", "").split(",") if t.strip()],
    }
    return matter, body


def write_site(root: Path, content: Path) -> Path:
    """The Hugo site of the lab in ``content``; JSON front matter, which Hugo
    reads natively, so that no YAML writer is needed."""
    site = root / "hugo-site"
    shutil.rmtree(site, ignore_errors=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "config.toml").write_text(CONFIG, encoding="utf-8")
    (site / "layouts" / "_default" / "single.html").write_text(SINGLE, "utf-8")
    (site / "layouts" / "_default" / "list.html").write_text(LIST, "utf-8")
    for conference in sorted((content / "papers").iterdir()):
        folder = site / "content" / "papers" / conference.name
        folder.mkdir(parents=True)
        index = json.dumps({"title": conference.name})
        (folder / "_index.md").write_text(index + "\n", encoding="utf-8")
        for paper in sorted(conference.glob("*.md")):
            matter, body = _front_matter(paper.read_text(encoding="utf-8"))
            text = json.dumps(matter, ensure_ascii=False) + "\n\n" + body
            (folder / paper.name).write_text(text, encoding="utf-8")
    return site


def command(root: Path, site: Path, output: Path) -> list[str]:
    return [
        "hugo",
        "--source",
        str(site),
        "--destination",
        str(output),
        "--cacheDir",
        str(root / "cache-hugo"),
        "--quiet",
    ]


def paper_pages(output: Path) -> int:
    return sum(1 for _ in (output / "papers").glob("*/*/index.html"))
