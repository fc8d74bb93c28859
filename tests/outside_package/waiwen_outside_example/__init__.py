"""waiwen plug-ins that live outside waiwen, found through entry points only."""
