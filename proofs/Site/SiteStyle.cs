namespace ConvAsMatrix.Proofs;

/// <summary>The site's one stylesheet: system fonts only (Latin and CJK), readable tables, colours that keep contrast for colour-blind readers.</summary>
public static class SiteStyle
{
    /// <summary>The contents of <c>style.css</c>.</summary>
    public const string Css = """
:root {
  --ink: #1f2328; --muted: #57606a; --rule: #d0d7de; --paper: #ffffff; --tint: #f6f8fa;
  --accent: #0a58a6; --pass: #1a7f37; --pass-tint: #eaf6ec; --fail: #c4262e; --fail-tint: #fdecec;
  --quote: #b08800; --quote-tint: #fdf8e6;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", "DejaVu Sans",
          "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Droid Sans Fallback", sans-serif;
  --mono: ui-monospace, "SF Mono", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace;
}
* { box-sizing: border-box; }
html { font-size: 17px; -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: var(--paper); font-family: var(--sans); line-height: 1.6; }
.bar, main { max-width: 62rem; margin: 0 auto; padding-left: 1.5rem; padding-right: 1.5rem; }
header.top { background: var(--tint); border-bottom: 1px solid var(--rule); }
header.top .bar { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: .5rem 1.5rem; padding-top: .7rem; padding-bottom: .7rem; }
header.top .site { font-weight: 650; color: var(--ink); }
nav.pager { display: flex; gap: 1.2rem; font-size: .9rem; }
main { padding-top: 1.8rem; padding-bottom: 3rem; }
footer { border-top: 1px solid var(--rule); color: var(--muted); font-size: .85rem; }
footer .bar { padding-top: 1rem; padding-bottom: 2rem; }
a { color: var(--accent); text-decoration: none; }
a:hover, a:focus { text-decoration: underline; }
h1 { font-size: 1.65rem; line-height: 1.3; font-weight: 650; margin: .3rem 0 1rem; }
h2 { font-size: 1.2rem; font-weight: 650; margin: 2.4rem 0 .7rem; padding-bottom: .3rem; border-bottom: 1px solid var(--rule); }
p { margin: .7rem 0; max-width: 48rem; }
code { font-family: var(--mono); font-size: .9em; }
.kicker { color: var(--muted); font-size: .9rem; margin: 0; }
.lede { font-size: 1.05rem; }
.verdict { display: flex; align-items: center; gap: .6rem; padding: .55rem .9rem; border-radius: 8px; max-width: none; }
.verdict.pass { background: var(--pass-tint); }
.verdict.fail { background: var(--fail-tint); }
.explore { color: var(--muted); }
.explore-link { font-weight: 600; }
.badge { display: inline-block; font-size: .78rem; font-weight: 700; letter-spacing: .06em; line-height: 1.5;
         padding: .05rem .55rem; border-radius: 999px; color: #fff; white-space: nowrap; }
.badge.pass { background: var(--pass); }
.badge.fail { background: var(--fail); }
nav.toc { margin: 1.4rem 0; padding: .7rem 1rem; border: 1px solid var(--rule); border-radius: 8px; font-size: .92rem; }
nav.toc ol { margin: 0; padding-left: 1.4rem; columns: 2 20rem; column-gap: 2rem; }
blockquote.seed { margin: 1.3rem 0; padding: .8rem 1.1rem; border-left: 4px solid var(--quote); background: var(--quote-tint); border-radius: 0 8px 8px 0; }
blockquote.seed .original { white-space: pre-wrap; font-size: 1.05rem; margin: 0 0 .5rem; max-width: none; }
blockquote.seed .english { font-style: italic; color: #3b434b; margin: .3rem 0 0; }
pre.formula { font-family: var(--mono); font-size: .88rem; line-height: 1.55; background: var(--tint); padding: .6rem .9rem;
              border-radius: 6px; overflow-x: auto; max-width: 100%; }
.matrices { display: flex; flex-wrap: wrap; align-items: center; gap: .8rem 2rem; margin: 1.1rem 0; overflow-x: auto; padding: .2rem 0; }
.matrix-item { display: flex; align-items: center; gap: .55rem; }
.matrix-label { white-space: nowrap; }
.bracket { position: relative; padding: .15rem .5rem; }
.bracket::before, .bracket::after { content: ""; position: absolute; top: 0; bottom: 0; width: .42rem; border: 1.6px solid var(--ink); }
.bracket::before { left: 0; border-right: none; border-radius: 3px 0 0 3px; }
.bracket::after { right: 0; border-left: none; border-radius: 0 3px 3px 0; }
table.matrix { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: .92rem; line-height: 1.45; }
table.matrix td { padding: .05rem .42rem; text-align: right; white-space: nowrap; }
table.matrix td.zero { color: #aab2ba; text-align: center; }
table.matrix td.rule { border-right: 1.2px solid #8c959f; }
table.matrix tr.rule td { border-bottom: 1.2px solid #8c959f; }
.scroll { overflow-x: auto; }
table.data { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: .92rem; margin: 1rem 0; }
table.data th { font-weight: 600; text-align: right; padding: .35rem .9rem; border-bottom: 2px solid var(--rule); white-space: nowrap; }
table.data td { text-align: right; padding: .3rem .9rem; border-bottom: 1px solid #eaeef2; white-space: nowrap; }
table.data tbody tr:nth-child(even) td { background: #fafbfc; }
ul.checks { list-style: none; padding: 0; margin: 1rem 0; display: grid; gap: .35rem; }
ul.checks li { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 .6rem; padding: .4rem .8rem; border-radius: 6px; }
ul.checks li.holds { background: var(--pass-tint); }
ul.checks li.fails { background: var(--fail-tint); }
ul.checks .mark { font-weight: 700; width: 1rem; flex: none; }
ul.checks li.holds .mark { color: var(--pass); }
ul.checks li.fails .mark { color: var(--fail); }
ul.checks .statement { flex: 1 1 0; min-width: 12rem; }
ul.checks .difference { flex-basis: 100%; margin-left: 1.6rem; font-family: var(--mono); font-size: .85rem; color: var(--fail); }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
figure { margin: 1.8rem 0; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: .9rem; margin-top: .6rem; max-width: 48rem; }
figcaption strong { color: var(--ink); }
figcaption .download { white-space: nowrap; font-size: .85rem; }
table.index { border-collapse: collapse; width: 100%; margin-top: 1.5rem; }
table.index th { text-align: left; font-size: .85rem; color: var(--muted); font-weight: 600; padding: .4rem .7rem; border-bottom: 2px solid var(--rule); }
table.index td { vertical-align: top; padding: .7rem; border-bottom: 1px solid #eaeef2; }
table.index td.number { color: var(--muted); font-variant-numeric: tabular-nums; text-align: right; width: 2.5rem; }
table.index td.result { white-space: nowrap; }
table.index .claim { margin: .2rem 0 0; }
table.index .count { display: block; font-size: .8rem; color: var(--muted); margin-top: .25rem; }
@media (max-width: 40rem) { html { font-size: 16px; } .bar, main { padding-left: 1rem; padding-right: 1rem; } }
@media print { header.top, footer, nav.toc, .download { display: none; } a { color: inherit; } }
""";
}
