/**
 * Runs the real built renderer in Debian's Chromium with the real core behind the same bridge the
 * Electron preload exposes (`window.vitals.invoke` / `.on`). Used by `npm run start:chromium` on
 * machines without Electron, and by the end-to-end tests.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AppError, type IpcResult } from '../shared/ipc';
import type { Core } from '../main/core';
import { CONTENT_SECURITY_POLICY, isAppUrl } from '../main/security/content-security-policy';
import { contentTypeFor, resolveStaticFile } from '../main/security/static-files';
import { PDF_PAGE } from '../main/ipc/handlers/review-host';
import { checkVideoLink } from '../shared/visit/video-link';
import { BLOCK_RELOAD_KEYS, launchAppWindow } from './chromium-app-window';
import { createDropCopies, DropRefused } from './chromium-drop';
import { DEFAULT_HOME_IMPORT_MAX_BYTES } from '../main/import/pipeline';

/** The renderer's origin in the Chromium host. Requests to it are answered from dist/renderer; all others are refused. */
export const CHROMIUM_HOST_ORIGIN = 'http://vitals-desk.localhost';

export interface ChromiumHostOptions {
  core: Core;
  headless?: boolean;
  rendererDir?: string;
  viewport?: { width: number; height: number } | null;
  executablePath?: string;
  /** Where "Print / save as PDF" writes the visit summary (there is no save dialog here); default ./summaries. */
  pdfDir?: string;
  /** Links opened outside the app (a visit's video link) get a local stand-in page instead of the network (tests). */
  offlineExternalLinks?: boolean;
  /** A visible application window (`--app`: no address bar, reload keys off) instead of a browser window. */
  appWindow?: boolean;
}

export interface ChromiumHost {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly origin: string;
  /** Opens a new window on the app (at `#/route` when given) and waits for it to load. */
  openPage(route?: string): Promise<Page>;
  close(): Promise<void>;
}

export const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
];

export function chromiumExecutable(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

export async function launchChromiumHost(options: ChromiumHostOptions): Promise<ChromiumHost> {
  const rendererDir = path.resolve(options.rendererDir ?? 'dist/renderer');
  const { core } = options;
  const appWindow = options.appWindow
    ? await launchAppWindow({
        executablePath: options.executablePath ?? chromiumExecutable(),
        url: `${CHROMIUM_HOST_ORIGIN}/index.html`,
        args: CHROMIUM_ARGS,
      })
    : undefined;
  const browser =
    appWindow?.browser ??
    (await chromium.launch({
      executablePath: options.executablePath ?? chromiumExecutable(),
      headless: options.headless ?? true,
      args: CHROMIUM_ARGS,
    }));
  // The app window lives in Chromium's default context; it is loaded again once the routes serve it.
  const context =
    appWindow?.browser.contexts()[0] ??
    (await browser.newContext({
      viewport: options.viewport === undefined ? { width: 1366, height: 768 } : options.viewport,
    }));
  if (appWindow) await context.addInitScript(BLOCK_RELOAD_KEYS);
  let appWindowPage = appWindow ? context.pages()[0] : undefined;

  // Nothing leaves the machine: everything but the app's own origin is refused (registered first, so the
  // app route below, registered later, takes precedence for its origin).
  await context.route('**/*', (route) => route.abort('blockedbyclient'));
  await context.route(`${CHROMIUM_HOST_ORIGIN}/**`, async (route) => {
    const file = resolveStaticFile(rendererDir, route.request().url());
    if (!file) return route.fulfill({ status: 404, body: 'Not found' });
    try {
      const body = await readFile(file);
      return route.fulfill({
        status: 200,
        body,
        headers: { 'content-type': contentTypeFor(file), 'content-security-policy': CONTENT_SECURITY_POLICY },
      });
    } catch {
      return route.fulfill({ status: 404, body: 'Not found' });
    }
  });

  const pageIds = new WeakMap<Page, string>();
  let nextPageId = 1;
  await context.exposeBinding(
    '__vitalsInvoke',
    async ({ frame, page }, channel: unknown, request: unknown): Promise<IpcResult<unknown>> => {
      // The same sender check as the Electron shell: only the app's own top-level frame.
      if (frame !== page.mainFrame() || !isAppUrl(frame.url(), CHROMIUM_HOST_ORIGIN)) {
        return {
          ok: false,
          error: {
            code: 'FORBIDDEN_SENDER',
            message: 'This request did not come from the Vitals Desk window.',
          },
        };
      }
      let id = pageIds.get(page);
      if (!id) {
        id = `chromium-page-${nextPageId++}`;
        pageIds.set(page, id);
      }
      return core.invoke(channel, request, { senderId: id });
    },
  );
  // A dropped file arrives as bytes from the page and becomes a private copy (./chromium-drop.ts).
  const drops = createDropCopies({
    maxBytes: () => core.settings.policy.policy.homeImportMaxBytes ?? DEFAULT_HOME_IMPORT_MAX_BYTES,
  });
  await context.exposeBinding(
    '__vitalsDrop',
    async (
      { frame, page },
      step: unknown,
      id: unknown,
      a: unknown,
      b: unknown,
    ): Promise<IpcResult<unknown>> => {
      const pageId = pageIds.get(page);
      if (frame !== page.mainFrame() || !isAppUrl(frame.url(), CHROMIUM_HOST_ORIGIN) || !pageId) {
        return {
          ok: false,
          error: {
            code: 'FORBIDDEN_SENDER',
            message: 'This request did not come from the Vitals Desk window.',
          },
        };
      }
      try {
        if (step === 'begin') return { ok: true, value: await drops.begin(pageId, a, b) };
        if (step === 'chunk') return { ok: true, value: await drops.chunk(pageId, id, a) };
        if (step !== 'end') throw new DropRefused('That dropped file could not be read.');
        const droppedFile = await drops.end(pageId, id);
        return await core.invoke('homeData.acceptDrop', {}, { senderId: pageId, droppedFile });
      } catch (error) {
        const message = error instanceof DropRefused ? error.message : 'That dropped file could not be read.';
        return { ok: false, error: { code: 'VALIDATION', message } };
      }
    },
  );
  // Run under tsx (npm run start:chromium, benches), functions sent into the page carry esbuild's
  // `__name(fn, "name")` helper calls; the page has no such helper, so give it the identity one.
  await context.addInitScript('globalThis.__name ??= (fn) => fn;');
  await context.addInitScript(installBridge);

  // Each page gets the events the core allows its session (PHI only to signed-in, unlocked roles). A
  // page that has not called yet has no session, so it gets only the public events.
  const unsubscribe = core.forwardEvents(() =>
    context.pages().map((page) => ({
      senderId: pageIds.get(page) ?? 'chromium-page-not-yet-seen',
      send: (name, payload) => {
        page
          .evaluate(([n, p]) => (globalThis as unknown as BridgeWindow).__vitalsDeliver?.(n, p), [
            name,
            payload,
          ] as const)
          .catch(() => undefined); // a page that is closing or navigating misses the event, as a closed window would
      },
    })),
  );

  // The review's host services. A video link opens in a separate context (its own window, no app
  // routes or bridge), after the same check main made; the PDF is the calling page printed headless.
  const pdfDir = path.resolve(options.pdfDir ?? 'summaries');
  let external: BrowserContext | null = null;
  core.attachReviewHost({
    async openExternal(url) {
      const checked = checkVideoLink(url);
      if (!checked.ok) throw new Error(checked.reason);
      if (!external) {
        external = await browser.newContext({ viewport: null });
        if (options.offlineExternalLinks)
          await external.route('**/*', (route) =>
            route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Video visit</title>' }),
          );
      }
      const tab = await external.newPage();
      await tab.goto(checked.url).catch(() => undefined);
    },
    async printToPdf(senderId, { footerTemplate, fileName }) {
      const page = context.pages().find((p) => pageIds.get(p) === senderId);
      if (!page) throw new Error('The window that asked to print is closed.');
      // Chromium makes PDFs only headless; a visible window prints through its own dialog instead.
      if (options.headless === false)
        throw new AppError(
          'UNAVAILABLE',
          'Use the print dialog to save the summary as a PDF in this window.',
        );
      const m = PDF_PAGE.marginMm;
      const pdf = await page.pdf({
        format: PDF_PAGE.format,
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate,
        margin: { top: `${m.top}mm`, bottom: `${m.bottom}mm`, left: `${m.left}mm`, right: `${m.right}mm` },
      });
      await mkdir(pdfDir, { recursive: true, mode: 0o700 });
      const savedTo = path.join(pdfDir, path.basename(fileName));
      await writeFile(savedTo, pdf, { mode: 0o600 });
      return { savedTo, pdf };
    },
  });

  return {
    browser,
    context,
    origin: CHROMIUM_HOST_ORIGIN,
    async openPage(route) {
      const page = appWindowPage ?? (await context.newPage());
      appWindowPage = undefined;
      await page.goto(`${CHROMIUM_HOST_ORIGIN}/index.html${route ? `#/${route}` : ''}`);
      return page;
    },
    async close() {
      unsubscribe();
      drops.close();
      await (external as BrowserContext | null)?.close().catch(() => undefined);
      await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await appWindow?.close();
    },
  };
}

interface BridgeWindow {
  __vitalsInvoke(channel: string, request: unknown): Promise<unknown>;
  __vitalsDrop(step: string, id: string | null, a?: unknown, b?: unknown): Promise<IpcResult<unknown>>;
  __vitalsDeliver?: (name: string, payload: unknown) => void;
  vitals?: unknown;
}

/**
 * Runs in the page before the app: builds `window.vitals` with the preload's exact shape on top of
 * the exposed binding. Self-contained because Playwright serialises it into the page.
 */
function installBridge(): void {
  const w = globalThis as unknown as BridgeWindow;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  w.__vitalsDeliver = (name, payload) => {
    for (const listener of listeners.get(name) ?? []) listener(payload);
  };
  const refused = (message: string) => ({ ok: false, error: { code: 'VALIDATION', message } });
  /** Sends a dropped File's bytes to the host in 1 MiB chunks; the host keeps a private copy. */
  const dropFile = async (file: unknown) => {
    if (!(file instanceof File)) return refused('Only a file can be dropped here.');
    const begun = await w.__vitalsDrop('begin', null, file.name, file.size);
    if (!begun.ok) return begun;
    const id = begun.value as string;
    const chunk = 1024 * 1024;
    for (let offset = 0; offset < file.size; offset += chunk) {
      const bytes = new Uint8Array(await file.slice(offset, offset + chunk).arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000)
        binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      const sent = await w.__vitalsDrop('chunk', id, btoa(binary));
      if (!sent.ok) return sent;
    }
    return w.__vitalsDrop('end', id);
  };
  const bridge = Object.freeze({
    invoke: (channel: string, request: unknown) => w.__vitalsInvoke(channel, request),
    dropFile,
    on: (event: string, listener: (payload: unknown) => void) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  });
  Object.defineProperty(globalThis, 'vitals', { value: bridge, writable: false, configurable: false });
}
