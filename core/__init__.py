"""The ground floor: what every other package may use, importing nothing of waiwen."""
