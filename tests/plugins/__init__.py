"""The three plug-in points, tried with a package from outside waiwen (tests/outside_package)."""
