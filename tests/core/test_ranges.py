"""HTTP range requests (RFC 9110 section 14) over a stored file."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.test import RequestFactory

from core.ranges import Unsatisfiable, parse_range, ranged_file_response

DATA = bytes(range(256)) * 4  # 1024 bytes, each position recognisable


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("bytes=0-99", (0, 99)),
        ("bytes=1000-", (1000, 1023)),
        ("bytes=1000-5000", (1000, 1023)),  # end past the file: cut to it
        ("bytes=-24", (1000, 1023)),  # the last 24 bytes
        ("bytes=-5000", (0, 1023)),
        ("bytes=10-5", None),  # invalid: ignored
        ("bytes=0-1,5-9", None),  # several ranges: the whole file
        ("items=0-9", None),  # another unit
        ("bytes=-", None),
        ("bytes=abc-", None),
    ],
)
def test_parse_range(header, expected):
    assert parse_range(header, 1024) == expected


@pytest.mark.parametrize("header", ["bytes=1024-", "bytes=5000-6000", "bytes=-0"])
def test_ranges_outside_the_file_are_unsatisfiable(header):
    with pytest.raises(Unsatisfiable):
        parse_range(header, 1024)


@pytest.fixture
def stored(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("clip.webm", ContentFile(DATA))
    return storage, name


def _get(stored, **headers):
    storage, name = stored
    request = RequestFactory().get("/clip", headers=headers)
    return ranged_file_response(request, storage=storage, name=name, content_type="video/webm")


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_request_without_range_gets_the_whole_file(stored):
    response = _get(stored)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == "1024"
    assert response["Content-Type"] == "video/webm"
    assert "Content-Range" not in response
    assert _body(response) == DATA


def test_a_range_gets_206_with_exactly_those_bytes(stored):
    response = _get(stored, Range="bytes=100-199")
    assert response.status_code == 206
    assert response["Content-Range"] == "bytes 100-199/1024"
    assert response["Content-Length"] == "100"
    assert _body(response) == DATA[100:200]


def test_an_open_range_and_a_suffix(stored):
    assert _body(_get(stored, Range="bytes=1000-")) == DATA[1000:]
    suffix = _get(stored, Range="bytes=-10")
    assert suffix["Content-Range"] == "bytes 1014-1023/1024"
    assert _body(suffix) == DATA[-10:]


def test_a_range_past_the_end_gets_416_with_the_size(stored):
    response = _get(stored, Range="bytes=2048-")
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */1024"


def test_large_ranges_stream_in_chunks(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    big = bytes(range(256)) * 1024  # 256 KiB: several chunks
    name = storage.save("big.webm", ContentFile(big))
    request = RequestFactory().get("/big", headers={"Range": "bytes=1000-200000"})
    response = ranged_file_response(request, storage=storage, name=name, content_type="video/webm")
    chunks = list(response.streaming_content)
    assert len(chunks) > 1
    assert b"".join(chunks) == big[1000:200001]
