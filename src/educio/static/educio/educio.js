// Behaviour wired by data attributes, so pages need no inline script (strict CSP).
document.addEventListener("change", (event) => {
  const el = event.target.closest("[data-autosubmit]");
  if (el && el.form) el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
});
document.addEventListener("click", (event) => {
  const toggle = event.target.closest("[data-tree-toggle]");
  if (toggle) {
    const children = toggle.closest("li").querySelector(":scope > ul");
    if (children) {
      children.hidden = !children.hidden;
      toggle.textContent = children.hidden ? "▸" : "▾";
    }
  }
  const confirmEl = event.target.closest("[data-confirm]");
  if (confirmEl && !window.confirm(confirmEl.dataset.confirm)) event.preventDefault();
});
function renderCharts(root) {
  if (!window.echarts) return;
  root.querySelectorAll("[data-chart]").forEach((el) => {
    const option = JSON.parse(document.getElementById(el.dataset.chart).textContent);
    const chart = window.echarts.init(el, null, { locale: "ZH" });
    chart.setOption(option);
    window.addEventListener("resize", () => chart.resize());
  });
}
document.addEventListener("DOMContentLoaded", () => renderCharts(document));
