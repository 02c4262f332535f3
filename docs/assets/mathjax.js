// MathJax settings for pymdownx.arithmatex (generic mode): $...$ and $$...$$ in the Markdown pages.
// MathJax itself (assets/vendor/mathjax/es5/tex-svg.js) is served by the site: scripts/docs_assets.py fetches
// it from the npm registry, so formulas typeset with no network, from disk or served.
window.MathJax = {
  tex: { inlineMath: [["\\(", "\\)"]], displayMath: [["\\[", "\\]"]], processEscapes: true, processEnvironments: true },
  options: { ignoreHtmlClass: ".*|", processHtmlClass: "arithmatex" },
};
document$.subscribe(() => { MathJax.typesetPromise && MathJax.typesetPromise(); });
