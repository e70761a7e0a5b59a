"""Run the app (as `make run` does) while recording every outbound network attempt: TEST HELPER.

Python's audit hooks see each ``socket.connect`` and ``socket.getaddrinfo``; addresses other than the
loopback ones are written, one a line, to the file named by ``OUTBOUND_LOG`` and refused.
Usage: ``OUTBOUND_LOG=path python -m tests.outbound_guard [streamlit options]``.
"""

from __future__ import annotations

import ipaddress
import os
import sys
from typing import Any

LOCAL_NAMES = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "::", ""}


def _is_local(host: object) -> bool:
    if host is None:
        return True
    name = host.decode() if isinstance(host, bytes) else str(host)
    if name in LOCAL_NAMES:
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _hook(event: str, args: tuple[Any, ...]) -> None:
    host = None
    if event == "socket.getaddrinfo":
        host = args[0]
    elif event == "socket.connect" and isinstance(args[1], tuple):
        host = args[1][0]
    else:
        return
    if not _is_local(host):
        with open(os.environ["OUTBOUND_LOG"], "a", encoding="utf-8") as out:
            out.write(f"{event} {host!r}\n")
        raise OSError(f"outbound network access refused in the test: {host!r}")


if __name__ == "__main__":
    sys.addaudithook(_hook)
    from mutte_geo.ui.serve import main  # after the hook, so every import is watched

    main(sys.argv[1:])
