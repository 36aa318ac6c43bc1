"""Serving a stored file with HTTP range requests (RFC 9110 section 14), as video players
(video lessons, video inside SCORM packages) need to seek: ``206 Partial Content`` with
``Content-Range`` for one satisfiable range, ``416 Range Not Satisfiable`` with
``Content-Range: bytes */size`` for a range that starts past the end, and the whole file
(200) without a Range header. A header that is not a single byte range (several ranges,
another unit, a malformed one) is ignored and the whole file is sent, as the RFC allows;
browsers' players ask for one range.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.core.files.storage import Storage
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import http_date

CHUNK = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class Unsatisfiable(Exception):
    """The range lies outside the file."""


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The (first, last) byte positions asked for, inclusive; None to send the whole file.

    Raises ``Unsatisfiable`` for a range that starts at or past the end of the file, or a
    suffix of zero bytes.
    """
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise Unsatisfiable
        return max(0, size - suffix), size - 1
    start = int(first)
    if last and int(last) < start:
        return None  # invalid: ignored (RFC 9110 14.1.1)
    if start >= size:
        raise Unsatisfiable
    return start, min(int(last) if last else size - 1, size - 1)


def _read(storage: Storage, name: str, start: int, length: int) -> Iterator[bytes]:
    with storage.open(name, "rb") as handle:
        handle.seek(start)
        left = length
        while left > 0:
            chunk = handle.read(min(CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk


def ranged_file_response(
    request: HttpRequest, *, storage: Storage, name: str, content_type: str
) -> HttpResponse:
    """The stored file ``name`` as the request's Range header asks."""
    size = storage.size(name)
    headers = {
        "Accept-Ranges": "bytes",
        # Only signed-in people may fetch these: never in a shared cache.
        "Cache-Control": "private, max-age=3600",
        "X-Content-Type-Options": "nosniff",
    }
    try:
        modified = storage.get_modified_time(name)
    except (NotImplementedError, OSError):
        modified = None
    if modified is not None:
        headers["Last-Modified"] = http_date(modified.timestamp())
    try:
        byte_range = parse_range(request.headers.get("Range"), size)
    except Unsatisfiable:
        response = HttpResponse(status=416, headers=headers)
        response["Content-Range"] = f"bytes */{size}"
        return response
    if byte_range is None:
        start, end, status = 0, size - 1, 200
    else:
        (start, end), status = byte_range, 206
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    length = max(0, end - start + 1)
    response = StreamingHttpResponse(
        _read(storage, name, start, length) if request.method != "HEAD" else iter(()),
        status=status,
        content_type=content_type,
        headers=headers,
    )
    response["Content-Length"] = str(length)
    return response
