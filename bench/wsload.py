"""Cheap Streamlit clients: the websocket protocol the browser speaks, without a browser.

A browser per simulated user measures the browsers on a 2-core machine; a client here costs almost
nothing, so tens of them measure the server. Each client is one Streamlit session on one page: it
asks for a rerun with another option of a selectbox and times until the server reports that the
script finished (server work and messages, no painting).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import urlparse

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates


@dataclass
class Selectbox:
    id: str
    options: list[str]
    value: str


@dataclass
class Client:
    """One session on ``page`` (a url path such as ``map``; "" for the main page)."""

    socket: websockets.ClientConnection
    page: str
    label: str
    box: Selectbox | None = None
    received: int = 0
    errors: list[str] = field(default_factory=list)

    @classmethod
    async def open(cls, url: str, *, page: str, label: str, timeout: float = 120) -> Client:
        parts = urlparse(url)
        socket = await websockets.connect(f"ws://{parts.netloc}/_stcore/stream", subprotocols=["streamlit"],
                                          origin=url, max_size=None, open_timeout=timeout)
        client = cls(socket, page, label)
        await client._run(WidgetStates(), timeout)
        if client.box is None:
            raise RuntimeError(f"no selectbox labelled {label!r} on page {page!r}")
        return client

    async def change(self, option: str, timeout: float = 60) -> float:
        """Pick ``option``; seconds until the rerun finished."""
        assert self.box is not None
        state = WidgetStates(widgets=[WidgetState(id=self.box.id, string_value=option)])
        t0 = time.perf_counter()
        output = await self._run(state, timeout)
        took = time.perf_counter() - t0
        # The server echoes a widget's value only when it sets it; the page's output names the pick.
        name = option.split(" · ")[0].encode()
        if name not in output:
            raise RuntimeError(f"the rerun after picking {option!r} does not mention it")
        self.box.value = option
        return took

    async def _run(self, widgets: WidgetStates, timeout: float) -> bytes:
        """Rerun the page with ``widgets``; every message received until it finished."""
        output = bytearray()
        message = BackMsg(rerun_script=ClientState(query_string="", widget_states=widgets, page_name=self.page))
        await self.socket.send(message.SerializeToString())
        async with asyncio.timeout(timeout):
            while True:
                data = await self.socket.recv()
                assert isinstance(data, bytes)
                self.received += len(data)
                output += data
                msg = ForwardMsg()
                msg.ParseFromString(data)
                kind = msg.WhichOneof("type")
                if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                    element = msg.delta.new_element
                    if element.WhichOneof("type") == "selectbox" and element.selectbox.label == self.label:
                        box = element.selectbox
                        options = list(box.options)
                        value = box.raw_value or (options[box.default] if box.HasField("default") else "")
                        self.box = Selectbox(box.id, options, value)
                    elif element.WhichOneof("type") == "exception":
                        self.errors.append(element.exception.message)
                elif kind == "script_finished":
                    if msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                        return bytes(output)
                    if msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        raise RuntimeError(f"script finished with status {msg.script_finished}")

    async def close(self) -> None:
        await self.socket.close()


@dataclass
class LoadResult:
    times: list[float]
    errors: list[str]

    def median(self) -> float:
        return statistics.median(self.times)

    def p95(self) -> float:
        ordered = sorted(self.times)
        return ordered[int(0.95 * (len(ordered) - 1))]


async def load(url: str, *, sessions: int, every: float, seconds: float, page: str, label: str) -> LoadResult:
    """``sessions`` clients, each picking the next option every ``every`` seconds for ``seconds``."""
    times: list[float] = []
    errors: list[str] = []

    async def one(k: int) -> None:
        await asyncio.sleep(every * k / sessions)  # spread the clients over one interval
        try:
            client = await Client.open(url, page=page, label=label)
        except Exception as exc:  # counted and reported, never hidden
            errors.append(f"session {k}: {type(exc).__name__}: {exc}")
            return
        assert client.box is not None
        options = client.box.options
        i = k
        end = time.monotonic() + seconds
        try:
            while time.monotonic() < end:
                tick = time.monotonic()
                i += 1
                times.append(await client.change(options[i % len(options)]))
                await asyncio.sleep(max(0.0, every - (time.monotonic() - tick)))
        except Exception as exc:
            errors.append(f"session {k}: {type(exc).__name__}: {exc}")
        finally:
            errors.extend(f"session {k}: {e}" for e in client.errors)
            await client.close()

    await asyncio.gather(*(one(k) for k in range(sessions)))
    return LoadResult(times, errors)
