"""Request bodies over a real socket: who sends one is checked before it is read, and its size.

The desk runs under uvicorn on loopback, with the options `waiwen serve` uses. The client writes
the body piece by piece from a generator and stops once the server answers, so the number of
bytes the generator gave shows how much the server let in before refusing.
"""

from __future__ import annotations

import select
import socket
import threading
import tracemalloc
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from core.settings import Settings
from desk import accounts, queue
from desk.app import SERVER_OPTIONS, create_app
from desk.auth import SESSION_COOKIE
from store.db import transaction
from tests.desk.conftest import EDITOR, PASSWORD, HandOvers
from tests.notices import row_counts, write_notice

MB = 1_000_000
BOUNDARY = "waiwen-test-boundary"
PIECE = b"x" * 65_536  # one object, yielded again and again: the test itself holds no 100 MB


class Served:
    """The desk under uvicorn on a loopback port of its own."""

    def __init__(self, app: Any) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", **SERVER_OPTIONS)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    def __enter__(self) -> Served:
        self.thread.start()
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            self.thread.join(0.01)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(30)
        self.socket.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class Counted:
    """The pieces of a body, counting the bytes handed out."""

    def __init__(self, pieces: Iterable[bytes]) -> None:
        self.pieces, self.given = pieces, 0

    def __iter__(self) -> Iterator[bytes]:
        for piece in self.pieces:
            self.given += len(piece)
            yield piece


def multipart(csrf: str, size: int) -> Iterator[bytes]:
    """A one-file upload form whose file has ``size`` bytes."""
    yield (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{csrf}\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="big.md"\r\n'
        "Content-Type: text/markdown\r\n\r\n"
    ).encode()
    left = size
    while left > 0:
        piece = PIECE if left >= len(PIECE) else PIECE[:left]
        left -= len(piece)
        yield piece
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def chunked(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """The pieces in HTTP/1.1 chunked encoding."""
    for piece in pieces:
        yield b"%x\r\n" % len(piece) + piece + b"\r\n"
    yield b"0\r\n\r\n"


def post(
    served: Served, path: str, body: Counted, cookie: str = "", length: int | None = None
) -> tuple[int, bytes]:
    """POST ``body`` without waiting to be asked; stop writing once the server answers.

    Returns the status and the answer. With ``length`` the request declares its Content-Length,
    otherwise it is chunked.
    """
    head = [
        f"POST {path} HTTP/1.1",
        f"Host: 127.0.0.1:{served.port}",
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}",
        f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked",
    ]
    if cookie:
        head.append(f"Cookie: {SESSION_COOKIE}={cookie}")
    answer = b""
    with socket.create_connection(("127.0.0.1", served.port), timeout=60) as client:
        client.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65_536)
        client.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        client.setblocking(False)
        pieces, pending, writing = iter(body), b"", True
        while True:
            readable, writable, _ = select.select([client], [client] if writing else [], [], 60)
            assert readable or writable, "the server neither answered nor read for 60 seconds"
            if readable:
                try:
                    data = client.recv(65_536)
                except ConnectionResetError:
                    break
                if not data:
                    break
                answer += data
                writing = False  # answered: no more of the body is sent
                continue
            if not pending:
                pending = next(pieces, b"")
                if not pending:
                    writing = False
                    continue
            try:
                pending = pending[client.send(pending) :]
            except (BrokenPipeError, ConnectionResetError):
                writing = False
    assert answer.startswith(b"HTTP/1.1 "), answer[:200]
    return int(answer[9:12]), answer


@pytest.fixture
def spool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder of the process, where the form parser would spool an upload."""
    import tempfile

    folder = tmp_path / "spool"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def stored(settings: Settings, spool: Path) -> list[Path]:
    """Every file the desk wrote for uploads, and every named file in the temporary folder."""
    return [p for p in (settings.home / "uploads").rglob("*") if p.is_file()] + list(
        spool.rglob("*")
    )


def editor_session(settings: Settings) -> tuple[str, str]:
    """A session cookie of the editor and its CSRF token, as signing in would give them."""
    with transaction(settings.resolved_database_url) as session:
        account = accounts.authenticate(session, EDITOR, PASSWORD)
        assert account is not None
        token = accounts.open_session(session, account)
    with transaction(settings.resolved_database_url) as session:
        found = accounts.signed_in(session, token)
        assert found is not None
        return token, found.csrf_token


def test_an_unauthenticated_100_mb_upload_is_refused_before_its_body_is_read(
    app: Any, settings: Settings, spool: Path
) -> None:
    size = 100 * MB
    declared = sum(len(p) for p in multipart("", 0)) + size
    with Served(app) as served:
        tracemalloc.start()
        try:
            for cookie in ("", "not-a-session"):
                body = Counted(multipart("", size))
                status, answer = post(served, "/queue", body, cookie, length=declared)
                assert status == 401 and b"sign in again" in answer
                assert body.given < size // 20, body.given  # refused on the headers alone
                chunked_body = Counted(chunked(multipart("", size)))
                status, answer = post(served, "/queue", chunked_body, cookie)
                assert status == 401 and chunked_body.given < size // 20, chunked_body.given
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 10 * MB, peak  # server and client together: nothing near the body's size
    assert stored(settings, spool) == []


def test_an_upload_over_the_limit_is_refused_with_413_and_nothing_is_kept(
    app: Any, settings: Settings, spool: Path, handed: HandOvers, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queue, "MAX_UPLOAD_FILES", 1)  # a limit of 6.3 MB, quick to pass
    limit = queue.upload_limit(settings)
    cookie, csrf = editor_session(settings)
    size = 100 * MB
    with Served(create_app(settings, handed)) as served:
        body = Counted(multipart(csrf, size))
        declared = sum(len(p) for p in multipart(csrf, 0)) + size
        status, answer = post(served, "/queue", body, cookie, length=declared)
        assert status == 413 and b"larger than" in answer
        assert body.given < size // 20, body.given  # refused on its Content-Length
        streamed = Counted(chunked(multipart(csrf, size)))
        status, answer = post(served, "/queue", streamed, cookie)
        assert status == 413 and f"larger than {limit:,} bytes".encode() in answer
        # Read up to the limit, then refused: the server's and the client's socket buffers hold
        # what was sent beyond it.
        assert limit < streamed.given < limit + 20 * MB, (limit, streamed.given)
    assert stored(settings, spool) == []
    assert row_counts(settings.resolved_database_url)["notices"] == 0 and handed == []


def test_an_upload_within_the_limits_is_queued_over_the_socket(
    app: Any, settings: Settings, tmp_path: Path, handed: HandOvers
) -> None:
    cookie, csrf = editor_session(settings)
    notice = write_notice(tmp_path / "upload.md", languages=["en"]).read_bytes()
    with Served(app) as served:
        response = httpx.post(
            f"{served.url}/queue",
            data={"csrf_token": csrf},
            files={"files": ("upload.md", notice, "text/markdown")},
            cookies={SESSION_COOKIE: cookie},
        )
    assert response.status_code == 200, response.text
    assert "upload.md: new notice (notice 1, version 1)" in response.text


def test_other_forms_take_small_bodies_only(app: Any, settings: Settings) -> None:
    cookie, _ = editor_session(settings)
    with Served(app) as served:
        for path, who in (("/logout", cookie), ("/login", "")):
            # Only the head is sent: the refusal comes from the declared length, and the server
            # closes a connection with nothing unread on it (no reset racing the answer).
            nothing = Counted(iter(()))
            status, answer = post(served, path, nothing, who, length=2 * MB)
            assert status == 413 and b"larger than" in answer, (path, answer[:300])
        stranger = httpx.post(f"{served.url}/admin/glossary", content=b"x" * 1000)
        assert stranger.status_code == 401


def test_waiwen_serve_runs_uvicorn_with_the_desks_limits(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from waiwen.cli import main

    started: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.update(options))
    result = CliRunner().invoke(main, ["serve", "--port", "8499"])
    assert result.exit_code == 0, result.output
    assert started["limit_concurrency"] == 100
    assert started["h11_max_incomplete_event_size"] == 16 * 1024 and started["http"] == "h11"
    assert started["server_header"] is False and started["port"] == 8499
