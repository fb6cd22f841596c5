"""Task counts: how many actions five authoring tasks take in the desktop app, driven through
WebDriver as an instructor would do them. Figures to print, never assertions on their size.

An action is a click (a double click to pick a word counts once), a choice from a drop-down
list (two: opening it and choosing), a drag, or a key press other than the typed text (Tab,
Enter, a shortcut). The text an instructor types is the same in any design and is not
counted. Each task checks at its end that it did what it set out to do (the saved payload, as
the command line reads it), so a count is never of a task left half done.

Run by scripts/bench-desktop (which provides the display, the app and the tools):
  CLASSKIT_E2E_CLI   the command line (classkit), to prepare the library and read it back
Prints `task_counts.<task>: <n> actions` lines, and the figures of the design before
(tests/e2e/task_counts_before.txt) with the change.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement

from desktop import EXAMPLES, Studio, check, field_id

CLI = os.environ["CLASSKIT_E2E_CLI"]
BEFORE = Path(__file__).with_name("task_counts_before.txt")


class Counted:
    """The app as an instructor uses it, with every action counted."""

    def __init__(self, studio: Studio) -> None:
        self.s = studio
        self.actions = 0

    def click(self, element: WebElement) -> None:
        self.actions += 1
        self.s.click(element)

    def type(self, element: WebElement, text: str) -> None:
        """Types into a field, clicking it first unless it has the focus already."""
        focused = self.s.d.execute_script("return document.activeElement === arguments[0]", element)
        if not focused:
            self.click(element)
        element.send_keys(text)

    def key(self, *keys: str) -> None:
        """One key press or chord, sent to whatever has the focus."""
        self.actions += 1
        ActionChains(self.s.d).send_keys(*keys).perform() if len(keys) == 1 else self._chord(keys)

    def _chord(self, keys: tuple[str, ...]) -> None:
        chain = ActionChains(self.s.d)
        for k in keys[:-1]:
            chain.key_down(k)
        chain.send_keys(keys[-1])
        for k in reversed(keys[:-1]):
            chain.key_up(k)
        chain.perform()

    def drag(self, surface: WebElement, start: tuple[float, float], end: tuple[float, float]) -> None:
        """A drag over an element, between two points given as fractions of its size: the
        pointer events a mouse drag sends (WebKitWebDriver's own pointer actions hang on a
        surface that captures the pointer)."""
        self.actions += 1
        self.s.d.execute_script(
            "const [el, x0, y0, x1, y1] = arguments; el.scrollIntoView({block: 'center'});"
            "const r = el.getBoundingClientRect();"
            "const at = (fx, fy) => [r.left + r.width * fx, r.top + r.height * fy];"
            "const [ax, ay] = at(x0, y0); const target = document.elementFromPoint(ax, ay);"
            "const send = (type, [x, y], buttons) => target.dispatchEvent(new PointerEvent(type,"
            " {bubbles: true, cancelable: true, composed: true, pointerId: 1, pointerType: 'mouse',"
            " isPrimary: true, button: 0, buttons, clientX: x, clientY: y}));"
            "send('pointerdown', [ax, ay], 1);"
            "for (let i = 1; i <= 5; i++) send('pointermove', at(x0 + (x1 - x0) * i / 5, y0 + (y1 - y0) * i / 5), 1);"
            "send('pointerup', at(x1, y1), 0);",
            surface, start[0], start[1], end[0], end[1],
        )


# --- the library the tasks start from -------------------------------------------------------


def cli(library: Path, *args: str, stdin: str | None = None) -> object:
    out = subprocess.run(
        [CLI, "--library", str(library), "--json", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise AssertionError(f"classkit {' '.join(args)} failed: {out.stderr.strip()}")
    return json.loads(out.stdout) if out.stdout.strip() else None


def objects(value: object):
    """Every JSON object in a document, depth first."""
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from objects(v)
    elif isinstance(value, list):
        for v in value:
            yield from objects(v)


def slides_of(library: Path, course: str) -> list[dict]:
    return [o for o in objects(cli(library, "show", course)) if "lesson_id" in o and "body" in o]


def components_of(library: Path, course: str, slide_id: str, type_name: str) -> list[dict]:
    return [
        o
        for o in objects(cli(library, "show", course))
        if o.get("slide_id") == slide_id and o.get("component_type") == type_name
    ]


CLOZE_TEXT = (
    "Before an important call, write down your target price, your walk-away point and your "
    "best alternative. Open with a friendly question and listen before you make an offer."
)

# A HOTSPOT as a language model drafts one: labels and feedback from the lecture, but no
# picture, no description of it, a region without an outline and one without a label.
HOTSPOT_DRAFT = {
    "mode": "explore",
    "prompt": "Open each step of the call to read more about it.",
    "regions": [
        {"id": "r1", "label": "Prepare your figures", "feedback": "Know your target and walk-away point."},
        {
            "id": "r2",
            "label": "",
            "feedback": "Listen before you make an offer.",
            "shape": {"kind": "rectangle", "x": 0.1, "y": 0.55, "width": 0.5, "height": 0.12},
        },
    ],
}


def prepare(library: Path) -> tuple[str, list[dict]]:
    cli(library, "import", str(EXAMPLES / "negotiating-by-phone.md"))
    course = cli(library, "courses")[0]["id"]
    cli(library, "assemble", course, "--only", "slides")
    slides = slides_of(library, course)
    cli(
        library, "component", "add", "--slide", slides[2]["id"], "--type", "CLOZE", "--payload", "-",
        stdin=json.dumps({"title": "Preparing the call", "text": CLOZE_TEXT}),
    )
    cli(
        library, "component", "add", "--slide", slides[3]["id"], "--type", "HOTSPOT", "--payload", "-",
        stdin=json.dumps(HOTSPOT_DRAFT),
    )
    return course, slides


# --- the tasks, in the design as it is ---------------------------------------------------------


def add_component(c: Counted, type_name: str) -> WebElement:
    """From the gallery: "Add a learning activity", then the type."""
    before = len(c.s.editors())
    c.click(c.s.button("Add a learning activity"))
    c.click(c.s.css(f"[role=dialog] button.tile[data-type={type_name}]"))
    c.s.wait(f"a new {type_name} editor", lambda: len(c.s.editors()) == before + 1)
    return c.s.editors()[-1]


def editor_of(c: Counted, heading: str) -> WebElement:
    """The editor of the open slide's component whose heading is `heading` ("Quiz")."""

    def find():
        for e in c.s.editors():
            if e.find_element(By.CSS_SELECTOR, "h3").text == heading:
                return e
        return None

    return c.s.wait(f"the {heading} editor", find)


def saved(c: Counted, editor: WebElement) -> None:
    c.s.wait(
        "the edits to be saved",
        lambda: "All changes saved" in editor.find_element(By.CSS_SELECTOR, ".save-state").text,
        20,
    )


def focused(c: Counted, pointer: str, root: WebElement) -> WebElement:
    """The field of `pointer`, once the keyboard is on it (an action moved it there)."""
    el = c.s.css(f"#{field_id(pointer)}", root)
    c.s.wait(f"the keyboard on {pointer}", lambda: c.s.d.execute_script("return document.activeElement === arguments[0]", el))
    return el


QUIZ = [
    ("What do you write down before the call?", ["Your target price", "The weather", "A joke"]),
    ("Who speaks first in a good opening?", ["You, with a friendly question", "Nobody", "The lawyer"]),
    ("What comes before an offer?", ["Listening", "Hanging up", "A discount"]),
]


def quiz_from_scratch(c: Counted) -> None:
    # A new quiz starts with a question and two options, the keyboard on the question.
    quiz = add_component(c, "QUIZ")
    for q, (text, options) in enumerate(QUIZ):
        if q > 0:
            c.click(c.s.button("Add a question", root=quiz))
        c.type(focused(c, f"/questions/{q}/text", quiz), text)
        c.click(c.s.css(f"#{field_id(f'/questions/{q}/options/0/text')}", quiz))
        for o, option in enumerate(options):
            if o > 0:
                c.key(Keys.ENTER)
            c.type(focused(c, f"/questions/{q}/options/{o}/text", quiz), option)
        c.click(c.s.css(f"#{field_id(f'/questions/{q}/options/0/correct')}", quiz))
    saved(c, quiz)


def blank_three_words(c: Counted) -> None:
    # Edited in its text: a click on a word blanks it.
    cloze = editor_of(c, "Cloze")
    for word in ["target", "friendly", "offer"]:
        c.click(c.s.button(f"Blank “{word}”", root=cloze))
        c.s.button(f"Blank: {word}. Edit it", root=cloze)
    saved(c, cloze)


CARDS = [
    ("BATNA", "Your best alternative to a negotiated agreement"),
    ("Walk-away point", "The worst deal you would still accept"),
    ("Anchor", "The first figure named, which the talk turns around"),
    ("Concession", "Something you give up to reach agreement"),
]


def four_flashcards(c: Counted) -> None:
    # A new set starts with a card, the keyboard on its term; Tab to the definition,
    # Ctrl+Enter for the next card (Enter starts a new line of the definition).
    cards = add_component(c, "FLASHCARDS")
    for n, (term, definition) in enumerate(CARDS):
        if n > 0:
            c.key(Keys.CONTROL, Keys.ENTER)
        c.type(focused(c, f"/cards/{n}/term", cards), term)
        c.key(Keys.TAB)
        c.type(focused(c, f"/cards/{n}/definition", cards), definition)
    saved(c, cards)


def fix_hotspot(c: Counted) -> None:
    hotspot = editor_of(c, "Hotspot")
    # The slide's picture, described by the slide's text until the author writes better.
    c.click(c.s.button("Use the slide's picture", root=hotspot))
    c.s.wait("the picture under the regions", lambda: hotspot.find_elements(By.CSS_SELECTOR, ".region-editor img"), 20)
    # The region without an outline is waiting for it: one drag on the picture.
    c.drag(c.s.css(".region-editor .stage svg", hotspot), (0.1, 0.3), (0.6, 0.42))
    c.type(c.s.css(f"#{field_id('/regions/1/label')}", hotspot), "Listen first")
    saved(c, hotspot)


def undo_three(c: Counted) -> None:
    """Undoes the last three edits: the second slide's title, its QUIZ's first question and
    the third slide's FLASHCARDS' first term (made by the set-up, not counted)."""
    for n in range(3):
        before = c.s.css(".undo-message").text
        c.key(Keys.CONTROL, "z")
        c.s.wait(
            f"undo {n + 1} to be done",
            lambda: (now := c.s.css(".undo-message").text) != before and now.startswith("Undone:"),
            20,
        )


# --- checks that each task was done --------------------------------------------------------


def payload(library: Path, course: str, slide: dict, type_name: str) -> dict:
    found = components_of(library, course, slide["id"], type_name)
    check(len(found) == 1, f"one {type_name} on the slide {slide['title']!r}: {len(found)}")
    return found[0]["payload"]


def issues(library: Path, component_id: str) -> list:
    shown = cli(library, "component", "show", component_id)
    return [o for o in objects(shown) if "pointer" in o and "code" in o]


def check_quiz(library: Path, course: str, slide: dict) -> None:
    p = payload(library, course, slide, "QUIZ")
    got = [(q["text"], [o["text"] for o in q["options"]], [o["correct"] for o in q["options"]]) for q in p["questions"]]
    want = [(text, options, [True, False, False]) for text, options in QUIZ]
    check(got == want, f"the quiz as made: {got}")


def check_cloze(library: Path, course: str, slide: dict) -> None:
    p = payload(library, course, slide, "CLOZE")
    text = CLOZE_TEXT
    for n, word in enumerate(["target", "friendly", "offer"], start=1):
        text = text.replace(word, f"[[b{n}]]", 1)
    got = (p["text"], [(b["id"], b["answers"]) for b in p["blanks"]])
    check(got == (text, [("b1", ["target"]), ("b2", ["friendly"]), ("b3", ["offer"])]), f"the cloze: {got}")


def check_cards(library: Path, course: str, slide: dict) -> None:
    p = payload(library, course, slide, "FLASHCARDS")
    got = [(card["term"], card["definition"]) for card in p["cards"]]
    check(got == CARDS, f"the flashcards: {got}")


def check_hotspot(library: Path, course: str, slide: dict) -> None:
    component = components_of(library, course, slide["id"], "HOTSPOT")[0]
    left = issues(library, component["id"])
    check(left == [], f"the HOTSPOT has no problem left: {left}")


# --- the run -----------------------------------------------------------------------------------


def before() -> dict[str, int]:
    figures: dict[str, int] = {}
    if BEFORE.exists():
        for line in BEFORE.read_text().splitlines():
            if line.startswith("task_counts.") and ":" in line:
                name, value = line.split(":", 1)
                figures[name] = int(value.split()[0])
    return figures


def main() -> int:
    library = Path(tempfile.mkdtemp(prefix="classkit-tasks-")) / "library"
    course, slides = prepare(library)
    os.environ["CLASSKIT_LIBRARY"] = str(library)
    counts: dict[str, int] = {}
    studio = Studio()
    try:
        studio.open_course(cli(library, "courses")[0]["title"])

        def task(name: str, run, done) -> None:
            print(f"task counts: {name}…", file=sys.stderr, flush=True)
            c = Counted(studio)
            run(c)
            done()
            counts[name] = c.actions
            studio.shot(f"task-{name}")

        studio.select_slide(slides[1]["title"])
        task("quiz_3_questions", quiz_from_scratch, lambda: check_quiz(library, course, slides[1]))
        studio.select_slide(slides[2]["title"])
        task("cloze_blank_3_words", blank_three_words, lambda: check_cloze(library, course, slides[2]))
        task("flashcards_add_4", four_flashcards, lambda: check_cards(library, course, slides[2]))
        studio.select_slide(slides[3]["title"])
        task("hotspot_fix_drafted", fix_hotspot, lambda: check_hotspot(library, course, slides[3]))

        # Three edits to undo (not counted): the flashcards' first term on the third slide,
        # then the quiz's first question and the title of the second slide.
        studio.select_slide(slides[2]["title"])
        cards = editor_of(Counted(studio), "Flashcards")
        studio.type_into(studio.css(f"#{field_id('/cards/0/term')}", cards), " (edited)")
        saved(Counted(studio), cards)
        studio.select_slide(slides[1]["title"])
        quiz = editor_of(Counted(studio), "Quiz")
        studio.type_into(studio.css(f"#{field_id('/questions/0/text')}", quiz), " (edited)")
        saved(Counted(studio), quiz)
        title = studio.css(".slide-editor input[type=text]")
        studio.type_into(title, Keys.END + " (edited)")
        studio.wait("the title to be saved", lambda: slides_of(library, course)[1]["title"].endswith("(edited)"))
        studio.select_slide(slides[2]["title"])
        task("undo_last_3_edits", undo_three, lambda: check_undone(library, course, slides))
    finally:
        studio.quit()
    was = before()
    for name, n in counts.items():
        print(f"task_counts.{name}: {n} actions")
        if f"task_counts.{name}" in was and was[f"task_counts.{name}"] != n:
            old = was[f"task_counts.{name}"]
            print(f"task_counts.{name}.before: {old} actions")
            print(f"task_counts.{name}.change: {100 * (n - old) / old:+.0f} %")
    return 0


def check_undone(library: Path, course: str, slides: list[dict]) -> None:
    now = slides_of(library, course)
    check(now[1]["title"] == slides[1]["title"], f"the slide's title is back: {now[1]['title']!r}")
    quiz = payload(library, course, slides[1], "QUIZ")
    check(quiz["questions"][0]["text"] == QUIZ[0][0], f"the question is back: {quiz['questions'][0]['text']!r}")
    cards = payload(library, course, slides[2], "FLASHCARDS")
    check(cards["cards"][0]["term"] == CARDS[0][0], f"the term is back: {cards['cards'][0]['term']!r}")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AssertionError as e:
        print(f"task counts: FAILED: {e}", file=sys.stderr)
        sys.exit(1)
