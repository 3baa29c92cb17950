/* The web runtime's side of the conformance suite (tests/test_web_conformance.py).
 * Reads {"story": compiled story, "playthroughs": [[move, ...], ...], "journal": [bool, ...]}
 * (which traces end with the journal; all when left out) as JSON on stdin and writes
 * one trace per playthrough as JSON on stdout, in the shape tests/_webtrace.py builds in Python
 * (with "digest": true, only the SHA-1 of each trace's compact JSON, to keep the pipe small). */
"use strict";
const crypto = require("crypto");
const path = require("path");
const { Story, Game, render } = require(path.join(__dirname, "..", "game", "web", "runtime.js"));

function changes(list) { return list.map((c) => [c.meter.name, c.before, c.after]); }

function state(game) {
  const visits = Object.entries(game.visits).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const ending = game.ending;
  return {
    scene: game.sceneId,
    text: game.paragraphs(),
    thought: game.thought,
    options: game.options().map((o) => [o.number, o.id, o.text, o.available, o.lockedReason]),
    meters: game.meters,
    flags: game.flags,
    visits: visits,
    remembered: game.remembered,
    over: game.isOver,
    ending: ending === null ? null : [ending.title, ending.tone, ending.support],
    can_undo: game.canUndo,
  };
}

function play(story, moves, withJournal) {
  const game = new Game(story);
  const trace = [state(game)];
  for (const move of moves) {
    let outcome = null;
    try {
      if (move === "skip") { outcome = game.skip(); }
      else if (move === "undo") { trace.push({ undone: game.undo(1) }); continue; }
      else { outcome = game.choose(move); }
    } catch (e) {
      if (e.name !== "GameError") { throw e; }
      trace.push({ error: e.kind });
      continue;
    }
    const entry = state(game);
    if (outcome !== null) {
      entry.outcome = [outcome.remembered, changes(outcome.changes), changes(outcome.arrival), outcome.ended];
    }
    trace.push(entry);
  }
  const locked = game.lockedMet().map((l) => [l.scene, l.choiceId, l.text, l.reason]);
  const end = { record: game.record(), meter_history: game.meterHistory(), locked_met: locked };
  if (withJournal) {
    end.journal = game.journal().map((e) => [e.scene, e.paragraphs, e.thought, e.step === null ? null : e.step.kind]);
  }
  trace.push(end);
  return trace;
}

function renderScene(raw, st) {
  const state = { meters: st.meters, flags: new Set(st.flags), visits: st.visits };
  const ctx = { state: state, storyId: st.story, sceneId: raw.id };
  const list = (items) => (items === null ? null : render(items, ctx));
  return {
    text: list(raw.text),
    thought: list(raw.thought),
    choices: raw.choices.map((c) => [list(c[1]), list(c[4]), list(c[7])]),
    ending: raw.ending === null ? null : list(raw.ending[0]),
  };
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const job = JSON.parse(input);
  const story = new Story(job.story);
  if (job.states) {  // the text renderer alone: every text of a scene, read in the given state
    const scenes = {};
    job.story.scenes.forEach((s) => { scenes[s.id] = s; });
    process.stdout.write(JSON.stringify(job.states.map((st) => renderScene(scenes[st.scene], st))));
    return;
  }
  const traces = job.playthroughs.map((moves, n) => play(story, moves, !job.journal || job.journal[n]));
  if (job.digest) {  // SHA-1 of each trace's compact JSON, as Python's json.dumps writes it
    process.stdout.write(JSON.stringify(traces.map((t) => crypto.createHash("sha1").update(JSON.stringify(t), "utf8").digest("hex"))));
    return;
  }
  process.stdout.write(JSON.stringify(traces));
});
