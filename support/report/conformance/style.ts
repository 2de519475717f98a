// The page's only stylesheet and script, inline so the file opens from file:// with no network.
// Cells are small coloured squares with one symbol each, so ~100 columns fit on a laptop screen;
// headers are rotated; the clause column and the header row stay put while scrolling.

export const CSS = `
:root{--pass:#2e7d32;--fail:#c62828;--caught:#5e35b1;--skip:#b08900;--unch:#78909c;--none:#cfd8dc;--ink:#1c2733;--mute:#5f6b76}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);margin:0 24px 48px;background:#fff}
h1{font-size:22px;margin:18px 0 6px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #e0e4e8;padding-bottom:4px}h3{font-size:15px;margin:16px 0 6px}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0}.facts dt{color:var(--mute)}.facts dd{margin:0}
.totals{display:flex;flex-wrap:wrap;gap:8px;list-style:none;padding:0;margin:10px 0}
.totals li{border:1px solid #e0e4e8;border-radius:6px;padding:6px 10px;background:#f7f9fa}.totals b{font-size:17px}
.totals li.bad{border-color:var(--fail);background:#fdecea}.totals li.good{border-color:var(--pass);background:#edf7ed}
.missing{color:var(--mute)}code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f1f3f5;padding:0 3px;border-radius:3px}
.legend{display:flex;flex-wrap:wrap;gap:6px 18px;margin:6px 0;padding:0;list-style:none}.legend li{display:flex;gap:6px;align-items:center}
.howto p{margin:4px 0;max-width:70em}
.scroll{overflow:auto;max-height:88vh;border:1px solid #e0e4e8}
table.m{border-collapse:separate;border-spacing:0;font-size:12px}
table.m th,table.m td{padding:0;border-bottom:1px solid #eef0f2}
table.m thead th{position:sticky;background:#fff;z-index:2}
table.m thead tr.groups th{top:0;height:22px;font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:var(--mute);border-left:2px solid #90a4ae;text-align:left;padding-left:4px}
table.m thead tr.cols th{top:22px;vertical-align:bottom;height:190px;width:16px;min-width:16px;max-width:16px}
table.m thead tr.cols th span{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;display:inline-block;max-height:186px;overflow:hidden;text-overflow:ellipsis;font-weight:normal;font-size:11px}
table.m th.clause{position:sticky;left:0;z-index:1;background:#fff;text-align:left;padding:3px 10px 3px 4px;min-width:25em;max-width:31em;font-weight:normal;border-right:1px solid #e0e4e8}
table.m thead th.clause{z-index:3;vertical-align:bottom;top:0}
th.clause .id{font-weight:700}th.clause .meta{color:var(--mute);font-size:11px}
th.clause .text{display:block;color:var(--mute);font-size:11px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;max-width:30em}
.gs{border-left:2px solid #90a4ae!important}
td.c{width:16px;min-width:16px;height:16px;text-align:center}
td.c a,td.c span{display:inline-block;width:14px;height:14px;line-height:14px;border-radius:3px;color:#fff;font-size:10px;font-weight:700;text-decoration:none}
.k{display:inline-block;width:14px;height:14px;line-height:14px;border-radius:3px;color:#fff;font-size:10px;font-weight:700;text-align:center}
[data-state=pass]>*,.k.pass{background:var(--pass)}
[data-state=fail]>*,.k.fail{background:var(--fail)}
[data-state=expected-fail]>*,.k.expected-fail{background:var(--caught)}
[data-state=skipped]>*,.k.skipped{background:var(--skip)}
[data-state=uncheckable]>*,.k.uncheckable{background:var(--unch)}
[data-state=not-run]>*,.k.not-run{background:var(--none);color:#607d8b}
tr.problem th.clause{box-shadow:inset 3px 0 0 var(--fail)}
tr:hover th.clause,tr:hover td{background:#f5f8fb}
.controls{display:flex;gap:16px;align-items:center;margin:6px 0}
ul.list{margin:4px 0;padding-left:20px}ul.list li{margin:2px 0}
.msg{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#6d1b1b;word-break:break-word}
table.plain{border-collapse:collapse;font-size:13px}table.plain th,table.plain td{border:1px solid #e0e4e8;padding:3px 8px;text-align:left;vertical-align:top}
table.plain th{background:#f7f9fa}.opt{display:inline-block;border:1px solid #b0bec5;border-radius:10px;padding:0 7px;margin:1px 2px;font-size:12px}.opt.seen{background:#e8f5e9;border-color:var(--pass);font-weight:600}
.finding{border-left:4px solid var(--fail);background:#fdecea;padding:6px 10px;margin:6px 0}
details>summary{cursor:pointer;color:#1f5f99}
pre.summary{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f7f9fa;border:1px solid #e0e4e8;padding:8px;overflow:auto;max-height:30em}
`;

/** Row filtering only; the page reads fine without it. */
export const SCRIPT = `
(function(){var q=document.getElementById('q'),p=document.getElementById('onlyProblems');
function f(){var t=(q.value||'').toLowerCase();document.querySelectorAll('#matrix tbody tr').forEach(function(r){
var show=(!t||r.textContent.toLowerCase().indexOf(t)>=0)&&(!p.checked||r.classList.contains('problem'));r.style.display=show?'':'none';});}
q.addEventListener('input',f);p.addEventListener('change',f);})();
`;
