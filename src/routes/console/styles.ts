/*
 * The console's stylesheet, served by the Worker at /admin/console.css (the policy allows only
 * 'self' for styles: no inline style, no CDN). System fonts, the OS's light or dark preference,
 * and one column on a phone. Sides are logical (inline-start), so a right-to-left page mirrors.
 */
export const CONSOLE_CSS = `
:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--muted:#5c5c5c;--line:#d0d0d0;--accent:#0b57d0;--warn:#8a1c1c}
@media (prefers-color-scheme:dark){:root{--fg:#ececec;--bg:#161616;--muted:#b0b0b0;--line:#444;--accent:#8ab4f8;--warn:#f28b82}}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg)}
header{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem;padding:.5rem 1rem;border-bottom:1px solid var(--line)}
header form{display:flex;gap:.5rem;align-items:center;margin:0}
main{max-width:60rem;margin:0 auto;padding:1rem}
a{color:var(--accent)}
.brand{font-weight:700;text-decoration:none}
button,input{font:inherit;color:inherit}
button{padding:.3rem .8rem;border:1px solid var(--line);border-radius:4px;background:var(--bg);cursor:pointer;min-height:44px}
input{padding:.3rem;border:1px solid var(--muted);border-radius:4px;background:var(--bg);min-height:44px}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.tabs{display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin-bottom:1rem}
.tabs a[aria-current=page]{font-weight:700;text-decoration:none}
.count{color:var(--muted)}
.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin-bottom:1rem}
.filters label{display:flex;flex-direction:column;font-size:.9rem}
.bulk{display:flex;flex-direction:row;align-items:center;flex-wrap:wrap;gap:.5rem;border:1px solid var(--line);border-radius:4px}
.queue{list-style:none;padding:0}
.comment{display:flex;gap:.75rem;padding:.75rem 0;border-bottom:1px solid var(--line)}
.comment .content{flex:1;min-width:0}
.meta{margin:0;color:var(--muted);font-size:.9rem;overflow-wrap:anywhere}
.body{white-space:pre-wrap;overflow-wrap:anywhere}
.reasons,.flags{color:var(--warn);font-size:.9rem}
.actions{display:flex;flex-wrap:wrap;gap:.5rem}
.notice{padding:.5rem;border-inline-start:4px solid var(--accent)}
.error{padding:.5rem;border-inline-start:4px solid var(--warn)}
.pick{padding-top:.25rem}
.pick input{width:1.25rem;min-height:1.25rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.site-nav{display:flex;flex-wrap:wrap;gap:1rem;padding:.5rem 1rem;border-bottom:1px solid var(--line)}
select{font:inherit;color:inherit;background:var(--bg);border:1px solid var(--muted);border-radius:4px;min-height:44px}
table{border-collapse:collapse;width:100%}
th,td{text-align:start;padding:.4rem;border-bottom:1px solid var(--line);vertical-align:top}
.value{overflow-wrap:anywhere}
.chart{width:100%;max-width:40rem;height:auto}
.chart .bar{fill:var(--accent)}
.chart .axis{stroke:var(--muted)}
.chart .label{fill:var(--muted);font-size:8px}
form.sign-in{display:flex;flex-direction:column;gap:.75rem;max-width:24rem}
.stacked{display:flex;flex-direction:column;gap:.75rem;max-width:40rem}
.stacked label{display:flex;flex-direction:column}
textarea{font:inherit;color:inherit;background:var(--bg);border:1px solid var(--muted);border-radius:4px;padding:.3rem}
.badge{color:var(--accent);font-weight:600}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;overflow-wrap:anywhere}
.facts dt{color:var(--muted)}
.facts dd{margin:0;min-width:0}
.purge{margin:1rem 0}
.purge summary{cursor:pointer;color:var(--warn);min-height:44px;display:flex;align-items:center}
[hidden]{display:none!important}
.comment:focus,.comment[aria-current=true]{outline:3px solid var(--accent);outline-offset:2px}
.bulk label{display:flex;align-items:center;gap:.4rem}
.bulk [aria-live]{align-self:center;color:var(--muted)}
dialog{color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:4px;max-width:min(32rem,calc(100% - 2rem))}
dialog::backdrop{background:rgb(0 0 0/.5)}
.shortcuts{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}
.shortcuts dd{margin:0}
kbd{font-family:ui-monospace,monospace;border:1px solid var(--line);border-radius:3px;padding:0 .3rem}
form.stack{display:flex;flex-direction:column;gap:1rem;max-width:36rem}
.field{display:flex;flex-direction:column;gap:.25rem}
.field input,.field select,textarea{width:100%}
textarea{font:inherit;color:inherit;background:var(--bg);border:1px solid var(--muted);border-radius:4px;padding:.3rem}
fieldset{display:flex;flex-direction:column;gap:.75rem;border:1px solid var(--line);border-radius:4px}
.hint{margin:0;color:var(--muted);font-size:.9rem}
.check{display:flex;gap:.5rem;align-items:center}
.check input{width:1.25rem;min-height:1.25rem}
.secret input{font-family:ui-monospace,monospace}
.scroll{overflow-x:auto}
.report{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
.report dd{margin:0}
`;
