"""Channels by stable id: the built-in ones and those installed as entry points."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable
from importlib.metadata import EntryPoint, entry_points

from core.settings import Settings
from publishers.base import CHANNEL_ID, Publisher

__all__ = [
    "BUILTIN_CHANNELS",
    "ENTRY_POINT_GROUP",
    "PublisherFactory",
    "available_channels",
    "build_publisher",
    "build_publishers",
]

ENTRY_POINT_GROUP = "waiwen.publishers"

PublisherFactory = Callable[[Settings], Publisher]

# id -> "module:factory". Imported lazily so that a channel left out of WAIWEN_CHANNELS costs
# nothing. Adding a built-in channel: one package under publishers/, one line here.
_BUILTIN: dict[str, str] = {
    "site": "publishers.site.publisher:from_settings",
    "wechat": "publishers.wechat.channel:from_settings",
}
BUILTIN_CHANNELS: tuple[str, ...] = tuple(_BUILTIN)

log = logging.getLogger("waiwen.channels")


def _entry_points() -> dict[str, EntryPoint]:
    found = {}
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        if entry_point.name in _BUILTIN:
            # A built-in id cannot be taken over by an installed package.
            log.warning(
                "ignoring entry point %s = %s (group %s): %r is a built-in channel",
                entry_point.name,
                entry_point.value,
                ENTRY_POINT_GROUP,
                entry_point.name,
            )
            continue
        found[entry_point.name] = entry_point
    return found


def available_channels() -> list[str]:
    """Ids of the built-in channels, then those installed under `waiwen.publishers`."""
    return [*_BUILTIN, *sorted(_entry_points())]


def build_publisher(channel_id: str, settings: Settings) -> Publisher:
    """Build the channel registered as `channel_id`; ValueError or TypeError saying what is wrong."""
    if channel_id in _BUILTIN:
        module_name, _, attribute = _BUILTIN[channel_id].partition(":")
        factory: PublisherFactory = getattr(importlib.import_module(module_name), attribute)
        return _checked(channel_id, factory(settings), f"built-in channel {channel_id!r}")
    installed = _entry_points()
    if channel_id not in installed:
        raise ValueError(
            f"unknown channel {channel_id!r}; known channels: {', '.join(available_channels())}"
        )
    entry_point = installed[channel_id]
    where = f"entry point {entry_point.name} = {entry_point.value} (group {ENTRY_POINT_GROUP})"
    if not CHANNEL_ID.fullmatch(channel_id):
        raise ValueError(
            f"{where}: {channel_id!r} is not a channel id (at most 20 lower-case letters and "
            "digits in words joined by hyphens, e.g. partner-portal): rename the entry point"
        )
    try:
        factory = entry_point.load()
    except Exception as error:  # an outside package's import can fail in any way
        raise ValueError(f"{where} could not be loaded: {type(error).__name__}: {error}") from error
    try:
        publisher = factory(settings)
    except Exception as error:  # say whose factory refused, and why
        raise ValueError(f"{where} could not build its channel: {error}") from error
    return _checked(channel_id, publisher, where)


def build_publishers(settings: Settings, also: Iterable[str] = ()) -> dict[str, Publisher]:
    """The channels WAIWEN_CHANNELS names, by id, in its order; unknown ids refused, naming the known.

    `also` are channels wanted besides, where they can be had (a retraction asks every channel
    with a record of the notice): one not installed here, or that cannot be built, is left out
    with a warning in the log.
    """
    known = available_channels()
    unknown = [channel_id for channel_id in settings.channels if channel_id not in known]
    if unknown:
        raise ValueError(
            f"WAIWEN_CHANNELS names {', '.join(map(repr, unknown))}, which "
            f"{'is not a channel' if len(unknown) == 1 else 'are not channels'} here; known "
            f"channels: {', '.join(known)} (others are installed as entry points of the group "
            f"{ENTRY_POINT_GROUP})"
        )
    built = {channel_id: build_publisher(channel_id, settings) for channel_id in settings.channels}
    for channel_id in also:
        if channel_id in built:
            continue
        if channel_id not in known:
            log.warning("channel %s is not installed here", channel_id)
            continue
        try:
            built[channel_id] = build_publisher(channel_id, settings)
        except ValueError as error:
            log.warning("channel %s cannot be used here: %s", channel_id, error)
    return built


def _checked(channel_id: str, publisher: object, where: str) -> Publisher:
    """The publisher, once it is one and carries the id it is registered under."""
    if not isinstance(publisher, Publisher):
        raise TypeError(
            f"{where} returned {type(publisher).__name__}, which is not a publisher: it needs "
            "channel, supports, publish, status and retract (publishers/base.py)"
        )
    if publisher.channel != channel_id:
        raise ValueError(
            f"{where} built a channel whose id is {publisher.channel!r}, not {channel_id!r}: "
            "the entry point's name and the publisher's channel must be the same"
        )
    return publisher
