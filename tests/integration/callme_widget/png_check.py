"""Reads the PNG screenshots Chromium writes and measures colours in them.

Standard library only: zlib for the image data, the scanline filters of the
PNG specification (ISO/IEC 15948, section 9: None, Sub, Up, Average, Paeth)
undone here. Only what Chromium writes is read: 8-bit RGB or RGBA, not
interlaced. `encode` writes such files, so the reader is tested on pictures
whose every pixel is known.
"""

import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {2: 3, 6: 4}  # colour type -> samples per pixel


class Image:
    """Pixels as rows of bytes, `channels` samples per pixel."""

    def __init__(self, width, height, channels, rows):
        self.width = width
        self.height = height
        self.channels = channels
        self.rows = rows

    def pixel(self, x, y):
        """(r, g, b) at column x, row y."""
        i = x * self.channels
        row = self.rows[y]
        return row[i], row[i + 1], row[i + 2]


def _chunks(data):
    if data[:8] != SIGNATURE:
        raise ValueError("not a PNG file")
    pos = 8
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if len(body) != length or zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            raise ValueError("damaged %r chunk" % kind)
        yield kind, body
        pos += 12 + length
        if kind == b"IEND":
            return
    raise ValueError("PNG without IEND")


def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _unfilter(kind, line, prior, bpp):
    """One scanline back to its samples (PNG spec section 9.2)."""
    out = bytearray(line)
    n = len(out)
    if kind == 0:
        return out
    if kind == 1:
        for i in range(bpp, n):
            out[i] = (out[i] + out[i - bpp]) & 0xFF
    elif kind == 2:
        for i in range(n):
            out[i] = (out[i] + prior[i]) & 0xFF
    elif kind == 3:
        for i in range(n):
            left = out[i - bpp] if i >= bpp else 0
            out[i] = (out[i] + ((left + prior[i]) >> 1)) & 0xFF
    elif kind == 4:
        for i in range(n):
            left = out[i - bpp] if i >= bpp else 0
            upper_left = prior[i - bpp] if i >= bpp else 0
            out[i] = (out[i] + _paeth(left, prior[i], upper_left)) & 0xFF
    else:
        raise ValueError("unknown filter type %d" % kind)
    return out


def decode(data):
    """An Image from the bytes of an 8-bit RGB or RGBA, non-interlaced PNG."""
    header = None
    idat = bytearray()
    for kind, body in _chunks(data):
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
    if header is None:
        raise ValueError("PNG without IHDR")
    width, height, depth, colour_type, _, _, interlace = header
    if depth != 8 or colour_type not in CHANNELS or interlace != 0:
        raise ValueError("only 8-bit RGB/RGBA without interlace is read (depth %d, colour type "
                         "%d, interlace %d)" % (depth, colour_type, interlace))
    channels = CHANNELS[colour_type]
    stride = width * channels
    raw = zlib.decompress(bytes(idat))
    if len(raw) != height * (stride + 1):
        raise ValueError("image data of %d bytes, want %d" % (len(raw), height * (stride + 1)))
    rows = []
    prior = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        prior = _unfilter(raw[start], raw[start + 1:start + 1 + stride], prior, channels)
        rows.append(prior)
    return Image(width, height, channels, rows)


def read(path):
    with open(path, "rb") as f:
        return decode(f.read())


def parse_colour(text):
    """'#0a7d32' -> (10, 125, 50)."""
    text = text.lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    return tuple(int(text[i:i + 2], 16) for i in (0, 2, 4))


def colour_share(image, colour, tolerance=6):
    """(pixels, share of all pixels) within `tolerance` of `colour` in every
    channel (antialiasing and colour management move edges and, slightly,
    flat areas)."""
    r0, g0, b0 = colour
    count = 0
    step = image.channels
    for row in image.rows:
        for i in range(0, len(row), step):
            if (abs(row[i] - r0) <= tolerance and abs(row[i + 1] - g0) <= tolerance and
                    abs(row[i + 2] - b0) <= tolerance):
                count += 1
    total = image.width * image.height
    return count, (count / total if total else 0.0)


def encode(width, height, pixel, channels=3, filters=(0, 1, 2, 3, 4)):
    """A PNG of pixel(x, y) -> (r, g, b[, a]); row y uses filters[y % len]."""
    stride = width * channels
    raw = bytearray()
    prior = bytearray(stride)
    for y in range(height):
        line = bytearray()
        for x in range(width):
            line += bytes(pixel(x, y)[:channels])
        kind = filters[y % len(filters)]
        out = bytearray(stride)
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = prior[i]
            upper_left = prior[i - channels] if i >= channels else 0
            predictor = {0: 0, 1: left, 2: up, 3: (left + up) >> 1,
                         4: _paeth(left, up, upper_left)}[kind]
            out[i] = (line[i] - predictor) & 0xFF
        raw.append(kind)
        raw += out
        prior = line

    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body +
                struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    colour_type = 2 if channels == 3 else 6
    return (SIGNATURE +
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(bytes(raw))) + chunk(b"IEND", b""))
