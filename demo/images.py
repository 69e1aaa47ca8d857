"""Demo photographs drawn with Pillow: craft-like patterns in a colourway, never blank squares."""

import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 960, 720


def _shade(colour, factor):
    return tuple(max(0, min(255, int(channel * factor))) for channel in colour)


def _lattice(draw, rng, palette):
    """Diamond lattice of a knotted rug, with a border."""
    ground, line, accent = palette
    draw.rectangle([0, 0, WIDTH, HEIGHT], fill=ground)
    step = rng.choice([80, 96, 120])
    for x in range(-step, WIDTH + step, step):
        for y in range(-step, HEIGHT + step, step):
            diamond = [(x, y - step // 2), (x + step // 2, y), (x, y + step // 2), (x - step // 2, y)]
            draw.polygon(diamond, outline=line, width=6)
            if rng.random() < 0.35:
                draw.polygon([(x, y - 12), (x + 12, y), (x, y + 12), (x - 12, y)], fill=accent)
    for inset in (18, 40):
        draw.rectangle([inset, inset, WIDTH - inset, HEIGHT - inset], outline=line, width=8)


def _stripes(draw, rng, palette):
    """Bands of a kilim or a brocade, with small motifs in some bands."""
    y = 0
    while y < HEIGHT:
        band = rng.choice([18, 30, 54, 80])
        colour = rng.choice(palette)
        draw.rectangle([0, y, WIDTH, y + band], fill=colour)
        if band >= 54:
            motif = rng.choice([c for c in palette if c != colour])
            for x in range(20, WIDTH, 70):
                draw.polygon([(x, y + band // 2), (x + 20, y + 8), (x + 40, y + band // 2), (x + 20, y + band - 8)], fill=motif)
        y += band


def _tiles(draw, rng, palette):
    """Eight-point stars of zellige on a tiled ground."""
    ground, star, accent = palette
    draw.rectangle([0, 0, WIDTH, HEIGHT], fill=_shade(ground, 0.95))
    size = rng.choice([90, 120])
    for cx in range(0, WIDTH + size, size):
        for cy in range(0, HEIGHT + size, size):
            r = size * 0.45
            points = []
            for k in range(16):
                radius = r if k % 2 == 0 else r * 0.55
                angle = math.pi / 8 * k
                points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
            draw.polygon(points, fill=star, outline=_shade(star, 0.6))
            draw.ellipse([cx - r * 0.2, cy - r * 0.2, cx + r * 0.2, cy + r * 0.2], fill=accent)


def _rings(draw, rng, palette):
    """A thrown plate or turned wood seen from above: concentric rings and a painted rim."""
    ground, paint, accent = palette
    draw.rectangle([0, 0, WIDTH, HEIGHT], fill=_shade(ground, 0.8))
    cx, cy, radius = WIDTH // 2, HEIGHT // 2, int(HEIGHT * 0.44)
    draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], fill=ground, outline=_shade(ground, 0.6), width=6)
    for k in range(rng.randint(4, 8)):
        r = radius * (0.95 - k * 0.1)
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=paint if k % 2 else accent, width=rng.choice([4, 8, 12]))
    petals = rng.choice([6, 8, 12])
    for k in range(petals):
        angle = 2 * math.pi * k / petals
        px, py = cx + radius * 0.55 * math.cos(angle), cy + radius * 0.55 * math.sin(angle)
        draw.ellipse([px - 22, py - 22, px + 22, py + 22], fill=paint)


def _radial(draw, rng, palette):
    """Hammered metal: a radial gradient with chased dots."""
    metal, shine, accent = palette
    cx, cy = WIDTH // 2, HEIGHT // 2
    max_r = int(math.hypot(cx, cy))
    for r in range(max_r, 0, -6):
        factor = 0.55 + 0.6 * (1 - r / max_r)
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=_shade(metal, factor))
    for _ in range(400):
        angle, distance = rng.uniform(0, 2 * math.pi), rng.uniform(0, HEIGHT * 0.45)
        x, y = cx + distance * math.cos(angle), cy + distance * math.sin(angle)
        draw.ellipse([x - 3, y - 3, x + 3, y + 3], fill=_shade(shine, 1.1))
    points = 12
    outer, inner = HEIGHT * 0.3, HEIGHT * 0.18
    star = [
        (cx + (outer if k % 2 == 0 else inner) * math.cos(math.pi * k / points),
         cy + (outer if k % 2 == 0 else inner) * math.sin(math.pi * k / points))
        for k in range(2 * points)
    ]
    draw.polygon(star, outline=accent, width=5)


def _weave(draw, rng, palette):
    """Basketry or stitched leather: an over-and-under weave."""
    warp, weft, accent = palette
    draw.rectangle([0, 0, WIDTH, HEIGHT], fill=_shade(warp, 0.7))
    size = rng.choice([24, 32, 40])
    for row, y in enumerate(range(0, HEIGHT, size)):
        for col, x in enumerate(range(0, WIDTH, size)):
            colour = warp if (row + col) % 2 else weft
            draw.rounded_rectangle([x + 2, y + 2, x + size - 2, y + size - 2], radius=6, fill=colour)
    band_y = rng.randint(HEIGHT // 4, HEIGHT * 3 // 4)
    draw.rectangle([0, band_y, WIDTH, band_y + size], fill=accent)


def _bottle(draw, rng, palette):
    """A bottle of oil on a patterned cloth."""
    cloth, oil, accent = palette
    for y in range(0, HEIGHT, 40):
        draw.rectangle([0, y, WIDTH, y + 20], fill=cloth)
        draw.rectangle([0, y + 20, WIDTH, y + 40], fill=_shade(cloth, 0.85))
    cx = WIDTH // 2
    draw.rounded_rectangle([cx - 110, 230, cx + 110, 640], radius=40, fill=(196, 150, 40), outline=(90, 60, 10), width=5)
    draw.rectangle([cx - 35, 150, cx + 35, 240], fill=(196, 150, 40), outline=(90, 60, 10), width=5)
    draw.rectangle([cx - 45, 110, cx + 45, 155], fill=accent)
    draw.rectangle([cx - 80, 380, cx + 80, 500], fill=(250, 245, 230), outline=oil, width=4)


MOTIFS = {
    "lattice": _lattice,
    "stripes": _stripes,
    "tiles": _tiles,
    "rings": _rings,
    "radial": _radial,
    "weave": _weave,
    "bottle": _bottle,
}


def demo_image_bytes(*, motif: str, palette, seed: int) -> bytes:
    """A JPEG of the motif in the palette; the same seed always draws the same picture."""
    rng = random.Random(seed)
    image = Image.new("RGB", (WIDTH, HEIGHT))
    MOTIFS[motif](ImageDraw.Draw(image), rng, [tuple(c) for c in palette])
    image = image.filter(ImageFilter.GaussianBlur(0.8))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True)
    return buffer.getvalue()
