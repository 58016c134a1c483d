"""Issue 20, finding 4, in Chromium: the meeting builder shows the meeting's full address (this
browser's origin in front of the path the page holds) and "Copy link", pressed from the
keyboard, puts that address on the clipboard and says so in a live region."""

from __future__ import annotations

from playwright.sync_api import expect


def test_copy_link_copies_the_full_address_from_the_keyboard(page, live_server, open_page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    open_page(f"{live_server}/meeting?priorities=1,4,7&since=2018-19-Q4")
    address = page.locator("#builder-link")
    expected = (
        f"{live_server}/present?quarter=2019-20-Q4&area=essex&priorities=1,4,7&figures="
        "special-constable-headcount,specials-hours-total,emergency-calls-999,ksi-casualties,"
        "road-deaths,drink-drive-arrests&since=2018-19-Q4"
    )
    expect(address).to_have_text(expected)
    status = page.locator("#builder-copy-status")
    expect(status).to_have_attribute("role", "status")
    page.locator("#builder-copy").focus()
    page.keyboard.press("Enter")
    expect(status).to_have_text("Link copied to the clipboard.")
    assert page.evaluate("navigator.clipboard.readText()") == expected
    assert page.browser_errors == []
