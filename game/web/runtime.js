/* Understood's web runtime: plays a compiled story (game/story/compiled.py `to_data`) with the
 * rules of the Python engine (game/engine/game.py, machine.py, state.py): conditions as data,
 * effects with clamping, locked choices, remember, skip, endings (and "You stepped away"), undo.
 * The conformance suite (tests/web/) plays thousands of games through both and compares traces.
 *
 * Plain JavaScript, no dependencies: it runs in a browser (window.UnderstoodRuntime) and in Node
 * (module.exports). It never touches the DOM; the player (player.js) draws what it returns.
 */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) { module.exports = api; } else { root.UnderstoodRuntime = api; }
}(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var COMPILED = 2;  // the layout of docs/compiled-format.md
  var STEPPED_AWAY = { title: "You stepped away", tone: "unresolved", support: true };

  function GameError(message, kind) {
    var error = new Error(message);
    error.name = "GameError";
    error.kind = kind || "game";
    return error;
  }

  // --- the story: compiled data indexed once ----------------------------------------------------

  function Story(data) {
    if (!data || data.compiled !== COMPILED) { throw GameError("This is not a story this player can read.", "story"); }
    this.data = data;
    this.id = data.id;
    this.title = data.title;
    this.format = data.format;
    this.meters = data.meters.map(function (m) {
      return { name: m[0], start: m[1], min: m[2], max: m[3], label: m[4], hidden: m[5], description: m[8] || "" };
    });
    this.meterByName = {};
    for (var i = 0; i < this.meters.length; i++) { this.meterByName[this.meters[i].name] = this.meters[i]; }
    this.scenes = {};
    for (var j = 0; j < data.scenes.length; j++) {
      var raw = data.scenes[j];
      this.scenes[raw.id] = scene(raw);
    }
    if (!this.scenes[data.start]) { throw GameError("This story has no first scene.", "story"); }
  }

  function effects(data) {
    if (data === null || data === undefined) { return null; }
    return {
      meters: data[0].map(function (m) { return { meter: m[0], op: m[1], amount: m[2] }; }),
      set: data[1], clear: data[2]
    };
  }

  function cond(data) { return data === null || data === undefined ? null : { source: data[0], tree: data[1] }; }

  function items(list) {
    if (list === null || list === undefined) { return null; }
    return list.map(function (item) {
      return { source: item[0], condition: cond(item[1]), tree: item[4] === undefined || item[4] === null ? [item[0]] : item[4] };
    });
  }

  function scene(raw) {
    return {
      id: raw.id,
      title: raw.title || null,
      text: items(raw.text),
      thought: items(raw.thought),
      onEnter: effects(raw.on_enter),
      skipTo: raw.skip_to,
      ending: raw.ending === null ? null : { title: items(raw.ending[0]), tone: raw.ending[1], support: !!raw.ending[2] },
      choices: raw.choices.map(function (c, index) {
        return {
          id: c[0], index: index, text: items(c[1]), goto: c[2], condition: cond(c[3]), locked: items(c[4]),
          tags: c[5], effects: effects(c[6]), remember: items(c[7]), skip: c[10] === true
        };
      })
    };
  }

  /* Where skipping a scene leads: its skip_to, else the goto of its `skip: true` choice. */
  function skipRoute(target) {
    if (target.skipTo) { return target.skipTo; }
    for (var i = 0; i < target.choices.length; i++) { if (target.choices[i].skip) { return target.choices[i].goto; } }
    return null;
  }

  function clamp(meter, value) { return value < meter.min ? meter.min : value > meter.max ? meter.max : value; }

  // --- conditions: the tree of conditions.py `to_data` --------------------------------------------

  function truth(node, state) {
    switch (node[0]) {
      case "flag": case "name": return state.flags.has(node[1]);
      case "visited": return (state.visits[node[1]] || 0) > 0;
      case "not": return !truth(node[1], state);
      case "and":
        for (var i = 1; i < node.length; i++) { if (!truth(node[i], state)) { return false; } }
        return true;
      case "or":
        for (var j = 1; j < node.length; j++) { if (truth(node[j], state)) { return true; } }
        return false;
      case "cmp": return compare(node[1], number(node[2], state), number(node[3], state));
      default: throw GameError("bad compiled condition", "story");
    }
  }

  function number(node, state) {
    switch (node[0]) {
      case "num": return node[1];
      case "visits": return state.visits[node[1]] || 0;
      default: return state.meters[node[1]];
    }
  }

  function compare(op, a, b) {
    switch (op) {
      case "<": return a < b;
      case "<=": return a <= b;
      case ">": return a > b;
      case ">=": return a >= b;
      case "==": return a === b;
      case "!=": return a !== b;
      default: throw GameError("bad comparison", "story");
    }
  }

  function holds(condition, state) { return condition === null || truth(condition.tree, state); }

  // --- text: the trees of docs/compiled-format.md, rendered from the state, never changing it -----

  var encoder = typeof TextEncoder !== "undefined" ? new TextEncoder() : null;

  function utf8(text) {
    if (encoder) { return encoder.encode(text); }
    return Array.prototype.map.call(unescape(encodeURIComponent(text)), function (c) { return c.charCodeAt(0); });
  }

  function fnv1a32(text) {
    var bytes = utf8(text);
    var h = 2166136261;
    for (var i = 0; i < bytes.length; i++) {
      h = (h ^ bytes[i]) >>> 0;
      h = Math.imul(h, 16777619) >>> 0;
    }
    return h;
  }

  /* ctx: {state, storyId, sceneId}; V is the visits of the scene whose text is read (at least 1). */
  function visit(ctx) { return Math.max(1, ctx.state.visits[ctx.sceneId] || 0); }

  function walk(tree, ctx, out) {
    for (var i = 0; i < tree.length; i++) {
      var node = tree[i];
      if (typeof node === "string") { out.push(node); continue; }
      var branches;
      switch (node[0]) {
        case "meter": out.push(String(ctx.state.meters[node[1]])); break;
        case "if": walk(truth(node[1][1], ctx.state) ? node[2] : node[3], ctx, out); break;
        case "first": walk(visit(ctx) === 1 ? node[1] : node[2], ctx, out); break;
        case "seq": branches = node[1]; walk(branches[Math.min(visit(ctx), branches.length) - 1], ctx, out); break;
        case "cycle": branches = node[1]; walk(branches[(visit(ctx) - 1) % branches.length], ctx, out); break;
        case "shuffle":
          branches = node[2];
          walk(branches[fnv1a32(ctx.storyId + "\x1f" + ctx.sceneId + "\x1f" + node[1] + "\x1f" + visit(ctx)) % branches.length], ctx, out);
          break;
        default: throw GameError("bad compiled text", "story");
      }
    }
  }

  function render(item, ctx) {
    var tree = item.tree;
    if (tree.length === 1 && typeof tree[0] === "string") { return tree[0]; }
    var out = [];
    walk(tree, ctx, out);
    return out.join("").replace(/ {2,}/g, " ").replace(/ *\n */g, "\n").replace(/^[ \n]+|[ \n]+$/g, "");
  }

  /* The rendered items whose condition holds, empty renderings left out. */
  function shown(list, ctx) {
    var out = [];
    (list || []).forEach(function (item) {
      if (holds(item.condition, ctx.state)) {
        var text = render(item, ctx);
        if (text) { out.push(text); }
      }
    });
    return out;
  }

  function joined(list, ctx) { return shown(list, ctx).join(" "); }

  // --- a playthrough's state ----------------------------------------------------------------------

  function begin(story, start) {
    var meters = {};
    story.meters.forEach(function (m) { meters[m.name] = m.start; });
    return { state: start || story.data.start, meters: meters, flags: new Set(), visits: {}, remembered: [],
      skipping: false, afterEffects: null };
  }

  function apply(model, fx, story, withMeters) {
    if (fx === null) { return; }
    if (withMeters) {
      fx.meters.forEach(function (change) {
        var meter = story.meterByName[change.meter];
        var value = change.op === "+" ? model.meters[change.meter] + change.amount : change.amount;
        model.meters[change.meter] = clamp(meter, value);
      });
    }
    fx.set.forEach(function (f) { model.flags.add(f); });
    fx.clear.forEach(function (f) { model.flags.delete(f); });
  }

  function snapshot(model) {
    return { scene: model.state, meters: Object.assign({}, model.meters), flags: Array.from(model.flags),
      visits: Object.assign({}, model.visits), remembered: model.remembered.slice() };
  }

  function restore(model, snap) {
    model.state = snap.scene;
    model.meters = Object.assign({}, snap.meters);
    model.flags = new Set(snap.flags);
    model.visits = Object.assign({}, snap.visits);
    model.remembered = snap.remembered.slice();
    model.skipping = false;
  }

  function enter(model, story, sceneId) {
    var target = story.scenes[sceneId];
    if (!target) { throw GameError("This story leads to a scene it does not have.", "story"); }
    model.state = sceneId;
    model.visits[sceneId] = (model.visits[sceneId] || 0) + 1;
    apply(model, target.onEnter, story, !model.skipping);
    model.skipping = false;
  }

  // --- the game: the API the player uses, mirroring game/engine/game.py ---------------------------

  function Game(story, options) {
    options = options || {};
    this.story = story;
    this.model = begin(story, options.start);
    var overrides = options.overrides || {};
    var self = this;
    Object.keys(overrides).forEach(function (name) {
      var value = overrides[name];
      if (story.meterByName[name]) {
        self.model.meters[name] = clamp(story.meterByName[name], Math.trunc(Number(value)));
      } else if (story.data.flags.indexOf(name) >= 0) {
        if (value) { self.model.flags.add(name); } else { self.model.flags.delete(name); }
      } else {
        throw GameError("'" + name + "' is neither a meter nor a flag of this story");
      }
    });
    if (!story.scenes[this.model.state]) { throw GameError("There is no such scene in this story."); }
    var first = story.scenes[this.model.state];
    this.model.visits[first.id] = (this.model.visits[first.id] || 0) + 1;
    apply(this.model, first.onEnter, story, true);
    this.initial = snapshot(this.model);
    this.undoStack = [];
    this.history = [];
    this.steppedAway = false;
  }

  Game.prototype = {
    get scene() { return this.story.scenes[this.model.state]; },
    get sceneId() { return this.model.state; },
    /* The inner voice now: one line per shown item, or null when nothing shows. */
    get thought() {
      var lines = shown(this.scene.thought, this.context());
      return lines.length ? lines.join("\n") : null;
    },
    get isOver() { return this.steppedAway || this.scene.ending !== null; },
    get ending() {
      if (this.steppedAway) { return STEPPED_AWAY; }
      var ending = this.scene.ending;
      if (ending === null) { return null; }
      return { title: joined(ending.title, this.context()), tone: ending.tone, support: ending.support };
    },

    /* Where text is read: this state, in the current scene (or `sceneId`). */
    context: function (sceneId) {
      return { state: this.model, storyId: this.story.id, sceneId: sceneId || this.model.state };
    },
    get canSkip() { return !this.isOver; },
    get canUndo() { return this.undoStack.length > 0; },
    get meters() { return Object.assign({}, this.model.meters); },
    get flags() { return Array.from(this.model.flags).sort(); },
    get visits() { return Object.assign({}, this.model.visits); },
    get remembered() { return this.model.remembered.slice(); },

    paragraphs: function () {
      return shown(this.scene.text, this.context());
    },

    /* The choices shown now: available ones, and locked ones that carry a reason. */
    options: function () {
      if (this.isOver) { return []; }
      var model = this.model;
      var ctx = this.context();
      var out = [];
      this.scene.choices.forEach(function (choice) {
        var open = holds(choice.condition, model);
        if (open || (choice.locked !== null && choice.locked.length)) {
          out.push({ number: out.length + 1, id: choice.id, text: joined(choice.text, ctx), choice: choice,
            available: open, lockedReason: open ? null : joined(choice.locked, ctx) });
        }
      });
      return out;
    },

    visibleMeters: function () {
      var model = this.model;
      return this.story.meters.filter(function (m) { return !m.hidden; })
        .map(function (m) { return { meter: m, value: model.meters[m.name] }; });
    },

    /* What the skip button really does here: "scene" (moves on, changes nothing) or "end". */
    skipKind: function () { return skipRoute(this.scene) ? "scene" : "end"; },

    findOption: function (ref) {
      var options = this.options();
      for (var i = 0; i < options.length; i++) {
        if (options[i].number === ref || options[i].id === ref) { return options[i]; }
      }
      throw GameError("There is no such choice here.", "no-such-choice");
    },

    choose: function (ref) {
      if (this.isOver) { throw GameError("The story has ended.", "over"); }
      var option = this.findOption(ref);
      if (!option.available) { throw GameError(option.lockedReason || "That choice isn't open to you right now.", "locked"); }
      var model = this.model;
      var before = snapshot(model);
      var sceneId = model.state;
      var locked = this.options().filter(function (o) { return !o.available; }).map(function (o) {
        return { scene: sceneId, choiceId: o.id, text: o.text, reason: o.lockedReason || "" };
      });
      var choice = option.choice;
      var rememberedBefore = model.remembered.length;
      apply(model, choice.effects, this.story, true);
      model.afterEffects = Object.assign({}, model.meters);
      if (choice.remember !== null) {  // rendered now: after the effects, before the next scene
        var line = joined(choice.remember, this.context(sceneId));
        if (line) { model.remembered.push(line); }
      }
      enter(model, this.story, choice.goto);
      var added = model.remembered.slice(rememberedBefore);
      var step = { kind: "choice", scene: before.scene, toScene: model.state, choiceId: choice.id,
        choiceText: option.text, tags: choice.tags.slice(), metersAfter: Object.assign({}, model.meters),
        remembered: added.length ? added[added.length - 1] : null, locked: locked };
      return this.commit(before, step);
    },

    /* Skip this scene (an X-Card): go to its skip_to, or end gently. Never costs a meter. */
    skip: function () {
      if (this.isOver) { throw GameError("The story has ended.", "over"); }
      var model = this.model;
      var before = snapshot(model);
      var route = skipRoute(this.scene);
      if (route) {
        model.skipping = true;
        enter(model, this.story, route);
      } else {
        this.steppedAway = true;
      }
      var step = { kind: "skip", scene: before.scene, toScene: model.state, choiceId: null, choiceText: null,
        tags: [], metersAfter: Object.assign({}, model.meters), remembered: null, locked: [] };
      return this.commit(before, step);
    },

    commit: function (before, step) {
      this.undoStack.push(before);
      this.history.push(step);
      var middle = this.model.afterEffects !== null ? this.model.afterEffects : before.meters;
      this.model.afterEffects = null;
      return { step: step, remembered: step.remembered, changes: this.moved(before.meters, middle),
        arrival: this.moved(middle, this.model.meters), ended: this.isOver };
    },

    moved: function (a, b) {
      return this.story.meters.filter(function (m) { return !m.hidden && a[m.name] !== b[m.name]; })
        .map(function (m) { return { meter: m, before: a[m.name], after: b[m.name] }; });
    },

    undo: function (steps) {
      steps = steps === undefined ? 1 : steps;
      var done = 0;
      while (done < steps && this.undoStack.length) {
        restore(this.model, this.undoStack.pop());
        this.history.pop();
        this.steppedAway = false;
        done++;
      }
      return done;
    },

    restart: function () { this.undo(this.undoStack.length); },

    /* Each meter's value at the start and after every step. */
    meterHistory: function () {
      var rows = [this.initial.meters].concat(this.history.map(function (s) { return s.metersAfter; }));
      var out = {};
      this.story.meters.forEach(function (m) { out[m.name] = rows.map(function (r) { return r[m.name]; }); });
      return out;
    },

    /* Every locked choice the player was shown, in order, once each ("what you couldn't say"). */
    lockedMet: function () {
      var seen = {};
      var out = [];
      function add(lock) {
        var key = lock.scene + "\u0000" + lock.choiceId;
        if (!seen[key]) { seen[key] = true; out.push(lock); }
      }
      this.history.forEach(function (step) { step.locked.forEach(add); });
      var sceneId = this.sceneId;
      this.options().forEach(function (o) {
        if (!o.available) { add({ scene: sceneId, choiceId: o.id, text: o.text, reason: o.lockedReason || "" }); }
      });
      return out;
    },

    /* The moves so far in replayable form (as Step.record in Python). */
    record: function () {
      return this.history.map(function (s) { return s.kind === "skip" ? { skip: s.scene } : { choice: s.choiceId }; });
    },

    /* Replay recorded moves; stops at the first that no longer fits and says how many were kept. */
    replay: function (moves) {
      var kept = 0;
      for (var i = 0; i < moves.length; i++) {
        var move = moves[i];
        try {
          if (move && typeof move.skip === "string" && move.skip === this.sceneId) { this.skip(); }
          else if (move && typeof move.choice === "string") { this.choose(move.choice); }
          else { break; }
        } catch (e) {
          if (e.name === "GameError") { break; }
          throw e;
        }
        kept++;
      }
      return kept;
    },

    /* Every scene visited so far with its text as it read then (engine/journal.py). */
    journal: function () {
      var replica = new Game(this.story, {});
      var entries = [];
      this.history.forEach(function (step) {
        entries.push({ scene: replica.sceneId, paragraphs: replica.paragraphs(), thought: replica.thought, step: step });
        if (step.kind === "skip") { replica.skip(); } else { replica.choose(step.choiceId); }
      });
      if (!this.steppedAway) {
        entries.push({ scene: replica.sceneId, paragraphs: replica.paragraphs(), thought: replica.thought, step: null });
      }
      return entries;
    }
  };

  return { Story: Story, Game: Game, STEPPED_AWAY: STEPPED_AWAY, COMPILED: COMPILED,
    render: function (list, ctx) { return shown(items(list), ctx); }, fnv1a32: fnv1a32 };
}));
