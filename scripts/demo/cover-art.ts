import zlib from "node:zlib";

// Generated cover images for demo campaigns: a two-colour gradient with a few soft shapes,
// encoded as PNG with nothing but node:zlib, so the demo needs no image files or packages.

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "ascii");
  Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Encodes 8-bit RGB pixels (row after row) as a PNG, each row with the "Sub" filter. */
function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  const stride = width * 3;
  const filtered = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1);
    filtered[row] = 1;
    for (let x = 0; x < stride; x++) {
      const left = x >= 3 ? rgb[y * stride + x - 3]! : 0;
      filtered[row + 1 + x] = (rgb[y * stride + x]! - left) & 0xff;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", zlib.deflateSync(filtered, { level: 6 })),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

function hsl(h: number, s: number, l: number): [number, number, number] {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

export type CoverShape = "sun" | "rings" | "hills" | "blocks";

/**
 * An 800x450 cover: a diagonal gradient from `hue`, and a motif (a sun over a horizon, rings,
 * rolling hills or stacked blocks) in lighter tints. Deterministic for the same arguments.
 */
export function renderCoverPng({
  hue,
  shape,
  width = 800,
  height = 450,
}: {
  hue: number;
  shape: CoverShape;
  width?: number;
  height?: number;
}): Buffer {
  const from = hsl(hue, 0.55, 0.62);
  const to = hsl((hue + 35) % 360, 0.6, 0.36);
  const light = hsl((hue + 330) % 360, 0.7, 0.9);
  const mid = hsl((hue + 15) % 360, 0.45, 0.5);
  const rgb = new Uint8Array(width * height * 3);
  // Soft edges: coverage from a signed distance, one pixel wide.
  const edge = (d: number) => (d <= -0.5 ? 1 : d >= 0.5 ? 0 : 0.5 - d);
  const cx = width * 0.68;
  const cy = height * 0.42;
  const r = height * 0.24;
  const px: [number, number, number] = [0, 0, 0];
  const paint = (c: readonly [number, number, number], alpha: number) => {
    if (alpha <= 0) return;
    px[0] += (c[0] - px[0]) * alpha;
    px[1] += (c[1] - px[1]) * alpha;
    px[2] += (c[2] - px[2]) * alpha;
  };
  const blockColours = [0, 1, 2].map((i) => (i === 1 ? light : hsl((hue + 20 * i) % 360, 0.5, 0.8)));
  const scale = width / 960;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = (x / width) * 0.45 + (y / height) * 0.55;
      px[0] = from[0] + (to[0] - from[0]) * t;
      px[1] = from[1] + (to[1] - from[1]) * t;
      px[2] = from[2] + (to[2] - from[2]) * t;
      const dist = Math.hypot(x - cx, y - cy);
      if (shape === "sun") {
        paint(light, edge(dist - r) * 0.92);
        paint(light, Math.max(0, 1 - (dist - r) / (r * 1.4)) * 0.18);
        const horizon = height * 0.72 + Math.sin(x / (90 * scale)) * 6 * scale;
        paint(mid, edge(horizon - y) * 0.85);
      } else if (shape === "rings") {
        for (let i = 0; i < 4; i++) {
          const ringR = r * (0.55 + i * 0.45);
          paint(light, edge(Math.abs(dist - ringR) - 7 * scale) * (0.8 - i * 0.15));
        }
      } else if (shape === "hills") {
        const back = height * 0.55 + Math.sin(x / (140 * scale) + 1) * 40 * scale;
        const front = height * 0.7 + Math.sin(x / (110 * scale) + 4) * 34 * scale;
        paint(light, edge(Math.hypot(x - width * 0.25, y - height * 0.28) - r * 0.55) * 0.9);
        paint(mid, edge(back - y) * 0.65);
        paint(to, edge(front - y) * 0.6);
      } else {
        const radius = 14 * scale;
        for (let i = 0; i < 3; i++) {
          const dx = Math.abs(x - width * (0.52 + i * 0.1)) - width * 0.11 + radius;
          const dy = Math.abs(y - height * (0.62 - i * 0.16)) - height * 0.1 + radius;
          const d = Math.hypot(Math.max(dx, 0), Math.max(dy, 0)) + Math.min(Math.max(dx, dy), 0) - radius;
          paint(blockColours[i]!, edge(d) * 0.88);
        }
      }
      const o = (y * width + x) * 3;
      rgb[o] = px[0];
      rgb[o + 1] = px[1];
      rgb[o + 2] = px[2];
    }
  }
  return encodePng(width, height, rgb);
}
