"""The one rule for paths that name a file: a leaf, above ``text`` only.

Every file name the content, a snapshot or an importer hands us passes here before
anything is read, copied or written: an ``Image:``, a ``Slug:`` (it becomes a
folder), a ``{static}`` link in an abstract, a timeline image, an old site's
preview picture. Each of them was a way out of a folder, or a way to smuggle
something past a later check:

- ``..``, an absolute path or a symbolic link climbs out of the root (a paper
  could publish ``/etc/passwd``, an import could copy the importer's SSH key);
- ``#`` and ``?`` end the path of a URL: ``evil.svg#.png`` is checked as a PNG
  and served as an SVG; ``%`` is decoded by browsers and servers (``%2e%2e``);
  ``,`` separates the candidates of a ``srcset``;
- a control character or a newline (``$`` in a regex matches before a trailing
  newline: every pattern here is ``fullmatch``);
- a name longer than the file system allows passes every check and kills the
  build with a traceback when it is written.

Refusals are reason strings ("it climbs out of content/"): the caller knows the
file and the line and makes a ``Problem`` of it, with what to write instead.
"""

from __future__ import annotations

import fnmatch
import os
import posixpath
import re
from collections.abc import Iterable

from .text import CONTROL_CHARS

#: The longest file name most file systems allow (ext4, APFS, NTFS: 255 bytes),
#: less room for what the build appends to a name (``-1280w.webp``, ``.bib``).
NAME_BYTES = 255 - 32
#: The longest relative path: well below PATH_MAX (4096 on Linux, 1024 on
#: macOS), which must also hold the folder of the site.
PATH_BYTES = 768
#: A slug becomes a folder and part of every address of the page: a word
#: character first (no dot: no hidden file, no ``..``), then words, ``.~-``.
SLUG = re.compile(r"\w[\w.~-]*")
#: Characters with a meaning in a URL or a srcset, where a file name would be
#: read as something else.
_URL_CHARS = re.compile(r"[#?%,]")


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be one component of a path, or None."""
    if not name:
        return "it has an empty part (two '/' in a row)"
    if name in (".", ".."):
        return f"it has a '{name}' part"
    if "\n" in name or "\r" in name or CONTROL_CHARS.search(name):
        return "it holds a line break or control characters"
    if "\\" in name or "/" in name:
        return "it holds a backslash"
    found = _URL_CHARS.search(name)
    if found:
        return (
            f"it holds '{found.group()}', which a browser reads as part of the "
            "address, not of the file name"
        )
    if len(name.encode("utf-8", "surrogatepass")) > NAME_BYTES:
        return f"a part of it is longer than {NAME_BYTES} bytes"
    return None


def slug_problem(slug: str) -> str | None:
    """Why ``slug`` cannot be a folder of the site, or None."""
    if not SLUG.fullmatch(slug):
        return (
            "it cannot be part of a web address "
            "(spaces, slashes, a line break or a dot in front)"
        )
    return name_problem(slug)


def relative_problem(path: str, folder: str = "its folder") -> str | None:
    """Why ``path`` (``/``-separated, relative) is no safe path below ``folder``
    (its name, for the reason: "content/").

    ``..`` parts are allowed where the path stays inside (``a/../b``); whether it
    really does, symbolic links included, only :func:`resolve` can say.
    """
    if not path:
        return "it is empty"
    if "\\" in path:
        return "it holds a backslash"
    if path.startswith("/") or re.match(r"[A-Za-z]:", path):
        return f"it is an absolute path, not a path under {folder}"
    if len(path.encode("utf-8", "surrogatepass")) > PATH_BYTES:
        return f"it is longer than {PATH_BYTES} bytes"
    depth = 0
    for part in path.split("/"):
        if part == "..":
            depth -= 1
            if depth < 0:
                return f"it points outside {folder} ('..')"
            continue
        if part == ".":
            continue
        reason = name_problem(part)
        if reason:
            return reason
        depth += 1
    if depth == 0:
        return f"it names {folder} itself, not a file in it"
    return None


def normalize(path: str) -> str:
    """``a/./b/../c`` as ``a/c`` (for a path :func:`relative_problem` accepts)."""
    return posixpath.normpath(path)


def is_inside(root: str, full_path: str) -> bool:
    """True when ``full_path``, symbolic links resolved, lies in ``root``."""
    real_root = os.path.realpath(root)
    target = os.path.realpath(full_path)
    return os.path.commonpath([real_root, target]) == real_root


def resolve(
    root: str, path: str, folder: str = "its folder"
) -> tuple[str | None, str | None]:
    """(the normalized relative path, None) when ``path`` is a safe name of a
    file below ``root``, or (None, why not). The file need not exist; where it
    does, or where one of its folders is a symbolic link, the link is followed."""
    reason = relative_problem(path, folder)
    if reason:
        return None, reason
    normal = normalize(path)
    if not is_inside(root, os.path.join(root, normal)):
        return None, f"it points outside {folder} through a symbolic link"
    return normal, None


def walk(
    root: str, ignore: Iterable[str] = ()
) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Every file below ``root`` (relative, sorted) and what stands in the way:
    ``(relative path, what is wrong, what to do)`` for each link that loops or
    leaves ``root`` and each folder or file that cannot be read.

    Pelican's walk (``os.walk(followlinks=True)``) follows a link back to its
    own folder until the path is too long (two such links: for ever) and skips
    a folder it cannot read without a word: a site without its papers and "0
    errors". This walk sees each folder once per path from the root, follows
    links that stay inside, and says what it did not follow. Names matching
    ``ignore`` (Pelican's ``IGNORE_FILES``) are left out, as Pelican does.
    """
    # One regex for every pattern: what fnmatch.fnmatch does with each, once
    # a name, not once a name and pattern (10,000 files in the devserver).
    patterns = [fnmatch.translate(os.path.normcase(p)) for p in ignore]
    ignored = re.compile("|".join(patterns)).match if patterns else None
    real_root = os.path.realpath(root)
    files: list[str] = []
    problems: list[tuple[str, str, str]] = []
    # (folder relative to root, real paths of it and its parents)
    pending: list[tuple[str, frozenset[str]]] = [("", frozenset({real_root}))]
    while pending:
        relative, parents = pending.pop()
        folder = os.path.join(root, relative) if relative else root
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as error:
            problems.append(
                (
                    relative or ".",
                    f"the folder cannot be read ({error.strerror})",
                    "give it read and search permission (chmod a+rx) or remove it",
                )
            )
            continue
        for entry in entries:
            if ignored and ignored(os.path.normcase(entry.name)):
                continue
            path = os.path.join(relative, entry.name) if relative else entry.name
            try:
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()
                link = entry.is_symlink()
            except OSError:  # a name too long, a vanished file
                is_dir = is_file = link = False
            if link:
                real = os.path.realpath(entry.path)
                if not is_dir and not is_file:
                    problems.append(
                        (
                            path,
                            "the symbolic link leads nowhere (its target is "
                            "missing or it points back at itself)",
                            "remove the link or point it at a file in the folder",
                        )
                    )
                    continue
                if os.path.commonpath([real_root, real]) != real_root:
                    problems.append(
                        (
                            path,
                            f"the symbolic link points outside the content folder "
                            f"(to {real})",
                            "copy what it points to into the content folder",
                        )
                    )
                    continue
                if is_dir and real in parents:
                    problems.append(
                        (
                            path,
                            "the symbolic link loops: it points back at "
                            f"'{os.path.relpath(real, real_root)}', a folder it "
                            "is in",
                            "remove the link (a folder cannot contain itself)",
                        )
                    )
                    continue
            if is_dir:
                real = os.path.realpath(entry.path)
                pending.append((path, parents | {real}))
            elif is_file:
                if not os.access(entry.path, os.R_OK):
                    problems.append(
                        (
                            path,
                            "the file cannot be read (permission denied)",
                            "give it read permission (chmod a+r) or remove it",
                        )
                    )
                    continue
                files.append(path)
    files.sort()
    return files, problems


#: The placeholders of Pelican's links whose target is a file of content/.
FILE_PLACEHOLDERS = frozenset({"static", "attach", "filename"})


def placeholder_host(placeholder: str, address: str) -> str | None:
    """The host name Pelican reads in ``address`` after a file placeholder
    (``{static}//etc/passwd``: the host ``etc``, the file ``passwd``), or None.

    The author meant a path; the URL rule refuses the address as schemeless,
    which names the wrong mistake: the fix is one slash, not a scheme."""
    if placeholder.strip("{}|") not in FILE_PLACEHOLDERS:
        return None
    if not address.startswith("//"):
        return None
    return address[2:].split("/", 1)[0] or None


def link_target(
    root: str, source_dir: str, target: str
) -> tuple[str | None, str | None]:
    """(the file under ``root``, None) that a ``{static}`` / ``{attach}`` /
    ``{filename}`` link of a file in ``source_dir`` names, or (None, why not).

    ``target`` is the path part of the link (no ``#fragment``, no ``?query``);
    it is read the way Pelican reads it (``/`` in front: from content/, else
    from the file's folder; ``%20`` is a space). Pelican publishes a ``{static}``
    target wherever it is, and writes it as far out of output/ as it climbed.
    """
    path = target.replace("%20", " ")
    path = path[1:] if path.startswith("/") else posixpath.join(source_dir, path)
    normal, reason = resolve(root, path, "content/")
    if reason:
        return None, reason
    if not os.path.isfile(os.path.join(root, normal)):
        return None, f"there is no file content/{normal}"
    return normal, None
