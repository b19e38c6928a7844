"""Layer 7, the writers: each takes what it writes (the ``Catalog`` of papers,
conferences and members, the settings, the output path, a render callable) and
returns what it wrote; none gets or changes our generator, which calls them in
order and collects their results (``images.withhold_svg`` is a hook on Pelican's
StaticGenerator, which it edits by design).

Cards and images, the pages of the list and of people, feeds, citations,
the social timeline and the search index."""

from importlib.resources import files

#: The plugin's default templates (a theme's files of the same names come first).
TEMPLATES = str(files(__name__.rpartition(".")[0]) / "templates")
