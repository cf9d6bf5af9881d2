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
// A repeating table row (e.g. 曾获主要荣誉称号和奖励): <button data-add-row="tbody-id" data-row-template="template-id">.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-add-row]");
  if (!button) return;
  const body = document.getElementById(button.dataset.addRow);
  const template = document.getElementById(button.dataset.rowTemplate);
  if (!body || !template) return;
  const html = template.innerHTML.replaceAll("__i__", String(body.rows.length));
  body.insertAdjacentHTML("beforeend", html);
});
// Character counter under a textarea with data-count and maxlength: "已输入 120 / 2000 字".
function updateCounter(area) {
  let counter = area.nextElementSibling;
  if (!counter || !counter.classList.contains("char-count")) {
    counter = document.createElement("small");
    counter.className = "form-hint char-count";
    area.insertAdjacentElement("afterend", counter);
  }
  const limit = area.getAttribute("maxlength");
  counter.textContent = `已输入 ${area.value.length}${limit ? " / " + limit : ""} 字`;
}
document.addEventListener("input", (event) => {
  if (event.target.matches("textarea[data-count]")) updateCounter(event.target);
});
document.addEventListener("DOMContentLoaded", () => document.querySelectorAll("textarea[data-count]").forEach(updateCounter));
