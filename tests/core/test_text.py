import re
from urllib.parse import unquote, urlsplit

from hypothesis import example, given, settings
from hypothesis import strategies as st

from cards.text import markdown_link, markdown_literal


def test_guest_markup_is_shown_literally():
    assert markdown_literal("[click](http://evil.example) *now*") == r"\[click\]\(http://evil.example\) \*now\*"
    assert markdown_literal("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert\\(1\\)&gt;"
    assert markdown_literal("你好, 100% fine") == "你好, 100% fine"


# -- a guest's address: a link only if it is a web address, and nothing in it breaks out of the link ----------

LINK = re.compile(r"\[((?:[^\[\]\\]|\\.)*)\]\(([^()<>\s\"\\`]*)\)")


@settings(max_examples=300, deadline=None)
@given(url=st.one_of(st.text(max_size=60), st.builds("{}://{}".format, st.sampled_from(["http", "HTTPS", "javascript",
                                                                                      "data", "file"]),
                                                     st.text(max_size=60))))
@example(url="https://example.com/a_(b)?q=1&x=<y>\"\\`^{}|")
@example(url="javascript:alert(1)//https://example.com")
def test_an_address_is_one_web_link_or_plain_text(url):
    shown = markdown_link(url)
    link = LINK.fullmatch(shown)
    if link is None:  # shown as text: nothing in it opens a link
        assert not re.search(r"(?<!\\)[\[\]()]", shown)
        return
    target = unquote(link.group(2))
    assert target == unquote(url.strip())  # the address itself, its Markdown breakers escaped
    assert urlsplit(target).scheme.lower() in ("http", "https") and urlsplit(target).hostname


def test_the_address_is_what_the_link_shows():
    assert markdown_link(" https://例子.cn/路径?a=(1) ") == r"[https://例子.cn/路径?a=\(1\)](https://例子.cn/路径?a=%281%29)"
    assert markdown_link("javascript:alert(1)") == r"javascript:alert\(1\)"
