/** The shop's stylesheet (served as a fingerprinted file, preloaded from the response headers). */
export const STYLES = `
*,*::before,*::after{box-sizing:border-box}
:root{--ink:#1c1b1a;--muted:#55524d;--line:#dedad3;--bg:#fbfaf8;--card:#fff;--accent:#8a3b12;--ok:#1d6b39;--warn:#8a5a00;--bad:#a1261b;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg);line-height:1.5}
body{margin:0}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:9}
header.site{border-bottom:1px solid var(--line);background:var(--card)}
.bar{max-width:72rem;margin:auto;padding:.75rem 1rem;display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;justify-content:space-between}
.brand{font-weight:700;font-size:1.2rem;text-decoration:none;color:var(--ink)}
form.search{display:flex;gap:.25rem;flex:1 1 16rem;max-width:28rem}
input,select,button{font:inherit;padding:.5rem .65rem;border:1px solid #8d877e;border-radius:.4rem;background:#fff;color:var(--ink)}
input[type=search]{flex:1;min-width:0}
button{background:var(--ink);color:#fff;border-color:var(--ink);cursor:pointer}
nav.cats ul{list-style:none;margin:0;padding:.25rem 1rem .75rem;display:flex;gap:1rem;overflow-x:auto;max-width:72rem;margin:auto}
nav.cats a{white-space:nowrap;text-decoration:none;color:var(--muted)}
main{max-width:72rem;margin:auto;padding:1rem}
h1{font-size:1.6rem;line-height:1.2;margin:.5rem 0 1rem}
.grid{list-style:none;padding:0;margin:0;display:grid;gap:1rem;grid-template-columns:repeat(auto-fill,minmax(10.5rem,1fr))}
.grid>li:nth-child(n+5){content-visibility:auto;contain-intrinsic-block-size:auto 17rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:.6rem;overflow:hidden;height:100%}
.card a{display:block;color:inherit;text-decoration:none;height:100%}
.card .info{padding:.6rem .75rem}
.card h2,.card h3{font-size:1rem;margin:0 0 .25rem;font-weight:600}
.thumb{display:block;width:100%;height:auto;aspect-ratio:1;object-fit:cover;background:#eee}
.price{font-weight:700}
.muted{color:var(--muted)}
.stock-ok{color:var(--ok)}.stock-low{color:var(--warn)}.stock-out{color:var(--bad)}
.crumbs ol{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.4rem;font-size:.9rem}
.crumbs li+li::before{content:"/";margin-right:.4rem;color:var(--muted)}
.toolbar{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;justify-content:space-between;margin-bottom:1rem}
.toolbar label{display:flex;flex-direction:column;font-size:.9rem}
.toolbar p{margin:0;flex:1}
.pager{display:flex;gap:.5rem;justify-content:center;margin:1.5rem 0;flex-wrap:wrap}
.pager a,.pager span{padding:.4rem .75rem;border:1px solid var(--line);border-radius:.4rem;background:#fff}
.pager [aria-current]{background:var(--ink);color:#fff}
.product{display:grid;gap:1.5rem}
@media (min-width:48rem){.product{grid-template-columns:1fr 1fr}}
.product .hero{width:100%;height:auto;border-radius:.6rem}
.gallery{min-width:0}
.slides{list-style:none;padding:0;margin:0;display:flex;overflow-x:auto;scroll-snap-type:x mandatory;scroll-behavior:smooth;border-radius:.6rem;scrollbar-width:none}
.slides li{flex:0 0 100%;scroll-snap-align:start}
.thumbs{list-style:none;padding:0;margin:.5rem 0 0;display:flex;gap:.5rem;overflow-x:auto}
.thumbs a{display:block;width:4.5rem;border:2px solid transparent;border-radius:.45rem}
.thumbs a:hover,.thumbs a[aria-current=true]{border-color:var(--accent)}
.thumbs img,.thumbs svg{display:block;width:100%;height:auto;border-radius:.35rem}
.choices ul{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.5rem}
.choice{display:inline-block;min-width:2.75rem;padding:.45rem .8rem;border:1px solid #8d877e;border-radius:.4rem;background:#fff;color:var(--ink);text-decoration:none;text-align:center}
.choice[aria-current=true]{border:2px solid var(--ink);font-weight:600}
.choice.sold-out{color:var(--muted);text-decoration:line-through;background:#f3f1ed}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.related{margin-top:2rem}
fieldset{border:1px solid var(--line);border-radius:.6rem;padding:.75rem;margin:0 0 1rem}
legend{font-weight:600;padding:0 .25rem}
.variant{display:flex;gap:.5rem;align-items:center;padding:.35rem 0}
.variant input{width:1.25rem;height:1.25rem}
.qty{display:flex;gap:.5rem;align-items:center;margin-bottom:1rem}
.qty input{width:5rem}
.add{width:100%;padding:.8rem;font-weight:600}
.cats-grid{list-style:none;padding:0;display:grid;gap:.75rem;grid-template-columns:repeat(auto-fill,minmax(12rem,1fr))}
.cats-grid a{display:block;padding:1rem;border:1px solid var(--line);border-radius:.6rem;background:#fff;text-decoration:none;color:var(--ink)}
.notice{padding:.75rem;border:1px solid var(--bad);border-radius:.4rem;background:#fff4f2;color:var(--bad)}
table.lines{width:100%;border-collapse:collapse;background:#fff}
table.lines th,table.lines td{text-align:left;padding:.5rem;border-bottom:1px solid var(--line);vertical-align:top}
form.inline{display:inline-flex;gap:.25rem;align-items:center;margin:0 .25rem .25rem 0}
@media (max-width:30rem){table.lines .unit-price{display:none}table.lines th,table.lines td{padding:.5rem .3rem}table.lines form.inline{flex-wrap:wrap}}
form.inline input{width:4.5rem}
button.link{background:none;border:none;color:var(--accent);text-decoration:underline;padding:.25rem}
a.button{display:inline-block;background:var(--ink);color:#fff;padding:.7rem 1.2rem;border-radius:.4rem;text-decoration:none;font-weight:600}
form.checkout{max-width:36rem}
form.checkout[data-cart]{max-width:none}
.checkout-grid{display:grid;gap:1.5rem;grid-template-columns:minmax(0,1fr)}
select{max-width:100%}
@media (min-width:56rem){.checkout-grid{grid-template-columns:minmax(0,36rem) minmax(16rem,22rem);justify-content:space-between}.summary{position:sticky;top:1rem}}
.summary{background:var(--card);border:1px solid var(--line);border-radius:.6rem;padding:1rem;margin-bottom:1rem}
.summary h2{margin-top:0}
.summary-lines{padding-left:1.1rem}
dl.totals dt,dl.totals dd{overflow-wrap:anywhere}
.summary dl.totals{max-width:none}
.hidden{display:none}
button.secondary{background:#fff;color:var(--ink)}
.notice.ok{border-color:var(--ok);background:#f1f8f3;color:var(--ok)}
.processing{padding:.75rem;border:1px solid var(--warn);border-radius:.4rem;background:#fff8eb}
.order-id{overflow-wrap:anywhere}
.table-scroll{overflow-x:auto}
ul.plain{list-style:none;padding:0}
ul.plain li{padding:.35rem 0;border-bottom:1px solid var(--line)}
.pay{max-width:28rem}
.pay-actions{display:flex;flex-direction:column;gap:.75rem;margin-top:1rem}
.field{display:flex;flex-direction:column;margin:0 0 .75rem}
.error{color:var(--bad);font-size:.9rem}
dl.totals{display:grid;grid-template-columns:auto auto;gap:.25rem 1rem;max-width:20rem}
dl.totals dd{margin:0;text-align:right}
form.search{position:relative}
.suggestions{position:absolute;z-index:5;top:100%;left:0;right:0;margin:.25rem 0 0;padding:.25rem 0;list-style:none;background:#fff;border:1px solid var(--line);border-radius:.4rem;box-shadow:0 6px 18px rgba(0,0,0,.12)}
.suggestions [role=option]{padding:.45rem .75rem;cursor:pointer;overflow-wrap:anywhere}
.suggestions [aria-selected=true],.suggestions [role=option]:hover{background:#f3efe9}
.cart-link{white-space:nowrap}
.cart-link .count{display:inline-block;min-width:1.4rem;margin-left:.2rem;padding:0 .35rem;border-radius:1rem;background:var(--accent);color:#fff;font-size:.85rem;text-align:center}
.cart-link .count[hidden]{display:none}
.added:empty{display:none}
.added{margin:.75rem 0 0;padding:.75rem;border:1px solid var(--ok);border-radius:.4rem;background:#f1f8f3}
.listing-controls{margin-bottom:1rem}
.filters{margin-bottom:.75rem}
.filters summary{cursor:pointer;font-weight:600;padding:.4rem 0}
.facets{display:grid;gap:.75rem;grid-template-columns:repeat(auto-fill,minmax(12rem,1fr));margin-top:.5rem}
.facets fieldset{margin:0}
.facet{display:flex;gap:.4rem;align-items:center;padding:.2rem 0;overflow-wrap:anywhere}
.facet input{width:1.15rem;height:1.15rem;flex:none}
.chips{list-style:none;padding:0;margin:.5rem 0 0;display:flex;flex-wrap:wrap;gap:.4rem}
.chips a{display:inline-block;padding:.25rem .6rem;border:1px solid var(--line);border-radius:1rem;background:#fff;text-decoration:none;color:var(--ink);overflow-wrap:anywhere}
footer.site{border-top:1px solid var(--line);margin-top:2rem;padding:1.5rem 1rem;text-align:center;color:var(--muted);font-size:.9rem;content-visibility:auto;contain-intrinsic-block-size:auto 14rem}
/* info pages, footer links, shopper error pages */
footer.site nav ul{list-style:none;margin:0 0 .75rem;padding:0;display:flex;flex-wrap:wrap;justify-content:center;gap:.25rem 1rem}
footer.site nav a{display:inline-block;padding:.25rem}
.info-page{max-width:42rem;overflow-wrap:anywhere}
.info-page li{margin:.3rem 0}
.error-page{max-width:48rem;overflow-wrap:anywhere}
.error-search{display:flex;flex-direction:column;gap:.35rem;margin:1.5rem 0;max-width:28rem}
.error-search label{font-weight:600}
.error-search-row{display:flex;gap:.25rem}
.error-search-row input{flex:1;min-width:0}
.error-page .cats-grid{grid-template-columns:repeat(auto-fill,minmax(min(12rem,100%),1fr))}
code.ref{overflow-wrap:anywhere;word-break:break-all}
form.search{min-width:0}
/* account */
.account .narrow,.account.narrow{max-width:32rem}
.account .form-col{display:flex;flex-direction:column;align-items:flex-start;gap:.25rem}
.account .form-col .field{align-self:stretch}
.account-head{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem}
.account h2{margin-top:2rem}
.break{overflow-wrap:anywhere}
.address-list{list-style:none;padding:0;display:grid;gap:1rem;grid-template-columns:repeat(auto-fill,minmax(min(14rem,100%),1fr))}
.address-list li{background:#fff;border:1px solid var(--line);border-radius:.4rem;padding:.75rem}
.address-list address{font-style:normal}
button.danger{background:var(--bad);border-color:var(--bad)}
.header-links{display:flex;gap:.75rem;align-items:center}
.discounts{margin:.5rem 0 1rem}
form.inline.code-form{flex-wrap:wrap}
form.inline.code-form input{width:auto;flex:1 1 10rem;min-width:0}
.inline-form{display:flex;gap:.5rem;flex-wrap:wrap}.inline-form input{width:auto;flex:1 1 10rem;min-width:0}.gift-card{margin-top:1rem}
.newsletter{display:flex;flex-direction:column;align-items:center;gap:.35rem;margin:0 auto 1rem;max-width:26rem}
.newsletter-row{display:flex;gap:.25rem;width:100%}
.newsletter-row input{flex:1;min-width:0}
`
  .replace(/\n/g, "")
  .trim();

/** What the API reference adds to the shop's stylesheet. */
export const DOC_STYLES = `
.docs-nav ul{list-style:none;padding-left:0;margin:.25rem 0}.docs-nav ul ul{padding-left:1rem}
.docs-nav a{display:inline-block;padding:.15rem 0}
.op{border:1px solid var(--line);border-radius:.6rem;background:var(--card);padding:.75rem 1rem;margin:0 0 1rem}
.op h4{margin:0 0 .35rem;font-size:1rem;display:flex;flex-wrap:wrap;gap:.5rem;align-items:baseline}
.op h5{margin:.75rem 0 .25rem;font-size:.95rem}
.op p{margin:.25rem 0}
.op ul{margin:0;padding-left:1.1rem}
.op li{margin:.15rem 0}
.method{font:600 .8rem ui-monospace,monospace;padding:.1rem .4rem;border-radius:.3rem;background:var(--ink);color:#fff;text-transform:uppercase}
code,.path{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em;overflow-wrap:anywhere;word-break:break-word}
.docs p,.docs li{overflow-wrap:anywhere}
.req{color:var(--bad);font-size:.85rem}
`;
