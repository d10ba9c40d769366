"""The browser the card rendering tests share."""
from tests.browser import chromium_browser  # noqa: F401 (fixture)
