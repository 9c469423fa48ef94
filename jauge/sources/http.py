"""HTTP for live sources: a clear User-Agent, retries with backoff and jitter on transient
errors (429, 5xx, timeouts, resets), Retry-After honoured, and permanent errors (a host
name that does not exist among them) turned into messages that say what to fix. Secrets
never appear in messages: query strings are cut."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..errors import ConnectorError
from ..i18n import N_

if TYPE_CHECKING:
    from tenacity import RetryCallState

# httpx and tenacity are imported by the client that needs them: they take about a tenth
# of a second to import, which every command paid, online or not

USER_AGENT = "jauge/0.1 (self-hosted social media measurement; +see the project README)"
TRANSIENT_STATUS = {408, 425, 429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 120.0


class TransientError(Exception):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Response:
    status: int
    content: bytes
    headers: dict[str, str]


def redacted(url: str) -> str:
    """The URL without its query string (tokens travel there) for messages and logs."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return min(float(value), MAX_RETRY_AFTER)
    except ValueError:
        pass
    from datetime import UTC, datetime

    try:  # an HTTP date (Retry-After) or an ISO 8601 time (X-RateLimit-Reset)
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        try:
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max((when - datetime.now(UTC)).total_seconds(), 0.0), MAX_RETRY_AFTER)


class HttpClient:
    """One client per sync: connection reuse, timeouts, retries."""

    def __init__(self, *, attempts: int = 5, timeout: float = 20.0, max_wait: float = 60.0):
        self.attempts = attempts
        self.max_wait = max_wait
        import httpx

        self._client = httpx.Client(
            timeout=timeout, headers={"User-Agent": USER_AGENT}, follow_redirects=True
        )

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, TransientError) and error.retry_after is not None:
            return error.retry_after
        from tenacity import wait_exponential_jitter

        backoff: float = wait_exponential_jitter(multiplier=0.5, max=self.max_wait)(state)
        return backoff

    def get(self, url: str, headers: dict[str, str] | None = None) -> Response:
        """GET ``url``; 304 and 2xx come back, transient errors are retried, the rest raise
        a ConnectorError naming the problem."""
        return self.request("GET", url, headers)

    def post(
        self,
        url: str,
        data: dict[str, str],
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
    ) -> Response:
        """POST a form (an OAuth token request, say), with the same retries as GET."""
        return self.request("POST", url, headers, data=data, auth=auth)

    def request(
        self,
        method: str,
        url: str,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> Response:
        """Send a request with retries; see :meth:`get`."""
        from tenacity import Retrying, retry_if_exception_type, stop_after_attempt

        retrying = Retrying(
            stop=stop_after_attempt(self.attempts),
            wait=self._wait,
            retry=retry_if_exception_type(TransientError),
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    return self._once(method, url, headers or {}, **kwargs)
        except TransientError as exc:
            raise ConnectorError(
                N_("{url} kept failing after {count} tries ({reason}); try again later").format(
                    url=redacted(url), count=self.attempts, reason=exc
                )
            ) from exc
        raise AssertionError("unreachable")

    def _once(self, method: str, url: str, headers: dict[str, str], **kwargs: Any) -> Response:
        import httpx

        try:
            response = self._client.request(method, url, headers=headers, **kwargs)
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            if _host_not_found(exc):  # a typo or a gone site: trying again changes nothing
                raise ConnectorError(
                    N_("host {host} not found: check the address {url}").format(
                        host=urlsplit(url).hostname or url, url=redacted(url)
                    )
                ) from exc
            # the system's words say why ("Connection refused", "Temporary failure in name
            # resolution": offline, or the resolver is down)
            detail = str(exc).strip()
            reason = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
            raise TransientError(reason) from exc
        except httpx.HTTPError as exc:
            raise ConnectorError(
                N_("cannot reach {url}: {reason}").format(url=redacted(url), reason=exc)
            ) from exc
        status = response.status_code
        if status in TRANSIENT_STATUS:
            # Retry-After, else the reset time of rate-limit headers (Mastodon, Reddit...)
            wait = _retry_after(response.headers.get("Retry-After"))
            if wait is None and status == 429:
                wait = _retry_after(response.headers.get("X-RateLimit-Reset"))
            raise TransientError(f"HTTP {status}", wait)
        if status == 304 or 200 <= status < 300:
            return Response(status, response.content, dict(response.headers))
        raise ConnectorError(permanent_error(status, url))

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


#: what getaddrinfo answers when the name surely does not exist, as opposed to EAI_AGAIN
#: (the resolver could not be asked: offline, or down), which is worth trying again
_NO_SUCH_NAME = {
    code
    for code in (getattr(socket, "EAI_NONAME", None), getattr(socket, "EAI_NODATA", None))
    if code is not None
}


def _host_not_found(exc: BaseException) -> bool:
    """Whether ``exc`` is, deep down (httpx wraps httpcore, which wraps the socket's
    error), a host name that does not resolve."""
    chain: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and cause not in chain:  # a chain can loop back on itself
        if isinstance(cause, socket.gaierror):
            return cause.errno in _NO_SUCH_NAME
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    return False


def permanent_error(status: int, url: str) -> str:
    where = redacted(url)
    if status in (401, 403):
        return N_(
            "{url} refused access (HTTP {status}): check the token or the account's privacy"
        ).format(url=where, status=status)
    if status == 404:
        return N_("{url} does not exist (HTTP 404): check the URL or the account name").format(
            url=where
        )
    if status == 410:
        return N_("{url} is gone (HTTP 410): remove this connection").format(url=where)
    return N_("{url} answered HTTP {status}: check the connection's settings").format(
        url=where, status=status
    )
