"""The build benchmark of issue 17 (``make bench``, ``python -m bench``).

Beside the tests rather than inside them: it times, it does not assert, and its
figures are goals on a shared, noisy machine. lab.py writes the synthetic labs
(the tests use it too), builds.py runs and measures, report.py prints and
compares.
"""
