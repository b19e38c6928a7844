"""The ``pelican-papers`` commands (the top layer): main.py parses and
dispatches, one module per command does the work."""
