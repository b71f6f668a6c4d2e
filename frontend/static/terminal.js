// The bridge between xterm.js (loaded before this file) and the container terminal (TerminalPanel.Screen): keystrokes
// and size changes go to the server through the element's @ClientCallable methods, output comes back through write().
window.hawserTerminal = (function () {
  // The fit addon's arithmetic (xterm 5.3): whole cells that fit in the element's content box.
  function fit(el, term) {
    const core = term._core;
    const dims = core && core._renderService && core._renderService.dimensions;
    if (!dims || !dims.css || !dims.css.cell.width || !dims.css.cell.height) {
      return;
    }
    const style = window.getComputedStyle(el);
    const width = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 14; // scrollbar
    const height = el.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    const cols = Math.max(20, Math.floor(width / dims.css.cell.width));
    const rows = Math.max(5, Math.floor(height / dims.css.cell.height));
    if (cols !== term.cols || rows !== term.rows) {
      term.resize(cols, rows);
    }
  }

  return {
    open(el) {
      if (el.hawserTerm) {
        el.hawserTerm.reset();
        el.$server.resize(el.hawserTerm.cols, el.hawserTerm.rows);
        el.hawserTerm.focus();
        return;
      }
      const term = new Terminal({ cursorBlink: true, scrollback: 5000, fontSize: 14, cols: 100, rows: 24,
        fontFamily: 'ui-monospace, Menlo, Consolas, monospace' });
      el.hawserTerm = term;
      term.open(el);
      term.onData((data) => el.$server.input(data));
      term.onResize((size) => el.$server.resize(size.cols, size.rows));
      if (window.ResizeObserver) {
        new ResizeObserver(() => fit(el, term)).observe(el);
      }
      fit(el, term);
      el.$server.resize(term.cols, term.rows);
      term.focus();
    },
    write(el, data) {
      if (el.hawserTerm) {
        el.hawserTerm.write(data);
      }
    },
  };
})();
