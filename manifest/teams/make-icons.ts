import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { drawColorIcon, drawOutlineIcon } from './icons.ts';
import { encodePng } from './png.ts';

/** Redraws color.png and outline.png next to this file: `npx tsx manifest/teams/make-icons.ts`. */
const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));

writeFileSync(here('color.png'), encodePng(drawColorIcon()));
writeFileSync(here('outline.png'), encodePng(drawOutlineIcon()));
console.log('Wrote manifest/teams/color.png and manifest/teams/outline.png');
