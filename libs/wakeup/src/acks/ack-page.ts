/** The page behind the SMS link: old phones, no script needed, one big button. */
export interface LinkCall {
  title: string;
  name: string;
  deadline: string;
  received: boolean;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function ackPage(call: LinkCall, token: string, answered = false): string {
  const body =
    call.received || answered
      ? `<p class="ok">已确认收到，谢谢。</p>`
      : `<form method="post" action="${esc(token)}"><button type="submit">收到</button></form><p>请在 ${esc(call.deadline)} 前确认。</p>`;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>防汛叫应</title><style>body{font:18px sans-serif;margin:1.5em}button{font-size:1.6em;padding:.6em 2em}.ok{color:#070;font-size:1.4em}</style></head>
<body><h1>${esc(call.title)}</h1><p>${esc(call.name)}：</p>${body}</body></html>`;
}
