from cards.text import markdown_literal


def test_guest_markup_is_shown_literally():
    assert markdown_literal("[click](http://evil.example) *now*") == r"\[click\]\(http://evil.example\) \*now\*"
    assert markdown_literal("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert\\(1\\)&gt;"
    assert markdown_literal("你好, 100% fine") == "你好, 100% fine"
