"""Debian's nginx serves the site folder while notices are published into it: no request fails.

Every response is checked against what the site held before and after each publish the request
overlapped: a file there before and after is always served, whole, as one of those versions.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit
from xml.etree import ElementTree as ET

import pytest

from publishers.site import Site
from tests.publishers.site_links import alternates
from tests.publishers.site_pages import COLUMNS, pages
from tests.site_files import site_files

NGINX = Path("/usr/sbin/nginx")
# Everything nginx writes stays in the test's folder; one process, no user switch, no daemon.
CONFIG = """daemon off;
master_process off;
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log info;
events {{ worker_connections 64; }}
http {{
    types {{
        text/html html; application/xml xml; application/json json; text/css css;
        text/javascript js; image/png png; image/jpeg jpg; image/gif gif;
    }}
    default_type application/octet-stream;
    access_log {root}/access.log;
    client_body_temp_path {root}/temp/body;
    proxy_temp_path {root}/temp/proxy;
    fastcgi_temp_path {root}/temp/fastcgi;
    uwsgi_temp_path {root}/temp/uwsgi;
    scgi_temp_path {root}/temp/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {site};
        index index.html;
    }}
}}
"""
STARTUP_SECONDS = 20  # a bound on waiting for nginx to answer, not a pause


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_answering(server: subprocess.Popen[bytes], port: int, root: Path) -> None:
    """Poll the port until nginx accepts a connection (bounded; fails at once if nginx quits)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=0.05)  # waits on nginx itself: returns at once if it quit
        if server.returncode is not None or time.monotonic() > deadline:
            logs = [root / "stderr.log", root / "error.log"]
            said = "".join(log.read_text(encoding="utf-8") for log in logs if log.exists())
            pytest.fail(f"nginx did not answer on port {port}: {said}")


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """Debian's nginx serving an (empty) site folder on a loopback port: (address, site folder)."""
    if not NGINX.exists():
        reason = f"{NGINX} is not installed (Debian package nginx)"
        if os.environ.get("WAIWEN_REQUIRE_NGINX"):
            pytest.fail(f"{reason}, and WAIWEN_REQUIRE_NGINX is set")
        pytest.skip(reason)
    root, site_dir, port = tmp_path / "nginx", tmp_path / "site", free_port()
    (root / "temp").mkdir(parents=True)
    config = root / "nginx.conf"
    config.write_text(CONFIG.format(root=root, port=port, site=site_dir), encoding="utf-8")
    with open(root / "stderr.log", "wb") as stderr:
        server = subprocess.Popen(
            [str(NGINX), "-e", str(root / "error.log"), "-p", str(root), "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        wait_until_answering(server, port, root)
        yield f"http://127.0.0.1:{port}/", site_dir
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@dataclass
class Fetch:
    """One request: the path, what came back, and the publishes it may have overlapped."""

    path: str
    status: int | str  # an HTTP status, or the error that stopped the request
    body: bytes
    finished_before: int  # publishes done when the request was sent
    started_after: int  # publishes begun when the answer was read to its end


class Publishing:
    """Runs publishes one after another, with a snapshot of the site after each."""

    def __init__(self, site_dir: Path, operations: list[Callable[[], object]]) -> None:
        self.site_dir = site_dir
        self.operations = operations
        self.started = 0
        self.finished = 0
        self.snapshots = [site_files(site_dir)]
        self.fetched = threading.Event()

    def run(self) -> None:
        for number, operation in enumerate(self.operations, start=1):
            # Let at least one request through between publishes, so every publish meets some.
            assert self.fetched.wait(timeout=60), "the requests stopped"
            self.fetched.clear()
            self.started = number
            operation()
            self.snapshots.append(site_files(self.site_dir))
            self.finished = number


class Client:
    """Keep-alive HTTP requests to the server, recorded with the publishing progress around them."""

    def __init__(self, address: str, publishing: Publishing) -> None:
        parts = urlsplit(address)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.publishing = publishing
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        self.fetches: list[Fetch] = []

    def get(self, path: str) -> Fetch:
        before = self.publishing.finished
        try:
            self.connection.request("GET", "/" + quote(path))
            response = self.connection.getresponse()
            status: int | str = response.status
            body = response.read()
        except (OSError, http.client.HTTPException) as error:
            status, body = f"{type(error).__name__}: {error}", b""
            self.connection.close()
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        fetch = Fetch(path, status, body, before, self.publishing.started)
        self.fetches.append(fetch)
        self.publishing.fetched.set()
        return fetch


def whole(path: str, body: bytes) -> bool:
    """The body is a complete file of its kind."""
    if path.endswith(".html"):
        return body.rstrip().endswith(b"</html>")
    if path.endswith(".xml"):
        ET.fromstring(body)
    elif path.endswith(".json"):
        json.loads(body)
    return True


def test_nginx_serves_every_page_whole_while_notices_are_published(
    nginx: tuple[str, Path],
) -> None:
    address, site_dir = nginx
    site = Site(site_dir, address, COLUMNS)  # alternates and feeds point at this server
    for notice_id in (*range(1, 13), 501, 502):
        site.publish_notice(pages(notice_id))
    operations: list[Callable[[], object]] = [
        lambda: site.publish_notice(pages(13)),
        lambda: site.publish_notice(pages(14)),
        lambda: site.retract(5),
        lambda: site.publish_notice(pages(5)),  # published again after its retraction
        lambda: site.publish_notice(pages(3, title="Notice 3, second version")),
        lambda: site.publish_notice(pages(503)),
        lambda: site.publish_notice(pages(14, ("zh", "en"))),  # three languages taken off
        lambda: site.retract(13),
        lambda: site.publish_notice(pages(15)),
        lambda: site.publish_notice(pages(1002)),  # a new page folder
    ]
    publishing = Publishing(site_dir, operations)
    served = publishing.snapshots[0]
    watched = sorted(
        name
        for name in served
        if not name.startswith(("media/", "assets/")) and "/notices/" not in name
    ) + [
        f"{language}/notices/{notice_id // 500}/{notice_id}.html"
        for notice_id in (1, 3, 5, 13, 14, 503, 1002)
        for language in ("zh", "en", "ja", "fr", "ko")
    ]
    client = Client(address, publishing)

    with ThreadPoolExecutor(1) as pool:
        done = pool.submit(publishing.run)
        while not done.done():
            for path in watched:
                fetch = client.get(path)
                if fetch.status == 200 and path.endswith(".html"):
                    for _, alternate in alternates(fetch.body):
                        client.get(unquote(alternate.removeprefix(address)))
                if done.done():
                    break
        done.result()

    snapshots = publishing.snapshots
    assert len(snapshots) == len(operations) + 1
    problems = []
    for fetch in client.fetches:
        versions = [
            snapshots[k].get(fetch.path)
            for k in range(fetch.finished_before, fetch.started_after + 1)
        ]
        always_there = all(version is not None for version in versions)
        if fetch.status == 200:
            if fetch.body not in versions or not whole(fetch.path, fetch.body):
                problems.append(f"{fetch.path}: {len(fetch.body)} bytes no publish wrote")
        elif fetch.status != 404 or always_there:
            problems.append(
                f"{fetch.path}: {fetch.status} (there before and after: {always_there})"
            )
    assert problems == []
