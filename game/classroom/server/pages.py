"""The facilitator's pages: the live view with its controls, and the debrief slides.

Built on the server, every piece of story or student text escaped; the small scripts that poll
and page through slides carry a per-response nonce (the Content-Security-Policy refuses any other
script) and only ever set `textContent`. Nothing is fetched from outside.
"""

from __future__ import annotations

import json
from html import escape

from game.classroom.report import Decision, StoryReport
from game.classroom.server.qr import qr_svg
from game.classroom.server.state import MAX_MESSAGE, ClassState
from game.classroom.suppress import Count, counts
from game.story.model import Story

TWO_MINUTES = "Two minutes left. Find a place to pause."
STAGE_LABELS = (("notes", "On the first screen"), ("playing", "Playing"), ("sat_out", "Sat it out"),
                ("ended", "Finished"))


def csp(nonce: str | None) -> str:
    script = f"'nonce-{nonce}'" if nonce else "'none'"
    return (f"default-src 'none'; script-src {script}; style-src 'unsafe-inline'; img-src data:; "
            "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def live_view(state: ClassState, story: StoryReport | None, threshold: int) -> dict:
    """What the live view shows, as JSON: every split protected as the report's are."""
    raw = state.counts()
    stages, safe = counts([raw[key] for key, _ in STAGE_LABELS], threshold, of=None)
    places, _ = counts([n for _, n in raw["places"]], threshold, of=None)
    endings = [] if story is None or story.suppressed else [
        (b.label, b.count.text()) for b in story.endings if b.count.value]
    joined = raw["joined"]
    return {
        "joined": str(joined) if safe else f"fewer than {threshold}",  # else it gives a hidden count back
        "stages": [[label, count.text()] for (_, label), count in zip(STAGE_LABELS, stages)],
        "places": [[name, count.text()] for (name, _), count in zip(raw["places"], places)],
        "endings": endings,
        "message": state.message,
        "closed": state.closed,
        "threshold": threshold,
    }


def _page(title: str, body: str, *, nonce: str | None, css: str, script: str = "", projector: bool = False) -> str:
    js = f'<script nonce="{nonce}">{script}</script>' if script and nonce else ""
    return ("<!DOCTYPE html>\n"
            '<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="referrer" content="no-referrer">'
            f"<title>{escape(title)}</title><style>{BASE_CSS}{css}</style></head>"
            f'<body class="{"projector" if projector else ""}">{body}{js}</body></html>\n')


BASE_CSS = """
:root { --ink: #111; --soft: #4a4a4a; --line: #c8c8c8; --bar: #1f5f8b; --bar2: #a5520f; --bg: #fff;
        --panel: #f4f6f8; --danger: #9b1c1c; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
       font: 18px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
button { font: inherit; padding: .5rem 1rem; border: 2px solid var(--ink); background: #fff; color: var(--ink);
         border-radius: .4rem; cursor: pointer; }
button:focus-visible, a:focus-visible, input:focus-visible { outline: 3px solid #0a58ca; outline-offset: 2px; }
a { color: #0b4f8a; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
"""

FACILITATOR_CSS = """
main { max-width: 70rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; display: grid; gap: 1.25rem;
       grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); }
header { grid-column: 1 / -1; }
h1 { font-size: 1.8rem; margin: 0; } h2 { font-size: 1.3rem; margin: 0 0 .5rem; }
h3 { font-size: 1.05rem; margin: 1rem 0 .25rem; }
section { background: var(--panel); border-radius: .6rem; padding: 1rem 1.25rem; }
.meta { color: var(--soft); margin: .25rem 0 0; }
.warn { background: #fff3cd; border-left: 5px solid #a5520f; padding: .5rem .75rem; grid-column: 1 / -1; margin: 0; }
.link { font-size: 1.35rem; font-weight: 700; word-break: break-all; margin: .25rem 0 .75rem; }
svg.qr { width: 100%; max-width: 15rem; aspect-ratio: 1; height: auto; display: block; background: #fff; }
dl.stages { display: grid; grid-template-columns: repeat(2, 1fr); gap: .5rem 1rem; margin: 0; }
dl.stages dt { color: var(--soft); font-size: .9rem; } dl.stages dd { margin: 0; font-size: 1.6rem; font-weight: 700; }
table { width: 100%; border-collapse: collapse; }
td { padding: .25rem .5rem .25rem 0; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num { white-space: nowrap; text-align: right; width: 8rem; }
.controls { display: flex; flex-wrap: wrap; gap: .5rem; margin: .5rem 0; }
form.say { display: flex; gap: .5rem; margin: .5rem 0; }
form.say input { flex: 1; min-width: 0; font: inherit; padding: .45rem .6rem; border: 2px solid var(--soft); border-radius: .4rem; }
button.danger { border-color: var(--danger); color: var(--danger); }
button.primary { background: var(--ink); color: #fff; }
.status { min-height: 1.5em; color: var(--soft); }
.ended { font-weight: 700; color: var(--danger); }
#join-screen { position: fixed; inset: 0; background: #fff; display: none; align-items: center;
               justify-content: center; flex-direction: column; gap: 2vh; padding: 2vh; z-index: 10; }
#join-screen.open { display: flex; }
svg.qr path { shape-rendering: crispEdges; }
#join-screen svg.qr { max-width: none; width: min(70vh, 80vw); height: min(70vh, 80vw); }
#join-screen p { font-size: clamp(24px, 4vw, 64px); font-weight: 800; margin: 0; text-align: center; word-break: break-all; }
body.projector { font-size: 24px; }
"""

FACILITATOR_JS = r"""
const token = new URLSearchParams(location.search).get("token");
const api = (path) => `${path}?token=${encodeURIComponent(token)}`;
const $ = (id) => document.getElementById(id);
function rows(table, items, empty) {
  const body = $(table); body.replaceChildren();
  if (!items.length) { const tr = body.insertRow(); const td = tr.insertCell(); td.colSpan = 2; td.textContent = empty; return; }
  for (const [label, count] of items) {
    const tr = body.insertRow(); tr.insertCell().textContent = label;
    const n = tr.insertCell(); n.className = "num"; n.textContent = count;
  }
}
function show(view) {
  $("joined").textContent = view.joined;
  const stages = $("stages"); stages.replaceChildren();
  for (const [label, count] of view.stages) {
    const div = document.createElement("div"); const dt = document.createElement("dt"); const dd = document.createElement("dd");
    dt.textContent = label; dd.textContent = count; div.append(dt, dd); stages.append(div);
  }
  rows("places", view.places, "Nobody is playing yet.");
  rows("endings", view.endings, `Shown once ${view.threshold} or more have played.`);
  $("current").textContent = view.message ? `Showing to students: “${view.message}”` : "No message sent.";
  $("closed").textContent = view.closed ? "The session has ended: pages are sending their summaries." : "";
  $("end").disabled = view.closed;
}
async function refresh() {
  try {
    const answer = await fetch(api("/api/class"), {cache: "no-store"});
    if (answer.ok) { show(await answer.json()); $("offline").textContent = ""; }
    else { $("offline").textContent = "The server refused this page's token."; }
  } catch (error) { $("offline").textContent = "The server is not answering."; }
}
async function send(body, done) {
  const answer = await fetch(api("/api/message"), {method: "POST", headers: {"Content-Type": "application/json"},
                                                  body: JSON.stringify(body)});
  $("sent").textContent = answer.ok ? done : "That did not reach the server; try again.";
  refresh();
}
$("two-minutes").addEventListener("click", () => send({text: $("two-minutes").dataset.text}, "Sent: two minutes left."));
$("say").addEventListener("submit", (event) => {
  event.preventDefault(); const text = $("say-text").value.trim();
  if (text) { send({text}, "Message sent."); $("say-text").value = ""; }
});
$("end").addEventListener("click", () => {
  if (confirm("End the session for everyone? Each page sends its summary and shows its ending reflection.")) {
    send({end: true}, "The session has ended.");
  }
});
const screen = $("join-screen");
$("show-join").addEventListener("click", () => { screen.classList.add("open"); $("close-join").focus(); });
$("close-join").addEventListener("click", () => { screen.classList.remove("open"); $("show-join").focus(); });
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && screen.classList.contains("open")) { screen.classList.remove("open"); $("show-join").focus(); }
});
show(JSON.parse($("initial").textContent));
setInterval(refresh, 3000);
"""


def _json_script(element_id: str, data) -> str:
    """Data for a script, as JSON that cannot close its element."""
    text = json.dumps(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{element_id}">{text}</script>'


def facilitator_page(story: Story, view: dict, *, join: str, token: str, nonce: str, projector: bool = False,
                     loopback: bool = True) -> str:
    debrief = f"/teacher/debrief?token={escape(token)}"
    warn = "" if loopback else (
        '<p class="warn">Anyone on this network who has the join link can open the story. This page, the '
        "summaries and the controls need the token in this page's address: keep it to yourself.</p>")
    qr = qr_svg(join) if not join.startswith("http://<") else ""
    body = f"""
<main>
<header><h1>{escape(story.title)}</h1>
<p class="meta">Your page for this session. Don't put it on the projector: use “Show the join screen” and the
debrief for that.</p></header>
{warn}
<section aria-labelledby="join-h"><h2 id="join-h">Join</h2>
<p>Students open:</p><p class="link">{escape(join)}</p>{qr}
<div class="controls"><button id="show-join" type="button">Show the join screen</button></div></section>
<section aria-labelledby="live-h"><h2 id="live-h">Right now</h2>
<p>Joined: <span id="joined">none</span>. <span id="closed" class="ended"></span> <span id="offline" class="ended"></span></p>
<dl class="stages" id="stages"></dl>
<h3>Where the players are</h3><table><tbody id="places"></tbody></table>
<h3>Endings so far</h3><table><tbody id="endings"></tbody></table>
<p class="meta">Counts of 1 to {view['threshold'] - 1} show as “fewer than {view['threshold']}”.</p></section>
<section aria-labelledby="tell-h"><h2 id="tell-h">Tell everyone</h2>
<div class="controls"><button id="two-minutes" type="button" class="primary" data-text="{escape(TWO_MINUTES)}">Two minutes left</button></div>
<form class="say" id="say"><label class="visually-hidden" for="say-text">A message for every student</label>
<input id="say-text" maxlength="{MAX_MESSAGE}" autocomplete="off" placeholder="A message for every student">
<button type="submit">Send</button></form>
<p class="status" id="current"></p><p class="status" id="sent" aria-live="polite"></p>
<div class="controls"><button id="end" type="button" class="danger">End the session</button></div></section>
<section aria-labelledby="debrief-h"><h2 id="debrief-h">Debrief</h2>
<p>One turning point a slide, with what the class chose and a question to ask beside it.</p>
<p><a href="{debrief}">Open the debrief</a> (on the projector, full screen).</p></section>
</main>
<div id="join-screen" role="dialog" aria-modal="true" aria-label="Join screen">{qr}<p>{escape(join)}</p>
<button id="close-join" type="button">Close (Esc)</button></div>
{_json_script("initial", view)}"""
    return _page(f"{story.title}: facilitator", body, nonce=nonce, css=FACILITATOR_CSS, script=FACILITATOR_JS,
                 projector=projector)


def refused_page() -> str:
    body = ("<main><h1>This page is for the facilitator</h1><p>Open the address the server printed in the "
            "terminal, with its token.</p></main>")
    return _page("Facilitator only", body, nonce=None, css="main { max-width: 40rem; margin: 3rem auto; }")


# --- the debrief -----------------------------------------------------------------------------------

DEBRIEF_CSS = """
body { background: #fff; font-size: clamp(20px, 2.1vw, 44px); line-height: 1.3; }
.slide { min-height: 100vh; padding: 4vh 5vw 10vh; display: grid; gap: 2vh 4vw; align-content: start;
         grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); border-bottom: 4px solid #000; }
.slide > header { grid-column: 1 / -1; }
.slide.wide { grid-template-columns: 1fr; }
.js .slide { display: none; border-bottom: none; } .js .slide.current { display: grid; }
h1, h2 { margin: 0; line-height: 1.15; } h1 { font-size: 2.2em; } h2 { font-size: 1.6em; }
h1[tabindex="-1"]:focus, h2[tabindex="-1"]:focus { outline: none; }
.kicker { font-size: .75em; font-weight: 700; text-transform: uppercase; letter-spacing: .06em; color: #333; margin: 0 0 .5vh; }
.excerpt { font-style: italic; color: #222; margin: .5vh 0 0; }
.reached { color: #222; font-size: .8em; margin: 0 0 1vh; }
.chart { list-style: none; margin: 0; padding: 0; display: grid; gap: 2.2vh; }
.chart .label { font-weight: 600; }
.chart .tags { font-weight: 400; color: #333; font-size: .75em; }
.chart .row { display: grid; grid-template-columns: minmax(0, 1fr) 6.5em; gap: 1vw; align-items: center; }
.chart .track { height: 1.3em; background: #e2e2e2; border: 2px solid #000; }
.chart .fill { height: 100%; background: #003d73; }
.chart .count { font-weight: 800; white-space: nowrap; }
.chart .couldnt { font-size: .75em; color: #6b2d00; font-weight: 700; margin-top: .3vh; }
aside.question { background: #fff3b0; border: 4px solid #000; padding: 3vh 2vw; align-self: start; }
aside.question p { margin: 0; font-size: 1.15em; font-weight: 700; }
aside.question .kicker { margin-bottom: 1vh; }
ol.questions { margin: 0; padding-left: 1.4em; display: grid; gap: 2vh; font-weight: 600; }
.note { color: #222; }
nav.pager { position: fixed; bottom: 0; left: 0; right: 0; display: none; justify-content: space-between;
            align-items: center; gap: 1rem; padding: .6rem 1.2rem; background: rgba(255,255,255,.95);
            border-top: 2px solid #000; font-size: 18px; }
.js nav.pager { display: flex; }
@media print { .js .slide { display: grid; } nav.pager { display: none !important; } .slide { break-after: page; } }
"""

DEBRIEF_JS = r"""
document.documentElement.classList.add("js");
const slides = [...document.querySelectorAll(".slide")];
let at = Math.max(0, Math.min(slides.length - 1, parseInt(location.hash.slice(7), 10) - 1 || 0));
const where = document.getElementById("where");
function go(n) {
  at = Math.max(0, Math.min(slides.length - 1, n));
  slides.forEach((slide, i) => slide.classList.toggle("current", i === at));
  where.textContent = `${at + 1} of ${slides.length}`;
  history.replaceState(null, "", `#slide-${at + 1}`);
  slides[at].querySelector("h1, h2").focus({preventScroll: true});
  window.scrollTo(0, 0);
}
document.getElementById("prev").addEventListener("click", () => go(at - 1));
document.getElementById("next").addEventListener("click", () => go(at + 1));
document.addEventListener("keydown", (event) => {
  if (event.target.closest && event.target.closest("button") && (event.key === " " || event.key === "Enter")) return;
  const keys = {ArrowRight: 1, PageDown: 1, " ": 1, ArrowDown: 1, ArrowLeft: -1, PageUp: -1, ArrowUp: -1};
  if (event.key in keys) { event.preventDefault(); go(at + keys[event.key]); }
  else if (event.key === "Home") { event.preventDefault(); go(0); }
  else if (event.key === "End") { event.preventDefault(); go(slides.length - 1); }
  else if (event.key === "f" && document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
});
go(at);
"""


def turning_points(story: StoryReport) -> list[Decision]:
    """The class's turning points: decisions shown in full where the class split (two choices
    taken) or met a locked choice. Every shown decision when none split."""
    shown = [d for d in story.decisions if not d.suppressed]
    split = [d for d in shown
             if sum(1 for row in d.choices if row.chose.value) >= 2 or any(row.couldnt.value for row in d.choices)]
    return split or shown


def question_for(index: int, slides: int, questions: tuple[str, ...]) -> str | None:
    """The story's debrief questions spread over the slides in order, each beside a run of them."""
    if not questions or slides <= 0:
        return None
    return questions[min(len(questions) - 1, index * len(questions) // slides)]


def _bar(count: Count) -> str:
    percent = count.percent
    if percent is None or not count.value:
        return '<div class="track" aria-hidden="true"></div>'
    return (f'<div class="track" aria-hidden="true"><div class="fill" style="width:{max(percent, 1):.1f}%">'
            "</div></div>")


def _chart(items: list[tuple[str, str, Count, str]]) -> str:
    out = ['<ul class="chart">']
    for label, detail, count, extra in items:
        tags = f' <span class="tags">{escape(detail)}</span>' if detail else ""
        out.append(f'<li><div class="label">{escape(label)}{tags}</div><div class="row">{_bar(count)}'
                   f'<span class="count">{escape(count.text())}</span></div>{extra}</li>')
    out.append("</ul>")
    return "".join(out)


def _aside(question: str | None) -> str:
    if not question:
        return ""
    return f'<aside class="question"><p class="kicker">Ask the class</p><p>{escape(question)}</p></aside>'


def _slide(number: int, heading: str, inner: str, *, kicker: str = "", aside: str = "", wide: bool = False,
           sub: str = "") -> str:
    kick = f'<p class="kicker">{escape(kicker)}</p>' if kicker else ""
    css = "slide wide" if wide or not aside else "slide"
    tag = "h1" if number == 1 else "h2"
    return (f'<section class="{css}" id="slide-{number}" aria-labelledby="slide-{number}-h">'
            f'<header>{kick}<{tag} id="slide-{number}-h" tabindex="-1">{heading}</{tag}>{sub}</header>'
            f"<div>{inner}</div>{aside}</section>")


def debrief_slides(story: Story, report: StoryReport | None) -> list[str]:
    questions = tuple(" ".join(q.split()) for q in story.debrief)
    slides: list[str] = []
    title = escape(story.title)
    if report is None or report.suppressed:
        why = ("No summaries have arrived yet. They come in as students finish or sit out."
               if report is None else
               f"Fewer than {report.threshold} students played, so the class's choices are not shown: no one "
               "can be singled out. Talk about the story instead.")
        slides.append(_slide(1, title, f'<p class="note">{escape(why)}</p>', kicker="Debrief", wide=True))
    else:
        endings = [(b.label, b.detail, b.count, "") for b in report.endings]
        played = f"{report.played} students played."
        slides.append(_slide(1, title, f'<p class="reached">{escape(played)} Where the class ended up:</p>'
                                       + _chart(endings), kicker="Debrief · endings", wide=True))
        points = turning_points(report)
        for index, decision in enumerate(points):
            items = []
            for row in decision.choices:
                extra = ""
                if row.couldnt.value:
                    extra = f'<div class="couldnt">Wanted but couldn’t: {escape(row.couldnt.text())}</div>'
                items.append((row.text, ", ".join(row.tags), row.chose, extra))
            for label, count in (("Skipped this scene", decision.skipped), ("Stopped here", decision.stopped)):
                if count.value:
                    items.append((label, "", count, ""))
            excerpt = f'<p class="excerpt">{escape(decision.excerpt)}</p>' if decision.shows_excerpt else ""
            inner = f'<p class="reached">{escape(decision.reached_text(report.played))}</p>{_chart(items)}'
            slides.append(_slide(len(slides) + 1, escape(decision.title), inner, sub=excerpt,
                                 kicker=f"Turning point {index + 1} of {len(points)}",
                                 aside=_aside(question_for(index, len(points), questions))))
    if questions:
        items = "".join(f"<li>{escape(q)}</li>" for q in questions)
        slides.append(_slide(len(slides) + 1, "Questions to close with", f'<ol class="questions">{items}</ol>',
                             kicker="Debrief", wide=True))
    return slides


def debrief_page(story: Story, report: StoryReport | None, *, token: str, nonce: str, threshold: int) -> str:
    slides = debrief_slides(story, report)
    back = f"/teacher?token={escape(token)}"
    body = (f'<main>{"".join(slides)}</main>'
            '<nav class="pager" aria-label="Slides"><button id="prev" type="button">← Back</button>'
            f'<span id="where" aria-live="polite"></span><a href="{back}">Facilitator page</a>'
            '<button id="next" type="button">Next →</button></nav>')
    return _page(f"{story.title}: debrief", body, nonce=nonce, css=DEBRIEF_CSS, script=DEBRIEF_JS)
