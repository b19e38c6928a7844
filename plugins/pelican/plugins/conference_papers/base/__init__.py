"""Layer 1, the ground under everything: rules and clients that import nothing of
ours but each other.

Text and URL rules, the one path rule, identifiers, names, paper kinds, the venue
recogniser, timeline accounts, icons, MathML, the HTML allowlist, the one HTTP
client, OpenAlex's work format and the paper-matching rule, the placeholder text
of ``new``, and every Pelican internal the plugin touches (``pelican_hooks``).
Being leaves, each can be read, tested and reused without the rest.
"""
