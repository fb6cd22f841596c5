"""Screenshots of every main screen and every component editor, in English and Korean, light
and dark: the pictures a design review looks at. Run by scripts/e2e after the end-to-end test
(the folder is printed at the end).

The library is prepared with the command line (CLASSKIT_E2E_CLI): the phone-negotiation
example, its slides rendered, and one component of each of the eleven types on its fifth slide,
some with problems to fix. Each screen, dialog included, is checked with axe-core
(CLASSKIT_E2E_AXE) for WCAG 2.1 A and AA violations: any fails the run.
"""

import json
import os
import sys
import tempfile
import time
from pathlib import Path

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from desktop import SHOTS, TYPES, Studio, axe_check, axe_found, check, grab
from task_counts import cli, prepare

# What each type holds when the screenshots are taken: enough to show the editor's layout.
SAMPLES: dict[str, dict] = {
    "QUIZ": {
        "questions": [
            {
                "id": "q1",
                "kind": "single_choice",
                "text": "What do you write down before the call?",
                "options": [
                    {"id": "o1", "text": "Your target price", "correct": True},
                    {"id": "o2", "text": "The weather"},
                ],
            }
        ]
    },
    "FLASHCARDS": {
        "cards": [
            {"id": "c1", "term": "BATNA", "definition": "Your best alternative to a negotiated agreement"},
            {"id": "c2", "term": "Anchor", "definition": "The first figure named"},
        ]
    },
    "CLOZE": {
        "text": "Write down your [[b1]] price before the call.",
        "blanks": [{"id": "b1", "answers": ["target"]}],
    },
}


def themed(studio: Studio, locale: str, theme: str) -> None:
    """Sets the UI's language and theme as the instructor does, in the header."""
    selects = studio.d.find_elements(By.CSS_SELECTOR, "header select")
    Select(selects[0]).select_by_value(locale)
    Select(selects[1]).select_by_value(theme)
    studio.wait(f"the {locale} UI", lambda: studio.d.find_element(By.TAG_NAME, "html").get_attribute("lang") == locale)


def shot(studio: Studio, folder: Path, name: str) -> None:
    time.sleep(0.4)
    folder.mkdir(parents=True, exist_ok=True)
    grab(folder / f"{name}.png")


def optional_button(studio: Studio, name: str):
    """A button of the designed screens, or None in a design without it (the run that keeps
    the screenshots of the design before)."""
    for b in studio.d.find_elements(By.CSS_SELECTOR, "button"):
        if b.is_displayed() and (b.text.strip() == name or (b.get_attribute("aria-label") or "") == name):
            return b
    return None


def close_dialog(studio: Studio) -> None:
    ActionChains(studio.d).send_keys(Keys.ESCAPE).perform()
    studio.wait("the dialog to close", lambda: not studio.d.find_elements(By.CSS_SELECTOR, "[role=dialog]"))


def main() -> int:
    library = Path(tempfile.mkdtemp(prefix="classkit-screens-")) / "library"
    course, slides = prepare(library)
    for type_name in TYPES:
        payload = SAMPLES.get(type_name, {})
        cli(
            library, "component", "add", "--slide", slides[4]["id"], "--type", type_name, "--payload", "-",
            stdin=json.dumps(payload),
        )
    os.environ["CLASSKIT_LIBRARY"] = str(library)
    title = cli(library, "courses")[0]["title"]
    studio = Studio()
    taken = 0
    checked = 0
    words = {"en": ("New course", "Add a learning activity", "Keyboard shortcuts", "Settings"),
             "ko": ("새 과정", "학습 활동 추가", "단축키", "설정")}
    try:
        studio.css("#library-heading")
        for locale in ("en", "ko"):
            for theme in ("light", "dark"):
                name = f"{locale}-{theme}"
                folder = SHOTS / "screens" / name
                new, add, keys, settings = words[locale]
                themed(studio, locale, theme)
                shot(studio, folder, "01-library")
                checked += axe_check(studio, f"{name} library") >= 0
                if (button := optional_button(studio, new)) is not None:
                    studio.click(button)
                    studio.css("[role=dialog]")
                    shot(studio, folder, "01b-new-course")
                    checked += axe_check(studio, f"{name} new course") >= 0
                    close_dialog(studio)
                if (button := optional_button(studio, settings)) is not None:
                    studio.click(button)
                    shot(studio, folder, "01c-settings")
                    checked += axe_check(studio, f"{name} settings") >= 0
                    studio.click(optional_button(studio, settings))
                studio.click(studio.css(".courses button.open"))
                studio.wait("the course", lambda: studio.d.find_element(By.ID, "course-heading").text == title)
                shot(studio, folder, "02-course")
                checked += axe_check(studio, f"{name} course") >= 0
                studio.select_slide(slides[4]["title"])
                editors = studio.wait("the eleven editors", lambda: len(studio.editors()) == 11 and studio.editors())
                for i, (type_name, editor) in enumerate(zip(TYPES, editors)):
                    studio.d.execute_script("arguments[0].scrollIntoView({block: 'start'})", editor)
                    shot(studio, folder, f"{i + 3:02d}-editor-{type_name.lower()}")
                checked += axe_check(studio, f"{name} eleven editors") >= 0
                taken += 13
                if (button := optional_button(studio, add)) is not None:
                    studio.click(button)
                    studio.css("[role=dialog]")
                    shot(studio, folder, "15-activity-gallery")
                    checked += axe_check(studio, f"{name} activity gallery") >= 0
                    close_dialog(studio)
                if (button := optional_button(studio, keys)) is not None:
                    studio.click(button)
                    studio.css("[role=dialog]")
                    shot(studio, folder, "16-shortcuts")
                    checked += axe_check(studio, f"{name} shortcuts") >= 0
                    close_dialog(studio)
                studio.select_slide(slides[3]["title"])
                shot(studio, folder, "14-hotspot-drafted")
                studio.click(studio.css(".bar button"))
                studio.css("#library-heading")
                taken += 1
        check(taken == 56, f"56 screenshots taken: {taken}")
    finally:
        studio.quit()
    print(f"screens: {taken}+ screenshots in {SHOTS / 'screens'}; axe checked {checked} screens, "
          f"{len(axe_found)} violation(s)")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AssertionError as e:
        print(f"screens: FAILED: {e}", file=sys.stderr)
        sys.exit(1)
