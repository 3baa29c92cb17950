"""A small valid story as text, for tests to load or break on purpose."""

BASE = """\
format: 1
id: tiny
title: Tiny
summary: A tiny story for tests.
perspective: Sam, 34
content_notes: [testing]
minutes: 2
meters:
  trust: {start: 3, min: 0, max: 10, label: Trust}
  armor: {start: 6, min: 0, max: 10}
  stress: {start: 2, hidden: true}
flags: [told, hid]
start: dinner
scenes:
  dinner:
    on_enter: {stress: +1}
    text:
      - Maya sets down her fork.
      - if: visited(kitchen)
        text: She glances at the letters.
    thought: Tell her.
    skip_to: after
    choices:
      - text: Tell her.
        if: trust >= 4 and armor <= 6
        locked: The words stick.
        tags: [honest]
        effects: {trust: +2, armor: -2, set: [told]}
        remember: Maya will remember that.
        goto: seen
      - text: Go to the kitchen.
        goto: kitchen
      - text: Just tired.
        tags: [mask]
        effects: {armor: +1, set: [hid]}
        goto: after
      - text: A hidden option.
        if: told
        goto: seen
  kitchen:
    text: The letters, face down.
    choices:
      - text: Back to the table.
        effects: {trust: +1}
        goto: dinner
  after:
    text: The dishes.
    choices:
      - id: after-wash
        text: Wash up.
        effects: {stress: =0, clear: [hid]}
        goto: quiet
  seen:
    ending: {title: Seen, tone: hopeful}
    text: You sleep.
  quiet:
    ending: {title: Quiet, tone: lonely, support: true}
    text: The house is quiet.
debrief:
  - How did it feel?
"""


def replace(old: str, new: str, text: str = BASE) -> str:
    assert old in text, old
    return text.replace(old, new, 1)
