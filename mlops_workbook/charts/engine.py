"""Vega-Lite → SVG/PNG: by one shared renderer process, or in this process with vl-convert.

vl-convert runs a JavaScript engine: ~68 MB and ~1 CPU-second to start, in every process that
converts a chart. A Voilà server for a room (:mod:`mlops_workbook.voila_app`) therefore starts ONE
renderer (:func:`start_renderer`: ``python -P …/charts/engine.py SOCKET PARENT_PID``) and puts its
UNIX-socket address in :data:`RENDERER_ENV`; its kernels inherit the variable and send specs there.
Without the variable (JupyterLab, reports, tests), conversion runs in-process; so it does, with a
warning, when the renderer does not answer. A spec vl-convert refuses raises ``ValueError`` either way.

Wire format, both directions: a 4-byte big-endian length, then UTF-8 JSON. Request
``{"format": "svg"|"png", "spec": {...}, "vl_version": "5.20", "scale": 2.0}``; answer
``{"svg": "<svg…"}``, ``{"png": "<base64>"}`` or ``{"error": "…"}``. The socket lives in a private
(0700) temporary folder, so only the server's own user can reach it.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import socket
import socketserver
import struct
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path
from typing import Any

RENDERER_ENV = "MLOPS_WORKBOOK_SVG_RENDERER"
CONNECT_WAIT = 10.0  # s a client retries while the renderer is still starting
ANSWER_TIMEOUT = 60.0  # s for one conversion (a room's kernels queue at the renderer)
_HEADER = struct.Struct(">I")
_MAX_MESSAGE = 64 * 2**20


class RendererUnavailable(OSError):
    """The shared renderer did not answer (not started, stopped, or timed out)."""


# --------------------------------------------------------------------------- the public calls


def vegalite_to_svg(spec: dict[str, Any], vl_version: str) -> str:
    """An SVG string of ``spec``; external URLs are refused (works offline)."""
    answer = _convert({"format": "svg", "spec": spec, "vl_version": vl_version})
    return answer if isinstance(answer, str) else _in_process_svg(spec, vl_version)


def vegalite_to_png(spec: dict[str, Any], vl_version: str, scale: float = 2.0) -> bytes:
    """PNG bytes of ``spec`` at ``scale``; external URLs are refused."""
    answer = _convert({"format": "png", "spec": spec, "vl_version": vl_version, "scale": scale})
    return answer if isinstance(answer, bytes) else _in_process_png(spec, vl_version, scale)


def renderer_address() -> str:
    """The shared renderer's socket path, or '' when conversion runs in this process."""
    return os.environ.get(RENDERER_ENV, "")


#: Renderer addresses that did not answer: charts are drawn in-process from then on, without waiting again.
_unavailable: set[str] = set()


def _convert(request: dict[str, Any]) -> str | bytes | None:
    """The renderer's answer, or None when there is no renderer to ask (then: in-process)."""
    address = renderer_address()
    if not address or address in _unavailable:
        return None
    try:
        answer = request_conversion(address, request)
    except RendererUnavailable as exc:
        _unavailable.add(address)
        warnings.warn(f"chart renderer at {address} unavailable ({exc}); drawing charts in-process", stacklevel=3)
        return None
    if "error" in answer:
        raise ValueError(answer["error"])
    if request["format"] == "png":
        return base64.b64decode(answer["png"])
    return str(answer["svg"])


def _in_process_svg(spec: dict[str, Any], vl_version: str | None) -> str:
    import vl_convert as vlc  # imported only when needed: it is the 68 MB this module avoids

    return vlc.vegalite_to_svg(spec, vl_version=vl_version, allowed_base_urls=[])


def _in_process_png(spec: dict[str, Any], vl_version: str | None, scale: float) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_png(spec, vl_version=vl_version, scale=scale, allowed_base_urls=[])


def convert_here(request: dict[str, Any]) -> dict[str, Any]:
    """Answer one request in this process (what the renderer does); vl-convert's refusals become errors."""
    try:
        if request.get("format") == "png":
            png = _in_process_png(request["spec"], request.get("vl_version"), float(request.get("scale", 2.0)))
            return {"png": base64.b64encode(png).decode("ascii")}
        return {"svg": _in_process_svg(request["spec"], request.get("vl_version"))}
    except (ValueError, KeyError, TypeError) as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}


# --------------------------------------------------------------------------- wire


def _send(sock: socket.socket, message: dict[str, Any]) -> None:
    data = json.dumps(message, separators=(",", ":")).encode()
    sock.sendall(_HEADER.pack(len(data)) + data)


def _receive(sock: socket.socket) -> dict[str, Any]:
    (size,) = _HEADER.unpack(_read_exactly(sock, _HEADER.size))
    if size > _MAX_MESSAGE:
        raise ValueError(f"message of {size} bytes refused")
    return json.loads(_read_exactly(sock, size))


def _read_exactly(sock: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise ConnectionError("connection closed mid-message")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def request_conversion(address: str, request: dict[str, Any]) -> dict[str, Any]:
    """Send one request to the renderer at ``address``; retry the connection while it starts."""
    deadline = time.monotonic() + CONNECT_WAIT
    while True:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(ANSWER_TIMEOUT)
            sock.connect(address)
            _send(sock, request)
            return _receive(sock)
        except (FileNotFoundError, ConnectionRefusedError) as exc:
            if time.monotonic() > deadline:
                raise RendererUnavailable(str(exc)) from exc
            time.sleep(0.1)
        except (OSError, ValueError) as exc:  # timeout, reset, garbled answer
            raise RendererUnavailable(f"{type(exc).__name__}: {exc}") from exc
        finally:
            sock.close()


# --------------------------------------------------------------------------- the renderer process


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        try:
            request = _receive(self.request)
        except (OSError, ValueError):
            return
        _send(self.request, convert_here(request))


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def serve(address: str, *, parent: int | None = None) -> None:
    """Run the renderer on the UNIX socket ``address`` until ``parent`` (if given) is gone."""
    server = _Server(address, _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    convert_here({"format": "svg", "spec": _WARM_UP, "vl_version": None})  # start the JS engine now, not for a page
    try:
        while parent is None or os.getppid() == parent:
            time.sleep(1.0)
    finally:
        server.shutdown()
        server.server_close()


_WARM_UP = {"data": {"values": [{"a": 1}]}, "mark": "point", "encoding": {"x": {"field": "a", "type": "quantitative"}}}


class Renderer:
    """A running renderer process (see :func:`start_renderer`); ``stop()`` ends it and removes its folder."""

    def __init__(self, process: subprocess.Popen[bytes], address: str) -> None:
        self.process, self.address = process, address

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        Path(self.address).unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # gone already, or not empty: leave it
            Path(self.address).parent.rmdir()


def start_renderer() -> Renderer:
    """Start the shared renderer as a child of this process, on a socket in a private folder.

    The child exits when this process does (it watches its parent); callers also ``stop()`` it.
    It listens at once; clients wait while its engine starts.
    """
    folder = tempfile.mkdtemp(prefix="mlops-workbook-charts-")  # mode 0700
    address = str(Path(folder) / "renderer.sock")
    # Run as a script, not `-m`: importing the package would cost the renderer ~25 MB for nothing;
    # -P keeps this folder's modules off sys.path.
    command = [sys.executable, "-P", str(Path(__file__).resolve()), address, str(os.getpid())]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL)
    return Renderer(process, address)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or len(args) > 2:
        print("usage: python -P engine.py SOCKET [PARENT_PID]", file=sys.stderr)
        return 2
    serve(args[0], parent=int(args[1]) if len(args) > 1 else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
