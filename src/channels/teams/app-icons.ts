import { encodePng } from './png-encoder.ts';

/**
 * The Teams app icons, drawn in code so they can be rebuilt without image tools:
 * `color.png` (192×192, full colour) and `outline.png` (32×32, white on transparent).
 * Motif: a speech bubble with three dots – a chat that gets answered.
 */

type Rgba = readonly [number, number, number, number];
/** Colour at a point in icon units (0..size), or undefined for transparent. */
type Paint = (x: number, y: number) => Rgba | undefined;

/** The app's accent colour; also `accentColor` in the manifest. */
export const ACCENT_COLOR = '#1F5FAD';
const ACCENT: Rgba = [0x1f, 0x5f, 0xad, 255];
const WHITE: Rgba = [255, 255, 255, 255];

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
  radius: number;
}

function inRoundedBox(x: number, y: number, box: Box): boolean {
  if (x < box.left || x > box.right || y < box.top || y > box.bottom) return false;
  const cx = Math.min(Math.max(x, box.left + box.radius), box.right - box.radius);
  const cy = Math.min(Math.max(y, box.top + box.radius), box.bottom - box.radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= box.radius ** 2;
}

function inTriangle(x: number, y: number, points: readonly [number, number][]): boolean {
  const [a, b, c] = points as [[number, number], [number, number], [number, number]];
  const side = (p: [number, number], q: [number, number]) =>
    (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
  const d1 = side(a, b);
  const d2 = side(b, c);
  const d3 = side(c, a);
  const negative = d1 < 0 || d2 < 0 || d3 < 0;
  const positive = d1 > 0 || d2 > 0 || d3 > 0;
  return !(negative && positive);
}

function inCircle(x: number, y: number, cx: number, cy: number, r: number): boolean {
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** A speech bubble in a unit square (0..1): body, tail and three dots. */
const bubble = {
  body: { left: 0.16, top: 0.2, right: 0.84, bottom: 0.66, radius: 0.13 },
  tail: [
    [0.28, 0.6],
    [0.46, 0.6],
    [0.22, 0.82],
  ] as [number, number][],
  dots: [0.34, 0.5, 0.66].map((x) => ({ x, y: 0.43, r: 0.055 })),
};

function inBubble(u: number, v: number): boolean {
  return inRoundedBox(u, v, bubble.body) || inTriangle(u, v, bubble.tail);
}

function inDot(u: number, v: number): boolean {
  return bubble.dots.some((d) => inCircle(u, v, d.x, d.y, d.r));
}

/** Renders with supersampling, so edges are smooth (alpha-weighted average of the samples). */
function rasterize(size: number, paint: Paint, samples = 6): Uint8Array {
  const pixels = new Uint8Array(size * size * 4);
  const n = samples * samples;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const colour = paint(px + (sx + 0.5) / samples, py + (sy + 0.5) / samples);
          if (!colour) continue;
          const alpha = colour[3] / 255;
          r += colour[0] * alpha;
          g += colour[1] * alpha;
          b += colour[2] * alpha;
          a += alpha;
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        pixels[i] = Math.round(r / a);
        pixels[i + 1] = Math.round(g / a);
        pixels[i + 2] = Math.round(b / a);
      }
      pixels[i + 3] = Math.round((a / n) * 255);
    }
  }
  return pixels;
}

/** 192×192: a white bubble with accent-coloured dots on a full accent background. */
export function drawColorIcon(size = 192): Buffer {
  const paint: Paint = (x, y) => {
    const u = x / size;
    const v = y / size;
    if (inBubble(u, v)) return inDot(u, v) ? ACCENT : WHITE;
    return ACCENT;
  };
  return encodePng(size, size, rasterize(size, paint));
}

/** 32×32: the bubble in white on transparent, the dots cut out (Teams' outline icon rule). */
export function drawOutlineIcon(size = 32): Buffer {
  const paint: Paint = (x, y) => {
    const u = x / size;
    const v = y / size;
    return inBubble(u, v) && !inDot(u, v) ? WHITE : undefined;
  };
  return encodePng(size, size, rasterize(size, paint, 8));
}
