"""Floor 1: a notice as text: front matter, segments, counting, safe HTML, working days."""
