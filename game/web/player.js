/* Understood's web player: draws the runtime's game as accessible HTML and keeps the progress in
 * localStorage. Every piece of story text reaches the page through textContent, never as HTML.
 * With a class server (docs/web-protocol.md) it also reports progress and sends the summary. */
(function () {
  "use strict";
  var R = window.UnderstoodRuntime;
  var doc = document;

  function $(id) { return doc.getElementById(id); }
  function readJSON(id) { var node = $(id); return node ? JSON.parse(node.textContent) : null; }

  /* An element with attributes and children; strings become text nodes, never markup. */
  function el(tag, attrs, children) {
    var node = doc.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) { return; }
        if (key === "text") { node.textContent = value; } else if (key === "on") {
          Object.keys(value).forEach(function (type) { node.addEventListener(type, value[type]); });
        } else { node.setAttribute(key, value === true ? "" : String(value)); }
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) { return; }
      node.appendChild(typeof child === "string" ? doc.createTextNode(child) : child);
    });
    return node;
  }

  function tidy(text) { return String(text).replace(/\s+/g, " ").trim(); }

  // --- what the page was given ------------------------------------------------------------------

  var story = new R.Story(readJSON("understood-story"));
  var config = readJSON("understood-config") || {};
  var server = readJSON("understood-server");
  var classroom = config.classroom || null;
  var storeKey = (config.storage || "understood") + ":" + story.id;
  var places = config.places || {};

  /* A place as a person names it (game.story.names.place_name, worked out when the page was built). */
  function placeName(sceneId) { return places[sceneId] || story.title; }

  // --- storage: progress survives a reload; a browser without storage still plays --------------

  var storage = (function () {
    try {
      var probe = "understood:probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) { return null; }
  }());

  function load(key) {
    if (!storage) { return null; }
    try { var value = JSON.parse(storage.getItem(key)); return value && typeof value === "object" ? value : null; }
    catch (e) { return null; }
  }

  function store(key, value) {
    if (!storage) { return; }
    try { storage.setItem(key, JSON.stringify(value)); } catch (e) { /* full or refused: play on */ }
  }

  function randomHex(bytes) {
    var out = new Uint8Array(bytes);
    window.crypto.getRandomValues(out);
    return Array.prototype.map.call(out, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function minute(date) {
    return date.toISOString().slice(0, 16) + "Z";
  }

  var saved = load(storeKey);
  if (!saved || saved.v !== 1) { saved = null; }
  var progress = saved || { v: 1, hash: story.data.content_hash, moves: [], stage: "start", started: null,
    answers: [], share: false, session: randomHex(6), sent: false };
  if (!Array.isArray(progress.moves)) { progress.moves = []; }
  if (!Array.isArray(progress.answers)) { progress.answers = []; }
  if (typeof progress.session !== "string" || !/^[0-9a-f]{12}$/.test(progress.session)) { progress.session = randomHex(6); }

  var game = new R.Game(story);

  function save() {
    progress.moves = game.record();
    progress.hash = story.data.content_hash;
    store(storeKey, progress);
  }

  // --- settings ---------------------------------------------------------------------------------

  var settings = load("understood:settings") || {};
  function applySettings() {
    var root = doc.documentElement;
    var asked = !settings.theme && window.matchMedia && window.matchMedia("(prefers-contrast: more)").matches;
    root.setAttribute("data-theme", settings.theme === "contrast" || asked ? "contrast" : "calm");
    root.setAttribute("data-size", settings.size === "large" ? "large" : "normal");
    if (settings.motion === "reduce") { root.setAttribute("data-motion", "reduce"); } else { root.removeAttribute("data-motion"); }
  }
  applySettings();

  // --- speaking to the player -------------------------------------------------------------------

  function announce(text) {
    var region = $("announce");
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 60);
  }

  function showMessage(text) {
    var box = $("message");
    box.textContent = text;
    box.hidden = !text;
  }

  function focusOn(node) {
    if (!node) { return; }
    if (!node.hasAttribute("tabindex") && !/^(BUTTON|A|INPUT|TEXTAREA|SELECT)$/.test(node.tagName)) {
      node.setAttribute("tabindex", "-1");
    }
    node.focus({ preventScroll: false });
  }

  function setScreen(name, children) {
    var screen = $("screen");
    screen.textContent = "";
    screen.setAttribute("data-screen", name);
    children.forEach(function (child) { if (child) { screen.appendChild(child); } });
    $("tools").hidden = name !== "play";
    window.scrollTo(0, 0);
  }

  // --- dialogs ----------------------------------------------------------------------------------

  var returnFocus = null;
  function openDialog(id) {
    var dialog = $(id);
    if (dialog.open) { return; }
    doc.querySelectorAll("dialog[open]").forEach(function (d) { d.close(); });
    returnFocus = returnFocus || doc.activeElement;
    dialog.returnValue = "";
    dialog.showModal();
    var heading = dialog.querySelector("[data-focus-here]");
    if (heading) { heading.focus(); dialog.scrollTop = 0; }  // a long read starts at its heading
  }

  doc.querySelectorAll("dialog").forEach(function (dialog) {
    dialog.addEventListener("close", function () {
      if (doc.querySelector("dialog[open]")) { return; }
      var back = returnFocus;
      returnFocus = null;
      if (dialog.returnValue === "moved") { return; }  // a move was made: focus is on the new text
      if (back && doc.body.contains(back) && back !== doc.body) { back.focus(); } else { focusOn($("passage") || $("screen-heading")); }
    });
    dialog.querySelectorAll("[data-close]").forEach(function (button) {
      button.addEventListener("click", function () { dialog.close(); });
    });
  });

  /* The support lines (game/data/support.yaml), as elements. */
  function supportBlock() {
    var support = config.support;
    if (!support) { return []; }
    return [
      el("p", { text: tidy(support.intro) }),
      el("ul", { "class": "plain lines" }, support.lines.map(function (line) {
        return el("li", null, [el("strong", { text: line.name }), line.region + ": " + line.contact + ".",
          line.note ? " " + line.note : null]);
      })),
      el("p", { text: support.emergency }),
      el("p", { "class": "muted", text: "Last checked " + support.checked + "." }),
    ];
  }
  supportBlock().forEach(function (node) { $("support-body").appendChild(node); });

  function supportButton(label) {
    return el("button", { type: "button", "class": "button", text: label || "People to talk to",
      on: { click: function () { openDialog("dialog-support"); } } });
  }

  // --- the start: what the story is, its content notes, and the way out ------------------------

  function showStart() {
    progress.stage = "start";
    save();
    var data = story.data;
    var heading = el("h1", { id: "screen-heading", text: data.title, tabindex: "-1" });
    var notes = null;
    if (data.content_notes.length) {
      notes = el("section", { "class": "notice", "aria-labelledby": "notes-heading" }, [
        el("h2", { id: "notes-heading", text: "Before you begin" }),
        el("p", { text: "This story touches on:" }),
        el("ul", { "class": "notes" }, data.content_notes.map(function (n) { return el("li", { text: n }); })),
        el("p", { text: "You can pause, skip a scene or stop whenever you like. Nothing here is a test." }),
      ]);
    }
    var actions = el("div", { "class": "actions" }, [
      el("button", { type: "button", "class": "button primary", id: "begin", text: "Begin",
        on: { click: function () { begin(); } } }),
      classroom ? el("button", { type: "button", "class": "button", id: "sit-out", text: "Sit this one out",
        on: { click: sitOut } }) : null,
      supportButton(),
    ]);
    setScreen("start", [
      heading,
      el("p", { "class": "eyebrow", text: "You play " + tidy(data.perspective) + "." }),
      el("p", { text: tidy(data.summary) }),
      data.minutes ? el("p", { "class": "muted", text: "About " + data.minutes + " minutes." }) : null,
      notes,
      actions,
      classroom ? el("p", { "class": "muted", text: "Sitting out needs no reason. Nobody sees why, only that you did." }) : null,
    ]);
    reportProgress("notes");
  }

  function begin() {
    game = new R.Game(story);
    progress.stage = "playing";
    progress.started = progress.started || minute(new Date());
    progress.sent = false;
    save();
    showPlay(null, true);
    reportProgress("playing");
  }

  function sitOut() {
    game = new R.Game(story);
    progress.stage = "sat_out";
    progress.started = progress.started || minute(new Date());
    save();
    var summary = buildSummary(true);
    sendSummary(summary);
    reportProgress("sat_out");
    var children = [
      el("h1", { id: "screen-heading", tabindex: "-1", text: "That's fine." }),
      el("p", { text: "You've sat this one out. You don't need a reason, and nobody is told one." }),
      el("h2", { text: "People to talk to" }),
    ].concat(supportBlock());
    var actions = el("div", { "class": "actions" }, [
      (classroom && !server) ? el("button", { type: "button", "class": "button primary", id: "save-summary",
        text: "Save the note to hand in", on: { click: function () { downloadSummary(summary); } } }) : null,
      el("button", { type: "button", "class": "button", text: "Play it after all", on: { click: showStart } }),
    ]);
    if (classroom && !server) {
      children.push(el("p", { "class": "muted", text: "If your teacher collects files, save this note: it says only that you sat this one out." }));
    }
    children.push(actions);
    setScreen("sat-out", children);
    focusOn($("screen-heading"));
  }

  // --- playing ----------------------------------------------------------------------------------

  function showPlay(outcome, fresh) {
    if (game.isOver) { showEnding(); return; }
    var sceneData = game.scene;
    var passage = el("section", { "class": "passage" + (fresh ? " fresh" : ""), id: "passage", tabindex: "-1",
      "aria-labelledby": "scene-heading" });
    passage.appendChild(el("h1", { id: "scene-heading", "class": sceneData.title ? null : "visually-hidden",
      text: sceneData.title || story.title }));
    game.paragraphs().forEach(function (text) { passage.appendChild(el("p", { text: text })); });
    if (game.thought) {
      passage.appendChild(el("p", { "class": "thought" }, [
        el("span", { "class": "thought-label", text: "Inner voice" }),
        el("span", { "class": "visually-hidden", text: ": " }),
        el("span", { text: game.thought }),
      ]));
    }
    var said = [];
    var outcomeBox = el("div", { "class": "outcome", id: "outcome" });
    if (outcome && outcome.remembered) {
      outcomeBox.appendChild(el("p", null, [el("strong", { text: "Remembered: " }), outcome.remembered]));
      said.push("Remembered: " + outcome.remembered);
    }
    var list = el("ol", { "class": "choices", id: "choices" });
    game.options().forEach(function (option) {
      var item = el("li");
      var reasonId = "reason-" + option.number;
      var button = el("button", { type: "button", "class": "choice", "data-number": option.number,
        "aria-disabled": option.available ? null : "true", "aria-describedby": option.available ? null : reasonId,
        on: { click: function () { take(option.number); } } }, [
        el("span", { "class": "key", "aria-hidden": "true", text: String(option.number) }),
        el("span", { "class": "choice-text", text: option.text }),
        option.available ? null : el("span", { "class": "visually-hidden", text: " (not open to you now)" }),
      ]);
      item.appendChild(button);
      if (!option.available) { item.appendChild(el("p", { "class": "reason", id: reasonId, text: option.lockedReason })); }
      list.appendChild(item);
    });
    setScreen("play", [
      outcomeBox,
      passage,
      el("h2", { "class": "visually-hidden", text: "What you can do" }),
      list,
      meterPanel(),
    ]);
    $("tool-undo").disabled = !game.canUndo;
    if (said.length) { announce(said.join(" ")); }
    focusOn(passage);
  }

  function meterPanel() {
    var shown = game.visibleMeters();
    if (!shown.length) { return null; }
    return el("section", { "class": "meters", "aria-labelledby": "meters-heading" }, [
      el("h2", { id: "meters-heading", "class": "visually-hidden", text: "How things stand" }),
    ].concat(shown.map(function (entry) {
      var m = entry.meter;
      var label = m.label || m.name.charAt(0).toUpperCase() + m.name.slice(1);
      var id = "meter-" + m.name;
      return el("div", { "class": "meter-row" }, [
        el("span", { id: id, text: label }),
        el("meter", { min: m.min, max: m.max, value: entry.value, "aria-labelledby": id,
          "aria-describedby": m.description ? id + "-about" : null }),
        el("span", { "class": "value", "aria-hidden": "true", text: String(entry.value) }),
        m.description ? el("span", { "class": "meter-about", id: id + "-about", text: m.description }) : null,
      ]);
    })));
  }

  function take(number) {
    var option = null;
    game.options().forEach(function (o) { if (o.number === number) { option = o; } });
    if (!option) {
      var count = game.options().length;
      announce("There " + (count === 1 ? "is" : "are") + " only " + count + " choice" + (count === 1 ? "" : "s") + " here.");
      return;
    }
    if (!option.available) {
      var button = doc.querySelector('.choice[data-number="' + number + '"]');
      if (button) { button.focus(); }
      announce("Not yet. " + option.lockedReason);
      return;
    }
    var outcome = game.choose(number);
    afterMove(outcome);
  }

  function afterMove(outcome) {
    save();
    showMessage("");
    if (outcome.ended) {
      progress.stage = "ended";
      save();
      showEnding(outcome);
      reportProgress("ended");
      sendSummary(buildSummary(false));
      return;
    }
    showPlay(outcome, true);
    reportProgress("playing");
  }

  function undo() {
    if (!game.undo(1)) { announce("There is nothing to undo yet."); return; }
    progress.stage = "playing";
    save();
    showPlay(null, false);
    announce("You take that back.");
    reportProgress("playing");
  }

  function askSkip() {
    if (game.isOver) { return; }
    $("skip-what").textContent = game.skipKind() === "scene"
      ? "You move on past this scene. Nothing you've built changes, no meter moves, and it never counts against you."
      : "There is no gentler scene to move on to from here, so the story ends here, quietly (\u201cYou stepped away\u201d). Nothing is counted against you, and you can undo it afterwards.";
    openDialog("dialog-skip");
  }

  $("skip-confirm").addEventListener("click", function () {
    $("dialog-skip").close("moved");
    var outcome = game.skip();
    afterMove(outcome);
    announce(outcome.ended ? "You stepped away. That's allowed." : "You skipped this scene. Nothing is lost.");
  });

  function restart() {
    openDialog("dialog-restart");
  }

  $("restart-confirm").addEventListener("click", function () {
    $("dialog-restart").close("moved");
    progress.answers = [];
    progress.started = null;
    begin();
  });

  // --- the journal --------------------------------------------------------------------------------

  function showJournal() {
    var body = $("journal-body");
    body.textContent = "";
    game.journal().forEach(function (entry, index) {
      var box = el("section", { "class": "journal-entry" }, [
        el("h3", { text: (index + 1) + ". " + placeName(entry.scene) }),
      ]);
      entry.paragraphs.forEach(function (p) { box.appendChild(el("p", { text: p })); });
      if (entry.thought) {
        box.appendChild(el("p", { "class": "thought" }, [el("span", { "class": "thought-label", text: "Inner voice" }),
          el("span", { "class": "visually-hidden", text: ": " }), el("span", { text: entry.thought })]));
      }
      var did = entry.step === null ? (game.isOver ? "The end." : "You are here.")
        : entry.step.kind === "skip" ? "You skipped this scene." : "You chose: " + entry.step.choiceText;
      box.appendChild(el("p", { "class": "did", text: did }));
      body.appendChild(box);
    });
    openDialog("dialog-journal");
  }

  $("journal-save").addEventListener("click", function () {
    download(story.id + "-journal.md", journalMarkdown(), "text/markdown");
    announce("The journal is saved to your downloads.");
  });

  // --- the ending ---------------------------------------------------------------------------------

  function showEnding() {
    var ending = game.ending;
    var stepped = ending === R.STEPPED_AWAY;
    var children = [
      el("p", { "class": "eyebrow", text: story.title }),
      el("h1", { "class": "ending-title", id: "screen-heading", tabindex: "-1", text: ending.title }),
      el("p", { "class": "muted", text: "An ending that feels " + ending.tone + "." }),
    ];
    var paragraphs = stepped
      ? ["You stepped away from the story here. That's allowed, and it's sometimes the wisest choice there is."]
      : game.paragraphs();
    paragraphs.forEach(function (p) { children.push(el("p", { text: p })); });
    if (ending.support) {
      children.push(el("div", { "class": "notice" }, [
        el("p", { text: "If this one sits heavy, there are free, confidential people to talk to. You don't need a reason to call." }),
        supportButton(),
      ]));
    }
    var remembered = game.remembered;
    if (remembered.length) {
      children.push(el("h2", { text: "What was remembered" }));
      children.push(el("ul", null, remembered.map(function (line) { return el("li", { text: line }); })));
    }
    var charts = meterCharts();
    if (charts) { children.push(el("h2", { text: "How things moved" }), charts); }
    var locked = game.lockedMet();
    if (locked.length) {
      children.push(el("h2", { text: "What you couldn't say" }));
      children.push(el("ul", { "class": "unsaid" }, locked.map(function (lock) {
        return el("li", null, [el("span", { "class": "unsaid-text", text: lock.text }), lock.reason ? el("br") : null,
          lock.reason ? el("span", { "class": "muted", text: lock.reason }) : null]);
      })));
    }
    var questions = story.data.debrief;
    if (questions.length) {
      children.push(el("h2", { text: "Questions to sit with" }));
      children.push(el("p", { "class": "muted", text: server || classroom
        ? "Write as much or as little as you like. Your answers stay on this device unless you choose to share them."
        : "Write as much or as little as you like. Your answers stay on this device." }));
      children.push(el("ol", { "class": "debrief" }, questions.map(function (q, i) {
        var id = "answer-" + i;
        var box = el("textarea", { id: id, rows: "3", maxlength: "2000" });
        box.value = progress.answers[i] || "";
        box.addEventListener("input", function () { progress.answers[i] = box.value; save(); });
        return el("li", null, [el("label", { "for": id, text: tidy(q) }), box]);
      })));
    }
    var next = [
      el("button", { type: "button", "class": "button primary", id: "play-again", text: "Play again",
        on: { click: function () { progress.answers = []; progress.started = null; begin(); } } }),
      el("button", { type: "button", "class": "button", id: "ending-undo", text: "Undo the last move", on: { click: undo } }),
      el("button", { type: "button", "class": "button", text: "Read the journal", on: { click: showJournal } }),
      el("button", { type: "button", "class": "button", id: "save-copy", text: "Save a copy for yourself",
        on: { click: function () { download(story.id + "-summary.md", summaryMarkdown(), "text/markdown");
          announce("A copy is saved to your downloads."); } } }),
      ending.support ? null : supportButton(),
    ];
    children.push(el("h2", { text: "What next" }));
    if (classroom || server) { children.push(classSection(questions.length > 0)); }
    children.push(el("div", { "class": "actions" }, next));
    setScreen("ending", children);
    focusOn($("screen-heading"));
  }

  function classSection(hasQuestions) {
    var status = el("p", { "class": "status", id: "class-status", role: "status" });
    var parts = [server ? null : el("p", { text: "Your teacher may collect an anonymous summary: your choices and ending, no name." })];
    if (hasQuestions) {
      var tick = el("input", { type: "checkbox", id: "share-answers" });
      tick.checked = !!progress.share;
      tick.addEventListener("change", function () {
        progress.share = tick.checked;
        save();
        if (server) { sendSummary(buildSummary(false)); }
      });
      parts.push(el("label", { "class": "check", "for": "share-answers" }, [tick,
        "Share my answers, without my name, in the class report"]));
    }
    if (server) {
      status.textContent = progress.sent ? "Your choices went to your teacher, without your name." : "";
      parts.push(status);
    } else {
      parts.push(el("div", { "class": "actions" }, [el("button", { type: "button", "class": "button primary", id: "save-summary",
        text: "Save the summary to hand in", on: { click: function () {
          downloadSummary(buildSummary(false));
          status.textContent = "Saved to your downloads. Hand that file in as your teacher asks.";
        } } })]));
      parts.push(status);
    }
    return el("section", { "class": "notice", "aria-label": "For your class" }, parts);
  }

  function meterCharts() {
    var shown = story.meters.filter(function (m) { return !m.hidden; });
    if (!shown.length) { return null; }
    var history = game.meterHistory();
    var ns = "http://www.w3.org/2000/svg";
    return el("div", { "class": "charts" }, shown.map(function (m) {
      var values = history[m.name];
      var label = m.label || m.name.charAt(0).toUpperCase() + m.name.slice(1);
      var width = 200, height = 70, pad = 6;
      var span = Math.max(1, m.max - m.min);
      var step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
      var points = values.map(function (v, i) {
        return [pad + i * step, pad + (height - 2 * pad) * (1 - (v - m.min) / span)];
      });
      var svg = doc.createElementNS(ns, "svg");
      svg.setAttribute("viewBox", "0 0 " + width + " " + height);
      svg.setAttribute("aria-hidden", "true");
      svg.setAttribute("focusable", "false");
      var axis = doc.createElementNS(ns, "line");
      [["x1", pad], ["y1", height - pad], ["x2", width - pad], ["y2", height - pad], ["class", "axis"]]
        .forEach(function (a) { axis.setAttribute(a[0], a[1]); });
      svg.appendChild(axis);
      var line = doc.createElementNS(ns, "polyline");
      line.setAttribute("class", "line");
      line.setAttribute("points", points.map(function (p) { return p[0].toFixed(1) + "," + p[1].toFixed(1); }).join(" "));
      svg.appendChild(line);
      var last = points[points.length - 1];
      var dot = doc.createElementNS(ns, "circle");
      [["cx", last[0].toFixed(1)], ["cy", last[1].toFixed(1)], ["r", "4"], ["class", "dot"]]
        .forEach(function (a) { dot.setAttribute(a[0], a[1]); });
      svg.appendChild(dot);
      var words = label + ": from " + values[0] + " to " + values[values.length - 1] + " out of " + m.max +
        " (lowest " + Math.min.apply(null, values) + ", highest " + Math.max.apply(null, values) + ").";
      return el("figure", { "class": "chart" }, [
        el("figcaption", null, [el("strong", { text: label }), " " + values[0] + " \u2192 " + values[values.length - 1]]),
        svg,
        el("p", { "class": "visually-hidden", text: words }),
        m.description ? el("p", { "class": "muted", text: m.description }) : null,
      ]);
    }));
  }

  // --- summaries, Markdown copies and downloads -------------------------------------------------

  /* The anonymous class summary, as game/classroom/session.py writes it (kind understood-summary). */
  function buildSummary(optedOut) {
    var playing = optedOut ? new R.Game(story) : game;
    var ending = playing.ending;
    var answers = (story.data.debrief || []).map(function (_, i) { return tidy(progress.answers[i] || ""); });
    var written = answers.some(function (a) { return a.length > 0; });
    return {
      kind: "understood-summary", format: 1, session: progress.session, story_id: story.id,
      story_hash: story.data.content_hash, started: progress.started || minute(new Date()),
      finished: minute(new Date()), completed: playing.isOver, opted_out: !!optedOut,
      ending: ending === null ? null : { scene: playing.sceneId, title: ending.title, tone: ending.tone },
      stopped_at: (ending !== null || optedOut) ? null : playing.sceneId,
      choices: playing.history.map(function (s) {
        return s.kind === "skip" ? { scene: s.scene, skip: true } : { scene: s.scene, choice: s.choiceId, tags: s.tags.slice() };
      }),
      locked: playing.lockedMet().map(function (l) { return { scene: l.scene, choice: l.choiceId }; }),
      meters: playing.meterHistory(),
      reflection: progress.share && written ? answers : null,
    };
  }

  function downloadSummary(summary) {
    download(summary.session + "-" + story.id + ".json", JSON.stringify(summary, null, 1) + "\n", "application/json");
  }

  function download(name, text, type) {
    var url = URL.createObjectURL(new Blob([text], { type: type + ";charset=utf-8" }));
    var link = el("a", { href: url, download: name, hidden: true });
    doc.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function journalMarkdown() {
    var out = ["# " + story.title + ": journal", "", "*You played " + tidy(story.data.perspective) + ".*", ""];
    game.journal().forEach(function (entry, index) {
      out.push("## " + (index + 1) + ". " + placeName(entry.scene), "");
      entry.paragraphs.forEach(function (p) { out.push(p, ""); });
      if (entry.thought) { out.push("> *Inner voice: " + entry.thought + "*", ""); }
      if (entry.step === null) { out.push(game.isOver ? "*The end.*" : "*You are here.*", ""); }
      else if (entry.step.kind === "skip") { out.push("**You skipped this scene.**", ""); }
      else { out.push("**You chose:** " + entry.step.choiceText, ""); }
    });
    return out.join("\n").replace(/\n+$/, "") + "\n";
  }

  function summaryMarkdown() {
    var ending = game.ending;
    var out = ["# " + story.title, "", "*You played " + tidy(story.data.perspective) + ".*", ""];
    if (ending) { out.push("## Ending: " + ending.title, "", "Tone: " + ending.tone + ".", ""); }
    out.push("## The choices you made", "");
    game.history.forEach(function (s, i) { out.push((i + 1) + ". " + (s.kind === "skip" ? "skipped this scene" : s.choiceText)); });
    if (!game.history.length) { out.push("(none yet)"); }
    out.push("");
    if (game.remembered.length) {
      out.push("## What was remembered", "");
      game.remembered.forEach(function (line) { out.push("- " + line); });
      out.push("");
    }
    var history = game.meterHistory();
    var shown = story.meters.filter(function (m) { return !m.hidden; });
    if (shown.length) {
      out.push("## How things moved", "");
      shown.forEach(function (m) {
        var values = history[m.name];
        out.push("- " + (m.label || m.name.charAt(0).toUpperCase() + m.name.slice(1)) + ": " + values.join(" → "));
      });
      out.push("");
    }
    var locked = game.lockedMet();
    if (locked.length) {
      out.push("## What you couldn't say", "");
      locked.forEach(function (l) { out.push("- \u201c" + l.text + "\u201d" + (l.reason ? ": " + l.reason : "")); });
      out.push("");
    }
    if (story.data.debrief.length) {
      out.push("## Questions to sit with", "");
      story.data.debrief.forEach(function (q, i) {
        out.push((i + 1) + ". " + tidy(q), "", "   " + (tidy(progress.answers[i] || "") || "_(left blank)_"), "");
      });
    }
    if (ending && ending.support && config.support) {
      out.push("## If you want to talk to someone", "", tidy(config.support.intro), "");
      config.support.lines.forEach(function (l) { out.push("- " + l.name + " (" + l.region + "): " + l.contact + "." + (l.note ? " " + l.note : "")); });
      out.push("", config.support.emergency, "");
    }
    return out.join("\n").replace(/\n+$/, "") + "\n";
  }

  // --- the class server (docs/web-protocol.md) --------------------------------------------------

  var serverKey = "understood:server:" + story.id;
  var link = server ? load(serverKey) : null;
  var closed = false;
  var pendingSummary = null;

  function post(path, body) {
    return window.fetch(server.api + path, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      credentials: "same-origin", cache: "no-store",
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { var error = new Error(data.error || "refused"); error.status = response.status; throw error; }
        return data;
      });
    });
  }

  function joined() {
    if (link && typeof link.session === "string" && typeof link.key === "string") { return Promise.resolve(link); }
    return post("/join", {}).then(function (data) {
      link = { session: String(data.session), key: String(data.key) };
      store(serverKey, link);
      return link;
    });
  }

  function withSession(fn) {
    return joined().then(fn).catch(function (error) {
      if (error && error.status >= 400 && error.status < 500 && link) {
        link = null;  // the server forgot us (restarted): join afresh, once
        if (storage) { storage.removeItem(serverKey); }
        return joined().then(fn);
      }
      throw error;
    });
  }

  var lastStage = "notes";
  function reportProgress(stage) {
    lastStage = stage || lastStage;
    if (!server || closed) { return; }
    var place = lastStage === "playing" || lastStage === "ended" ? placeName(game.sceneId) : "";
    withSession(function (s) {
      return post("/progress", { session: s.session, key: s.key, stage: lastStage, place: place.slice(0, 120),
        moves: game.history.length });
    }).then(function (answer) {
      if (answer.message) { showMessage(String(answer.message)); }
      if (answer.closed) { sessionClosed(); }
    }).catch(function () { /* offline for a moment: the next move or beat tries again */ });
  }

  function sendSummary(summary) {
    if (!server) { return; }
    pendingSummary = summary;
    withSession(function (s) {
      return post("/summary", { session: s.session, key: s.key, summary: summary });
    }).then(function () {
      if (pendingSummary === summary) { pendingSummary = null; }
      progress.sent = true;
      save();
      var status = $("class-status");
      if (status) { status.textContent = "Your choices went to your teacher, without your name."; }
    }).catch(function () { /* kept in pendingSummary: sent again with the next beat */ });
  }

  function sessionClosed() {
    if (closed) { return; }
    closed = true;
    showMessage("Your teacher has ended the session. Thank you for playing.");
    if (progress.stage === "ended" || progress.stage === "sat_out") {
      if (!progress.sent) { sendSummary(buildSummary(progress.stage === "sat_out")); }
      return;
    }
    if (progress.stage === "playing") { sendSummary(buildSummary(false)); }
    setScreen("closed", [
      el("h1", { id: "screen-heading", tabindex: "-1", text: "The session has ended" }),
      el("p", { text: "Your teacher has brought the class back together. Thank you for playing." }),
      el("h2", { text: "People to talk to" }),
    ].concat(supportBlock()));
    focusOn($("screen-heading"));
  }

  if (server) {
    window.setInterval(function () {
      if (pendingSummary && !closed) { sendSummary(pendingSummary); }
      reportProgress();
    }, 20000);
  }

  // --- keys -----------------------------------------------------------------------------------

  doc.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) { return; }
    if (doc.querySelector("dialog[open]")) { return; }
    var target = event.target;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) { return; }
    var screen = $("screen").getAttribute("data-screen");
    if (screen !== "play") { return; }
    var key = event.key;
    if (/^[1-9]$/.test(key)) { event.preventDefault(); take(Number(key)); }
    else if (key === "u" || key === "U") { event.preventDefault(); undo(); }
    else if (key === "s" || key === "S") { event.preventDefault(); askSkip(); }
    else if (key === "j" || key === "J") { event.preventDefault(); showJournal(); }
    else if (key === "p" || key === "P") { event.preventDefault(); openDialog("dialog-pause"); }
  });

  $("tool-undo").addEventListener("click", undo);
  $("tool-skip").addEventListener("click", askSkip);
  $("tool-journal").addEventListener("click", showJournal);
  $("tool-pause").addEventListener("click", function () { openDialog("dialog-pause"); });
  $("pause-support").addEventListener("click", function () { openDialog("dialog-support"); });
  $("pause-restart").addEventListener("click", restart);
  $("pause-settings").addEventListener("click", function () {
    var form = $("dialog-settings").querySelector("form");
    form.elements.theme.value = doc.documentElement.getAttribute("data-theme");
    form.elements.size.value = settings.size === "large" ? "large" : "normal";
    form.elements.motion.checked = settings.motion === "reduce";
    openDialog("dialog-settings");
  });
  $("dialog-settings").querySelector("form").addEventListener("change", function (event) {
    var form = event.currentTarget;
    settings = { theme: form.elements.theme.value, size: form.elements.size.value,
      motion: form.elements.motion.checked ? "reduce" : "" };
    store("understood:settings", settings);
    applySettings();
  });

  // --- back where the player left off ---------------------------------------------------------------

  function resume() {
    var moves = progress.moves;
    if (progress.stage === "sat_out") { sitOut(); return; }
    if ((progress.stage === "playing" || progress.stage === "ended") && Array.isArray(moves)) {
      game.replay(moves);
      save();
      progress.stage = game.isOver ? "ended" : "playing";
      save();
      if (game.isOver) { showEnding(); } else { showPlay(null, false); }
      if (moves.length) { announce("Welcome back. You're where you left off."); }
      reportProgress(progress.stage);
      return;
    }
    showStart();
  }

  resume();
  window.UnderstoodPlayer = { game: function () { return game; }, summary: buildSummary };
}());
