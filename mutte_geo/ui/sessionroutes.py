"""The app's own HTTP routes for the sign-in cookie (Streamlit's WebSocket cannot set cookies).

``POST /_atlas/session`` with ``{"code": ...}`` redeems a one-time sign-in code for the session
cookie; ``POST /_atlas/session/end`` ends every session of its user and clears the cookie. The cookie is
HttpOnly (page scripts cannot read it), SameSite=Lax and Secure over HTTPS.
"""

from __future__ import annotations

import functools

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mutte_geo.storage.sessions import SessionStore
from mutte_geo.storage.store import Store

COOKIE = "atlas_session"
COOKIE_MAX_AGE = 30 * 24 * 3600  # the browser keeps it; the server ends the session after 8 h idle
SESSION_PATH = "/_atlas/session"


@functools.cache
def sessions() -> SessionStore:
    """The process' sign-in sessions, in the value store's database (a change of an account's credentials
    ends every session of that user there: :mod:`mutte_geo.storage.accounts`)."""
    return SessionStore(Store().engine)


async def _start(request: Request) -> Response:
    try:
        body = await request.json()
    except ValueError:
        body = None
    code = body.get("code") if isinstance(body, dict) else None
    token = sessions().redeem(code) if isinstance(code, str) else None
    if token is None:
        return Response("unknown or used sign-in code", status_code=403)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.set_cookie(COOKIE, token, max_age=COOKIE_MAX_AGE, path="/", httponly=True, samesite="lax",
                        secure=request.url.scheme == "https")
    return response


async def _end(request: Request) -> Response:
    token = request.cookies.get(COOKIE)
    if token:
        sessions().end_everywhere(token=token)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")
    return response


def session_routes() -> list[Route]:
    return [Route(SESSION_PATH, _start, methods=["POST"]), Route(SESSION_PATH + "/end", _end, methods=["POST"])]
