// Drives the Call Me widget on real pages in headless Chromium for the
// widget's acceptance test (test_callme_widget.py).
//
//   node driver.js --audio tone.wav --profile DIR [--chromium /usr/bin/chromium]
//
// One persistent browser context (so that tabs share a BroadcastChannel),
// many pages ("tabs"), each named by the test. The fake microphone plays
// the WAV. Microphone and camera are granted per context by the test
// (grant/deny); a request that is not granted is denied, never prompted.
//
// stdin: one JSON command per line, {"cmd", "id", "timeoutMs", ...}; stdout:
// one reply per command {"reply", "id", "ok", "error"?, ...} and events
// {"event", ...}. The pages' console goes to stderr. When stdin closes, or on
// SIGTERM, Chromium is killed (by PID, found by its profile directory) and
// the driver exits.
//
// Commands (page = the test's name for a tab):
//   open {page, url}                 new tab, loads url, waits for the widget
//   close {page}                     closes the tab
//   route {page, pattern, status, body}  answers requests matching the glob
//                                    `pattern` with JSON `body`
//   grant {origins} / deny           microphone+camera allowed / not allowed
//   widget {page}                    the widget's DOM as data (see snapshot())
//   waitState {page, states}         until data-state is one of `states`
//   waitText {page, text}            until the widget's text holds `text`
//   click {page, selector, force}    a click (CSS selectors pierce the shadow root)
//   focus {page, selector}, press {page, key}   keyboard use
//   screenshot {page, selector, path, pagePath} the widget and the whole tab
//                                    as PNG, with the widget's DOM at that moment
//   quit
'use strict';

const fs = require('fs');
const path = require('path');
const readline = require('readline');

const kNodeModules = path.resolve(__dirname, '..', '..', 'node_modules');
const kDefaultTimeoutMs = 15000;
const kLaunchTimeoutMs = 30000;

function option(name, fallback) {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--' + name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
}

const settings = {
  audio: option('audio', ''),
  profile: option('profile', ''),
  chromium: option('chromium', process.env.CHROMIUM || '/usr/bin/chromium'),
  maxSeconds: Number(option('max-seconds', '600')),
};

const write = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');
const emit = (event, extra) => write(Object.assign({event}, extra || {}));
const log = (text) => process.stderr.write(text.endsWith('\n') ? text : text + '\n');

function chromiumFlags() {
  return [
    '--no-sandbox',  // Chromium refuses to run as root with its sandbox
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--allow-loopback-in-peer-connection',
    '--autoplay-policy=no-user-gesture-required',
    // Fake camera and microphone (the WAV loops). No --use-fake-ui-for-
    // media-stream: permission is the context's, granted or not by the test,
    // and a request without it is denied as a visitor would deny it.
    '--use-fake-device-for-media-stream',
    '--use-file-for-fake-audio-capture=' + settings.audio,
    '--deny-permission-prompts',
    '--ignore-certificate-errors',
  ];
}

// ------------------------------------------------------- chromium by PID

const browser = {context: null, pid: 0, gone: false};
const pages = new Map();

function readCmdline(pid) {
  try {
    return fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8').split('\0').filter(Boolean);
  } catch (e) {
    return [];
  }
}

function chromiumPids() {
  const marker = '--user-data-dir=' + settings.profile;
  return fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))
      .filter((n) => readCmdline(n).includes(marker)).map(Number);
}

function killChromium() {
  for (const pid of chromiumPids()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch (e) {
      // Already gone.
    }
  }
  browser.gone = true;
}

async function launch() {
  const {chromium} = require(path.join(kNodeModules, 'playwright-core'));
  fs.mkdirSync(settings.profile, {recursive: true});
  settings.profile = fs.realpathSync(settings.profile);
  const context = await chromium.launchPersistentContext(settings.profile, {
    executablePath: settings.chromium,
    headless: true,
    args: chromiumFlags(),
    ignoreHTTPSErrors: true,
    viewport: {width: 1000, height: 720},
    deviceScaleFactor: 1,
    timeout: kLaunchTimeoutMs,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  browser.context = context;
  context.on('close', () => {
    if (!shuttingDown) emit('error', {what: 'browser closed'});
    browser.gone = true;
  });
  // The persistent context opens with one blank tab; the test's tabs are new.
  for (const p of context.pages()) await p.close();
}

// -------------------------------------------------------------- the page

function page(name) {
  const p = pages.get(name);
  if (!p) throw new Error('no page ' + JSON.stringify(name));
  return p;
}

// The widget's DOM, as the visitor and a screen reader meet it.
function snapshot(p) {
  return p.evaluate(() => {
    const host = document.querySelector('.callme-widget');
    if (!host || !host.shadowRoot) return {present: false};
    const sr = host.shadowRoot;
    const q = (s) => sr.querySelector(s);
    const root = q('.cm-root');
    const launch = q('.cm-launch');
    const active = sr.activeElement;
    const visible = (e) => !!e && !e.closest('[hidden]');
    return {
      present: true,
      state: root.getAttribute('data-state'),
      reason: root.getAttribute('data-reason'),
      text: root.innerText,
      status: q('.cm-status').textContent,
      statusLive: q('.cm-status').getAttribute('aria-live'),
      launchLabel: launch.getAttribute('aria-label'),
      launchDisabled: launch.getAttribute('aria-disabled') === 'true',
      launchVisible: visible(launch),
      timer: visible(q('.cm-timer')) ? q('.cm-timer').textContent : null,
      muted: q('.cm-mute').getAttribute('aria-pressed') === 'true',
      muteText: q('.cm-mute').textContent,
      hangupVisible: visible(q('.cm-hangup')),
      cameraVisible: visible(q('.cm-camera')),
      // Live camera tracks the widget holds (its local preview's stream).
      cameraLive: ((q('.cm-local-video') || {}).srcObject || {getVideoTracks: () => []})
          .getVideoTracks().filter((t) => t.readyState === 'live').length,
      focused: active ? active.className : '',
      focusedLabel: active ? active.getAttribute('aria-label') || active.textContent : '',
      colour: host.style.getPropertyValue('--cm-colour'),
    };
  });
}

async function open(cmd, ms) {
  if (pages.has(cmd.page)) throw new Error('page exists: ' + cmd.page);
  const p = await browser.context.newPage();
  pages.set(cmd.page, p);
  p.on('console', (m) => log('[' + cmd.page + ' ' + m.type() + '] ' + m.text()));
  p.on('pageerror', (e) => {
    log('[' + cmd.page + ' exception] ' + e.message);
    emit('pageerror', {page: cmd.page, message: e.message});
  });
  for (const r of cmd.routes || []) await route(p, r);
  await p.goto(cmd.url, {timeout: ms});
  await p.locator('.cm-root').waitFor({state: 'attached', timeout: ms});
  return {widget: await snapshot(p)};
}

function route(p, r) {
  return p.route(r.pattern, (request) => {
    emit('routed', {pattern: r.pattern, url: request.request().url()});
    return request.fulfill({status: r.status || 200, contentType: 'application/json',
                            body: JSON.stringify(r.body)});
  });
}

async function waitFor(p, predicate, arg, ms) {
  await p.waitForFunction(predicate, arg, {timeout: ms, polling: 50});
  return {widget: await snapshot(p)};
}

async function screenshot(cmd, ms) {
  const p = page(cmd.page);
  // The DOM is read before and after the picture; a state that changed in
  // between would make the pair meaningless, so that is tried again.
  for (let i = 0; i < 5; i++) {
    const before = await snapshot(p);
    await p.locator(cmd.selector || '.cm-root').screenshot({path: cmd.path, timeout: ms,
                                                             animations: 'disabled'});
    if (cmd.pagePath) await p.screenshot({path: cmd.pagePath, timeout: ms});
    const after = await snapshot(p);
    if (before.state === after.state && before.text === after.text) return {widget: after};
  }
  throw new Error('the widget kept changing while its screenshot was taken');
}

async function run(cmd) {
  const ms = Number(cmd.timeoutMs) || kDefaultTimeoutMs;
  if (browser.gone) throw new Error('browser is gone');
  switch (cmd.cmd) {
    case 'open':
      return open(cmd, ms);
    case 'close':
      await page(cmd.page).close();
      pages.delete(cmd.page);
      return {};
    case 'route':
      await route(page(cmd.page), cmd);
      return {};
    case 'grant':
      for (const origin of cmd.origins) {
        await browser.context.grantPermissions(['microphone', 'camera'], {origin});
      }
      return {};
    case 'deny':
      await browser.context.clearPermissions();
      return {};
    case 'widget':
      return {widget: await snapshot(page(cmd.page))};
    case 'waitState':
      return waitFor(page(cmd.page), (states) => {
        const h = document.querySelector('.callme-widget');
        const r = h && h.shadowRoot && h.shadowRoot.querySelector('.cm-root');
        return !!r && states.includes(r.getAttribute('data-state'));
      }, cmd.states, ms);
    case 'waitText':
      return waitFor(page(cmd.page), (text) => {
        const h = document.querySelector('.callme-widget');
        const r = h && h.shadowRoot && h.shadowRoot.querySelector('.cm-root');
        return !!r && r.innerText.includes(text);
      }, cmd.text, ms);
    case 'click':
      // force: no wait for "enabled" (a button with aria-disabled is still
      // there to be clicked, and must then do nothing).
      await page(cmd.page).locator(cmd.selector).click({timeout: ms, force: !!cmd.force});
      return {widget: await snapshot(page(cmd.page))};
    case 'focus':
      await page(cmd.page).locator(cmd.selector).focus({timeout: ms});
      return {widget: await snapshot(page(cmd.page))};
    case 'press':
      await page(cmd.page).keyboard.press(cmd.key);
      return {widget: await snapshot(page(cmd.page))};
    case 'screenshot':
      return screenshot(cmd, ms);
    case 'quit':
      setImmediate(() => shutdown(0));
      return {};
    default:
      throw new Error('unknown command ' + JSON.stringify(cmd.cmd));
  }
}

function withTimeout(promise, ms, what) {
  let timer;
  const expiry = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(what + ' timed out after ' + ms + ' ms')), ms);
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

let shuttingDown = false;

async function shutdown(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  if (browser.context && !browser.gone) {
    try {
      await withTimeout(browser.context.close(), 5000, 'close');
    } catch (e) {
      log('driver: close failed: ' + e.message);
    }
  }
  killChromium();
  process.exit(code);
}

function killNow(code) {
  killChromium();
  process.exit(code);
}

async function main() {
  if (!settings.audio || !fs.existsSync(settings.audio)) {
    throw new Error('--audio must name an existing WAV file');
  }
  if (!settings.profile) throw new Error('--profile DIR is required');
  settings.audio = fs.realpathSync(settings.audio);
  process.on('SIGTERM', () => killNow(143));
  process.on('SIGINT', () => killNow(130));
  process.on('SIGHUP', () => killNow(129));
  setTimeout(() => {
    log('driver: --max-seconds reached');
    killNow(3);
  }, settings.maxSeconds * 1000).unref();

  await launch();
  const pids = chromiumPids();
  emit('ready', {browserPid: pids[0] || 0, profile: settings.profile});

  const lines = readline.createInterface({input: process.stdin});
  lines.on('line', (line) => {
    if (!line.trim()) return;
    let cmd;
    try {
      cmd = JSON.parse(line);
    } catch (e) {
      emit('error', {what: 'bad command line', message: e.message});
      return;
    }
    const base = {reply: cmd.cmd, id: cmd.id === undefined ? null : cmd.id};
    run(cmd).then(
        (result) => write(Object.assign(base, {ok: true}, result || {})),
        (e) => write(Object.assign(base, {ok: false, error: e.message})));
  });
  lines.on('close', () => killNow(0));
}

main().catch((e) => {
  emit('error', {what: 'startup', message: e.message});
  log('driver: ' + (e.stack || e.message));
  killNow(1);
});
