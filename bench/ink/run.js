// The inkjs side of bench/engine_vs_ink.py (run by it; not by hand).
//   node run.js play STORY.json PLAYS SEED     -> JSON totals, wall and CPU seconds of the timed (second) run
//   node run.js load STORY.json                -> JSON wall and CPU seconds: read the compiled JSON, new Story,
//                                                 first text (and the same with the require)
//   node run.js compile STORY.ink OUT.json     -> compile ink source with inkjs's own compiler
const fs = require("fs");
const path = require("path");
const dist = path.join(__dirname, "node_modules", "inkjs", "dist");
const now = () => Number(process.hrtime.bigint()) / 1e9;
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

function play(story, plays, seed) {
  // The seeded rule, the same as the Python side: MINSTD, then index = state % choices open.
  let state = seed, choices = 0, chars = 0, meters = 0;
  for (let p = 0; p < plays; p++) {
    story.ResetState();
    for (;;) {
      while (story.canContinue) chars += story.Continue().trim().length;
      const open = story.currentChoices;
      if (open.length === 0) break;
      for (const c of open) chars += c.text.length;
      state = (state * 48271) % 2147483647;
      story.ChooseChoiceIndex(state % open.length);
      choices++;
    }
    meters += story.variablesState["m0"] + story.variablesState["m1"] + story.variablesState["m2"];
  }
  return { choices, chars, meters };
}

const [mode, file, a, b] = process.argv.slice(2);
if (mode === "compile") {
  const { Compiler } = require(path.join(dist, "ink-full.js"));
  const compiler = new Compiler(fs.readFileSync(file, "utf8"));
  let story;
  try { story = compiler.Compile(); } catch (e) { console.error(compiler.errors.join("\n")); process.exit(1); }
  fs.writeFileSync(a, story.ToJson());
} else if (mode === "load") {
  const began = now(), beganCpu = cpu();
  const { Story } = require(path.join(dist, "ink.js"));
  const required = now(), requiredCpu = cpu();
  const story = new Story(fs.readFileSync(file, "utf8"));
  story.Continue();
  const done = now(), doneCpu = cpu();
  console.log(JSON.stringify({ seconds: done - required, with_require: done - began,
                               cpu: doneCpu - requiredCpu, cpu_with_require: doneCpu - beganCpu }));
} else if (mode === "play") {
  const { Story } = require(path.join(dist, "ink.js"));
  const story = new Story(fs.readFileSync(file, "utf8"));
  play(story, Number(a), Number(b));                      // warm-up: the JIT compiles the hot paths
  const began = now(), beganCpu = cpu();
  const totals = play(story, Number(a), Number(b));
  console.log(JSON.stringify({ ...totals, seconds: now() - began, cpu: cpu() - beganCpu }));
}
