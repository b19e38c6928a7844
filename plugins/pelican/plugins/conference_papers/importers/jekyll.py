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


@dataclass(frozen=True)
class PageOptions:
    """What ``import jekyll`` is told about a page besides its text."""

    #: the page's file: images are found relative to its folder
    page: Path | None = None
    #: ``--date``: the conference's first day, when the page does not say
    date: str | None = None
    #: ``--slug``: the conference's slug, when the recogniser's is not wanted
    slug: str | None = None
    #: ``--base-url``: the site the page was published on
    base_url: str = ""


_TAG = re.compile(r"\{%-?\s*(\w+)\s*(.*?)\s*-?%\}", re.DOTALL)


def parse_page(
    text: str, name: str = "page.md", options: PageOptions | None = None
) -> JekyllPage:
    """Read one page; raise ImportFailure when it is no conference page."""
    reader = _PageReader(text, name, options or PageOptions())
    reader.read()
    return reader.finish()


class _PageReader:
    """One page, read line by line: what has been seen so far, where it goes.

    Each kind of line (a Liquid tag, a line of an abstract, a heading, an
    embed, text) has its own method; they share the state of the page."""

    def __init__(self, text: str, name: str, options: PageOptions) -> None:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.lines = text.split("\n")
        self.name = name
        self.options = options
        self.warnings: list[Warning_] = []
        self.meta: dict = {}
        self.number = 0  # the index of the next line to read
        self.title, self.icon = "", ""
        self.account = self.hashtag = ""
        self.tracks: list[str] = []
        self.posts: list[dict] = []
        self.intro: list[str] = []
        self.papers: list[PaperRecord] = []
        self.paper: PaperRecord | None = None
        self.abstract: list[str] = []
        self.in_capture = False
        self.capture_line = 0
        self.outside_from = 0  # the line where text outside an abstract began
        self.track = ""

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(Warning_(f"{self.name}:{line}", message))

    def read(self) -> None:
        self._front_matter()
        self.title = strip_html(str(self.meta.get("title") or ""))
        while self.number < len(self.lines):
            read = self._next_line()
            if read is not None:
                self._line(*read)
        if self.in_capture:
            raise ImportFailure(
                f"{self.name}:{self.capture_line}: this '{{% capture %}}' is never "
                "closed; add '{% endcapture %}' after the abstract"
            )

    def _front_matter(self) -> None:
        lines, name = self.lines, self.name
        if not lines or lines[0].strip() != "---":
            return
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
        self.meta = loaded if isinstance(loaded, dict) else {}
        self.number = end + 1

    def _next_line(self) -> tuple[str, int, str] | None:
        """(line, its number, stripped) of the next line, a Liquid tag that
        runs over several lines joined; None when it was only a comment."""
        lines = self.lines
        line = lines[self.number]
        lineno = self.number + 1
        self.number += 1
        stripped = line.strip()
        # A Liquid tag may run over several lines.
        if "{%" in stripped and "%}" not in stripped[stripped.index("{%") :]:
            while self.number < len(lines) and "%}" not in line:
                line += "\n" + lines[self.number]
                self.number += 1
            stripped = line.strip()
        # HTML comments are notes for editors, not content.
        if "<!--" in stripped:
            while "-->" not in stripped and self.number < len(lines):
                stripped += "\n" + lines[self.number]
                self.number += 1
            stripped = _COMMENT.sub("", stripped).strip()
            if not stripped:
                return None
        return line, lineno, stripped

    def _line(self, line: str, lineno: int, stripped: str) -> None:
        tag = _TAG.fullmatch(stripped)
        if tag:
            self._tag(tag.group(1), tag.group(2), lineno, stripped)
            return
        inline = _LIQUID_INLINE.search(stripped)
        if inline:  # Jekyll shows what it evaluates to; the page would show it raw
            self.warn(
                lineno,
                f"the Liquid '{shortened(inline.group(0))}' is not evaluated by the "
                "import; kept as text (write what it shows instead)",
            )
        if self.in_capture:
            self._abstract_line(line, lineno, stripped)
            return
        heading = re.match(r"^(#{1,4})\s+(.*)$", stripped)
        if heading:
            self._heading(
                len(heading.group(1)), heading.group(2).strip(), lineno, stripped
            )
            return
        if "twitter-tweet" in stripped and "<blockquote" in stripped:
            self._tweet(lineno, stripped)
        elif "twitter-timeline" in stripped:
            self._timeline(lineno, stripped)
        elif not re.fullmatch(r"<script[^>]*>\s*</script>", stripped):
            self._text(line, lineno, stripped)

    # Liquid tags

    def _tag(self, kind: str, rest: str, lineno: int, stripped: str) -> None:
        if kind in ("comment", "raw"):
            self._block(kind, rest, lineno)
        elif kind == "capture":
            self._capture(lineno)
        elif kind == "endcapture":
            self.in_capture = False
        elif not (kind == "include" and self._include(rest, lineno)):
            self.warn(
                lineno, f"'{shortened(stripped)}' is not understood; kept as text"
            )
            self._keep(stripped)

    def _block(self, kind: str, rest: str, lineno: int) -> None:
        """A ``comment`` block is left out, a ``raw`` one kept as written."""
        if f"end{kind}" in rest:
            if kind == "raw":
                self._keep(rest)
            return
        end = _block_end(self.lines, self.number, kind)
        if end is None:
            raise ImportFailure(
                f"{self.name}:{lineno}: '{{% {kind} %}}' is never closed; add "
                f"'{{% end{kind} %}}' where it ends"
            )
        if kind == "raw":  # kept as written, as Jekyll shows it
            for kept in self.lines[self.number : end]:
                self._keep(kept.rstrip())
        self.number = end + 1

    def _capture(self, lineno: int) -> None:
        if self.in_capture:
            raise ImportFailure(
                f"{self.name}:{self.capture_line}: this '{{% capture %}}' is never "
                f"closed (the next one starts at line {lineno}); add "
                "'{% endcapture %}' after the abstract"
            )
        self.in_capture, self.abstract, self.capture_line = True, [], lineno

    def _include(self, rest: str, lineno: int) -> bool:
        """A paper's link or figure; False when it is neither."""
        include = rest.split()[0] if rest.split() else ""
        attributes = _attributes(rest[len(include) :])
        if self.paper is None:
            return False
        options = self.options

        def warn(message: str) -> None:
            self.warn(lineno, message)

        if include == "link.html":
            _add_link(self.paper, attributes, options.base_url, warn)
            return True
        if include in ("feature.html", "figure.html"):
            _add_feature(self.paper, attributes, options.page, options.base_url, warn)
            return True
        return False

    # Lines of text

    def _abstract_line(self, line: str, lineno: int, stripped: str) -> None:
        if re.match(r"^#{1,3}\s", stripped):
            raise ImportFailure(
                f"{self.name}:{self.capture_line}: this '{{% capture %}}' is never "
                f"closed (the heading at line {lineno} would become part of the "
                "abstract); add '{% endcapture %}' after the abstract"
            )
        if _IAL.match(stripped):
            self.warn(
                lineno,
                f"the Kramdown attribute '{stripped}' has no equivalent; left out",
            )
            return
        self.abstract.append(line)
        if self.paper is not None:
            self.paper.abstract = _join_paragraphs(self.abstract)

    def _heading(self, level: int, content: str, lineno: int, stripped: str) -> None:
        """``#`` the conference, ``##`` a track, ``###`` a paper, ``####`` authors."""
        handler = {
            1: self._title_heading,
            2: self._track_heading,
            3: self._paper_heading,
            4: self._authors,
        }[level]
        handler(content, lineno, stripped)

    def _title_heading(self, content: str, lineno: int, stripped: str) -> None:
        icon_match = _ICON_HEADING.match(content)
        if icon_match:
            self.icon = icon_match.group(1).strip()
            content = content[icon_match.end() :]
        self.title = strip_html(content) or self.title

    def _track_heading(self, content: str, lineno: int, stripped: str) -> None:
        # As written: "Full Paper (in the ... Proceedings)" is its name.
        self.track = strip_html(content)
        self.paper = None  # what follows belongs to the track, not a paper
        if self.track not in self.tracks:
            self.tracks.append(self.track)

    def _paper_heading(self, content: str, lineno: int, stripped: str) -> None:
        paper_title = strip_html(content)
        workshop = ""
        match = _WORKSHOP.match(paper_title)
        if match:
            workshop, paper_title = match.group("name"), match.group("title")
        elif _WORKSHOP_NAME.search(paper_title):
            self.warn(
                lineno,
                f"'{shortened(paper_title)}' reads as a workshop's name, not "
                "a paper's title; write '### <Workshop name> Workshop: "
                "<paper title>' (or '## <Workshop name>' as a track)",
            )
        self.paper = PaperRecord(
            title=paper_title,
            authors=[],
            conference="",
            track=self.track,
            workshop=workshop,
            order=sum(p.track == self.track for p in self.papers) + 1,
            origin=f"{self.name}:{lineno}",
        )
        self.papers.append(self.paper)

    def _authors(self, content: str, lineno: int, stripped: str) -> None:
        if self.paper is not None:
            self.paper.authors = split_authors(content)
        else:
            self.warn(lineno, "authors (####) before any paper (###); kept as text")
            self.intro.append(stripped)

    def _tweet(self, lineno: int, stripped: str) -> None:
        while "</blockquote>" not in stripped and self.number < len(self.lines):
            stripped += "\n" + self.lines[self.number]
            self.number += 1
        post = parse_tweet(stripped)
        if post is None:
            self.warn(lineno, "an embedded post without its address or day; left out")
        else:
            self.posts.append(post)

    def _timeline(self, lineno: int, stripped: str) -> None:
        href = re.search(r"""href\s*=\s*["']([^"']*)["']""", stripped)
        if href:
            self.account, self.hashtag = parse_timeline(href.group(1))
            if self.account or self.hashtag:
                return
        self.warn(lineno, "a Twitter embed without an account or hashtag; kept as text")
        self._keep(stripped)

    def _text(self, line: str, lineno: int, stripped: str) -> None:
        if not stripped:
            self.outside_from = 0
            self._keep("")
        elif self.paper is None:
            self.intro.append(line.rstrip())
        else:
            if not self.outside_from:  # once a paragraph, not once a line
                self.outside_from = lineno
                self.warn(
                    lineno, f"'{shortened(stripped)}' outside the abstract; added to it"
                )
            self.paper.extra.setdefault("_after", "")
            self.paper.extra["_after"] += line.rstrip() + "\n"

    def _keep(self, text: str) -> None:
        """Keep what was not understood, where it stood."""
        if self.in_capture:
            self.abstract.append(text)
            if self.paper is not None:
                self.paper.abstract = _join_paragraphs(self.abstract)
        elif self.paper is not None:
            if text:
                self.paper.extra["_after"] = (
                    self.paper.extra.get("_after", "") + text + "\n"
                )
        else:
            self.intro.append(text)

    # The page, once read

    def finish(self) -> JekyllPage:
        name, title = self.name, self.title
        if not self.papers:
            raise ImportFailure(
                f"{name}: no papers found; a conference page has '### Paper title' "
                "headings"
            )
        if not title:
            raise ImportFailure(
                f"{name}:1: no conference title; add 'title:' to the front matter"
            )
        conference_date = self._date()
        year = conference_date[:4]
        # The edition's slug by the recogniser's rule, the one BibTeX and LWT
        # entries use: a page "NeurIPS 22" and a booktitle "... (NeurIPS)" of 2022
        # meet in neurips-2022. A page that reads as no conference is one all the
        # same.
        venue = recognise(title, year=year, source_type="conference")
        conference_slug = (
            self.options.slug or venue.slug or edition_slug(_bare_title(title), year)
        )
        if venue.kind == "workshop" and venue.slug == conference_slug:
            self._into_workshop_track(venue, conference_slug)
        self._settle_papers(conference_slug)
        self._settle_posts()
        conference = ConferenceRecord(
            slug=conference_slug,
            title=self.title,
            date=conference_date,
            icon=self.icon,
            tracks=self.tracks,
            hashtag=self.hashtag,
            timeline=f"x @{self.account}" if self.account else "",
            intro=_join_paragraphs(self.intro),
        )
        return JekyllPage(conference, self.papers, self.warnings, self.posts)

    def _date(self) -> str:
        name, title = self.name, self.title
        conference_date, guessed = _conference_date(
            self.meta, Path(name).name, title, self.options.date
        )
        if conference_date is None:
            raise ImportFailure(
                f"{name}: cannot tell when {title} took place; pass --date YYYY-MM-DD"
            )
        if guessed:
            self.warnings.append(
                Warning_(
                    f"{name}:1",
                    f"the page gives no date: Date {conference_date} is the title's "
                    "year; add the conference's first day (or pass --date)",
                )
            )
        return conference_date

    def _into_workshop_track(self, venue, conference_slug: str) -> None:
        """A page of a workshop ("eCVX Workshop at ECCV 24"): its papers go to
        the workshop track of the conference (ECCV 24)."""
        self.warnings.append(
            Warning_(
                f"{self.name}:1",
                f"'{self.title}' is a workshop of {venue.title}: its papers go to the"
                f" '{venue.track}' track of {conference_slug}"
                + (f" with 'Workshop: {venue.workshop}'" if venue.workshop else ""),
            )
        )
        self.title, self.tracks = venue.title, [venue.track]
        for paper in self.papers:
            paper.track = venue.track
            paper.workshop = paper.workshop or venue.workshop

    def _settle_papers(self, conference_slug: str) -> None:
        warnings = self.warnings
        for paper in self.papers:
            _settle_figure_link(
                paper,
                lambda m, where=paper.origin: warnings.append(Warning_(where, m)),
            )
            paper.conference = conference_slug
            after = paper.extra.pop("_after", "")
            if after.strip():
                paper.abstract = (paper.abstract + "\n\n" + after).strip()
            if not paper.authors:
                warnings.append(
                    Warning_(paper.origin, f"'{paper.title}' has no authors")
                )

    def _settle_posts(self) -> None:
        posts = self.posts
        if posts and not self.account:
            self.account = posts[0]["author"]["handle"].lstrip("@")
        if posts and not self.hashtag:
            named = [tag for post in posts for tag in post["hashtags"]]
            self.hashtag = max(named, key=named.count) if named else ""
        for post in posts:
            del post["hashtags"]
        posts.sort(key=lambda p: (p["date"], p["id"]), reverse=True)


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
