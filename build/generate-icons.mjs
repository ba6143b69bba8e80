#!/usr/bin/env node
/**
 * Writes the installer icons from the shapes of build/icon.svg, with no image tools: PNGs for Linux
 * (build/icons/<n>x<n>.png) and the 512 px build/icon.png, build/icon.ico (PNG-compressed entries,
 * allowed since Windows Vista) and build/icon.icns (PNG entries ic07–ic10). Run: node build/generate-icons.mjs
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));

// Shapes on a 1024 grid, in the order the SVG paints them: [x, y, width, height, radius, rgb].
const SHAPES = [
  [64, 64, 896, 896, 200, [0x0b, 0x5c, 0xad]],
  [412, 232, 200, 560, 24, [0xff, 0xff, 0xff]],
  [232, 412, 560, 200, 24, [0xff, 0xff, 0xff]],
  [112, 880, 800, 32, 16, [0x1d, 0x6b, 0x3a]],
];

function inside([x, y, w, h, r], px, py) {
  if (px < x || py < y || px > x + w || py > y + h) return false;
  const cx = Math.min(Math.max(px, x + r), x + w - r);
  const cy = Math.min(Math.max(py, y + r), y + h - r);
  return (px - cx) ** 2 + (py - cy) ** 2 <= r * r;
}

/** RGBA pixels of the icon at `size`, 4×4 supersampled for smooth edges. */
function render(size) {
  const pixels = Buffer.alloc(size * size * 4);
  const samples = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const px = ((x + (sx + 0.5) / samples) / size) * 1024;
          const py = ((y + (sy + 0.5) / samples) / size) * 1024;
          let color = null;
          for (const shape of SHAPES) if (inside(shape, px, py)) color = shape[5];
          if (color) {
            r += color[0];
            g += color[1];
            b += color[2];
            a += 255;
          }
        }
      }
      const n = samples * samples;
      const coverage = a / 255;
      const offset = (y * size + x) * 4;
      pixels[offset] = coverage ? Math.round(r / coverage) : 0;
      pixels[offset + 1] = coverage ? Math.round(g / coverage) : 0;
      pixels[offset + 2] = coverage ? Math.round(b / coverage) : 0;
      pixels[offset + 3] = Math.round(a / n);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG (RGBA, 8 bit) per the PNG specification (ISO/IEC 15948), filter 0 on every row. */
export function png(size) {
  const pixels = render(size);
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    pixels.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** ICO container (ICONDIR + ICONDIRENTRY per image) holding PNG images. */
function ico(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // icon
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, data }) => {
    const entry = Buffer.alloc(16);
    entry[0] = size >= 256 ? 0 : size; // 0 means 256
    entry[1] = size >= 256 ? 0 : size;
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(data.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += data.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map((i) => i.data)]);
}

/** ICNS container: 'icns' + total length, then (type, length, PNG) per entry, big-endian. */
function icns(entries) {
  const parts = entries.map(({ type, data }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

function main() {
  const sizes = [16, 32, 48, 64, 128, 256, 512, 1024];
  const images = new Map(sizes.map((size) => [size, png(size)]));
  mkdirSync(path.join(here, 'icons'), { recursive: true });
  for (const size of [16, 32, 48, 64, 128, 256, 512]) {
    writeFileSync(path.join(here, 'icons', `${size}x${size}.png`), images.get(size));
  }
  writeFileSync(path.join(here, 'icon.png'), images.get(512));
  writeFileSync(
    path.join(here, 'icon.ico'),
    ico([16, 32, 48, 256].map((size) => ({ size, data: images.get(size) }))),
  );
  writeFileSync(
    path.join(here, 'icon.icns'),
    icns([
      { type: 'ic07', data: images.get(128) },
      { type: 'ic08', data: images.get(256) },
      { type: 'ic09', data: images.get(512) },
      { type: 'ic10', data: images.get(1024) },
    ]),
  );
  console.log('icons written to build/');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
