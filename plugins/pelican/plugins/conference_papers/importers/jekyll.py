"""``import jekyll``: a lab-website-template conference page -> conference + papers.

The page (see DESIGN.md's reference page) is read line by line: ``#`` the
conference, ``##`` the tracks, ``###`` a paper, ``####`` its authors, a
``{% capture text %}`` block its abstract, ``{% include … %}`` tags its image
and links, and the Twitter embed the conference's timeline. What is not
understood is kept as text and reported with its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote_plus, urlsplit

import yaml
from bs4 import BeautifulSoup

from ..base.text import strip_html
from ..base.venues import edition_slug, recognise
from ..writers.timeline import clean_post_html
from .common import (
    add_link_once,
    add_main_link,
    icon_or_default,
    is_code_host,
    looks_like_pdf,
    normalize_date,
    shortened,
    site_image,
    site_url,
)
from .writer import (
    ConferenceRecord,
    ImportFailure,
    PaperRecord,
    Warning_,
)
from .yaml_data import load_yaml

_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_ICON_HEADING = re.compile(r"""^<i\s+class\s*=\s*["']([^"']*)["']\s*>\s*</i>\s*""")
_WORKSHOP = re.compile(r"^(?P<name>.+?)\s+Workshop\s*:\s*(?P<title>.+)$")
_WORKSHOP_NAME = re.compile(r"\bworkshops?\s*(?:\(|$|on\b|at\b|@)", re.I)
_IAL = re.compile(r"^\s*\{:[^}]*\}\s*$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_YEAR_IN_TITLE = re.compile(r"(?:^|\s|')(\d{4}|\d{2})\s*$")
_FILE_DATE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})-")
_AFFILIATION = re.compile(r"[\d*†‡§¶#^]+$")
_BLOCK_START = re.compile(r"^\s*([-*+>|]|\d+[.)]\s|```|~~~|#)")


@dataclass
class JekyllPage:
    conference: ConferenceRecord
    papers: list[PaperRecord]
    warnings: list[Warning_] = field(default_factory=list)
    #: embedded posts, as entries of a timeline snapshot (newest first)
    posts: list[dict] = field(default_factory=list)


_TWEET_DATE = re.compile(r"^([A-Z][a-z]+) (\d{1,2}), (\d{4})$")
_STATUS = re.compile(
    r"^https://(?:mobile\.)?(?:twitter|x)\.com/(\w{1,15})/status(?:es)?/(\d{1,20})"
)
_MONTH_NAMES = {
    name: number
    for number, name in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
}


#: A Liquid output or tag inside a line of text (``{{ site.x }}``, ``{% if %}``).
_LIQUID_INLINE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


def parse_tweet(markup: str) -> dict | None:
    """A publish.twitter.com embed -> a snapshot post (X provider), or None.

    The embed holds the post's text, its author, its address and its day: that
    is what the post shows, statically; ``widgets.js`` is never kept. The embed
    gives no time of day: the post is dated at midnight UTC of its day.
    """
    soup = BeautifulSoup(markup, "html.parser")
    quote = soup.find("blockquote", class_="twitter-tweet")
    if quote is None:
        return None
    links = quote.find_all("a", href=True)
    status = next((a for a in reversed(links) if _STATUS.match(a["href"])), None)
    if status is None:
        return None
    handle, post_id = _STATUS.match(status["href"]).groups()
    day = _TWEET_DATE.match(status.get_text(" ", strip=True))
    if not day or day.group(1) not in _MONTH_NAMES:
        return None
    date = normalize_date(f"{day.group(3)}-{_MONTH_NAMES[day.group(1)]}-{day.group(2)}")
    if not date:
        return None
    body = quote.find("p")
    hashtags = [
        a.get_text(strip=True).lstrip("#")
        for a in (body.find_all("a", href=True) if body else [])
        if "/hashtag/" in a["href"]
    ]
    signature = quote.get_text(" ", strip=True)
    name = re.search(r"\u2014\s*(.+?)\s*\(@\w+\)", signature)
    return {
        "author": {
            "handle": f"@{handle}",
            "name": name.group(1) if name else handle,
            "url": f"https://x.com/{handle}",
        },
        "date": f"{date}T00:00:00+00:00",
        # The allowlist of the build runs again on this; only text and links.
        "html": str(clean_post_html(str(body))) if body else "",
        "hashtags": hashtags,
        "id": post_id,
        "media": [],
        "url": f"https://x.com/{handle}/status/{post_id}",
    }


def _attributes(tag: str) -> dict[str, str]:
    return {
        m.group(1): next(g for g in m.groups()[1:] if g is not None)
        for m in _ATTRIBUTE.finditer(tag)
    }


def _join_paragraphs(lines: list[str]) -> str:
    """Hard-wrapped lines become one line a paragraph; Markdown blocks stay."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if not line.strip():
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        paragraphs[-1].append(line.rstrip())
    out = []
    for paragraph in paragraphs:
        if not paragraph:
            continue
        if any(_BLOCK_START.match(line) for line in paragraph):
            out.append("\n".join(paragraph))
        else:
            out.append(" ".join(line.strip() for line in paragraph))
    return "\n\n".join(out)


def split_authors(text: str) -> list[str]:
    """``A1, B2,3, C and D*`` -> ``[A, B, C, D]`` (affiliation marks dropped)."""
    text = strip_html(text).replace("&", ",")
    names = []
    for part in re.split(r",|;|\band\b", text):
        name = " ".join(_AFFILIATION.sub("", part.strip()).split())
        if name and not name.isdigit() and re.search(r"[^\W\d_]", name):
            names.append(name)
    return names


def parse_timeline(url: str) -> tuple[str, str]:
    """``(account, hashtag)`` of a twitter-timeline embed's URL."""
    parts = urlsplit(url.strip())
    query = " ".join(
        unquote_plus(v)
        for v in parse_qs(parts.query, keep_blank_values=True).get("q", [])
    )
    path = unquote_plus(parts.path).strip("/")
    account = hashtag = ""
    match = re.search(r"from:\s*@?(\w+)", query)
    if match:
        account = match.group(1)
    match = re.search(r"#(\w+)", query)
    if match:
        hashtag = match.group(1)
    segments = [s for s in path.split("/") if s]
    if segments[:1] == ["hashtag"] and len(segments) > 1:
        hashtag = hashtag or segments[1]
    elif segments and segments[0] not in ("search", "i", "hashtag", "home"):
        account = account or segments[0].lstrip("@")
    return account, hashtag


def _bare_title(title: str) -> str:
    """A page's title without the year it ends with ("Lab Retreat '22")."""
    return re.sub(r"\s*'?(\d{4}|\d{2})\s*$", "", title)


def _conference_date(meta: dict, page_name: str, title: str, date: str | None):
    """(date, guessed): the option, the front matter, the file name, the title."""
    if date:
        value = normalize_date(date)
        if not value:
            raise ImportFailure(f"--date '{date}' is not a date; write YYYY-MM-DD")
        return value, False
    for candidate in (meta.get("date"), *_FILE_DATE.findall(page_name)):
        value = normalize_date(candidate) if candidate else None
        if value:
            return value, False
    match = _YEAR_IN_TITLE.search(title)
    if match:
        year = match.group(1)
        return (year if len(year) == 4 else "20" + year), True
    return None, False


def parse_page(
    text: str,
    name: str = "page.md",
    page: Path | None = None,
    date: str | None = None,
    slug: str | None = None,
    base_url: str = "",
) -> JekyllPage:
    """Read one page; raise ImportFailure when it is no conference page."""
    warnings: list[Warning_] = []

    def warn(line: int, message: str) -> None:
        warnings.append(Warning_(f"{name}:{line}", message))

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    meta: dict = {}
    start = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            raise ImportFailure(f"{name}:1: the front matter (---) is never closed")
        try:
            _, loaded = load_yaml("\n".join(lines[1:end]))
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 2 if mark else 1
            problem = getattr(error, "problem", None) or "not YAML"
            raise ImportFailure(
                f"{name}:{line}: the front matter is not YAML ({problem})"
            ) from None
        meta = loaded if isinstance(loaded, dict) else {}
        start = end + 1

    title, icon = strip_html(str(meta.get("title") or "")), ""
    account = hashtag = ""
    tracks: list[str] = []
    posts: list[dict] = []
    intro: list[str] = []
    papers: list[PaperRecord] = []
    paper: PaperRecord | None = None
    abstract: list[str] = []
    in_capture = False
    capture_line = 0
    outside_from = 0  # the line where text outside an abstract began
    track = ""
    number = start
    while number < len(lines):
        line = lines[number]
        lineno = number + 1
        number += 1
        stripped = line.strip()
        # A Liquid tag may run over several lines.
        if "{%" in stripped and "%}" not in stripped[stripped.index("{%") :]:
            while number < len(lines) and "%}" not in line:
                line += "\n" + lines[number]
                number += 1
            stripped = line.strip()
        # HTML comments are notes for editors, not content.
        if "<!--" in stripped:
            while "-->" not in stripped and number < len(lines):
                stripped += "\n" + lines[number]
                number += 1
            stripped = _COMMENT.sub("", stripped).strip()
            if not stripped:
                continue

        tag = re.fullmatch(r"\{%-?\s*(\w+)\s*(.*?)\s*-?%\}", stripped, re.DOTALL)
        if tag:
            kind, rest = tag.group(1), tag.group(2)
            if kind in ("comment", "raw") and f"end{kind}" in rest:
                if kind == "raw":
                    _keep(rest, in_capture, paper, abstract, intro)
                continue
            if kind in ("comment", "raw"):
                end = _block_end(lines, number, kind)
                if end is None:
                    raise ImportFailure(
                        f"{name}:{lineno}: '{{% {kind} %}}' is never closed; add "
                        f"'{{% end{kind} %}}' where it ends"
                    )
                if kind == "raw":  # kept as written, as Jekyll shows it
                    for kept in lines[number:end]:
                        _keep(kept.rstrip(), in_capture, paper, abstract, intro)
                number = end + 1
                continue
            if kind == "capture":
                if in_capture:
                    raise ImportFailure(
                        f"{name}:{capture_line}: this '{{% capture %}}' is never "
                        f"closed (the next one starts at line {lineno}); add "
                        "'{% endcapture %}' after the abstract"
                    )
                in_capture, abstract, capture_line = True, [], lineno
                continue
            if kind == "endcapture":
                in_capture = False
                continue
            if kind == "include":
                include = rest.split()[0] if rest.split() else ""
                attributes = _attributes(rest[len(include) :])
                if include == "link.html" and paper is not None:
                    _add_link(
                        paper, attributes, base_url, lambda m, n=lineno: warn(n, m)
                    )
                    continue
                if include in ("feature.html", "figure.html") and paper is not None:
                    _add_feature(
                        paper,
                        attributes,
                        page,
                        base_url,
                        lambda m, n=lineno: warn(n, m),
                    )
                    continue
            warn(lineno, f"'{shortened(stripped)}' is not understood; kept as text")
            _keep(stripped, in_capture, paper, abstract, intro)
            continue
        inline = _LIQUID_INLINE.search(stripped)
        if inline:  # Jekyll shows what it evaluates to; the page would show it raw
            warn(
                lineno,
                f"the Liquid '{shortened(inline.group(0))}' is not evaluated by the "
                "import; kept as text (write what it shows instead)",
            )

        if in_capture and re.match(r"^#{1,3}\s", stripped):
            raise ImportFailure(
                f"{name}:{capture_line}: this '{{% capture %}}' is never closed "
                f"(the heading at line {lineno} would become part of the abstract); "
                "add '{% endcapture %}' after the abstract"
            )
        if in_capture:
            if _IAL.match(stripped):
                warn(
                    lineno,
                    f"the Kramdown attribute '{stripped}' has no equivalent; left out",
                )
                continue
            abstract.append(line)
            if paper is not None:
                paper.abstract = _join_paragraphs(abstract)
            continue

        heading = re.match(r"^(#{1,4})\s+(.*)$", stripped)
        if heading:
            level, content = len(heading.group(1)), heading.group(2).strip()
            if level == 1:
                icon_match = _ICON_HEADING.match(content)
                if icon_match:
                    icon = icon_match.group(1).strip()
                    content = content[icon_match.end() :]
                title = strip_html(content) or title
            elif level == 2:
                # As written: "Full Paper (in the ... Proceedings)" is its name.
                track = strip_html(content)
                paper = None  # what follows belongs to the track, not a paper
                if track not in tracks:
                    tracks.append(track)
            elif level == 3:
                paper_title = strip_html(content)
                workshop = ""
                match = _WORKSHOP.match(paper_title)
                if match:
                    workshop, paper_title = match.group("name"), match.group("title")
                elif _WORKSHOP_NAME.search(paper_title):
                    warn(
                        lineno,
                        f"'{shortened(paper_title)}' reads as a workshop's name, not "
                        "a paper's title; write '### <Workshop name> Workshop: "
                        "<paper title>' (or '## <Workshop name>' as a track)",
                    )
                paper = PaperRecord(
                    title=paper_title,
                    authors=[],
                    conference="",
                    track=track,
                    workshop=workshop,
                    order=sum(p.track == track for p in papers) + 1,
                    origin=f"{name}:{lineno}",
                )
                papers.append(paper)
            elif paper is not None:
                paper.authors = split_authors(content)
            else:
                warn(lineno, "authors (####) before any paper (###); kept as text")
                intro.append(stripped)
            continue

        if "twitter-tweet" in stripped and "<blockquote" in stripped:
            while "</blockquote>" not in stripped and number < len(lines):
                stripped += "\n" + lines[number]
                number += 1
            post = parse_tweet(stripped)
            if post is None:
                warn(lineno, "an embedded post without its address or day; left out")
            else:
                posts.append(post)
            continue
        if "twitter-timeline" in stripped:
            href = re.search(r"""href\s*=\s*["']([^"']*)["']""", stripped)
            if href:
                account, hashtag = parse_timeline(href.group(1))
                if account or hashtag:
                    continue
            warn(lineno, "a Twitter embed without an account or hashtag; kept as text")
            _keep(stripped, False, paper, abstract, intro)
            continue
        if re.fullmatch(r"<script[^>]*>\s*</script>", stripped):
            continue
        if not stripped:
            outside_from = 0
            _keep("", False, paper, abstract, intro)
            continue
        if paper is None:
            intro.append(line.rstrip())
        else:
            if not outside_from:  # once a paragraph, not once a line
                outside_from = lineno
                warn(
                    lineno, f"'{shortened(stripped)}' outside the abstract; added to it"
                )
            paper.extra.setdefault("_after", "")
            paper.extra["_after"] += line.rstrip() + "\n"

    if in_capture:
        raise ImportFailure(
            f"{name}:{capture_line}: this '{{% capture %}}' is never closed; add "
            "'{% endcapture %}' after the abstract"
        )
    if not papers:
        raise ImportFailure(
            f"{name}: no papers found; a conference page has '### Paper title' headings"
        )
    if not title:
        raise ImportFailure(
            f"{name}:1: no conference title; add 'title:' to the front matter"
        )
    conference_date, guessed = _conference_date(meta, Path(name).name, title, date)
    if conference_date is None:
        raise ImportFailure(
            f"{name}: cannot tell when {title} took place; pass --date YYYY-MM-DD"
        )
    if guessed:
        warnings.append(
            Warning_(
                f"{name}:1",
                f"the page gives no date: Date {conference_date} is the title's "
                "year; add the conference's first day (or pass --date)",
            )
        )
    year = conference_date[:4]
    # The edition's slug by the recogniser's rule, the one BibTeX and LWT entries
    # use: a page "NeurIPS 22" and a booktitle "... (NeurIPS)" of 2022 meet in
    # neurips-2022. A page that reads as no conference is one all the same.
    venue = recognise(title, year=year, source_type="conference")
    conference_slug = slug or venue.slug or edition_slug(_bare_title(title), year)
    if venue.kind == "workshop" and venue.slug == conference_slug:
        # "eCVX Workshop at ECCV 24": the papers go to ECCV 24's workshop track.
        warnings.append(
            Warning_(
                f"{name}:1",
                f"'{title}' is a workshop of {venue.title}: its papers go to the"
                f" '{venue.track}' track of {conference_slug}"
                + (f" with 'Workshop: {venue.workshop}'" if venue.workshop else ""),
            )
        )
        title, tracks = venue.title, [venue.track]
        for paper in papers:
            paper.track = venue.track
            paper.workshop = paper.workshop or venue.workshop
    for paper in papers:
        _settle_figure_link(
            paper,
            lambda m, where=paper.origin: warnings.append(Warning_(where, m)),
        )
        paper.conference = conference_slug
        after = paper.extra.pop("_after", "")
        if after.strip():
            paper.abstract = (paper.abstract + "\n\n" + after).strip()
        if not paper.authors:
            warnings.append(Warning_(paper.origin, f"'{paper.title}' has no authors"))
    if posts and not account:
        account = posts[0]["author"]["handle"].lstrip("@")
    if posts and not hashtag:
        named = [tag for post in posts for tag in post["hashtags"]]
        hashtag = max(named, key=named.count) if named else ""
    for post in posts:
        del post["hashtags"]
    posts.sort(key=lambda p: (p["date"], p["id"]), reverse=True)
    conference = ConferenceRecord(
        slug=conference_slug,
        title=title,
        date=conference_date,
        icon=icon,
        tracks=tracks,
        hashtag=hashtag,
        timeline=f"x @{account}" if account else "",
        intro=_join_paragraphs(intro),
    )
    return JekyllPage(conference, papers, warnings, posts)


def _block_end(lines: list[str], start: int, kind: str) -> int | None:
    """The index of the line that ends a Liquid ``comment``/``raw`` block.

    Comments nest (Liquid 5 counts them: a ``{% comment %}`` inside one needs
    its own ``{% endcomment %}``, and everything up to the outer one is
    hidden); ``raw`` does not, its content is text."""
    tags = re.compile(r"\{%-?\s*(end)?" + kind + r"\s*-?%\}")
    depth = 1
    for index in range(start, len(lines)):
        for found in tags.finditer(lines[index]):
            if found.group(1):
                depth -= 1
            elif kind == "comment":
                depth += 1
            if depth == 0:
                return index
    return None


def _keep(text, in_capture, paper, abstract, intro) -> None:
    """Keep what was not understood, where it stood."""
    if in_capture:
        abstract.append(text)
        if paper is not None:
            paper.abstract = _join_paragraphs(abstract)
    elif paper is not None:
        if text:
            paper.extra["_after"] = paper.extra.get("_after", "") + text + "\n"
    else:
        intro.append(text)


def _add_link(paper: PaperRecord, attributes: dict, base_url: str, warn) -> None:
    url = site_url(attributes.get("link", ""), base_url, warn)
    if url is None:
        return
    text = strip_html(attributes.get("text", "")) or "Link"
    icon = attributes.get("icon", "")
    if (
        looks_like_pdf(url) or "pdf" in icon or text.lower() == "pdf"
    ) and not paper.pdf:
        paper.pdf = url
    elif (is_code_host(url) or text.lower() in ("source", "code")) and not paper.code:
        paper.code = url
    else:
        add_link_once(paper, text, url, icon_or_default(icon))


def _settle_figure_link(paper: PaperRecord, warn) -> None:
    """The figure's link, once the paper's own buttons are known: a button the
    page wrote on purpose wins over the link of its picture (a copy-paste slip
    in an old page sent one paper's figure to another paper's PDF)."""
    url = paper.extra.pop("_figure", "")
    if not url:
        return
    if paper.pdf and looks_like_pdf(url) and paper.pdf != url:
        warn(
            f"the figure links to {url} but the PDF button to {paper.pdf}; the "
            "button is kept: correct Pdf if the figure was right"
        )
        return
    add_main_link(paper, url)


def _add_feature(
    paper: PaperRecord, attributes: dict, page: Path | None, base_url: str, warn
) -> None:
    link = attributes.get("link", "")
    if link:
        url = site_url(link, base_url, warn)
        if url:
            paper.extra["_figure"] = url  # settled after the page's buttons
    # "{{ site.baseurl }}/images/x.png": the site's root; else the page's folder
    # or a parent of it (at most three up).
    image = attributes.get("image", "")
    relative = re.sub(r"^\{\{\s*site\.\w+\s*\}\}", "", image.strip()).lstrip("/")
    folders = [page.parent, *page.parent.parents][:4] if page is not None else []
    site_image(
        paper,
        image,
        [(folder, relative) for folder in folders],
        warn,
    )
