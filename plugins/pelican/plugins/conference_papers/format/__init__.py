"""Layer 3, the content format: what a conference, paper or member file may say,
and the parsers that turn a file's header into checked fields with the problems
(file, line, what to write instead) of what it got wrong."""
