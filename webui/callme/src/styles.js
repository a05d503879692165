// The widget's style sheet, applied inside its shadow root so that the shop's
// CSS neither reaches in nor is touched. The button colour and its text
// colour arrive as custom properties set on the host (--cm-colour,
// --cm-text), which a strict Content-Security-Policy allows.

export const CSS = `
:host { all: initial; }
:host([data-position="inline"]) { display: inline-block; }
[hidden] { display: none !important; }
.cm-root {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 15px;
  line-height: 1.4;
  color: #1b1b1b;
  box-sizing: border-box;
}
.cm-root *, .cm-root *::before, .cm-root *::after { box-sizing: inherit; }
.cm-root[data-position="bottom-right"], .cm-root[data-position="bottom-left"] {
  position: fixed;
  bottom: 20px;
  z-index: 2147483000;
}
.cm-root[data-position="bottom-right"] { right: 20px; }
.cm-root[data-position="bottom-left"] { left: 20px; }
.cm-launch {
  display: inline-flex;
  align-items: center;
  gap: 10px;
  min-height: 52px;
  padding: 12px 24px 12px 18px;
  border: 0;
  border-radius: 26px;
  background: var(--cm-colour);
  color: var(--cm-text);
  font: inherit;
  font-size: 17px;
  font-weight: 600;
  cursor: pointer;
  box-shadow: 0 4px 14px rgba(0, 0, 0, 0.25);
}
.cm-launch[aria-disabled="true"] {
  cursor: not-allowed;
  box-shadow: none;
  background-image: repeating-linear-gradient(135deg, rgba(255, 255, 255, 0.18) 0 6px,
                                              transparent 6px 12px);
}
.cm-icon { flex: none; width: 22px; height: 22px; }
svg.cm-icon { fill: none; stroke: currentColor; stroke-width: 1.8; stroke-linecap: round;
              stroke-linejoin: round; }
.cm-root:not(.cm-open) { display: flex; flex-direction: column; align-items: flex-end; gap: 8px; }
.cm-root[data-position="bottom-left"]:not(.cm-open),
.cm-root[data-position="inline"]:not(.cm-open) { align-items: flex-start; }
/* Idle or closed: the status is a note under the button (when there is one). */
.cm-root:not(.cm-open) .cm-status {
  max-width: 300px;
  margin: 0;
  padding: 8px 12px;
  border-radius: 8px;
  background: #ffffff;
  box-shadow: 0 2px 8px rgba(0, 0, 0, 0.18);
}
.cm-root:not(.cm-open) .cm-status:empty { display: none; }
/* A call: the widget is a card with the coloured head. */
.cm-root.cm-open {
  width: 320px;
  max-width: calc(100vw - 40px);
  background: #ffffff;
  border-radius: 14px;
  overflow: hidden;
  box-shadow: 0 8px 28px rgba(0, 0, 0, 0.3);
}
.cm-open .cm-status { margin: 0; padding: 16px 16px 0; min-height: 1.4em; font-size: 16px; }
.cm-head {
  display: flex;
  align-items: center;
  gap: 10px;
  padding: 14px 12px 14px 16px;
  background: var(--cm-colour);
  color: var(--cm-text);
  font-weight: 600;
  font-size: 17px;
}
.cm-title { flex: 1; }
.cm-close {
  width: 36px;
  height: 36px;
  border: 0;
  border-radius: 18px;
  background: transparent;
  color: inherit;
  font: inherit;
  font-size: 22px;
  line-height: 1;
  cursor: pointer;
}
.cm-body { padding: 12px 16px 16px; }
.cm-timer {
  margin: 0 0 12px;
  text-align: center;
  font-size: 30px;
  font-weight: 600;
  font-variant-numeric: tabular-nums;
}
.cm-videos { position: relative; margin: 0 0 12px; background: #000000; border-radius: 8px;
             overflow: hidden; }
.cm-remote-video { display: block; width: 100%; min-height: 160px; }
.cm-local-video { position: absolute; right: 8px; bottom: 8px; width: 30%; border-radius: 6px; }
.cm-controls { display: flex; flex-wrap: wrap; gap: 8px; }
.cm-btn {
  flex: 1 1 auto;
  white-space: nowrap;
  min-height: 44px;
  padding: 10px 12px;
  border: 1px solid #b9b9b9;
  border-radius: 10px;
  background: #f3f3f3;
  color: #1b1b1b;
  font: inherit;
  cursor: pointer;
}
.cm-btn[aria-pressed="true"] { background: #333333; border-color: #333333; color: #ffffff; }
.cm-hangup { background: #c62828; border-color: #c62828; color: #ffffff; font-weight: 600; }
.cm-again { background: var(--cm-colour); border-color: var(--cm-colour); color: var(--cm-text);
            font-weight: 600; }
.cm-keypad {
  display: grid;
  grid-template-columns: repeat(3, 1fr);
  gap: 6px;
  margin: 12px 0 0;
}
.cm-key { min-height: 40px; font-size: 18px; font-variant-numeric: tabular-nums; }
.cm-root button:focus { outline: none; }
.cm-root button:focus-visible {
  outline: 3px solid #ffbf00;
  outline-offset: 2px;
  box-shadow: 0 0 0 6px #1b1b1b;
}
@keyframes cm-pulse { 0%, 100% { transform: scale(1); } 50% { transform: scale(1.15); } }
.cm-root[data-state="ringing"] .cm-head .cm-icon,
.cm-root[data-state="connecting"] .cm-head .cm-icon {
  animation: cm-pulse 1.2s ease-in-out infinite;
}
@media (prefers-reduced-motion: reduce) {
  .cm-root *, .cm-root *::before, .cm-root *::after {
    animation: none !important;
    transition: none !important;
  }
}
`;

// Puts the sheet into `shadow`: a constructed sheet where the browser has
// them (no <style> element, which a CSP without 'unsafe-inline' in
// style-src would block), a <style> element otherwise.
export function applyStyles(shadow) {
  try {
    if (typeof CSSStyleSheet === 'function' && 'adoptedStyleSheets' in shadow) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      shadow.adoptedStyleSheets = [sheet];
      return;
    }
  } catch (e) {
    // Fall through to the element.
  }
  const style = document.createElement('style');
  style.textContent = CSS;
  shadow.appendChild(style);
}
