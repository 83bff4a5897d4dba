/** The page around every view: language, a viewport for phones, the one stylesheet and script. */
import { type Html, html, type Part } from '../html.js';

export interface PageOptions {
  title: string;
  body: Part;
  /** Pages that update live load the small client script. */
  live?: boolean;
}

export function page(options: PageOptions): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light">
<title>${options.title} · Mend playground</title>
<link rel="stylesheet" href="/static/style.css">
${options.live ? html`<script src="/static/live.js" defer></script>` : ''}
</head>
<body>
<a class="skip" href="#main">Skip to the conversation</a>
<header class="site"><p class="brand">Mend <span>playground</span></p></header>
<main id="main" tabindex="-1">
${options.body}
</main>
</body>
</html>`;
}

/** A short page for a link that opens nothing, or a conversation that is gone. */
export function messagePage(title: string, text: string): Html {
  return page({
    title,
    body: html`<section class="card"><h1>${title}</h1><p>${text}</p><p><a href="/">Start a conversation</a></p></section>`,
  });
}
