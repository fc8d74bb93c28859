"""The site channel: a static multilingual site, published atomically one notice at a time."""

from publishers.site.builder import Site
from publishers.site.paths import page_path

__all__ = ["Site", "page_path"]
