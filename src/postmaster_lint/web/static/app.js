// postmaster-lint's page: lint as you type, highlight findings at their spans, explain them.
// No dependencies. Offsets from the API count code points; the textarea counts UTF-16 units.
"use strict";

const $ = (id) => document.getElementById(id);
const draft = $("draft");
const layer = $("highlights");
const DEBOUNCE_MS = 150;

const state = { seq: 0, shown: 0, timer: null, rules: {}, answer: null, spans: [], text: "" };

// --- offsets ----------------------------------------------------------------------------------

function unitOffsets(text) {
  // unit[i]: the UTF-16 index of code point i (and unit[n] = text.length)
  const units = [];
  let u = 0;
  for (const ch of text) { units.push(u); u += ch.length; }
  units.push(u);
  return units;
}

function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

const RANK = { error: 3, warning: 2, info: 1 };

// --- linting ----------------------------------------------------------------------------------

function body() {
  const provider = $("provider").value;
  return { text: draft.value, format: $("format").value, ...(provider ? { provider } : {}) };
}

async function post(path, data) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(data),
  });
  const type = response.headers.get("content-type") || "";
  const payload = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) throw new Error((payload && payload.error) || response.statusText);
  return payload;
}

function schedule() {
  clearTimeout(state.timer);
  state.timer = setTimeout(lint, DEBOUNCE_MS);
}

async function lint() {
  const seq = ++state.seq;
  const sent = body();
  if (!sent.text.trim()) { show({ diagnostics: [], checklist: [], inserts: {}, error: null }, sent.text, seq); return; }
  $("status").textContent = "checking…";
  try {
    const answer = await post("/api/lint", sent);
    if (seq < state.shown || seq !== state.seq) return; // a newer text was sent: drop this answer
    show(answer, sent.text, seq);
  } catch (err) {
    if (seq === state.seq) $("status").textContent = "⚠ " + err.message;
  }
}

function show(answer, text, seq) {
  state.shown = seq;
  state.answer = answer;
  state.text = text;
  const units = unitOffsets(text);
  state.spans = answer.diagnostics.map((d, i) => ({ ...d, i, from: units[d.start], to: units[d.end] }));
  renderHighlights(text);
  renderChecklist(answer, units);
  renderFindings();
  const n = answer.diagnostics.length;
  $("status").textContent = answer.error ? answer.error : n === 0 ? "no findings" : `${n} finding${n === 1 ? "" : "s"}`;
  layer.dataset.seq = String(seq);
  showAtCursor();
}

function renderHighlights(text) {
  const cuts = new Set([0, text.length]);
  for (const s of state.spans) if (s.to > s.from) { cuts.add(s.from); cuts.add(s.to); }
  const points = [...cuts].sort((a, b) => a - b);
  let html = "";
  for (let k = 0; k + 1 < points.length; k++) {
    const a = points[k], b = points[k + 1];
    const piece = escapeHtml(text.slice(a, b));
    const covering = state.spans.filter((s) => s.from <= a && b <= s.to && s.to > s.from);
    if (!covering.length) { html += piece; continue; }
    const worst = covering.reduce((x, y) => (RANK[y.severity] > RANK[x.severity] ? y : x));
    const ids = covering.map((s) => s.i).join(" ");
    const rules = covering.map((s) => s.rule).join(" ");
    const first = covering[0];
    html += `<mark class="sev-${worst.severity}" data-findings="${ids}" data-rule="${rules}"` +
      ` data-start="${first.start}" data-end="${first.end}">${piece}</mark>`;
  }
  // a final newline needs a character after it to take up its line in the mirror
  layer.innerHTML = html + "\u200b";
  layer.scrollTop = draft.scrollTop;
}

function renderChecklist(answer, units) {
  const list = $("checklist");
  list.innerHTML = "";
  for (const item of answer.checklist) {
    const li = document.createElement("li");
    li.className = item.status;
    li.dataset.rule = item.rule;
    li.dataset.status = item.status;
    const rule = state.rules[item.rule];
    li.append(document.createTextNode(item.element.replace(/-/g, " ")));
    if (item.evidence) {
      const ev = document.createElement("button");
      ev.type = "button";
      ev.className = "evidence";
      ev.textContent = `line ${item.evidence.line}: ${item.evidence.text}${item.evidence.quoted ? " (in quoted text)" : ""}`;
      ev.title = "Show where";
      ev.addEventListener("click", () => select(units[item.evidence.start], units[item.evidence.end]));
      li.append(ev);
    } else if (item.status === "missing" && answer.inserts[item.rule]) {
      const insert = answer.inserts[item.rule];
      const button = document.createElement("button");
      button.type = "button";
      button.className = "insert";
      button.textContent = "Insert";
      button.title = rule && rule.insert ? `Insert “${rule.insert}”` : "Insert a line for it";
      button.addEventListener("click", () => insertAt(units[insert.offset], insert.text));
      li.append(button);
    }
    list.append(li);
  }
  if (!answer.checklist.length) list.innerHTML = '<li class="muted">Type a draft to see its checklist.</li>';
}

function renderFindings() {
  const list = $("findings");
  list.innerHTML = "";
  for (const s of state.spans) {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.innerHTML = `<span class="rule sev-${s.severity}">${s.rule}</span> line ${s.line}: ${escapeHtml(s.message)}`;
    button.addEventListener("click", () => select(s.from, s.to));
    li.append(button);
    list.append(li);
  }
}

function insertAt(offset, text) {
  draft.focus();
  draft.setSelectionRange(offset, offset);
  // execCommand keeps the edit on the undo stack; fall back to setRangeText
  if (!document.execCommand || !document.execCommand("insertText", false, text)) {
    draft.setRangeText(text, offset, offset, "end");
  }
  // select the line's <what to write>, so that typing replaces it
  const open = text.indexOf("<"), close = text.indexOf(">", open);
  if (open >= 0 && close > open) draft.setSelectionRange(offset + open, offset + close + 1);
  lint();
}

function select(from, to) {
  draft.focus();
  draft.setSelectionRange(from, to);
  showAtCursor();
}

// --- the finding under the cursor or the pointer -----------------------------------------------

function findingsAt(offset) {
  return state.spans.filter((s) => s.from <= offset && offset <= s.to && s.to > s.from);
}

function explain(found) {
  const box = $("finding-body");
  document.querySelectorAll("mark.current").forEach((m) => m.classList.remove("current"));
  if (!found.length) { box.innerHTML = '<p class="muted">No finding here.</p>'; return; }
  box.innerHTML = found.map((s) => {
    const rule = state.rules[s.rule] || {};
    const good = (rule.good || [])[0];
    return `<p><span class="rule sev-${s.severity}">${s.rule}</span> <strong>${escapeHtml(s.name)}</strong></p>` +
      `<p>${escapeHtml(s.message)}</p>` +
      (rule.rationale ? `<p class="muted">${escapeHtml(rule.rationale)}</p>` : "") +
      (good ? `<p class="good">Better: ${escapeHtml(good)}</p>` : "");
  }).join("");
  for (const s of found) {
    document.querySelectorAll(`mark[data-findings~="${s.i}"]`).forEach((m) => m.classList.add("current"));
  }
}

function showAtCursor() {
  if (document.activeElement !== draft) return;
  explain(findingsAt(draft.selectionStart));
}

draft.addEventListener("mousemove", (event) => {
  const marks = document.elementsFromPoint(event.clientX, event.clientY).filter((e) => e.tagName === "MARK");
  if (!marks.length) return;
  explain(marks[0].dataset.findings.split(" ").map((i) => state.spans[Number(i)]));
});

function jump(step) {
  if (!state.spans.length) return;
  const here = draft.selectionStart;
  const order = [...state.spans].sort((a, b) => a.from - b.from);
  const next = step > 0 ? order.find((s) => s.from > here) || order[0]
    : [...order].reverse().find((s) => s.from < here) || order[order.length - 1];
  select(next.from, next.to);
}

// --- events -----------------------------------------------------------------------------------

draft.addEventListener("input", () => {
  // Until the answer comes, the last findings follow the edit: those after it move with it.
  const delta = draft.value.length - state.text.length;
  const edit = draft.selectionStart - Math.max(delta, 0);
  for (const s of state.spans) {
    if (s.from >= edit) { s.from += delta; s.to += delta; } else if (s.to > edit) s.to = Math.max(s.from, s.to + delta);
  }
  state.text = draft.value;
  renderHighlights(draft.value);
  schedule();
});
draft.addEventListener("scroll", () => { layer.scrollTop = draft.scrollTop; });
for (const name of ["keyup", "click", "focus", "select"]) draft.addEventListener(name, showAtCursor);
draft.addEventListener("keydown", (event) => {
  if (event.altKey && (event.key === "n" || event.key === "p")) {
    event.preventDefault();
    jump(event.key === "n" ? 1 : -1);
  }
});
$("format").addEventListener("change", lint);
$("provider").addEventListener("change", lint);

async function download(kind) {
  try {
    const report = await post("/api/report", { ...body(), report: kind });
    const text = typeof report === "string" ? report : JSON.stringify(report, null, 2);
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    link.download = kind === "sarif" ? "postmaster-lint.sarif" : "postmaster-lint.json";
    document.body.append(link);
    link.click();
    link.remove();
  } catch (err) {
    $("status").textContent = "⚠ " + err.message;
  }
}
$("download-json").addEventListener("click", () => download("json"));
$("download-sarif").addEventListener("click", () => download("sarif"));

// --- bounces ----------------------------------------------------------------------------------

$("explain").addEventListener("click", async () => {
  const out = $("bounce-result");
  try {
    const replies = await post("/api/bounce", { text: $("bounce").value });
    out.innerHTML = replies.map((r) => {
      const owner = r.belongs_to || r.provider;
      const rows = [
        ["Codes", [r.codes.reply, r.codes.enhanced, ...r.codes.provider].filter(Boolean).join(" ") || "–"],
        ["Provider", r.provider ? `${r.provider.name} (${r.provider.kind})` : "not recognised"],
        ...(r.belongs_to ? [["Belongs to", r.belongs_to.name]] : []),
        ["Meaning", r.meaning],
        ...(r.contact ? [["Write to", `${r.contact.channel}${r.contact.address ? " " + r.contact.address : ""}. ${r.contact.note}`]] : []),
        ...(r.who_writes ? [["Who writes", `${r.who_writes.party}. ${r.who_writes.note}`]] : []),
        ...r.must_include.map((f) => ["Include", `${f.label} (${f.hint})`]),
        ...r.avoid.map((a) => ["Avoid", a]),
      ];
      if (owner && $("provider").querySelector(`option[value="${owner.id}"]`)) {
        $("provider").value = owner.id; // the draft that follows is for this provider
      }
      return "<dl>" + rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(String(v))}</dd>`).join("") + "</dl>";
    }).join("<hr>");
  } catch (err) {
    out.innerHTML = `<p>⚠ ${escapeHtml(err.message)}</p>`;
  }
});

$("scaffold").addEventListener("click", async () => {
  const out = $("bounce-result");
  try {
    const made = await post("/api/new", { text: $("bounce").value, format: "txt" });
    if (draft.value.trim() && !confirm("Replace the draft with a new one from this bounce?")) return;
    draft.value = made.draft;
    $("format").value = "plain";
    out.innerHTML = made.notes.map((n) => `<p class="muted">${escapeHtml(n)}</p>`).join("");
    draft.focus();
    draft.setSelectionRange(0, 0);
    lint();
  } catch (err) {
    out.innerHTML = `<p>⚠ ${escapeHtml(err.message)}</p>`;
  }
});

// --- start ------------------------------------------------------------------------------------

(async () => {
  const [rules, providers] = await Promise.all([
    fetch("/api/rules").then((r) => r.json()),
    fetch("/api/providers").then((r) => r.json()),
  ]);
  for (const rule of rules) state.rules[rule.id] = rule;
  for (const p of providers) {
    const option = document.createElement("option");
    option.value = p.id;
    option.textContent = `${p.name} (${p.kind})`;
    $("provider").append(option);
  }
  document.body.dataset.ready = "1";
  if (draft.value.trim()) lint(); else renderChecklist({ checklist: [], inserts: {} }, []);
})();
