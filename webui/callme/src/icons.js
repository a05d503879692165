// The button's icon: one of the built-in line drawings, or an image URL.
// Drawn for this widget on a 24x24 grid; they take the text colour.

const SVG_NS = 'http://www.w3.org/2000/svg';

const PATHS = {
  // A handset: earpiece top left, mouthpiece bottom right.
  phone: ['M7.5 3.5 5 4.2c-1 .3-1.6 1.3-1.4 2.3 1.4 7 6.4 12 13.4 13.4 1 .2 2-.4 2.3-1.4l.7-2.5' +
          '-4.2-2-2 2c-2.6-1.2-4.6-3.2-5.8-5.8l2-2z'],
  // A headband with two ear cups and a microphone arm.
  headset: ['M4 14v-2a8 8 0 0 1 16 0v2', 'M4 14h3v5H5a1 1 0 0 1-1-1z',
            'M20 14h-3v5h2a1 1 0 0 0 1-1z', 'M18 19c0 1.5-2 2.5-5 2.5'],
  // A camera body and its lens cone.
  video: ['M3 7.5A1.5 1.5 0 0 1 4.5 6h9A1.5 1.5 0 0 1 15 7.5v9a1.5 1.5 0 0 1-1.5 1.5h-9' +
          'A1.5 1.5 0 0 1 3 16.5z', 'M15 10.5l6-3.5v10l-6-3.5z'],
};

function svg(paths) {
  const root = document.createElementNS(SVG_NS, 'svg');
  root.setAttribute('viewBox', '0 0 24 24');
  root.setAttribute('width', '22');
  root.setAttribute('height', '22');
  root.setAttribute('aria-hidden', 'true');
  root.setAttribute('focusable', 'false');
  root.setAttribute('class', 'cm-icon');
  for (const d of paths) {
    const p = document.createElementNS(SVG_NS, 'path');
    p.setAttribute('d', d);
    root.appendChild(p);
  }
  return root;
}

// An element for `icon`: 'phone' | 'headset' | 'video' | an http(s) or
// relative image URL. Anything else falls back to the phone.
export function iconElement(icon) {
  if (PATHS[icon]) return svg(PATHS[icon]);
  if (typeof icon === 'string' && /^(https?:\/\/|\/|\.\/)/i.test(icon)) {
    const img = document.createElement('img');
    img.className = 'cm-icon';
    img.alt = '';
    img.width = 22;
    img.height = 22;
    img.src = icon;
    return img;
  }
  return svg(PATHS.phone);
}
