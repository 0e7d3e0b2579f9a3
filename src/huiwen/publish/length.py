"""Content-Length, set once, by the outermost step, from the bytes that actually leave.

Django's CommonMiddleware sets Content-Length where it sits, and any middleware outside it that
changes the body (the Traditional edition converts whole pages, and s2twp makes them longer)
would leave a stale length behind. Gunicorn then sends only that many bytes: pages cut off
mid-footer, sometimes mid-character, while Django's test client, which ignores the header,
saw nothing wrong. So the length is not trusted from anywhere inside: this middleware, first in
MIDDLEWARE, writes it from the final body of every non-streaming response. Streaming responses
(static files through WhiteNoise) carry the length of the file they stream and are left alone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# No body by definition (RFC 9110 §8.6): a length would describe the representation, not bytes sent.
BODYLESS_STATUSES = {204, 304}


class ContentLengthMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.streaming:
            return response
        if response.status_code in BODYLESS_STATUSES or response.status_code < 200:
            response.headers.pop("Content-Length", None)
        elif request.method == "HEAD" and not response.content and response.has_header("Content-Length"):
            pass  # a HEAD answer already emptied by its view (the API) declares the GET's length
        else:
            # HEAD included: the length GET would send (the server drops a HEAD body itself).
            response.headers["Content-Length"] = str(len(response.content))
        return response
