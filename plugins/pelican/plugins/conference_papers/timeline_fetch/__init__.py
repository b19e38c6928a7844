"""``pelican-papers fetch-timeline``: a conference's tagged posts, fetched from
Mastodon (API, else the tagged RSS feed) or Bluesky (the public AppView), written
as a snapshot into the content folder (issue 4).

One layer, read top down: ``driver`` runs one conference's fetch; a provider
(``mastodon``, ``bluesky``) turns an account into plain post records through the
one paging loop of ``posts``; ``media`` downloads and checks their images;
``publish`` swaps the snapshot in whole; ``client`` is the one HTTP client
(base/http.py: https only, a deadline, a size cap, same-host redirects) with
the command's one-line messages. Nothing in the content folder changes unless
the whole fetch worked.
"""
