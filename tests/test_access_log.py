"""app.py's access log: one line per request, without the query string, except for the pushes WeChat's
webhook acknowledged (each is a job in storage already; the line cost a tenth of an acknowledgement)."""
from __future__ import annotations

import logging

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from app import PathOnlyAccessLogger

LOG = logging.getLogger("test.access")


def lines(caplog, method: str, url: str, status: int) -> list[str]:
    caplog.clear()
    with caplog.at_level(logging.INFO, logger=LOG.name):
        PathOnlyAccessLogger(LOG, "").log(make_mocked_request(method, url), web.Response(status=status), 0.002)
    return [r.getMessage() for r in caplog.records]


@pytest.mark.parametrize("method, url", [("POST", "/api/wechat?signature=s&openid=o"),
                                         ("POST", "/api/wechat/hk?signature=s")])
def test_an_acknowledged_push_has_no_line(caplog, method, url):
    assert lines(caplog, method, url, 200) == []


@pytest.mark.parametrize("method, url, status", [
    ("POST", "/api/wechat?signature=s&openid=o", 403), ("POST", "/api/wechat", 400),
    ("GET", "/api/wechat?echostr=e", 200), ("POST", "/api/messages", 200), ("GET", "/healthz", 200),
])
def test_every_other_request_has_one_line_without_its_query(caplog, method, url, status):
    [line] = lines(caplog, method, url, status)
    assert f"{method} {url.split('?')[0]} {status} 2.0ms" in line and "?" not in line
