"""Driving the desk in Chromium two ways: with the mouse, and with the keyboard alone.

`Hands("mouse")` clicks and fills; `Hands("keyboard")` focuses a field, types into it, moves on
with Tab until the wanted button has the focus (asserting that it gets there) and presses Enter
or Space. Each desk action's browser test runs once each way.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from tests.newsroom.desk import PASSWORD

MAX_TABS = 12


class Hands:
    def __init__(self, page: Page, how: str) -> None:
        self.page, self.how = page, how

    @property
    def keyboard(self) -> bool:
        return self.how == "keyboard"

    def fill(self, field: Locator, value: str) -> None:
        if self.keyboard:
            field.focus()
            self.page.keyboard.press("Control+A")
            self.page.keyboard.type(value)
        else:
            field.click()
            field.fill(value)

    def check(self, box: Locator) -> None:
        if self.keyboard:
            box.focus()
            self.page.keyboard.press("Space")
        else:
            box.click()
        assert box.is_checked()

    def choose(self, select: Locator, label: str) -> None:
        if self.keyboard:
            select.focus()
        select.select_option(label=label)

    def press(self, button: Locator, after: Locator | None = None, navigates: bool = True) -> None:
        """Activate `button`: a click, or Tab from `after` (the last field filled) until it has the focus, then Enter.

        `navigates`: the button submits a form; wait for the next page, not just the current one's load state.
        """
        if navigates:
            with self.page.expect_navigation():
                self.press(button, after, navigates=False)
            return
        if not self.keyboard:
            button.click()
        else:
            if after is None:
                button.focus()
            else:
                after.focus()
                for _ in range(MAX_TABS):
                    if button.evaluate("node => node === document.activeElement"):
                        break
                    self.page.keyboard.press("Tab")
                assert button.evaluate("node => node === document.activeElement"), "Tab never reached the button"
            self.page.keyboard.press("Enter")
        self.page.wait_for_load_state()

    def follow(self, link: Locator) -> None:
        with self.page.expect_navigation():
            if self.keyboard:
                link.focus()
                self.page.keyboard.press("Enter")
            else:
                link.click()

    def enter(self) -> None:
        """Enter in the focused field, expecting it to submit its form."""
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")


def log_in(page: Page, base: str, username: str, hands: Hands) -> None:
    page.goto(base + "/newsroom/login/")
    hands.fill(page.get_by_label("用户名"), username)
    password = page.get_by_label("密码")
    hands.fill(password, PASSWORD)
    hands.press(page.get_by_role("button", name="登录"), after=password)
    assert "/newsroom/login/" not in page.url, page.url


def messages(page: Page) -> list[str]:
    return [text.strip() for text in page.locator("ul.messages li").all_inner_texts()]
