"""`relevo console`: the `/crm` language in a terminal (errbot's text backend, for us).

On a terminal it is interactive, with line editing and history; otherwise it reads one
command per line from stdin and prints each reply, so it can be scripted and piped.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from pathlib import Path
from typing import TextIO

from bot.bootstrap import App
from bot.render_text import numbers, render
from commands.reply import Action, Reply, Tone
from hub.i18n import _, reading_in
from hub.people import person_acting

PROMPT = "crm> "
PICK = re.compile(r"\d{1,3}")  # a bare number answers the question last asked
HISTORY = Path(os.environ.get("RELEVO_HISTORY") or Path.home() / ".relevo_history")
# Stored text came from anyone (a chat, an import, a web form): printed raw, an escape
# sequence in it would drive the terminal (retitle it, clear it, hide what follows).
# Controls are shown as their Unicode pictures instead (ESC as ␛); lines and tabs stay.
TERMINAL_SAFE = {
    **{code: 0x2400 + code for code in range(0x20) if chr(code) not in "\n\t"},
    0x7F: 0x2421,
    **{code: 0xFFFD for code in range(0x80, 0xA0)},
}


class Console:
    def __init__(self, *, app: App, person_name: str) -> None:
        self.app = app
        with app.database.unit_of_work() as session:
            person = person_acting(session, name=person_name, now=app.runner.clock.now())
            self.person_id, self.person_name = person.id, person.name
            # The console's own texts are in the person's language; each reply says it anew.
            self.locale = person.locale or app.settings.locale
        self.choices: tuple[Action, ...] = ()  # the last question's, picked by number

    def ask(self, line: str) -> str:
        """The rendered reply to one line, safe to print on a terminal. After a question,
        a bare number runs that choice's line (shown first)."""
        if PICK.fullmatch(line.strip()):
            return self._pick(int(line)).translate(TERMINAL_SAFE)
        return self._run(line).translate(TERMINAL_SAFE)

    def _run(self, line: str) -> str:
        reply = self.app.runner.run(line, person_id=self.person_id, source="console")
        self.choices = reply.choices
        self.locale = reply.locale
        return render(reply)

    def _pick(self, number: int) -> str:
        with reading_in(self.locale) as locale:
            if not self.choices:
                return render(
                    Reply(
                        title=_(
                            "There is no question waiting for an answer, so {number} picks "
                            "nothing.",
                            number=number,
                        ),
                        text=_("Type a command, or help to see them all."),
                        locale=locale,
                    )
                )
            if not 1 <= number <= len(self.choices):
                return render(
                    Reply(
                        title=_(
                            "There is no choice {number}: type {numbers}, or the line you meant.",
                            number=number,
                            numbers=numbers(len(self.choices)),
                        ),
                        choices=self.choices,
                        tone=Tone.WARNING,
                        locale=locale,
                    )
                )
            line = self.choices[number - 1].command
            if line.endswith(" "):  # a line that wants more words: the person finishes it
                return render(
                    Reply(
                        title=_("Finish the line and send it: {line}…", line=line.strip()),
                        locale=locale,
                    )
                )
        return f"→ {line}\n{self._run(line)}"

    def run(self, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> None:
        if stdin.isatty():
            self._interactive(stdout)
            return
        first = True
        for raw in stdin:
            line = raw.strip()
            if not line or line == "#" or line.startswith(("# ", "#\t", "#!")):
                continue  # a blank line or a script's comment; "#12 …" is answered
            if not first:
                stdout.write("\n")
            stdout.write(self.ask(line) + "\n")
            stdout.flush()
            first = False

    def _interactive(self, stdout: TextIO) -> None:
        import readline

        with contextlib.suppress(OSError):
            readline.read_history_file(HISTORY)
        with reading_in(self.locale):
            welcome = _(
                "Relevo — you are {name}. Type help, or Ctrl-D to leave.", name=self.person_name
            )
        stdout.write(welcome + "\n")
        try:
            while True:
                try:
                    line = input(PROMPT).strip()
                except KeyboardInterrupt:
                    stdout.write("\n")
                    continue
                if line in ("exit", "quit"):
                    break
                if line:
                    stdout.write(self.ask(line) + "\n\n")
        except EOFError:
            stdout.write("\n")
        finally:
            with contextlib.suppress(OSError):
                readline.write_history_file(HISTORY)
