"""The files of the demo works (``demo.data.WORKS``): photo-like JPEG pictures, a short MP4 video and H5
screenshots, drawn with Pillow and encoded with PyAV.

Each picture is a year in forty years of reform seen from a post's trade: a sky, sea or hall, a motif of the
trade (a service window, a harbour, a bus, a workshop...) that grows more modern with the years, pictures
before 1995 toned like old photographs, and a caption band. Text is drawn with the vendored Noto Sans SC
(core/fonts), never a system font, so every machine makes the same bytes. Everything is quick on purpose
(well under 0.1 s a picture) so that ``make demo`` stays fast; the same scene always gives the same picture.
"""

import datetime
import functools
import io
import math
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image, ImageDraw, ImageFont, ImageOps

FONT_DIR = Path(__file__).resolve().parent.parent / "core" / "fonts"  # the vendored Noto Sans SC
PICTURE_SIZE = (1600, 1200)  # Attachment 1's minimum, landscape
SCREENSHOT_SIZE = (750, 1334)  # a phone screen
VIDEO_SIZE = (640, 360)
VIDEO_FPS = 12
JPEG_QUALITY = 85
OLD_PHOTO_BEFORE = 1995  # pictures of earlier years are toned like old prints

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Scene:
    """One picture of a photo work: the year it shows, what it shows (a MOTIFS key) and its caption."""

    year: int
    motif: str
    caption: str


@functools.cache
def font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "NotoSansSC-Bold.ttf" if bold else "NotoSansSC-Regular.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), size)


def _rng(*parts) -> random.Random:
    """The same random choices for the same scene on every machine (str hashes are salted per process)."""
    return random.Random(zlib.crc32("|".join(map(str, parts)).encode()))


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _gradient(size: tuple[int, int], top: RGB, bottom: RGB) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


# --- backgrounds -----------------------------------------------------------------------------------------------

SKIES: dict[str, tuple[RGB, RGB]] = {
    "day": ((70, 140, 210), (200, 228, 246)),
    "dawn": ((120, 150, 205), (250, 206, 160)),
    "dusk": ((64, 58, 118), (246, 150, 96)),
    "haze": ((150, 170, 190), (226, 230, 226)),
}
SEA = ((40, 110, 160), (14, 52, 92))
LAND = ((150, 160, 120), (96, 110, 80))


def _outdoor(image: Image.Image, rng: random.Random, horizon: int, *, water: bool) -> ImageDraw.ImageDraw:
    width, height = image.size
    sky = SKIES[rng.choice(sorted(SKIES))]
    image.paste(_gradient((width, horizon), *sky), (0, 0))
    image.paste(_gradient((width, height - horizon), *(SEA if water else LAND)), (0, horizon))
    draw = ImageDraw.Draw(image)
    sun_x, sun_r = rng.randrange(width // 8, width * 7 // 8), rng.randrange(50, 90)
    sun_y = rng.randrange(horizon // 5, horizon * 3 // 4)
    for ring in range(4, 0, -1):  # a soft glow: fainter, wider rings first
        glow = _mix(sky[1], (255, 244, 214), 0.25 * (5 - ring))
        grow = sun_r + ring * 18
        draw.ellipse((sun_x - grow, sun_y - grow, sun_x + grow, sun_y + grow), fill=glow)
    draw.ellipse((sun_x - sun_r, sun_y - sun_r, sun_x + sun_r, sun_y + sun_r), fill=(255, 246, 220))
    for _ in range(rng.randrange(2, 5)):  # clouds
        cx, cy, scale = rng.randrange(width), rng.randrange(horizon // 2), rng.randrange(40, 80)
        for dx, dy, r in ((0, 0, 1.0), (0.9, 0.2, 0.8), (-0.9, 0.25, 0.75), (1.7, 0.45, 0.55)):
            rr = r * scale
            x, y = cx + dx * scale, cy + dy * scale
            draw.ellipse((x - rr * 1.4, y - rr, x + rr * 1.4, y + rr), fill=(246, 248, 250))
    if water:
        for _ in range(60):  # glints on the waves
            x, y = rng.randrange(width), rng.randrange(horizon + 10, height)
            length = rng.randrange(20, 70) * (y - horizon) // (height - horizon) + 10
            draw.line((x, y, x + length, y), fill=_mix(SEA[0], (230, 240, 250), 0.5), width=3)
    return draw


def _hills(draw: ImageDraw.ImageDraw, rng: random.Random, width: int, horizon: int, color: RGB) -> None:
    points, x = [(0, horizon)], 0
    while x < width:
        x += rng.randrange(120, 260)
        points.append((x, horizon - rng.randrange(30, 130)))
    draw.polygon([*points, (width, horizon)], fill=color)


def _person(draw: ImageDraw.ImageDraw, x: int, feet: int, tall: int, color: RGB) -> None:
    head = tall // 7
    draw.ellipse((x - head, feet - tall, x + head, feet - tall + 2 * head), fill=color)
    draw.rounded_rectangle((x - head * 1.5, feet - tall + 2 * head + 6, x + head * 1.5, feet), radius=head,
                           fill=color)


def _star(draw: ImageDraw.ImageDraw, x: float, y: float, radius: float, colour: RGB) -> None:
    """A five-pointed star, point up."""
    points = []
    for corner in range(10):
        reach = radius if corner % 2 == 0 else radius * 0.38
        angle = -math.pi / 2 + corner * math.pi / 5
        points.append((x + reach * math.cos(angle), y + reach * math.sin(angle)))
    draw.polygon(points, fill=colour)


def _window_grid(draw, box, rng, lit: float, dark: RGB, light: RGB, cell: int = 34) -> None:
    x0, y0, x1, y1 = box
    for y in range(int(y0) + 16, int(y1) - cell, cell + 14):
        for x in range(int(x0) + 14, int(x1) - cell // 2, cell):
            draw.rectangle((x, y, x + cell // 2, y + cell * 0.6), fill=light if rng.random() < lit else dark)


# --- motifs: each draws one trade's scene, more modern with the years ----------------------------------------------


def _service_window(image: Image.Image, rng: random.Random, year: int) -> None:
    """A service hall: one barred counter and a long queue early on, a row of windows and a kiosk later."""
    width, height = image.size
    floor = int(height * rng.uniform(0.66, 0.74))
    wall = ((236, 226, 204), (210, 196, 170)) if year < 2000 else ((232, 240, 246), (190, 208, 222))
    image.paste(_gradient((width, floor), *wall), (0, 0))
    image.paste(_gradient((width, height - floor), (150, 130, 110), (96, 84, 72)), (0, floor))
    draw = ImageDraw.Draw(image)
    modern = year >= 2008
    count = 1 if year < 1990 else (2 if year < 2000 else rng.randrange(4, 6))
    sign = "便民服务中心" if modern else ("收费处" if year < 1990 else "办事窗口")
    sign_font = font(64, bold=True)
    sign_width = draw.textlength(sign, font=sign_font)
    sign_x = rng.randrange(80, max(81, int(width - sign_width - 160)))
    draw.rounded_rectangle((sign_x - 40, 70, sign_x + sign_width + 40, 180), radius=18,
                           fill=(190, 40, 40) if modern else (120, 70, 40))
    draw.text((sign_x, 84), sign, font=sign_font, fill=(255, 240, 200))
    span = width - 200
    slot = span // count
    for index in range(count):
        x0 = 100 + index * slot + 20
        x1 = x0 + slot - 40
        draw.rectangle((x0, 230, x1, floor - 150), fill=(120, 160, 190) if modern else (90, 110, 110))
        if not modern:  # bars
            for bar in range(x0 + 20, x1, 36):
                draw.line((bar, 230, bar, floor - 150), fill=(60, 60, 60), width=6)
        else:
            draw.rectangle((x0, 230, x1, 280), fill=(20, 40, 60))  # the LED number board
            draw.text((x0 + 16, 236), f"{index + 1}号窗口", font=font(32), fill=(255, 190, 60))
    draw.rectangle((60, floor - 150, width - 60, floor - 20), fill=(170, 120, 80) if not modern else (225, 225, 230))
    if modern:  # a self-service kiosk
        kx = rng.choice((160, width - 320))
        draw.rounded_rectangle((kx, floor - 320, kx + 140, floor + 40), radius=20, fill=(60, 90, 140))
        draw.rectangle((kx + 20, floor - 290, kx + 120, floor - 180), fill=(150, 220, 250))
    waiting = 9 if year < 1990 else (6 if year < 2000 else 3)
    start = rng.randrange(200, 400)
    for index in range(waiting):
        x = start + index * (110 if year < 2000 else 260)
        if x > width - 80:
            break
        _person(draw, x, height - 40 - rng.randrange(0, 60), rng.randrange(300, 360),
                _mix((40, 50, 70), (120, 80, 60), rng.random()))


def _skyline(image: Image.Image, rng: random.Random, year: int) -> None:
    """The coast: low tiled houses early on, towers, a bridge and lit windows later."""
    width, height = image.size
    horizon = int(height * rng.uniform(0.55, 0.68))
    draw = _outdoor(image, rng, horizon, water=True)
    _hills(draw, rng, width, horizon, (110, 130, 120))
    x = rng.randrange(-60, 40)
    while x < width:
        if year < 1995:
            w, h = rng.randrange(90, 160), rng.randrange(50, 110)
            draw.rectangle((x, horizon - h, x + w, horizon), fill=(200, 190, 170))
            draw.polygon([(x - 10, horizon - h), (x + w // 2, horizon - h - 50), (x + w + 10, horizon - h)],
                         fill=(140, 70, 50))
        else:
            tall = 420 if year >= 2010 else 260
            w, h = rng.randrange(70, 150), rng.randrange(tall // 3, tall)
            color = _mix((130, 150, 170), (230, 235, 240), rng.random())
            draw.rectangle((x, horizon - h, x + w, horizon), fill=color)
            _window_grid(draw, (x, horizon - h, x + w, horizon), rng, 0.3, _mix(color, (40, 60, 80), 0.4),
                         (255, 230, 150), cell=28)
        x += w + rng.randrange(8, 50)
    if year >= 2005:  # a cable-stayed bridge over the water
        deck = horizon + (height - horizon) // 3
        draw.rectangle((0, deck, width, deck + 16), fill=(230, 230, 235))
        for tower in (width // 3, width * 2 // 3):
            draw.rectangle((tower - 12, deck - 260, tower + 12, deck + 60), fill=(240, 240, 245))
            for step in range(1, 8):
                draw.line((tower, deck - 250 + step * 10, tower - step * 55, deck), fill=(250, 250, 250), width=3)
                draw.line((tower, deck - 250 + step * 10, tower + step * 55, deck), fill=(250, 250, 250), width=3)


def _harbour(image: Image.Image, rng: random.Random, year: int) -> None:
    """A harbour with a lighthouse: sailing boats early on, container and passenger ships later."""
    width, height = image.size
    horizon = int(height * rng.uniform(0.45, 0.58))
    draw = _outdoor(image, rng, horizon, water=True)
    left = rng.random() < 0.5
    lx = 200 if left else width - 260
    draw.polygon([(lx, horizon + 60), (lx + 60, horizon + 60), (lx + 45, horizon - 330), (lx + 15, horizon - 330)],
                 fill=(245, 245, 240))
    for band in range(3):
        y = horizon - 280 + band * 110
        draw.rectangle((lx + 8, y, lx + 52, y + 40), fill=(200, 40, 40))
    draw.rectangle((lx + 5, horizon - 370, lx + 55, horizon - 330), fill=(255, 220, 120))
    pier = (0, 420) if left else (width - 420, width)
    draw.rectangle((pier[0], horizon + 50, pier[1], horizon + 90), fill=(120, 110, 100))
    for index in range(rng.randrange(2, 4)):
        x = (width // 2 if left else 150) + index * rng.randrange(200, 320)
        y = horizon + 80 + index * rng.randrange(60, 140)
        if year < 1995:
            draw.polygon([(x, y), (x + 180, y), (x + 150, y + 40), (x + 30, y + 40)], fill=(110, 70, 40))
            draw.polygon([(x + 90, y - 200), (x + 90, y - 10), (x + 10, y - 10)], fill=(240, 230, 200))
        else:
            long = rng.randrange(320, 460)
            draw.polygon([(x, y), (x + long, y), (x + long - 40, y + 60), (x + 20, y + 60)], fill=(40, 60, 90))
            for box in range(0, long - 140, 46):
                draw.rectangle((x + 30 + box, y - 40, x + 70 + box, y),
                               fill=rng.choice(((200, 60, 50), (40, 120, 180), (230, 170, 40), (60, 150, 90))))
            draw.rectangle((x + long - 110, y - 110, x + long - 50, y), fill=(245, 245, 245))


def _bus(image: Image.Image, rng: random.Random, year: int) -> None:
    """A bus on a coastal road: a green-and-white old bus, later a blue electric one at a charging post."""
    width, height = image.size
    horizon = int(height * rng.uniform(0.42, 0.5))
    draw = _outdoor(image, rng, horizon, water=False)
    _hills(draw, rng, width, horizon, (100, 130, 100))
    road = int(height * 0.7)
    draw.rectangle((0, road, width, road + 200), fill=(80, 82, 88))
    for x in range(0, width, 160):
        draw.rectangle((x, road + 95, x + 80, road + 105), fill=(240, 240, 230))
    for x in range(rng.randrange(40, 120), width, rng.randrange(220, 320)):  # trees
        draw.rectangle((x - 8, road - 140, x + 8, road), fill=(100, 70, 40))
        draw.ellipse((x - 70, road - 280, x + 70, road - 120), fill=(60, 130, 70))
    x = rng.randrange(200, width - 900)
    body = (60, 140, 80) if year < 2000 else (30, 110, 190)
    draw.rounded_rectangle((x, road - 260, x + 760, road + 40), radius=40, fill=body)
    draw.rectangle((x, road - 110, x + 760, road - 70), fill=(245, 245, 245))
    for window in range(6):
        wx = x + 40 + window * 118
        draw.rectangle((wx, road - 230, wx + 96, road - 140), fill=(190, 220, 240))
    for wheel in (x + 150, x + 610):
        draw.ellipse((wheel - 60, road - 20, wheel + 60, road + 100), fill=(30, 30, 30))
        draw.ellipse((wheel - 25, road + 15, wheel + 25, road + 65), fill=(170, 170, 170))
    label = "1路" if year < 2000 else "1路 纯电动"
    draw.text((x + 40, road - 60), label, font=font(48, bold=True), fill=(255, 255, 255))
    if year >= 2010:
        post = x + 820 if x + 900 < width else x - 120
        draw.rounded_rectangle((post, road - 240, post + 70, road + 20), radius=12, fill=(240, 240, 240))
        draw.rectangle((post + 12, road - 210, post + 58, road - 160), fill=(60, 200, 120))


def _workshop(image: Image.Image, rng: random.Random, year: int) -> None:
    """A workshop: a sawtooth roof and a smoking chimney early on, glass walls and solar panels later."""
    width, height = image.size
    horizon = int(height * rng.uniform(0.6, 0.7))
    draw = _outdoor(image, rng, horizon, water=False)
    x0 = rng.randrange(60, 300)
    x1 = x0 + rng.randrange(900, 1200)
    top = horizon - rng.randrange(260, 360)
    modern = year >= 2005
    draw.rectangle((x0, top, x1, horizon + 40), fill=(200, 205, 210) if modern else (170, 140, 120))
    if modern:
        _window_grid(draw, (x0, top + 20, x1, horizon), rng, 0.6, (90, 140, 180), (170, 210, 235), cell=60)
        for panel in range(x0 + 20, x1 - 100, 130):
            draw.polygon([(panel, top), (panel + 110, top), (panel + 90, top - 50), (panel + 20, top - 50)],
                         fill=(40, 70, 130))
    else:
        for tooth in range(x0, x1, 120):
            draw.polygon([(tooth, top), (tooth + 120, top), (tooth + 120, top - 80)], fill=(140, 110, 90))
        cx = x1 - 120
        draw.rectangle((cx, top - 380, cx + 60, top), fill=(150, 90, 70))
        for puff in range(5):
            r = 40 + puff * 18
            px, py = cx + 30 + puff * 70, top - 420 - puff * 50
            draw.ellipse((px - r, py - r, px + r, py + r), fill=(180, 180, 175))
    gear_x, gear_y = (x1 + width) // 2 if x1 < width - 200 else x0 // 2 + 60, horizon - 120
    for tooth in range(10):
        angle = tooth * math.tau / 10
        centre = (gear_x + 92 * math.cos(angle), gear_y + 92 * math.sin(angle))
        draw.regular_polygon((*centre, 30), 4, rotation=math.degrees(angle) + 45, fill=(230, 160, 40))
    draw.ellipse((gear_x - 90, gear_y - 90, gear_x + 90, gear_y + 90), fill=(230, 160, 40))
    draw.ellipse((gear_x - 35, gear_y - 35, gear_x + 35, gear_y + 35), fill=(90, 90, 90))


def _hospital(image: Image.Image, rng: random.Random, year: int) -> None:
    """A hospital with a red cross and an ambulance: a low block early on, a tall block with a helipad later."""
    width, height = image.size
    horizon = int(height * rng.uniform(0.62, 0.72))
    draw = _outdoor(image, rng, horizon, water=False)
    tall = 260 if year < 2000 else 560
    x0 = rng.randrange(120, width - 1000)
    x1 = x0 + rng.randrange(700, 900)
    draw.rectangle((x0, horizon - tall, x1, horizon + 30), fill=(245, 245, 240))
    _window_grid(draw, (x0, horizon - tall + 90, x1, horizon), rng, 0.5, (140, 170, 200), (200, 225, 240), cell=50)
    cx, cy = (x0 + x1) // 2, horizon - tall + 45
    draw.rectangle((cx - 60, cy - 20, cx + 60, cy + 20), fill=(210, 30, 40))
    draw.rectangle((cx - 20, cy - 60, cx + 20, cy + 60), fill=(210, 30, 40))
    if year >= 2000:
        draw.ellipse((x1 - 200, horizon - tall - 30, x1 - 60, horizon - tall + 10), outline=(250, 200, 60), width=6)
        draw.text((x1 - 144, horizon - tall - 34), "H", font=font(36, bold=True), fill=(250, 200, 60))
    ax = x1 + 60 if x1 + 480 < width else x0 - 480
    ay = horizon + 150
    draw.rounded_rectangle((ax, ay - 160, ax + 400, ay + 20), radius=24, fill=(250, 250, 250), outline=(200, 40, 40),
                           width=6)
    draw.rectangle((ax + 170, ay - 110, ax + 210, ay - 30), fill=(210, 30, 40))
    draw.rectangle((ax + 150, ay - 90, ax + 230, ay - 50), fill=(210, 30, 40))
    for wheel in (ax + 80, ax + 320):
        draw.ellipse((wheel - 40, ay - 10, wheel + 40, ay + 70), fill=(30, 30, 30))


def _sea_farm(image: Image.Image, rng: random.Random, year: int) -> None:
    """A sea farm: rows of buoys on the water; a rowing boat early on, a work boat and a hatchery later."""
    width, height = image.size
    horizon = int(height * rng.uniform(0.38, 0.5))
    draw = _outdoor(image, rng, horizon, water=True)
    _hills(draw, rng, width, horizon, (90, 120, 110))
    rows = 5 if year < 2000 else 9
    for row in range(rows):
        y = horizon + 40 + row * (height - horizon - 120) // rows
        step = 40 + row * 8
        for x in range(rng.randrange(0, step), width, step):
            r = 6 + row * 2
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(240, 120, 40) if year >= 2000 else (230, 230, 220))
    bx = rng.randrange(200, width - 600)
    by = horizon + (height - horizon) // 2
    size = 200 if year < 2000 else 380
    draw.polygon([(bx, by), (bx + size, by), (bx + size - 40, by + 60), (bx + 40, by + 60)], fill=(160, 60, 40))
    if year >= 2000:
        draw.rectangle((bx + size - 150, by - 90, bx + size - 60, by), fill=(245, 245, 245))
        hx = bx + size + 200 if bx + size + 700 < width else 80
        draw.rectangle((hx, horizon - 150, hx + 420, horizon + 5), fill=(235, 238, 240))
        draw.polygon([(hx - 20, horizon - 150), (hx + 210, horizon - 230), (hx + 440, horizon - 150)],
                     fill=(60, 120, 170))


def _station(image: Image.Image, rng: random.Random, year: int) -> None:
    """A police station on the coast with its flag, and a patrol boat on the water."""
    width, height = image.size
    horizon = int(height * rng.uniform(0.5, 0.6))
    draw = _outdoor(image, rng, horizon, water=True)
    x0 = rng.randrange(100, width - 900)
    tall = 200 if year < 2000 else 330
    wall = (240, 240, 235) if year >= 2000 else (210, 200, 180)
    draw.rectangle((x0, horizon - tall, x0 + 700, horizon + 20), fill=wall)
    draw.rectangle((x0, horizon - tall, x0 + 700, horizon - tall + 50), fill=(30, 60, 130))
    draw.text((x0 + 30, horizon - tall + 25), "公 安", font=font(40, bold=True), fill=(255, 255, 255), anchor="lm")
    _window_grid(draw, (x0, horizon - tall + 60, x0 + 700, horizon), rng, 0.4, (110, 140, 170), (200, 220, 240),
                 cell=50)
    pole = x0 + 760
    draw.rectangle((pole, horizon - tall - 260, pole + 10, horizon + 20), fill=(220, 220, 220))
    draw.rectangle((pole + 10, horizon - tall - 260, pole + 190, horizon - tall - 140), fill=(222, 41, 16))
    _star(draw, pole + 45, horizon - tall - 225, 24, (255, 222, 0))
    bx, by = rng.randrange(100, width - 600), horizon + rng.randrange(150, 300)
    draw.polygon([(bx, by), (bx + 460, by), (bx + 400, by + 70), (bx + 30, by + 70)], fill=(245, 245, 245))
    draw.rectangle((bx, by + 20, bx + 440, by + 34), fill=(30, 60, 130))
    draw.rectangle((bx + 120, by - 80, bx + 300, by), fill=(230, 230, 230))


def _market(image: Image.Image, rng: random.Random, year: int) -> None:
    """Fresh food: a street stall under an awning early on, a bright supermarket counter later."""
    width, height = image.size
    floor = int(height * 0.72)
    wall = ((240, 228, 200), (216, 200, 170)) if year < 2000 else ((246, 248, 250), (214, 226, 232))
    image.paste(_gradient((width, floor), *wall), (0, 0))
    image.paste(_gradient((width, height - floor), (170, 150, 120), (120, 104, 90)), (0, floor))
    draw = ImageDraw.Draw(image)
    stripes = ((200, 50, 50), (250, 250, 240)) if year < 2000 else ((40, 150, 90), (250, 250, 240))
    top = rng.randrange(120, 220)
    for index, x in enumerate(range(0, width, 100)):
        draw.polygon([(x, top), (x + 100, top), (x + 100, top + 120), (x + 50, top + 150), (x, top + 120)],
                     fill=stripes[index % 2])
    if year >= 2000:
        draw.text((width // 2 - 160, top + 170), "生鲜加工区", font=font(64, bold=True), fill=(40, 120, 70))
    counter_top = floor - 220
    draw.rectangle((80, counter_top, width - 80, floor), fill=(180, 140, 100) if year < 2000 else (236, 240, 244))
    colours = ((220, 60, 40), (250, 170, 30), (90, 170, 60), (160, 60, 140), (240, 220, 80))
    for crate in range(8):
        cx = 120 + crate * (width - 240) // 8
        draw.rectangle((cx, counter_top - 120, cx + 150, counter_top), fill=(150, 110, 70) if year < 2000 else
                       (250, 250, 250))
        colour = colours[crate % len(colours)]
        for _ in range(14):
            px, py, r = cx + rng.randrange(20, 130), counter_top - rng.randrange(20, 140), rng.randrange(16, 26)
            draw.ellipse((px - r, py - r, px + r, py + r), fill=_mix(colour, (255, 255, 255), rng.random() * 0.2))
    for _ in range(3 if year >= 2000 else 5):
        _person(draw, rng.randrange(150, width - 150), height - 30, rng.randrange(300, 380),
                _mix((50, 60, 80), (110, 70, 50), rng.random()))


MOTIFS: dict[str, Callable[[Image.Image, random.Random, int], None]] = {
    "window": _service_window,
    "skyline": _skyline,
    "harbour": _harbour,
    "bus": _bus,
    "workshop": _workshop,
    "hospital": _hospital,
    "sea_farm": _sea_farm,
    "station": _station,
    "market": _market,
}


# --- pictures --------------------------------------------------------------------------------------------------


def _caption_band(image: Image.Image, label: str, caption: str) -> Image.Image:
    """The dark band along the bottom: ``label`` (a year or a date) in gold, then the caption."""
    width, height = image.size
    band = int(height * 0.14)
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    draw.rectangle((0, height - band, width, height), fill=(12, 18, 28, 170))
    year_font, text_font = font(72, bold=True), font(46)
    draw.text((56, height - band // 2), label, font=year_font, fill=(255, 214, 120, 255), anchor="lm")
    draw.text((56 + draw.textlength(label, font=year_font) + 40, height - band // 2), caption,
              font=text_font, fill=(255, 255, 255, 255), anchor="lm")
    return Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")


def scene_image(scene: Scene, *, salt: str = "") -> Image.Image:
    """The picture of a scene (PICTURE_SIZE): its motif in the style of its year, toned like an old print before
    1995, with its caption band. ``salt`` varies the random choices (the same scene in two works)."""
    image = Image.new("RGB", PICTURE_SIZE)
    MOTIFS[scene.motif](image, _rng(scene.year, scene.motif, scene.caption, salt), scene.year)
    if scene.year < OLD_PHOTO_BEFORE:
        image = ImageOps.colorize(image.convert("L"), black=(40, 28, 16), white=(246, 230, 200))
    return _caption_band(image, f"{scene.year}", scene.caption)


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY)
    return buffer.getvalue()


@functools.lru_cache(maxsize=64)
def picture_jpeg(scene: Scene, salt: str = "") -> bytes:
    """A JPEG of PICTURE_SIZE (1600×1200, Attachment 1's minimum) showing ``scene``."""
    return _jpeg(scene_image(scene, salt=salt))


# --- ledger photos --------------------------------------------------------------------------------------------

LEDGER_PHOTO_SIZE = (800, 600)  # a ledger photo need not meet Attachment 1: small keeps `make demo` fast


@functools.lru_cache(maxsize=16)
def ledger_photo_jpeg(motif: str, caption: str, day: datetime.date) -> bytes:
    """A JPEG of LEDGER_PHOTO_SIZE for a ledger entry (an open-week event, a result on site): today's version of
    the trade's motif, with the day and ``caption`` in its band. Drawn at PICTURE_SIZE, the size the motifs are
    laid out for, then halved."""
    image = Image.new("RGB", PICTURE_SIZE)
    MOTIFS[motif](image, _rng("ledger", motif, caption), day.year)
    image = _caption_band(image, f"{day:%m月%d日}", caption)
    return _jpeg(image.resize(LEDGER_PHOTO_SIZE, Image.Resampling.LANCZOS))


# --- H5 screenshots --------------------------------------------------------------------------------------------


def _wrap(draw: ImageDraw.ImageDraw, text: str, text_font, width: int) -> list[str]:
    lines, line = [], ""
    for char in text:
        if draw.textlength(line + char, font=text_font) > width:
            lines.append(line)
            line = char
        else:
            line += char
    return [*lines, line] if line else lines


@dataclass(frozen=True)
class Screen:
    """One screenshot of an H5 work: a heading, text cards and a button, under a picture of ``scene`` (or,
    without a scene, the cards as numbered steps)."""

    heading: str
    paragraphs: tuple[str, ...]
    button: str
    scene: Scene | None = None
    colour: RGB = (196, 32, 40)  # the page's theme: title bar, step numbers, button


@functools.lru_cache(maxsize=16)
def screenshot_jpeg(title: str, screen: Screen) -> bytes:
    """A phone screenshot (SCREENSHOT_SIZE) of an H5 page titled ``title``."""
    colour = screen.colour
    width, height = SCREENSHOT_SIZE
    image = _gradient(SCREENSHOT_SIZE, (246, 248, 252), (228, 236, 246))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 40), fill=(20, 20, 24))
    draw.text((24, 20), "9:41", font=font(24, bold=True), fill=(255, 255, 255), anchor="lm")
    draw.rectangle((0, 40, width, 130), fill=colour)
    draw.text((width // 2, 85), title, font=font(36, bold=True), fill=(255, 255, 255), anchor="mm")
    y = 160
    if screen.scene is not None:
        hero_width = width - 48
        hero_height = hero_width * PICTURE_SIZE[1] // PICTURE_SIZE[0]
        hero = scene_image(screen.scene, salt=title).resize((hero_width, hero_height), Image.Resampling.BILINEAR)
        image.paste(hero, (24, 150))
        y = 170 + hero_height
    draw.text((32, y), screen.heading, font=font(40, bold=True), fill=(30, 40, 60))
    y += 80
    body_font = font(28)
    steps = screen.scene is None
    indent = 120 if steps else 56
    for number, paragraph in enumerate(screen.paragraphs, start=1):
        lines = _wrap(draw, paragraph, body_font, width - indent - 56)
        box_height = 36 + len(lines) * 42
        draw.rounded_rectangle((24, y, width - 24, y + box_height), radius=18, fill=(255, 255, 255),
                               outline=(220, 226, 236), width=2)
        if steps:
            draw.ellipse((48, y + 18, 96, y + 66), fill=colour)
            draw.text((72, y + 42), str(number), font=font(28, bold=True), fill=(255, 255, 255), anchor="mm")
        for index, line in enumerate(lines):
            draw.text((indent, y + 20 + index * 42), line, font=body_font, fill=(60, 70, 90))
        y += box_height + 20
    draw.rounded_rectangle((80, height - 150, width - 80, height - 60), radius=45, fill=colour)
    draw.text((width // 2, height - 105), screen.button, font=font(34, bold=True), fill=(255, 255, 255),
              anchor="mm")
    return _jpeg(image)


# --- the video -------------------------------------------------------------------------------------------------


def _title_card(title: str, subtitle: str) -> Image.Image:
    image = _gradient(VIDEO_SIZE, (150, 20, 30), (60, 10, 20))
    draw = ImageDraw.Draw(image)
    width, height = VIDEO_SIZE
    draw.text((width // 2, height // 2 - 24), title, font=font(40, bold=True), fill=(255, 236, 200), anchor="mm")
    draw.text((width // 2, height // 2 + 36), subtitle, font=font(22), fill=(255, 255, 255), anchor="mm")
    return image


def _bus_frame(background: Image.Image, progress: float, caption: str) -> Image.Image:
    """The background with a bus crossing from left to right (``progress`` 0..1) and a caption."""
    image = background.copy()
    draw = ImageDraw.Draw(image)
    width, height = VIDEO_SIZE
    road = int(height * 0.72)
    x = int(-240 + progress * (width + 240))
    draw.rounded_rectangle((x, road - 80, x + 220, road + 10), radius=14, fill=(30, 110, 190))
    for window in range(5):
        draw.rectangle((x + 14 + window * 40, road - 68, x + 46 + window * 40, road - 40), fill=(190, 220, 240))
    for wheel in (x + 45, x + 175):
        draw.ellipse((wheel - 18, road - 4, wheel + 18, road + 32), fill=(30, 30, 30))
    draw.rectangle((0, height - 52, width, height), fill=(12, 18, 28))
    draw.text((width // 2, height - 26), caption, font=font(24), fill=(255, 255, 255), anchor="mm")
    return image


def _video_background() -> Image.Image:
    image = Image.new("RGB", VIDEO_SIZE)
    width, height = VIDEO_SIZE
    rng = _rng("video")
    horizon = int(height * 0.5)
    image.paste(_gradient((width, horizon), *SKIES["dawn"]), (0, 0))
    image.paste(_gradient((width, height - horizon), *SEA), (0, horizon))
    draw = ImageDraw.Draw(image)
    _hills(draw, rng, width, horizon, (100, 130, 110))
    road = int(height * 0.72)
    draw.rectangle((0, road - 6, width, road + 44), fill=(80, 82, 88))
    for x in range(0, width, 80):
        draw.rectangle((x, road + 18, x + 40, road + 22), fill=(240, 240, 230))
    return image


@functools.lru_cache(maxsize=4)
def video_mp4(title: str, subtitle: str, captions: tuple[str, ...], seconds: int = 6) -> bytes:
    """An H.264 MP4 of VIDEO_SIZE lasting exactly ``seconds``: a 1.5 s title card, then a bus crossing a coastal
    road under the captions in turn, and the title card again for the last second."""
    frames = seconds * VIDEO_FPS
    intro, outro = VIDEO_FPS * 3 // 2, VIDEO_FPS
    card = _title_card(title, subtitle)
    background = _video_background()
    middle = frames - intro - outro
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="mp4") as container:
        try:
            stream = container.add_stream("libx264", rate=VIDEO_FPS, options={"preset": "veryfast", "crf": "26"})
        except (av.FFmpegError, ValueError):  # a PyAV build without x264: MPEG-4 part 2 still plays in VLC
            stream = container.add_stream("mpeg4", rate=VIDEO_FPS)
        stream.width, stream.height = VIDEO_SIZE
        stream.pix_fmt = "yuv420p"
        for index in range(frames):
            if index < intro or index >= frames - outro:
                image = card
            else:
                step = index - intro
                caption = captions[min(len(captions) - 1, step * len(captions) // middle)]
                image = _bus_frame(background, step / max(1, middle - 1), caption)
            frame = av.VideoFrame.from_image(image)
            frame.pts = index
            frame.time_base = Fraction(1, VIDEO_FPS)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buffer.getvalue()
