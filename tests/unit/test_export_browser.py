"""Exported cards in a real browser: headless Chromium driven by Playwright.

The mini bank (plus a copy of its multiple-response question with ``shuffle = false``) and the
hostile bank are exported, imported with the real ``anki`` package, and every card's front and back
is rendered by Anki (``card.question()``/``card.answer()``, each with its note type's CSS). The
pages are served from one http origin, in a page laid out as Anki's reviewer lays it out
(``<body class="card card1"><div id="qa">``), and the answer is revealed the ways the apps do:

- desktop: the back replaces the front in the same page (``#qa``'s HTML is swapped and its scripts
  run again), so the window and sessionStorage carry over;
- AnkiDroid: the back is a new page in the same tab, so only sessionStorage carries over;
- with sessionStorage throwing, the desktop way must still work (the window keeps the choice).

One browser for the module; a screenshot per note type and mode goes to the test's temporary folder.
Skipped only when no Chromium can be found (.ci/run installs Debian's ``chromium``).
"""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from trainer.bank import load_bank
from trainer.bank.models import Bank
from trainer.export import export_bank

anki_collection = pytest.importorskip("anki.collection")
import_export_pb2 = pytest.importorskip("anki.import_export_pb2")
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "data"
T0 = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
ORIGIN = "http://anki.test"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
NIGHT = {"light": "", "night": "nightMode night_mode", "droid-night": "night_mode"}
FIXED_ID = "mini-q-multiple-fixed"
LONG_ID = "mini-q-single-long-words"


def find_chromium() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        "/usr/bin/chromium",
    ):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


@dataclass(frozen=True)
class Card:
    qid: str
    kind: str
    ord: int
    front: str
    back: str


def load(path: Path) -> Bank:
    bank, problems = load_bank(path)
    assert bank is not None, [p.format() for p in problems]
    return bank


def with_fixed_copy(bank: Bank) -> Bank:
    """The mini bank plus a copy of its multiple-response question that keeps its order, and a
    copy of its single-answer question with words too long for a phone's line."""
    q = bank.question("mini-q-multiple")
    single = bank.question("mini-q-single")
    word = "Pseudo" + "hypoparathyroidism" * 8
    long = replace(
        single,
        id=LONG_ID,
        stem=f"{single.stem} See https://example.org/{'a' * 120}",
        options=(replace(single.options[0], text=word, why=word), *single.options[1:]),
    )
    return replace(bank, questions=(*bank.questions, replace(q, id=FIXED_ID, shuffle=False), long))


def rendered_cards(bank: Bank, tmp: Path) -> dict[str, list[Card]]:
    """Export ``bank``, import it with the anki package, render every card's two sides."""
    out = tmp / "deck.apkg"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        export_bank(bank, out, now=T0)
    col = anki_collection.Collection(str(tmp / "collection.anki2"))
    try:
        cond = import_export_pb2.ImportAnkiPackageUpdateCondition
        options = anki_collection.ImportAnkiPackageOptions(
            merge_notetypes=False,
            update_notes=cond.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
            update_notetypes=cond.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
            with_scheduling=False,
            with_deck_configs=False,
        )
        col.import_anki_package(
            anki_collection.ImportAnkiPackageRequest(package_path=str(out), options=options)
        )
        cards: dict[str, list[Card]] = {}
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            qid = unescape(card.note()["QuestionId"])
            cards.setdefault(qid, []).append(
                Card(qid, bank.question(qid).type, card.ord, card.question(), card.answer())
            )
        for group in cards.values():
            group.sort(key=lambda c: c.ord)
        return cards
    finally:
        col.close()


def page_html(card_html: str, mode: str = "light") -> str:
    """A card side in a page laid out as Anki's reviewer lays it out."""
    return (
        '<!doctype html><html><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
        f'<body class="card card1 {NIGHT[mode]}"><div id="qa">{card_html}</div></body></html>'
    )


# -- the browser -----------------------------------------------------------------------------------


class Site:
    """The pages served from ORIGIN: set a path's HTML, then go there."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        self.count = 0

    def add(self, html: str) -> str:
        self.count += 1
        path = f"/card/{self.count}"
        self.pages[path] = html
        return ORIGIN + path

    def handle(self, route: Any) -> None:
        path = route.request.url.removeprefix(ORIGIN)
        body = self.pages.get(path)
        if body is None:
            route.fulfill(status=404, body="")
        else:
            route.fulfill(body=body, content_type="text/html; charset=utf-8")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    path = find_chromium()
    if path is None:
        pytest.skip("no Chromium found (install Debian's chromium, or set CHROMIUM=/path)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def cards(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Card]]:
    tmp = tmp_path_factory.mktemp("browser-mini")
    return rendered_cards(with_fixed_copy(load(DATA / "mini")), tmp)


@pytest.fixture(scope="module")
def hostile_cards(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Card]]:
    return rendered_cards(
        load(DATA / "export" / "hostile"), tmp_path_factory.mktemp("browser-hostile")
    )


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


NewContext = Callable[..., BrowserContext]


@pytest.fixture
def new_context(browser: Browser) -> Iterator[NewContext]:
    made: list[BrowserContext] = []

    def make(**kwargs: Any) -> BrowserContext:
        context = browser.new_context(viewport=kwargs.pop("viewport", PHONE), **kwargs)
        site = Site()
        context.route(f"{ORIGIN}/**", site.handle)
        context.site = site  # type: ignore[attr-defined]
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


class Review:
    """One page in a context, showing a card's sides the ways Anki's apps do."""

    def __init__(self, context: BrowserContext, mode: str = "light") -> None:
        self.context = context
        self.site: Site = context.site  # type: ignore[attr-defined]
        self.page: Page = context.new_page()
        self.mode = mode
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def front(self, card: Card) -> Page:
        """The front: in this page if it shows a card already (as Anki desktop goes from one card
        to the next), else in a new page."""
        if self.page.url.startswith(ORIGIN):
            return self.swap(card.front)
        self.page.goto(self.site.add(page_html(card.front, self.mode)))
        return self.page

    def back_same_page(self, card: Card) -> Page:
        """Anki desktop: the back's HTML replaces the front's in #qa and its scripts run."""
        return self.swap(card.back)

    def swap(self, html: str) -> Page:
        self.page.evaluate(
            """html => {
                const qa = document.getElementById("qa");
                qa.innerHTML = html;
                for (const old of qa.querySelectorAll("script")) {
                    const s = document.createElement("script");
                    s.textContent = old.textContent;
                    old.replaceWith(s);
                }
            }""",
            html,
        )
        return self.page

    def back_new_page(self, card: Card) -> Page:
        """AnkiDroid: the back is a new page in the same tab."""
        self.page.goto(self.site.add(page_html(card.back, self.mode)))
        return self.page

    def texts(self, selector: str) -> list[str]:
        return [" ".join(t.split()) for t in self.page.locator(selector).all_inner_texts()]

    def click_option(self, text: str) -> None:
        self.page.locator("ol.live > li", has_text=text).click()

    def click_first(self, count: int) -> None:
        """Click the first ``count`` options or steps (in the page: quicker than one by one)."""
        self.page.evaluate(
            "n => [...document.querySelectorAll('ol.live > li')]"
            ".slice(0, n).forEach(li => li.click())",
            count,
        )


@pytest.fixture(scope="module")
def mini() -> Bank:
    return with_fixed_copy(load(DATA / "mini"))


# -- choosing and marking ------------------------------------------------------------------------


def test_single_choice_is_marked_on_the_back_with_every_why(
    new_context: NewContext, cards: dict[str, list[Card]], mini: Bank
) -> None:
    q = mini.question("mini-q-single")
    card = cards[q.id][0]
    review = Review(new_context())
    review.front(card)
    shown = review.texts("ol.options > li")
    assert [s.split()[:2] for s in shown] == [["○", f"{c}."] for c in "ABCD"]
    wrong = q.options[2].text
    review.click_option(wrong)
    assert review.page.locator("ol.live > li.chosen").count() == 1
    review.click_option(q.options[3].text)  # a single choice moves, it does not add
    review.click_option(wrong)
    chosen = review.texts("ol.live > li.chosen")
    assert len(chosen) == 1 and wrong in chosen[0] and chosen[0].startswith("◉")
    front_order = [next(o.text for o in q.options if o.text in s) for s in shown]

    page = review.back_same_page(card)
    rows = review.texts("ol.answers > li")
    assert [next(o.text for o in q.options if o.text in r) for r in rows] == front_order
    for pos, row in enumerate(rows):
        assert row.startswith(f"{'ABCD'[pos]}. ")
        option = next(o for o in q.options if o.text in row)
        assert option.why in row
        if option.text == wrong:
            assert "✘ Your choice: wrong" in row
        elif option.correct:
            assert "The correct answer" in row and "Your choice" not in row
        else:
            assert "Your choice" not in row
    key = "ABCD"[front_order.index(q.options[0].text)]
    assert review.texts(".key") == [f"Correct answer: {key}"]
    assert review.texts(".result") == ["✘ Wrong."]
    assert page.locator("ol.answers > li.chosen").count() == 1
    assert q.explanation in page.inner_text(".explanation")
    assert not review.errors


def test_multiple_choice_check_button_and_missed_answers(
    new_context: NewContext, cards: dict[str, list[Card]], mini: Bank
) -> None:
    q = mini.question("mini-q-multiple")
    card = cards[q.id][0]
    review = Review(new_context())
    page = review.front(card)
    assert page.locator("button.check").is_visible()
    review.click_option(q.options[0].text)  # correct
    review.click_option(q.options[3].text)  # wrong
    assert page.locator("ol.live > li.chosen").count() == 2
    page.click("button.check")  # no pycmd here: it says to show the answer
    assert page.locator(".checked").is_visible()

    review.back_new_page(card)  # as AnkiDroid: only sessionStorage carries the choice
    rows = {next(o.text for o in q.options if o.text in r): r for r in review.texts("ol > li")}
    assert "✔ Your choice: correct" in rows[q.options[0].text]
    assert "Correct: you missed it" in rows[q.options[1].text]
    assert "Your choice" not in rows[q.options[2].text]
    assert "✘ Your choice: wrong" in rows[q.options[3].text]
    for option in q.options:
        assert option.why in rows[option.text]
    assert review.texts(".result") == ["✘ Partly right: 1 of 2 correct chosen, 1 wrong chosen."]
    assert not review.errors


def test_check_button_shows_the_answer_on_desktop(
    new_context: NewContext, cards: dict[str, list[Card]], mini: Bank
) -> None:
    context = new_context()
    context.add_init_script("window.pycmd = c => { (window.sent = window.sent || []).push(c); };")
    review = Review(context)
    page = review.front(cards["mini-q-multiple"][0])
    review.click_option(mini.question("mini-q-multiple").options[1].text)
    page.click("button.check")
    assert page.evaluate("window.sent") == ["ans"]


def test_true_false_keeps_true_first_and_takes_number_keys(
    new_context: NewContext, cards: dict[str, list[Card]], mini: Bank
) -> None:
    card = cards["mini-q-true-false"][0]
    review = Review(new_context(viewport=DESKTOP))
    for _ in range(5):
        page = review.front(card)
        assert review.texts("ol.options > li") == ["○ A. True", "○ B. False"]
    page.keyboard.press("2")
    assert review.texts("ol.live > li.chosen") == ["◉ B. False"]
    page.keyboard.press("1")
    assert review.texts("ol.live > li.chosen") == ["◉ A. True"]
    # Anki's keys stay Anki's: space and Enter are not taken, nor modified digits.
    for key in (" ", "Enter", "Control+2", "Shift+2"):
        taken = page.evaluate(
            """key => {
                const [mod, k] = key.includes("+") && key.length > 1 ? key.split("+") : ["", key];
                const e = new KeyboardEvent("keydown", {
                    key: k, cancelable: true, bubbles: true,
                    ctrlKey: mod === "Control", shiftKey: mod === "Shift"});
                document.dispatchEvent(e);
                return e.defaultPrevented;
            }""",
            key,
        )
        assert taken is False, key
    assert review.texts("ol.live > li.chosen") == ["◉ A. True"]

    page = review.back_same_page(card)
    before = page.inner_html("#qa")
    page.keyboard.press("2")  # on the back the digits rate the card: the card ignores them
    page.keyboard.press("1")
    assert page.inner_html("#qa") == before
    rows = review.texts("ol.answers > li")
    assert rows[0].startswith("A. True ✓ Correct") and "✔ Your choice: correct" in rows[0]
    assert rows[1].startswith("B. False ✗ Incorrect") and "Your choice" not in rows[1]
    assert review.texts(".result") == ["✔ Right."]


def test_order_card_numbers_steps_and_marks_each_position(
    new_context: NewContext, cards: dict[str, list[Card]], mini: Bank
) -> None:
    q = mini.question("mini-q-order")
    card = cards[q.id][0]
    review = Review(new_context())
    page = review.front(card)
    assert page.locator("button.clear").is_visible()
    # Tap all five in the right order but with the 2nd and 3rd swapped; undo one tap on the way.
    taps = [q.steps[0], q.steps[2], q.steps[4], q.steps[1], q.steps[3]]
    review.click_option(q.steps[4])
    review.click_option(q.steps[4])  # tapped again: its number comes off
    for step in taps:
        review.click_option(step)
    numbered = {
        next(s for s in q.steps if s in row): row.split()[0] for row in review.texts("ol.live > li")
    }
    assert [numbered[s] for s in taps] == ["1", "2", "3", "4", "5"]
    letters = {
        next(s for s in q.steps if s in row): row.split()[1] for row in review.texts("ol.live > li")
    }

    review.back_same_page(card)
    rows = review.texts("ol.steps > li")
    for pos, (step, row) in enumerate(zip(q.steps, rows, strict=True)):
        assert row.startswith(f"{pos + 1}. {step}")
        assert f"(shown as {letters[step].rstrip('.')})" in row
    assert "✔ You put it 1st" in rows[0]
    assert "✘ You put it 4th" in rows[1]
    assert "✘ You put it 2nd" in rows[2]
    assert "✔ You put it 4th" not in rows[3] and "✘ You put it 5th" in rows[3]
    assert "✘ You put it 3rd" in rows[4]
    assert review.texts(".result") == ["✘ 1 of 5 steps in the right place."]


def test_options_are_shuffled_per_review_unless_fixed(
    new_context: NewContext, cards: dict[str, list[Card]], mini: Bank
) -> None:
    review = Review(new_context())
    for qid, key_text in (
        ("mini-q-single", mini.question("mini-q-single").options[0].text),
        ("mini-q-multiple", mini.question("mini-q-multiple").options[0].text),
        (FIXED_ID, mini.question(FIXED_ID).options[0].text),
    ):
        places = set()
        for _ in range(20):
            review.front(cards[qid][0])
            rows = review.texts("ol.options > li")
            assert [r.split()[1] for r in rows] == [f"{c}." for c in "ABCD"], rows
            places.add(next(i for i, r in enumerate(rows) if key_text in r))
        if qid == FIXED_ID:
            assert places == {0}
        else:
            assert len(places) > 1, f"{qid}: the key was always at {places}"


def test_without_the_choice_the_back_shows_the_full_answer(
    new_context: NewContext, cards: dict[str, list[Card]], mini: Bank
) -> None:
    q = mini.question("mini-q-single")
    review = Review(new_context())
    review.back_new_page(cards[q.id][0])  # never saw the front: nothing stored
    assert review.texts(".result") == [
        "Your choice did not reach this side of the card: here is the full answer."
    ]
    rows = review.texts("ol.answers > li")
    for letter, option, row in zip("ABCD", q.options, rows, strict=True):
        assert row.startswith(f"{letter}. {option.text}") and option.why in row
    assert review.texts(".key") == ["Correct answer: A"]
    order = mini.question("mini-q-order")
    review.back_new_page(cards[order.id][0])
    # The steps in the right order, without where they were shown (the front was shuffled).
    assert review.texts("ol.steps > li") == [
        f"{i}. {s}" for i, s in enumerate(order.steps, start=1)
    ]


def test_another_cards_choice_is_not_used(
    new_context: NewContext, cards: dict[str, list[Card]], mini: Bank
) -> None:
    review = Review(new_context())
    review.front(cards["mini-q-multiple"][0])
    review.click_option(mini.question("mini-q-multiple").options[2].text)
    review.back_same_page(cards["mini-q-single"][0])
    assert "did not reach" in review.texts(".result")[0]
    assert review.page.locator(".mark").count() == 0


def test_without_session_storage_the_window_carries_the_choice(
    new_context: NewContext, cards: dict[str, list[Card]], mini: Bank
) -> None:
    context = new_context()
    context.add_init_script(
        "Object.defineProperty(window, 'sessionStorage', "
        "{get() { throw new DOMException('no storage', 'SecurityError'); }});"
    )
    q = mini.question("mini-q-single")
    review = Review(context)
    review.front(cards[q.id][0])
    review.click_option(q.options[0].text)
    review.back_same_page(cards[q.id][0])
    assert review.texts(".result") == ["✔ Right."]
    assert not review.errors


def test_with_scripts_off_the_cards_still_work(
    new_context: NewContext, cards: dict[str, list[Card]], mini: Bank
) -> None:
    review = Review(new_context(java_script_enabled=False))
    q = mini.question("mini-q-single")
    page = review.front(cards[q.id][0])
    assert [r[:3] for r in review.texts("ol.options > li")] == ["A. ", "B. ", "C. ", "D. "]
    assert not page.locator(".hint").is_visible()
    page = review.back_new_page(cards[q.id][0])
    assert not page.locator(".result").is_visible()
    rows = review.texts("ol.answers > li")
    for option, row in zip(q.options, rows, strict=True):
        assert option.why in row
        assert ("✓ Correct" in row) == option.correct
    order = mini.question("mini-q-order")
    page = review.back_new_page(cards[order.id][0])
    assert [r.split(" (shown")[0] for r in review.texts("ol.steps > li")] == [
        f"{i}. {s}" for i, s in enumerate(order.steps, start=1)
    ]


# -- how the cards look ----------------------------------------------------------------------------


def style(page: Page, selector: str, prop: str) -> str:
    return str(
        page.eval_on_selector(selector, f"e => getComputedStyle(e).getPropertyValue('{prop}')")
    )


def test_cloze_stem_is_plain_and_only_the_blank_is_highlighted(
    new_context: NewContext, cards: dict[str, list[Card]]
) -> None:
    for mode in ("light", "night"):
        review = Review(new_context(), mode)
        for side in ("front", "back"):
            for card in cards["mini-q-cloze"]:
                page = review.front(card)
                if side == "back":
                    review.back_same_page(card)
                body = style(page, "body", "color")
                assert style(page, ".stem", "font-weight") == "400", (mode, side)
                assert style(page, ".stem", "color") == body, (mode, side)
                assert style(page, ".trainer", "font-weight") == "400"
                assert style(page, ".stem span.cloze", "font-weight") == "700"
                assert style(page, ".stem span.cloze", "color") != body
                assert page.locator(".stem span.cloze").count() == 1
                inactive = page.locator(".stem span.cloze-inactive")
                if inactive.count():
                    assert style(page, ".stem span.cloze-inactive", "font-weight") == "400"
        back = review.back_same_page(cards["mini-q-cloze"][0])
        assert "Also accepted for blank 1 (fluoroscopic): fluoroscopy, x-ray" in back.inner_text(
            ".accepted"
        )


def overflow(page: Page) -> int:
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


def test_no_horizontal_scrolling_on_a_phone_or_a_desktop(
    new_context: NewContext,
    cards: dict[str, list[Card]],
    hostile_cards: dict[str, list[Card]],
) -> None:
    for viewport in (PHONE, DESKTOP):
        review = Review(new_context(viewport=viewport))
        for group in [*cards.values(), *hostile_cards.values()]:
            for card in group:
                page = review.front(card)
                review.click_first(1)
                assert overflow(page) <= 0, (viewport, card.qid, "front")
                review.back_same_page(card)
                assert overflow(page) <= 0, (viewport, card.qid, "back")


def test_text_follows_the_size_the_student_set(
    new_context: NewContext, cards: dict[str, list[Card]]
) -> None:
    sizes = []
    for root in ("16px", "24px"):
        context = new_context()
        context.add_init_script(
            f"document.addEventListener('DOMContentLoaded', () => "
            f"document.documentElement.style.fontSize = '{root}');"
        )
        page = Review(context).front(cards["mini-q-single"][0])
        sizes.append(float(style(page, ".stem", "font-size").removesuffix("px")))
    assert sizes[1] == pytest.approx(sizes[0] * 1.5)


def test_hostile_text_stays_text_in_the_browser(
    new_context: NewContext, hostile_cards: dict[str, list[Card]]
) -> None:
    review = Review(new_context())
    for group in hostile_cards.values():
        for card in group:
            page = review.front(card)
            review.click_first(9)
            review.back_same_page(card)
            tags = set(
                page.evaluate("[...document.querySelectorAll('#qa *')].map(e => e.localName)")
            )
            assert tags <= {"style", "script", "div", "span", "ol", "li", "hr", "br", "button"}
            assert page.evaluate("document.querySelectorAll('[onmouseover],[onload]').length") == 0
    assert review.dialogs == [] and review.errors == []
    single = hostile_cards["h-q-single"][0]
    page = review.front(single)
    assert "<b onmouseover=alert('opt')>Bold</b>" in page.inner_text("ol.options")


def luminance(css_colour: str) -> float:
    r, g, b = (int(float(x)) for x in css_colour[css_colour.index("(") + 1 : -1].split(",")[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_light_and_night_mode_with_a_screenshot_of_each_note_type(
    new_context: NewContext, cards: dict[str, list[Card]], shots: Path
) -> None:
    """Dark with light text in night mode (desktop's and AnkiDroid's classes), the reverse in
    light mode; a screenshot of each note type's back, after a choice, in light and night mode."""
    made = []
    for mode in ("light", "night", "droid-night"):
        review = Review(new_context(), mode)
        for qid, group in cards.items():
            card = group[0]
            page = review.front(card)
            review.click_first(2)
            review.back_same_page(card)
            bg, fg = style(page, "body", "background-color"), style(page, ".stem", "color")
            if mode == "light":
                assert luminance(bg) > 200 and luminance(fg) < 60, (qid, bg, fg)
            else:
                assert luminance(bg) < 60 and luminance(fg) > 200, (mode, qid, bg, fg)
            if mode != "droid-night" and qid not in (FIXED_ID, LONG_ID):
                path = shots / f"{card.kind}-{mode}.png"
                page.screenshot(path=str(path), full_page=True)
                made.append(path)
    assert len(made) == 2 * 6
    assert all(p.stat().st_size > 1000 for p in made)
