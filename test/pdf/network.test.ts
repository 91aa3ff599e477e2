// The rendered document must not reach the network: a local listener counts every TCP connection the
// browser makes while rendering a document that tries every way we know to fetch something.
import { once } from 'node:events';
import { createServer, connect, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPdfRenderer, type PdfRenderer } from '../../src/pdf/index.ts';
import { japaneseDocument } from './fixtures/html.ts';
import { pdfText } from './pdf-tools.ts';

let server: Server;
let port: number;
let connections = 0;
let renderer: PdfRenderer;

beforeAll(async () => {
  server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  port = address.port;
  renderer = createPdfRenderer({ maxPages: 1 });
});

afterAll(async () => {
  await renderer?.close();
  server?.close();
});

function hostileHtml(): string {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`, `127.1:${port}`];
  const perHost = hosts
    .map(
      (h, i) => `
  <img src="http://${h}/img${i}.png" alt="">
  <img srcset="http://${h}/srcset${i}.png 2x" alt="">
  <iframe src="http://${h}/frame${i}"></iframe>
  <object data="http://${h}/object${i}"></object>
  <embed src="http://${h}/embed${i}">
  <video src="http://${h}/video${i}.mp4" poster="http://${h}/poster${i}.png" preload="auto"></video>
  <audio src="http://${h}/audio${i}.mp3" preload="auto"></audio>
  <div style="background:url(http://${h}/bg${i}.png);width:10px;height:10px"></div>
  <script>new WebSocket('ws://${h}/socket${i}'); fetch('http://${h}/fetch${i}');</script>`,
    )
    .join('\n');
  const head = hosts
    .map(
      (h, i) => `
  <link rel="stylesheet" href="http://${h}/style${i}.css">
  <link rel="prefetch" href="http://${h}/prefetch${i}">
  <link rel="preconnect" href="http://${h}">
  <link rel="dns-prefetch" href="http://${h}">
  <link rel="preload" as="image" href="http://${h}/preload${i}.png">
  <link rel="modulepreload" href="http://${h}/module${i}.js">
  <link rel="icon" href="http://${h}/favicon${i}.ico">
  <style>@import url(http://${h}/import${i}.css);
    @font-face { font-family: Remote${i}; src: url(http://${h}/font${i}.woff2); }
    .r${i} { font-family: Remote${i}; background-image: url(https://${h}/bg-https${i}.png); }</style>
  <script src="http://${h}/script${i}.js"></script>`,
    )
    .join('\n');
  return japaneseDocument({
    title: '外部参照テスト',
    extraHead: `<meta http-equiv="refresh" content="0; url=http://127.0.0.1:${port}/refresh">${head}`,
    body: `<h1 class="r0 r1 r2">外部参照を含む文書</h1>
  <img src="file:///etc/passwd" alt=""><iframe src="file:///etc/hostname"></iframe>
  ${perHost}
  <p>本文は出力される</p>`,
  });
}

describe('sealed network', () => {
  it('renders a document full of external references without a single connection', async () => {
    const pdf = await renderer.renderPdf(hostileHtml(), { title: '外部参照テスト' });
    expect(pdfText(pdf)).toContain('本文は出力される');
    // A second document through the same page, then give late speculative connections (preconnect,
    // prefetch, meta refresh) a moment to show up before counting.
    await renderer.renderPdf(hostileHtml(), { title: '外部参照テスト' });
    await new Promise((r) => setTimeout(r, 500));
    expect(connections).toBe(0);
  });

  it('the listener does count connections (control)', async () => {
    const before = connections;
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'close');
    expect(connections).toBe(before + 1);
  });
});
