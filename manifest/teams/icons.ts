import type { RgbaImage } from './png.ts';

/**
 * The two icons a Teams app package carries, drawn in code so they can be regenerated exactly (make-icons.ts):
 * - color: 192×192, a white telephone handset on a blue square;
 * - outline: 32×32, the same handset in white on a transparent background — Teams accepts nothing else there.
 */
export const COLOR_ICON_SIZE = 192;
export const OUTLINE_ICON_SIZE = 32;

/** The colour icon's blue; the manifest's accentColor is the same. */
export const ICON_BLUE = { r: 0x00, g: 0x73, b: 0xae } as const;

type Rgb = { r: number; g: number; b: number };
const WHITE: Rgb = { r: 255, g: 255, b: 255 };

/** A shape as a point test, in its own coordinates. */
type Shape = (x: number, y: number) => boolean;

// The handset, y growing downwards: a handle that is a shallow arc of a ring, with a rounded pad at each end
// (earpiece, mouthpiece) reaching in towards the ring's centre; then turned so that it lies diagonally.
const HANDLE_OUTER_RADIUS = 64;
const HANDLE_INNER_RADIUS = 44;
const HANDLE_HALF_ANGLE = degrees(62);
const PAD_HALF_WIDTH = 15;
const PAD_OUTER_RADIUS = 66;
const PAD_INNER_RADIUS = 22;
const PAD_CORNER_RADIUS = 11;
const TILT = degrees(-45);

function degrees(value: number): number {
  return (value * Math.PI) / 180;
}

/** The handset with the handle's ring centred on the origin. */
const handsetAroundRing: Shape = (x, y) => {
  const distance = Math.hypot(x, y);
  const fromTop = Math.atan2(x, -y);
  const inHandle = Math.abs(fromTop) <= HANDLE_HALF_ANGLE && distance >= HANDLE_INNER_RADIUS && distance <= HANDLE_OUTER_RADIUS;
  return inHandle || inPad(x, y, -HANDLE_HALF_ANGLE) || inPad(x, y, HANDLE_HALF_ANGLE);
};

/** A pad: a rounded block along the ring's radius at `angle` from the top, from the ring's outside to well inside. */
function inPad(x: number, y: number, angle: number): boolean {
  const alongX = Math.sin(angle);
  const alongY = -Math.cos(angle);
  const along = x * alongX + y * alongY;
  const across = -x * alongY + y * alongX;
  const middle = (PAD_INNER_RADIUS + PAD_OUTER_RADIUS) / 2;
  return inRoundedRect(across, along - middle, PAD_HALF_WIDTH, (PAD_OUTER_RADIUS - PAD_INNER_RADIUS) / 2, PAD_CORNER_RADIUS);
}

const tilted: Shape = (x, y) => handsetAroundRing(x * Math.cos(TILT) - y * Math.sin(TILT), x * Math.sin(TILT) + y * Math.cos(TILT));

/** The tilted handset's bounding box, found by sampling once, so that it can be centred and scaled exactly. */
const handsetBox = (() => {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let y = -100; y <= 100; y += 0.25) {
    for (let x = -100; x <= 100; x += 0.25) {
      if (!tilted(x, y)) continue;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
  }
  return { centerX: (minX + maxX) / 2, centerY: (minY + maxY) / 2, size: Math.max(maxX - minX, maxY - minY) };
})();

function inRoundedRect(dx: number, dy: number, halfWidth: number, halfHeight: number, radius: number): boolean {
  const overX = Math.max(Math.abs(dx) - (halfWidth - radius), 0);
  const overY = Math.max(Math.abs(dy) - (halfHeight - radius), 0);
  return Math.abs(dx) <= halfWidth && Math.abs(dy) <= halfHeight && overX * overX + overY * overY <= radius * radius;
}

/** The handset scaled to fit a `size`-pixel square centred on (centerX, centerY) of the icon. */
function handsetAt(centerX: number, centerY: number, size: number): Shape {
  const scale = handsetBox.size / size;
  return (x, y) => tilted((x - centerX) * scale + handsetBox.centerX, (y - centerY) * scale + handsetBox.centerY);
}

/** A layer: where it is, and its colour there. Later layers paint over earlier ones. */
type Layer = { shape: Shape; color: Rgb };

// 5×5 samples per pixel give smooth edges without a rasteriser.
const SAMPLES_PER_AXIS = 5;

function paint(size: number, layers: Layer[]): RgbaImage {
  const pixels = new Uint8Array(size * size * 4);
  const samples = SAMPLES_PER_AXIS * SAMPLES_PER_AXIS;
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < SAMPLES_PER_AXIS; sy += 1) {
        for (let sx = 0; sx < SAMPLES_PER_AXIS; sx += 1) {
          const x = px + (sx + 0.5) / SAMPLES_PER_AXIS;
          const y = py + (sy + 0.5) / SAMPLES_PER_AXIS;
          const top = topLayerAt(layers, x, y);
          if (top === undefined) continue;
          r += top.color.r;
          g += top.color.g;
          b += top.color.b;
          covered += 1;
        }
      }
      const at = (py * size + px) * 4;
      if (covered === 0) {
        // Fully transparent pixels stay white so that no pixel of the outline icon is anything but white.
        pixels.set([255, 255, 255, 0], at);
        continue;
      }
      pixels.set([Math.round(r / covered), Math.round(g / covered), Math.round(b / covered), Math.round((covered / samples) * 255)], at);
    }
  }
  return { width: size, height: size, pixels };
}

function topLayerAt(layers: Layer[], x: number, y: number): Layer | undefined {
  for (let index = layers.length - 1; index >= 0; index -= 1) {
    const layer = layers[index];
    if (layer?.shape(x, y)) return layer;
  }
  return undefined;
}

export function drawColorIcon(): RgbaImage {
  const size = COLOR_ICON_SIZE;
  // Teams' icon guidelines: a full square (Teams rounds the corners itself, so rounded ones come out doubled) and the
  // symbol inside the central 96×96 for balance.
  const tile: Shape = () => true;
  return paint(size, [
    { shape: tile, color: ICON_BLUE },
    { shape: handsetAt(size / 2, size / 2, 96), color: WHITE },
  ]);
}

export function drawOutlineIcon(): RgbaImage {
  const size = OUTLINE_ICON_SIZE;
  // Teams wants a little padding around an outline icon's symbol.
  return paint(size, [{ shape: handsetAt(size / 2, size / 2, 28), color: WHITE }]);
}
