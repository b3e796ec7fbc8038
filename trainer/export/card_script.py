"""The script of every card (plain data): choosing on the front, marking the choice on the back.

The same script runs on both sides of every note type; it looks at the card it is in (the last
``.trainer[data-side]`` element) and does nothing for kinds it has no work for. It only moves,
classes and labels the elements the fields already hold, and writes its own words with
``textContent``: bank text is never parsed as HTML. The data it reads are classes and small
integer attributes we write (``li.correct``, ``ol.fixed``, ``data-shown``) and the question id.

How the choice travels from the front to the back (see README, "Anki"):

- ``sessionStorage``: the page's own storage, kept while the app runs. AnkiDroid loads a new page
  for each side, so this is the way there. Anki desktop has it since 2.1.50, which serves the
  reviewer over http from its local server; AnkiMobile's web view has it too.
- a ``window`` property (``trainerCardState``): Anki desktop (every 2.1 version: ``_showAnswer``
  replaces the HTML of ``#qa`` in the page that showed the front and runs its scripts) keeps one
  page for both sides, so the window outlives the front. Used when sessionStorage is absent or
  throws (desktop before 2.1.50, private modes).

The state records the question id, the order shown and the choice. The back uses it only if it is
for the same question and fits the options on the back; otherwise (or with scripts off) the back
shows the full answer with every why, in the bank's order, and says the choice did not reach it.

No Anki key is taken: the front listens for the digits 1-9 only while the front is on screen and
never for modifiers, space or Enter; the back listens for no key at all (1-4 rate the card there).
Anki desktop's reviewer binds 1-4 (rating) and 5-7 (audio) as window shortcuts, so there those
digits go to Anki, which does nothing with 1-4 on the front: the student clicks instead.

The text must hold no double braces: Anki's template language would read them as a field.
"""

from __future__ import annotations

STORAGE_KEY = "trainer-card-v1"
WINDOW_KEY = "trainerCardState"

SCRIPT = """\
<script>
(function () {
  var KEY = "@STORAGE_KEY@", WKEY = "@WINDOW_KEY@";
  var LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  var roots = document.querySelectorAll(".trainer[data-side]");
  var root = roots[roots.length - 1];
  if (!root || root.getAttribute("data-ready")) { return; }
  root.setAttribute("data-ready", "1");
  var side = root.getAttribute("data-side");
  var kind = root.getAttribute("data-kind");
  var qid = root.getAttribute("data-qid") || "";
  var choice = kind === "single" || kind === "multiple" || kind === "true_false";
  if (!choice && kind !== "order") { return; }
  var list = root.querySelector(choice ? "ol.options" : "ol.steps");
  if (!list) { return; }
  var items = [];
  for (var i = 0; i < list.children.length; i++) { items.push(list.children[i]); }
  var n = items.length;

  function letter(i) { return i < LETTERS.length ? LETTERS.charAt(i) : String(i + 1); }
  function nth(k) {
    var s = ["th", "st", "nd", "rd"], v = k % 100;
    return k + (s[(v - 20) % 10] || s[v] || s[0]);
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text) { e.textContent = text; }
    return e;
  }
  function setLetter(li, pos) {
    var span = li.querySelector(".letter");
    if (span) { span.textContent = letter(pos) + "."; }
  }
  function save(state) {
    var text = JSON.stringify(state);
    try { window[WKEY] = text; } catch (e) {}
    try { window.sessionStorage.setItem(KEY, text); } catch (e) {}
  }
  function valid(s) {
    if (!s || s.q !== qid || s.k !== kind || !s.o || !s.c) { return false; }
    if (s.o.length !== n) { return false; }
    var seen = {};
    for (var i = 0; i < n; i++) {
      var x = s.o[i];
      if (typeof x !== "number" || x < 0 || x >= n || x % 1 || seen[x]) { return false; }
      seen[x] = true;
    }
    for (var j = 0; j < s.c.length; j++) {
      var y = s.c[j];
      if (typeof y !== "number" || y < 0 || y >= n || y % 1) { return false; }
    }
    return true;
  }
  function parse(text) {
    if (typeof text !== "string") { return null; }
    try { return JSON.parse(text); } catch (e) { return null; }
  }
  function load() {
    var found = [];
    try { found.push(parse(window.sessionStorage.getItem(KEY))); } catch (e) {}
    try { found.push(parse(window[WKEY])); } catch (e) {}
    var best = null;
    for (var i = 0; i < found.length; i++) {
      if (valid(found[i]) && (!best || found[i].t > best.t)) { best = found[i]; }
    }
    return best;
  }

  if (side === "front") { front(); } else { back(); }

  function front() {
    var order = [];
    for (var i = 0; i < n; i++) { order.push(i); }
    var fixed = list.classList.contains("fixed") || kind === "true_false";
    if (!fixed && (choice || n > 2)) {
      for (var j = n - 1; j > 0; j--) {
        var r = Math.floor(Math.random() * (j + 1));
        var t = order[j]; order[j] = order[r]; order[r] = t;
      }
    }
    var multi = kind === "multiple";
    var chosen = [];
    var state = { v: 1, q: qid, k: kind, o: order, c: chosen, t: Date.now() };
    var boxes = [];
    for (var p = 0; p < n; p++) {
      var li = items[order[p]];
      list.appendChild(li);
      setLetter(li, p);
      li.setAttribute("tabindex", "0");
      li.setAttribute("role", choice ? (multi ? "checkbox" : "radio") : "button");
      li.classList.add("choosable");
      var box = el("span", "box");
      box.setAttribute("aria-hidden", "true");
      li.insertBefore(box, li.firstChild);
      li.insertBefore(document.createTextNode(" "), box.nextSibling);
      boxes[order[p]] = box;
      li.addEventListener("click", pick.bind(null, order[p]));
    }
    list.classList.add("live");
    list.setAttribute("role", choice && !multi ? "radiogroup" : "group");
    function draw() {
      for (var i = 0; i < n; i++) {
        var at = chosen.indexOf(i), on = at >= 0;
        items[i].classList.toggle("chosen", on);
        items[i].setAttribute("aria-checked", on ? "true" : "false");
        if (choice) {
          boxes[i].textContent = multi ? (on ? "\\u2611" : "\\u2610")
            : (on ? "\\u25C9" : "\\u25CB");
        } else {
          boxes[i].textContent = on ? String(at + 1) : "\\u00B7";
        }
      }
      state.t = Date.now();
      save(state);
    }
    function pick(i) {
      var at = chosen.indexOf(i);
      if (at >= 0) { chosen.splice(at, 1); }
      else if (choice && !multi) { chosen.length = 0; chosen.push(i); }
      else { chosen.push(i); }
      if (choice && multi) { chosen.sort(function (a, b) { return a - b; }); }
      draw();
    }
    var hint = root.querySelector(".hint");
    if (hint) { hint.hidden = false; }
    var clear = root.querySelector("button.clear");
    if (clear) {
      clear.hidden = false;
      clear.addEventListener("click", function () { chosen.length = 0; draw(); });
    }
    var check = root.querySelector("button.check");
    if (check) {
      check.hidden = false;
      check.addEventListener("click", function () {
        draw();
        if (typeof window.pycmd === "function") { window.pycmd("ans"); return; }
        var said = root.querySelector(".checked");
        if (said) { said.hidden = false; }
      });
    }
    function onKey(e) {
      if (!document.body.contains(root)) {
        document.removeEventListener("keydown", onKey);
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) { return; }
      var k = e.key;
      if (k && k.length === 1 && k >= "1" && k <= "9" && k.charCodeAt(0) - 49 < n) {
        pick(order[k.charCodeAt(0) - 49]);
        e.preventDefault();
      }
    }
    document.addEventListener("keydown", onKey);
    draw();
  }

  function back() {
    var state = load();
    if (!state) {
      say("lost", "Your choice did not reach this side of the card: here is the full answer.");
      // The front was shuffled for this review: where each step was shown is not known here.
      var was = root.querySelectorAll(".was");
      for (var w = 0; w < was.length; w++) { was[w].hidden = true; }
      return;
    }
    for (var p = 0; choice && p < n; p++) {
      list.appendChild(items[state.o[p]]);
      setLetter(items[state.o[p]], p);
    }
    list.classList.add("marked");
    if (choice) { markChoice(state); } else { markOrder(state); }
  }

  function markChoice(state) {
    var multi = kind === "multiple";
    var chosen = state.c, right = 0, wrong = 0, missed = 0, keys = [];
    for (var p = 0; p < n; p++) {
      var i = state.o[p], li = items[i];
      var ok = li.classList.contains("correct"), on = chosen.indexOf(i) >= 0;
      var text = "";
      if (ok) { keys.push(letter(p)); }
      if (ok && on) { right++; text = "\\u2714 Your choice: correct"; }
      else if (ok) {
        missed++;
        text = chosen.length ? (multi ? "Correct: you missed it" : "The correct answer") : "";
      } else if (on) { wrong++; text = "\\u2718 Your choice: wrong"; }
      li.classList.toggle("chosen", on);
      li.classList.toggle("missed", ok && !on && chosen.length > 0);
      if (text) {
        var mark = el("div", "mark", text);
        var why = li.querySelector(".why");
        li.insertBefore(mark, why);
      }
    }
    var keySpan = root.querySelector(".keys");
    if (keySpan) { keySpan.textContent = keys.join(", "); }
    if (!chosen.length) { say("none", "You did not choose an option."); }
    else if (!wrong && !missed) { say("right", "\\u2714 Right."); }
    else if (multi && right) {
      say("wrong", "\\u2718 Partly right: " + right + " of " + keys.length + " correct chosen" +
        (wrong ? ", " + wrong + " wrong chosen." : "."));
    } else { say("wrong", "\\u2718 Wrong."); }
  }

  function markOrder(state) {
    var seq = state.c, right = 0;
    for (var p = 0; p < n; p++) {
      var li = items[p], shown = parseInt(li.getAttribute("data-shown"), 10);
      var at = seq.indexOf(shown), text;
      var was = li.querySelector(".was");
      if (was) { was.textContent = "(shown as " + letter(state.o.indexOf(shown)) + ")"; }
      if (seq[p] === shown) { right++; text = "\\u2714 You put it " + nth(p + 1); }
      else if (at >= 0) { text = "\\u2718 You put it " + nth(at + 1); }
      else { text = "\\u2718 You did not number it"; }
      li.classList.toggle("placed-right", seq[p] === shown);
      li.classList.toggle("placed-wrong", seq[p] !== shown);
      li.appendChild(el("div", "mark", text));
    }
    if (!seq.length) { say("none", "You did not number the steps."); }
    else if (right === n) { say("right", "\\u2714 Right: every step in its place."); }
    else { say("wrong", "\\u2718 " + right + " of " + n + " steps in the right place."); }
  }

  function say(cls, text) {
    var result = root.querySelector(".result");
    if (!result) { return; }
    result.className = "result " + cls;
    result.textContent = text;
    result.hidden = false;
  }
})();
</script>""".replace("@STORAGE_KEY@", STORAGE_KEY).replace("@WINDOW_KEY@", WINDOW_KEY)
