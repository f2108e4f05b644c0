// Panel mode (render/panel_deck.py): steps the screens, advances them every N seconds, pauses, and keeps its
// place across data refreshes.
(function () {
  const deck = document.getElementById("panel-deck");
  if (!deck) { return; }
  const slides = Array.from(deck.querySelectorAll(".slide"));
  const seconds = Number(deck.dataset.seconds);
  const reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  // One state for the page, kept across redraws when the data refreshes.
  const state = window.panelState || (window.panelState = { slide: null, paused: reduced, steps: 0 });
  let index = Math.max(0, slides.findIndex(s => s.id === state.slide));
  const status = deck.querySelector(".status");
  const pause = deck.querySelector(".pause");
  function show(i) {
    index = (i + slides.length) % slides.length;
    slides.forEach((s, n) => { s.hidden = n !== index; });
    state.slide = slides[index].id;
    render();
  }
  function render() {
    pause.textContent = state.paused ? "Play" : "Pause";
    pause.setAttribute("aria-label", state.paused ? "Play: move on by itself" : "Pause: stop moving on");
    status.textContent = "Screen " + (index + 1) + " of " + slides.length +
      (state.paused ? " · paused" : " · next in " + seconds + " s");
    deck.dataset.screen = String(index + 1);
    deck.dataset.paused = String(state.paused);
  }
  function schedule() {
    clearTimeout(window.panelTimer);
    if (!state.paused) { window.panelTimer = setTimeout(() => step(1), seconds * 1000); }
  }
  function step(d) { state.steps += 1; deck.dataset.steps = String(state.steps); show(index + d); schedule(); }
  function toggle() { state.paused = !state.paused; render(); schedule(); }
  function key(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    const onButton = event.target && event.target.tagName === "BUTTON";
    if (event.key === "ArrowRight" || event.key === "PageDown" || (event.key === " " && !onButton)) { step(1); }
    else if (event.key === "ArrowLeft" || event.key === "PageUp") { step(-1); }
    else if (event.key === "p" || event.key === "P" || event.key === "k" || event.key === "K") { toggle(); }
    else if (event.key === "Home") { show(0); schedule(); }
    else if (event.key === "End") { show(slides.length - 1); schedule(); }
    else { return; }
    event.preventDefault();
  }
  window.panelKey = key;  // the newest deck answers the keys
  if (!window.panelKeysBound) {
    document.addEventListener("keydown", e => window.panelKey(e));
    window.panelKeysBound = true;
  }
  deck.querySelector('[data-action="previous"]').addEventListener("click", () => step(-1));
  deck.querySelector('[data-action="next"]').addEventListener("click", () => step(1));
  pause.addEventListener("click", toggle);
  show(index);
  schedule();
})();
