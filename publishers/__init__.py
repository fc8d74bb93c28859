"""Floor 2: the channels a page is published on (the site, WeChat, installed publishers)."""
