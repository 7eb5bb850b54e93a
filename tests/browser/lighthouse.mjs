// Lighthouse on several pages with one Chrome and one Node process (each
// `lighthouse` command would start both again):
//   node lighthouse.mjs OUTDIR NAME=URL...
// writes OUTDIR/NAME.report.json and OUTDIR/NAME.report.html for each page, one
// after the other (a run alongside another would share the CPU its performance score
// measures). CHROME_PATH names the browser; CHROME_FLAGS its flags. Each run is
// Lighthouse's default (mobile) config and clears the site's cache and storage first,
// as the CLI does; only its waits for the page to settle are shorter (see below).
import fs from "node:fs";
import path from "node:path";

import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import puppeteer from "puppeteer-core";

const [outDir, ...pages] = process.argv.slice(2);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: (process.env.CHROME_FLAGS || "").split(" ").filter(Boolean),
});
try {
  // One plain visit first: a browser that has just started takes its first seconds
  // to set up (fonts, the first renderer), and on a busy machine that delays the
  // first paint of whichever page is audited first by a second or two.
  const browser = await puppeteer.connect({browserURL: `http://127.0.0.1:${chrome.port}`});
  const warmUp = await browser.newPage();
  await warmUp.goto(pages[0].slice(pages[0].indexOf("=") + 1), {waitUntil: "load"});
  await warmUp.close();
  await browser.disconnect();
  for (const page of pages) {
    const at = page.indexOf("=");
    const name = page.slice(0, at);
    const result = await lighthouse(page.slice(at + 1), {
      port: chrome.port, output: ["json", "html"], logLevel: "error",
      // The full-page screenshot only illustrates the HTML report (the browser tests
      // keep screenshots of their own); it is no audit and moves no score.
      disableFullPageScreenshot: true,
      // Simulated throttling computes every timing from the trace, so the quiet
      // windows only need to see these small static pages settle (defaults: 1 s each,
      // most of an audit's time).
      pauseAfterFcpMs: 250, pauseAfterLoadMs: 250,
      networkQuietThresholdMs: 250, cpuQuietThresholdMs: 250,
    });
    if (!result) throw new Error(`lighthouse returned nothing for ${page}`);
    const [json, html] = result.report;
    fs.writeFileSync(path.join(outDir, `${name}.report.json`), json);
    fs.writeFileSync(path.join(outDir, `${name}.report.html`), html);
  }
} finally {
  await chrome.kill();
}
