# Makes the image-variant fixtures of BadInputTests.imageVariants (run once, with Pillow and
# numpy: `pip install pillow numpy; python3 Tests/Fixtures/images/make.py`). The files are
# committed; the tests do not need Python.
import struct, zlib
import numpy as np
from PIL import Image, ImageDraw

w, h = 96, 64
x = np.linspace(0, 1, w)[None, :]
y = np.linspace(0, 1, h)[:, None]
rgb = np.stack([40 + 180 * x + 0 * y, 60 + 120 * y + 0 * x, 200 - 150 * x * y], -1).astype(np.uint8)
image = Image.fromarray(rgb, "RGB")
ImageDraw.Draw(image).rectangle([20, 10, 50, 40], outline=(10, 10, 10), width=3)
out = "Tests/Fixtures/images/"
image.convert("CMYK").save(out + "cmyk.jpg", quality=85)
image.save(out + "progressive.jpg", quality=85, progressive=True)
image.convert("L").save(out + "gray.jpg", quality=85)
Image.fromarray(np.array(image.convert("L")).astype(np.uint16) * 257).save(out + "gray16.png")
image.convert("P", palette=Image.ADAPTIVE, colors=16).save(out + "palette-transparent.png", transparency=0)

# 16-bit RGB, written by hand (Pillow writes no 48-bit PNG): R rises left to right, G top to
# bottom, B = 65535 - R.
ramp = np.linspace(0, 65535, w)[None, :].repeat(h, 0)
down = np.linspace(0, 65535, h)[:, None].repeat(w, 1)
pixels = np.stack([ramp, down, 65535 - ramp], -1).astype(">u2")
raw = b"".join(b"\x00" + pixels[r].tobytes() for r in range(h))
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
with open(out + "rgb16.png", "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
