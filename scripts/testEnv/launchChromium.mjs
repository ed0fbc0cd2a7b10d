// Proves playwright-core can drive the Debian Chromium headless: launch, render, close.
// Usage: node launchChromium.mjs <chromium executable>
import { chromium } from 'playwright-core';

const browser = await chromium.launch({
  executablePath: process.argv[2],
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  timeout: 30_000,
});
try {
  const page = await browser.newPage();
  await page.setContent('<p id="p">ok</p>');
  const text = await page.textContent('#p');
  if (text !== 'ok') throw new Error(`rendered ${JSON.stringify(text)}`);
  console.log(`launched ${browser.version()}`);
} finally {
  await browser.close();
}
