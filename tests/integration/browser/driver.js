// Drives a JsSIP user agent inside headless Chromium for integration tests.
//
//   node driver.js --audio tone.wav [--mode sip|loopback] [--sink element|muted|none]
//                  [--profile DIR] [--chromium /usr/bin/chromium] [--debug]
//
// Reads one JSON command per line on stdin and writes one JSON object per
// line on stdout: replies {"reply": cmd, "id": id, "ok": true|false, ...} and
// events {"event": name, ...}. The page's console goes to stderr. When stdin
// closes, or on SIGTERM, Chromium is killed and the driver exits.
//
// Commands: register, unregister, call, answer, hangup, hold, unhold, dtmf,
// record, stats, loopback, vanish, quit (see README.md beside this file).
'use strict';

const childProcess = require('child_process');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const readline = require('readline');

const {bundlePackage} = require('./bundle');

const kNodeModules = path.resolve(__dirname, '..', '..', 'node_modules');
const kDefaultTimeoutMs = 15000;
const kLaunchTimeoutMs = 30000;

function option(name, fallback) {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--' + name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
}
const flag = (name) => process.argv.slice(2).includes('--' + name);

const settings = {
  audio: option('audio', ''),
  mode: option('mode', 'sip'),
  sink: option('sink', 'element'),
  profile: option('profile', ''),
  chromium: option('chromium', process.env.CHROMIUM || '/usr/bin/chromium'),
  debug: flag('debug'),
  // A last resort against a forgotten driver: it never outlives this.
  maxSeconds: Number(option('max-seconds', '900')),
};

function write(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}
const emit = (event, extra) => write(Object.assign({event}, extra || {}));
const log = (text) => process.stderr.write(text.endsWith('\n') ? text : text + '\n');

// Chromium's command line flags. Headless and the profile directory are
// added by Playwright itself (headless: true, launchPersistentContext).
function chromiumFlags(audioPath) {
  return [
    '--no-sandbox',  // Chromium refuses to run as root with its sandbox
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    // Without it Chromium gathers no ICE candidates on 127.0.0.1.
    '--allow-loopback-in-peer-connection',
    '--autoplay-policy=no-user-gesture-required',
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    // The WAV loops for as long as the capture runs.
    '--use-file-for-fake-audio-capture=' + audioPath,
    '--ignore-certificate-errors',
  ].concat(process.env.CHROMIUM_EXTRA_FLAGS ? process.env.CHROMIUM_EXTRA_FLAGS.split(' ') : []);
}

// ---------------------------------------------------------------- web server

function startServer() {
  const jssip = bundlePackage(kNodeModules, 'jssip', 'JsSIP');
  const files = {
    '/page.html': ['text/html', fs.readFileSync(path.join(__dirname, 'page.html'))],
    '/page.js': ['text/javascript', fs.readFileSync(path.join(__dirname, 'page.js'))],
    '/jssip.js': ['text/javascript', Buffer.from(jssip)],
  };
  const server = http.createServer((req, res) => {
    const name = new URL(req.url, 'http://127.0.0.1').pathname;
    const file = files[name];
    if (name === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    if (!file || req.method !== 'GET') {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, {'Content-Type': file[0], 'Cache-Control': 'no-store'});
    res.end(file[1]);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// ------------------------------------------------------------------ chromium

const browser = {
  context: null,
  page: null,
  pid: 0,
  profile: '',
  ownProfile: false,
  gone: false,      // killed or crashed: page commands fail from now on
  vanished: false,  // killed on purpose
};

function readCmdline(pid) {
  try {
    return fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8').split('\0').filter(Boolean);
  } catch (e) {
    return [];
  }
}

function parentOf(pid) {
  try {
    const stat = fs.readFileSync('/proc/' + pid + '/stat', 'utf8');
    // The command name may hold spaces; the fields after ')' are fixed.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch (e) {
    return 0;
  }
}

// Chromium processes of this driver: every process whose command line names
// our fresh profile directory (the browser and the children it started).
function chromiumPids() {
  const marker = '--user-data-dir=' + browser.profile;
  const pids = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    if (readCmdline(name).includes(marker)) pids.push(Number(name));
  }
  return pids;
}

function findBrowserPid() {
  return chromiumPids().find((pid) => parentOf(pid) === process.pid) || 0;
}

function killChromium() {
  if (!browser.profile) return;
  const pids = chromiumPids();
  if (browser.pid && !pids.includes(browser.pid)) pids.unshift(browser.pid);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch (e) {
      // Already gone.
    }
  }
  browser.gone = true;
}

function removeProfile() {
  if (browser.ownProfile && browser.profile) {
    fs.rmSync(browser.profile, {recursive: true, force: true});
  }
}

async function launch(serverPort) {
  const {chromium} = require(path.join(kNodeModules, 'playwright-core'));
  if (settings.profile) {
    fs.mkdirSync(settings.profile, {recursive: true});
    browser.profile = fs.realpathSync(settings.profile);
  } else {
    browser.profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-chromium-'));
    browser.ownProfile = true;
  }
  const context = await chromium.launchPersistentContext(browser.profile, {
    executablePath: settings.chromium,
    headless: true,
    args: chromiumFlags(settings.audio),
    // Playwright mutes audio output by default; the remote stream must
    // play for real so that Chromium renders it (see page.html).
    ignoreDefaultArgs: ['--mute-audio'],
    ignoreHTTPSErrors: true,
    timeout: kLaunchTimeoutMs,
    // Node's own handlers below kill Chromium; Playwright's would race them.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  browser.context = context;
  browser.pid = findBrowserPid();
  context.on('close', () => {
    if (!browser.vanished && !shuttingDown) emit('error', {what: 'browser closed'});
    browser.gone = true;
  });
  const page = context.pages()[0] || (await context.newPage());
  browser.page = page;
  page.on('console', (m) => log('[page ' + m.type() + '] ' + m.text()));
  page.on('pageerror', (e) => {
    log('[page exception] ' + e.message);
    emit('error', {what: 'page exception', message: e.message});
  });
  page.on('crash', () => {
    browser.gone = true;
    if (!browser.vanished) emit('error', {what: 'page crashed'});
  });
  let pageReady;
  const ready = new Promise((resolve) => (pageReady = resolve));
  await page.exposeBinding('rigEmit', (source, message) => {
    if (message && message.event === 'page') pageReady(message);
    else write(message);
  });
  const query = new URLSearchParams({mode: settings.mode, sink: settings.sink});
  if (settings.debug) query.set('debug', '1');
  const url = 'http://127.0.0.1:' + serverPort + '/page.html?' + query;
  await page.goto(url, {timeout: kLaunchTimeoutMs});
  const info = await withTimeout(ready, kLaunchTimeoutMs, 'page did not start');
  return {url, info};
}

// -------------------------------------------------------------------- protocol

function withTimeout(promise, ms, what) {
  let timer;
  const expiry = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(what + ' timed out after ' + ms + ' ms')), ms);
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

function inPage(method, args, ms) {
  if (browser.gone) return Promise.reject(new Error('browser is gone'));
  const call = browser.page.evaluate(([m, a]) => window.rig[m](a), [method, args || {}]);
  return withTimeout(call, ms, method);
}

function wavFile(pcm, rate) {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);  // PCM
  header.writeUInt16LE(1, 22);  // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}

const kPageCommands = new Set([
  'register', 'unregister', 'call', 'answer', 'hangup', 'hold', 'unhold', 'dtmf', 'stats',
  'loopback', 'renegotiate',
]);

async function run(cmd) {
  const ms = Number(cmd.timeoutMs) || kDefaultTimeoutMs;
  if (kPageCommands.has(cmd.cmd)) return inPage(cmd.cmd, cmd, ms);
  switch (cmd.cmd) {
    case 'record': {
      if (!cmd.path) throw new Error('record needs a path');
      const seconds = Number(cmd.seconds);
      const r = await inPage('record', {seconds}, seconds * 1000 + 15000);
      const pcm = Buffer.from(r.pcm, 'base64');
      fs.writeFileSync(cmd.path, wavFile(pcm, r.rate));
      return {path: cmd.path, rate: r.rate, samples: r.samples, wallSeconds: r.wallSeconds};
    }
    case 'vanish':
      // No BYE, no un-REGISTER, no WebSocket close frame: the processes die
      // and the kernel closes their sockets.
      browser.vanished = true;
      killChromium();
      emit('vanished');
      return {};
    case 'quit':
      setImmediate(() => shutdown(true, 0));
      return {};
    case 'ping':
      return {gone: browser.gone};
    default:
      throw new Error('unknown command ' + JSON.stringify(cmd.cmd));
  }
}

let shuttingDown = false;

async function shutdown(graceful, code) {
  if (shuttingDown) return;
  shuttingDown = true;
  if (graceful && !browser.gone && browser.page) {
    try {
      await inPage('stop', {}, 2000);
      await new Promise((r) => setTimeout(r, 500));
      await withTimeout(browser.context.close(), 5000, 'close');
    } catch (e) {
      log('driver: graceful close failed: ' + e.message);
    }
  }
  killChromium();
  removeProfile();
  process.exit(code);
}

function killNow(code) {
  killChromium();
  removeProfile();
  process.exit(code);
}

async function main() {
  if (!settings.audio || !fs.existsSync(settings.audio)) {
    throw new Error('--audio must name an existing WAV file');
  }
  settings.audio = fs.realpathSync(settings.audio);
  process.on('SIGTERM', () => killNow(143));
  process.on('SIGINT', () => killNow(130));
  process.on('SIGHUP', () => killNow(129));
  setTimeout(() => {
    log('driver: --max-seconds reached');
    killNow(3);
  }, settings.maxSeconds * 1000).unref();

  const server = await startServer();
  const {url, info} = await launch(server.address().port);
  emit('ready', {
    browserPid: browser.pid,
    profile: browser.profile,
    url,
    mode: info.mode,
    sink: info.sink,
    jssip: info.jssip,
    chromiumArgs: readCmdline(browser.pid).slice(1),
  });

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
  lines.on('close', () => shutdown(false, 0));
}

main().catch((e) => {
  emit('error', {what: 'startup', message: e.message});
  log('driver: ' + (e.stack || e.message));
  killNow(1);
});
