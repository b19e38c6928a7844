"""Importers: each parses one format (a Jekyll page, lab-website-template data,
BibTeX, arXiv, Crossref) into records that :mod:`.writer` turns into content
files. The command around them is ``commands/import_.py``."""
