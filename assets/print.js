// Charts sized to the paper: plotly draws at a fixed pixel width, so each visible chart is
// redrawn at the printed page's width before printing, and back at the screen's afterwards.
(function () {
  function resizeCharts() {
    if (!window.Plotly || !window.Plotly.Plots) { return; }
    document.querySelectorAll('.js-plotly-plot').forEach(function (graph) {
      if (graph.offsetParent === null) { return; }  // hidden: nothing to size
      var done = window.Plotly.Plots.resize(graph);
      if (done && done.catch) { done.catch(function () { /* redrawn meanwhile */ }); }
    });
  }
  window.addEventListener('beforeprint', resizeCharts);
  window.addEventListener('afterprint', resizeCharts);
})();
