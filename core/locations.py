"""A location a guest sent: its coordinates, checked, and the map that shows them where they are.

WeChat's Location_X (latitude) and Location_Y (longitude) are GCJ-02, China's offset datum, as
Tencent's and Amap's maps draw them. A map that takes WGS-84 (OpenStreetMap, Google outside China)
puts the pin hundreds of metres off in mainland China, so the link is Amap's marker, told the
coordinates are GCJ-02 (`coordinate=gaode`). Outside China GCJ-02 is WGS-84 unchanged, so the pin
is right there too. (Amap URI API, "单点标注": position=lon,lat, name, coordinate.)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

# A plain decimal number, as WeChat writes them ("23.134521"): not "nan", "1e3", "0x1A" or "1_0",
# which float() would take from a forged push.
_DEGREES = re.compile(r"[+-]?[0-9]{1,3}(?:\.[0-9]{1,15})?")
AMAP_MARKER = "https://uri.amap.com/marker"


@dataclass(frozen=True)
class Coordinates:
    latitude: float
    longitude: float

    @property
    def shown(self) -> tuple[str, str]:
        """Latitude and longitude to 6 decimals (about 0.1 m), as WeChat gives them."""
        return f"{self.latitude:.6f}", f"{self.longitude:.6f}"


def coordinates(latitude: str | None, longitude: str | None) -> Coordinates | None:
    """The point, or None unless both are plain decimal numbers within range (±90°, ±180°)."""
    texts = ((latitude or "").strip(), (longitude or "").strip())
    if not all(_DEGREES.fullmatch(text) for text in texts):
        return None
    point = Coordinates(float(texts[0]), float(texts[1]))
    if abs(point.latitude) > 90 or abs(point.longitude) > 180:
        return None
    return point


def amap_marker(point: Coordinates, name: str) -> str:
    """Amap's page with a pin at `point` (GCJ-02) named `name`; every character of the name
    percent-encoded, so the address has no space, parenthesis or quote (it goes in a Markdown link)."""
    latitude, longitude = point.shown
    return f"{AMAP_MARKER}?position={longitude},{latitude}&name={quote(name, safe='')}&coordinate=gaode"
