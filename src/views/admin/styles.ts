/** The admin stylesheet, inlined under the page's CSP nonce. */
export const ADMIN_STYLES = `
*,*::before,*::after{box-sizing:border-box}
:root{--ink:#1b1d21;--muted:#555b66;--line:#d9dce1;--bg:#f5f6f8;--card:#fff;--accent:#1f4fbf;--ok:#1d6b39;--warn:#8a5a00;--bad:#a1261b;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg);line-height:1.45}
body{margin:0}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:9}
header.top{background:var(--ink);color:#fff}
header.top .bar{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;padding:.6rem 1rem;max-width:80rem;margin:auto}
header.top a{color:#fff}
.brand{font-weight:700;text-decoration:none}
.who{display:flex;gap:.75rem;align-items:center;flex-wrap:wrap;font-size:.9rem}
.who form{margin:0}
.who button{background:transparent;border:1px solid #fff;color:#fff;padding:.25rem .6rem}
nav.admin{background:var(--card);border-bottom:1px solid var(--line)}
nav.admin ul{list-style:none;margin:0 auto;padding:.4rem 1rem;display:flex;flex-wrap:wrap;gap:.25rem .9rem;max-width:80rem}
nav.admin a{text-decoration:none;color:var(--muted);padding:.2rem 0;display:inline-block}
nav.admin a[aria-current]{color:var(--ink);font-weight:600;border-bottom:2px solid var(--accent)}
main{max-width:80rem;margin:auto;padding:1rem}
h1{font-size:1.5rem;margin:.25rem 0 1rem;line-height:1.2;overflow-wrap:anywhere}
h2{font-size:1.15rem;margin:1.25rem 0 .5rem}
input,select,textarea,button{font:inherit;padding:.45rem .6rem;border:1px solid #8b919b;border-radius:.35rem;background:#fff;color:var(--ink);max-width:100%}
textarea{width:100%;min-height:6rem}
button,.button{background:var(--accent);color:#fff;border-color:var(--accent);cursor:pointer;text-decoration:none;display:inline-block;border-radius:.35rem;padding:.45rem .8rem}
button.secondary,.button.secondary{background:#fff;color:var(--accent)}
button.danger{background:var(--bad);border-color:var(--bad)}
.card{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:1rem;margin:0 0 1rem}
.grid{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr))}
.two{display:grid;gap:1rem}
.two>*{min-width:0}
@media (min-width:60rem){.two{grid-template-columns:minmax(0,2fr) minmax(0,1fr)}}
.stat{font-size:1.6rem;font-weight:700;margin:.2rem 0}
.muted{color:var(--muted)}
.field{display:flex;flex-direction:column;gap:.2rem;margin:0 0 .8rem;min-width:0}
.field small{color:var(--muted)}
.row{display:flex;flex-wrap:wrap;gap:.5rem .75rem;align-items:end}
.row .field{margin:0}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.5rem 0}
form.inline{display:inline-flex;flex-wrap:wrap;gap:.35rem;align-items:end;margin:0}
.table-scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{width:100%;border-collapse:collapse;background:var(--card)}
th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:.85rem;color:var(--muted);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:.05rem .45rem;border-radius:1rem;font-size:.8rem;border:1px solid var(--line);background:#fff;white-space:nowrap}
.badge.ok{border-color:var(--ok);color:var(--ok)}.badge.warn{border-color:var(--warn);color:var(--warn)}.badge.bad{border-color:var(--bad);color:var(--bad)}
.flash{padding:.7rem .9rem;border-radius:.4rem;margin:0 0 1rem;border:1px solid var(--ok);background:#eef7f1;color:var(--ok)}
.flash.error{border-color:var(--bad);background:#fff3f1;color:var(--bad)}
.error{color:var(--bad);font-size:.9rem}
.secret{font-family:ui-monospace,monospace;background:#fff8e5;border:1px solid var(--warn);padding:.6rem;border-radius:.35rem;overflow-wrap:anywhere}
.pager{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center;margin:1rem 0}
.chart{width:100%;height:auto;display:block}
.chart .bar{fill:var(--accent)}
.chart text{font-size:10px;fill:var(--muted)}
.wrap{overflow-wrap:anywhere}
.thumbs{list-style:none;padding:0;margin:0;display:grid;gap:.75rem;grid-template-columns:repeat(auto-fill,minmax(10rem,1fr))}
.thumbs li{background:#fff;border:1px solid var(--line);border-radius:.4rem;padding:.5rem}
.thumbs img{width:100%;height:auto;aspect-ratio:1;object-fit:cover;border-radius:.3rem;background:#eee}
.drop{border:2px dashed #8b919b;border-radius:.5rem;padding:1rem;text-align:center}
.drop.over{border-color:var(--accent);background:#eef2fb}
ol.timeline{padding-left:1.2rem}
ol.timeline li{margin:0 0 .4rem}
.tree ul{list-style:none;padding-left:1.2rem;margin:.25rem 0}
.tree>ul{padding-left:0}
details>summary{cursor:pointer}
.hidden{display:none}
.login{max-width:24rem;margin:3rem auto}
dl.kv{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.3rem 1rem;margin:0}
dl.kv dt{color:var(--muted)}dl.kv dd{margin:0;overflow-wrap:anywhere}
fieldset{border:1px solid var(--line);border-radius:.5rem;padding:.75rem;margin:0 0 1rem;min-width:0}
legend{font-weight:600;padding:0 .25rem}
label.check{display:flex;gap:.4rem;align-items:center;padding:.2rem 0;overflow-wrap:anywhere}
.checks{display:grid;gap:0 1rem;grid-template-columns:repeat(auto-fill,minmax(min(14rem,100%),1fr))}
nav.row a[aria-current=page]{font-weight:700}
@media (max-width:40rem){main{padding:.75rem}.hide-sm{display:none}}
`
  .replace(/\n/g, "")
  .trim();
