'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- loaded in place of Electron's CommonJS module */
/**
 * A stand-in for Electron's main-process module, for the startup smoke test: Electron's binary
 * cannot run here. Only Electron itself is replaced; the app's built main.js runs unchanged with
 * its real dependencies. The stand-in keeps Electron's rules that a broken startup would break
 * (privileged schemes only before `ready`; protocol handlers, sessions and windows only after it;
 * the deprecated synchronous safeStorage calls refused) and writes each call, in order, as a JSON
 * line to STAND_IN_LOG. `loadURL` really fetches the page through the app's protocol handler.
 */
const { createCipheriv, createDecipheriv, randomBytes } = require('node:crypto');
const { EventEmitter } = require('node:events');
const fs = require('node:fs');
const path = require('node:path');

const logFile = process.env.STAND_IN_LOG;
const userData = process.env.STAND_IN_USER_DATA;
function log(event, detail = {}) {
  fs.appendFileSync(logFile, JSON.stringify({ event, ...detail }) + '\n');
}
function violation(message) {
  log('violation', { message });
  throw new Error(message);
}

let ready = false;
let resolveReady;
const readyPromise = new Promise((resolve) => (resolveReady = resolve));
const windows = [];
const handlers = new Map();
let privileged = [];

const app = Object.assign(new EventEmitter(), {
  isPackaged: process.env.STAND_IN_PACKAGED === '1',
  getPath(name) {
    const dir = name === 'userData' ? userData : path.join(userData, `.${name}`);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  },
  // The folder holding the app's package.json: the project root the test starts from.
  getAppPath: () => process.cwd(),
  getName: () => 'Vitals Desk',
  getVersion: () => '0.1.0',
  getLocale: () => 'en-US',
  isReady: () => ready,
  requestSingleInstanceLock() {
    log('app.requestSingleInstanceLock');
    return process.env.STAND_IN_LOCK !== 'taken';
  },
  whenReady() {
    log('app.whenReady');
    return readyPromise;
  },
  quit() {
    log('app.quit');
    setImmediate(() => process.exit(0));
  },
  exit(code) {
    log('app.exit', { code });
    process.exit(code);
  },
});

// Electron emits `ready` after the main script has run its first turn.
setTimeout(() => {
  ready = true;
  log('ready');
  app.emit('ready');
  resolveReady();
}, 20);

const protocol = {
  registerSchemesAsPrivileged(list) {
    if (ready) violation('protocol.registerSchemesAsPrivileged can only be called before app is ready');
    privileged = list;
    log('protocol.registerSchemesAsPrivileged', { schemes: list.map((s) => s.scheme) });
  },
  handle(scheme, handler) {
    if (!ready) violation('protocol.handle before app is ready');
    handlers.set(scheme, handler);
    log('protocol.handle', { scheme });
  },
};

class Session extends EventEmitter {
  setPermissionRequestHandler() {}
  setPermissionCheckHandler() {}
  setDevicePermissionHandler() {}
}
let defaultSession;
const session = {
  get defaultSession() {
    if (!ready) violation('session.defaultSession before app is ready');
    defaultSession ??= new Session();
    return defaultSession;
  },
};

let nextId = 1;
class WebContents extends EventEmitter {
  id = nextId++;
  setWindowOpenHandler() {}
  send() {}
  isDestroyed = () => false;
  closeDevTools() {}
}

class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    if (!ready) violation('Cannot create BrowserWindow before app is ready');
    const prefs = options.webPreferences ?? {};
    log('BrowserWindow', {
      sandbox: prefs.sandbox,
      contextIsolation: prefs.contextIsolation,
      nodeIntegration: prefs.nodeIntegration,
      devTools: prefs.devTools,
      preloadExists: typeof prefs.preload === 'string' && fs.existsSync(prefs.preload),
    });
    this.webContents = new WebContents();
    windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  static getAllWindows() {
    return windows;
  }
  async loadURL(url) {
    log('loadURL', { url });
    const scheme = new URL(url).protocol.replace(/:$/, '');
    if (!privileged.some((s) => s.scheme === scheme && s.privileges?.standard && s.privileges?.secure)) {
      violation(`${scheme}: is not a privileged standard, secure scheme`);
    }
    const handler = handlers.get(scheme);
    if (!handler) violation(`no protocol handler for ${scheme}:`);
    const response = await handler(new Request(url));
    const body = await response.text();
    log('loaded', {
      status: response.status,
      csp: response.headers.get('content-security-policy') ?? '',
      hasRoot: body.includes('id="root"'),
    });
    this.emit('ready-to-show');
    if (process.env.STAND_IN_EXIT_AFTER_LOAD === '1') {
      setTimeout(() => {
        log('exit');
        process.exit(0);
      }, 300);
    }
  }
  show() {
    log('window.show');
  }
  isMinimized = () => false;
  restore() {}
  focus() {}
}

const ipcMain = Object.assign(new EventEmitter(), {
  handle(channel) {
    log('ipcMain.handle', { channel });
  },
});

const dialog = {
  showErrorBox(title, message) {
    log('dialog.showErrorBox', { title, message });
  },
};

const Menu = {
  buildFromTemplate: (template) => ({ template }),
  setApplicationMenu(menu) {
    log('Menu.setApplicationMenu', { menus: menu.template.map((m) => m.label) });
  },
};

// The OS keychain: AES-256-GCM under a key that lives only in this process.
const master = randomBytes(32);
const deprecated = (name) => () => violation(`deprecated synchronous safeStorage.${name} called`);
const safeStorage = {
  async isAsyncEncryptionAvailable() {
    if (!ready) violation('safeStorage before app is ready');
    return true;
  },
  getSelectedStorageBackend: () => 'gnome_libsecret',
  async encryptStringAsync(text) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', master, iv);
    const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  },
  async decryptStringAsync(wrapped) {
    const decipher = createDecipheriv('aes-256-gcm', master, wrapped.subarray(0, 12));
    decipher.setAuthTag(wrapped.subarray(12, 28));
    const result = Buffer.concat([decipher.update(wrapped.subarray(28)), decipher.final()]).toString('utf8');
    return { result, shouldReEncrypt: false };
  },
  encryptString: deprecated('encryptString'),
  decryptString: deprecated('decryptString'),
  isEncryptionAvailable: deprecated('isEncryptionAvailable'),
};

// The system browser and Chromium's network: recorded, never reached (nothing leaves this process).
const shell = {
  async openExternal(url) {
    if (!ready) violation('shell.openExternal before app is ready');
    log('shell.openExternal', { url });
  },
};
const net = {
  async fetch(url) {
    log('net.fetch', { url: String(url) });
    throw new Error('the stand-in has no network');
  },
};

module.exports = { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, safeStorage, session, shell };
