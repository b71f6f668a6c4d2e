// Live stats charts of the container detail view (StatsPanel), drawn with uPlot (loaded before this file).
// The server calls init(element) once per showing and push(element, time, ...) per stats sample.
window.hawserStats = (function () {
  const KEEP = 300; // samples per chart: five minutes at one a second

  function bytes(v) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return v.toFixed(i === 0 ? 0 : 1) + ' ' + units[i];
  }

  function chart(parent, title, series, format) {
    const box = document.createElement('div');
    box.className = 'stats-chart';
    parent.appendChild(box);
    const width = Math.max(320, Math.min(640, parent.clientWidth || 480));
    const opts = {
      title: title,
      width: width,
      height: 200,
      series: [{}].concat(series.map((s) => ({ label: s[0], stroke: s[1], width: 1.5, value: (u, v) => v == null ? '-' : format(v) }))),
      axes: [{}, { values: (u, vals) => vals.map(format), size: 70 }],
      scales: { x: { time: true } },
    };
    const data = [[]].concat(series.map(() => []));
    return { plot: new uPlot(opts, data, box), data: data };
  }

  return {
    init(el) {
      if (el.hawserCharts) {
        el.hawserCharts.forEach((c) => c.plot.destroy());
      }
      el.innerHTML = '';
      const pct = (v) => v.toFixed(1) + ' %';
      const rate = (v) => bytes(v) + '/s';
      el.hawserCharts = [
        chart(el, 'CPU', [['CPU %', '#1f6feb']], pct),
        chart(el, 'Memory', [['used', '#8250df']], bytes),
        chart(el, 'Network', [['rx', '#1a7f37'], ['tx', '#bc4c00']], rate),
        chart(el, 'Block I/O', [['read', '#0969da'], ['write', '#cf222e']], rate),
      ];
    },
    push(el, t, cpu, mem, rx, tx, read, write) {
      if (!el.hawserCharts) {
        this.init(el);
      }
      const values = [[cpu], [mem], [rx, tx], [read, write]];
      el.hawserCharts.forEach((c, i) => {
        c.data[0].push(t);
        values[i].forEach((v, j) => c.data[j + 1].push(v));
        if (c.data[0].length > KEEP) {
          c.data.forEach((d) => d.shift());
        }
        c.plot.setData(c.data);
      });
    },
  };
})();
