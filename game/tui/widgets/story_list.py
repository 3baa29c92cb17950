"""The title screen's list of stories: an OptionList whose Enter reads "Begin" in the footer."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList


class StoryList(OptionList):
    BINDINGS = [Binding("enter", "select", "Begin")]
