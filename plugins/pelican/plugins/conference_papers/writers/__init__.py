"""Layer 7, the writers: each takes what it writes (papers, conferences, members,
settings) and returns what it wrote; the generator above calls them in order.

Cards and images, the pages of the list and of people, feeds, citations,
the social timeline and the search index."""
