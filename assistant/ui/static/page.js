// The page's few behaviours that Gradio's sanitized chat HTML cannot carry itself.
(() => {
  const copyText = async (text, button) => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Plain http on another host has no clipboard API: copy through a selection.
      const area = Object.assign(document.createElement("textarea"), { value: text });
      document.body.append(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    if (button) {
      const label = button.textContent;
      button.textContent = "Copied";
      setTimeout(() => (button.textContent = label), 1500);
    }
  };

  const plainAnswer = (answer) =>
    [".plain-answer", ".plain-sources"]
      .map((selector) => answer.querySelector(selector)?.textContent.trim() || "")
      .filter(Boolean)
      .join("\n\n");

  document.addEventListener("click", (event) => {
    const copy = event.target.closest(".copy-answer");
    if (copy) {
      copyText(plainAnswer(copy.closest(".answer")), copy);
      return;
    }
    // A marker opens its own answer's sources at its card (and keeps its passage shown).
    const cite = event.target.closest("a.cite");
    if (cite) {
      event.preventDefault();
      cite.focus();
      // On a phone the passage opens as a sheet over the answer; the answer stays put.
      const pop = cite.parentElement.querySelector(".pop");
      if (pop && getComputedStyle(pop).position === "fixed") return;
      const card = document.getElementById(cite.getAttribute("href").slice(1));
      if (!card) return;
      card.closest("details")?.setAttribute("open", "");
      card.scrollIntoView({ block: "nearest", behavior: "smooth" });
      card.classList.add("flash");
      setTimeout(() => card.classList.remove("flash"), 2500);
    }
  });

  // A marker's passage opens beside it, pulled back inside the window's right edge.
  const place = (event) => {
    const pop = event.target.closest?.(".cite-wrap")?.querySelector(".pop");
    if (!pop || getComputedStyle(pop).position === "fixed") return;
    pop.style.left = "0px";
    const overflow = pop.getBoundingClientRect().right - (window.innerWidth - 8);
    if (overflow > 0) pop.style.left = `${-overflow}px`;
  };
  document.addEventListener("mouseover", place);
  document.addEventListener("focusin", place);

  // Gradio labels each message with its raw HTML; screen readers should hear the text.
  const labelled = new WeakMap();
  const relabel = () => {
    for (const message of document.querySelectorAll("#chat [data-testid][aria-label]")) {
      if (labelled.get(message) === message.getAttribute("aria-label")) continue;
      const answer = message.querySelector(".answer");
      const text = answer ? plainAnswer(answer) : message.innerText.trim();
      const label = `${message.dataset.testid === "user" ? "Question" : "Answer"}: ${text}`;
      labelled.set(message, label);
      message.setAttribute("aria-label", label);
    }
  };
  new MutationObserver(relabel).observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["aria-label"],
  });

  window.newsAssistant = { copyText };
})();
