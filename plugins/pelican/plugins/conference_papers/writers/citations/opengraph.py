"""Open Graph and Twitter card ``<meta>``: the preview a link to a paper's page
gets in a chat or a post. Their URLs must be absolute: without ``SITEURL``
(development builds) ``og:url`` and ``og:image`` are left out, not relative."""

from __future__ import annotations


def open_graph(cite) -> list[tuple[str, str]]:
    title = cite.paper.title
    found = [
        ("og:type", "article"),
        ("og:title", title),
        ("og:site_name", cite.citations.site_name),
    ]
    if cite.description:
        found.append(("og:description", cite.description))
    if cite.page_url:
        found.append(("og:url", cite.page_url))
    if cite.image_url:
        found += [
            ("og:image", cite.image_url),
            ("og:image:alt", f"Figure of “{title}”"),
        ]
    found.append(("article:published_time", cite.paper.date_iso))
    return found


def twitter(cite) -> list[tuple[str, str]]:
    title = cite.paper.title
    card = "summary_large_image" if cite.image_url else "summary"
    found = [("twitter:card", card), ("twitter:title", title)]
    if cite.description:
        found.append(("twitter:description", cite.description))
    if cite.image_url:
        found += [
            ("twitter:image", cite.image_url),
            ("twitter:image:alt", f"Figure of “{title}”"),
        ]
    return found
