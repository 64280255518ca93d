"""fill(): a translated template's %1..%9 filled in one pass, so a value is never rewritten."""

from desktop_app.ui.text import fill


def test_each_marker_takes_its_argument_in_order():
    assert fill("%1 of %2", 3, 10) == "3 of 10"
    assert fill("Row %1 of %2", "1,000", "2,000") == "Row 1,000 of 2,000"


def test_a_value_that_contains_a_marker_is_left_as_it_came():
    # the chains this replaces turned the village "%2村" into "12村"
    assert fill("%1 (%2 households, %3 persons)", "%2村", "12", "40") == "%2村 (12 households, 40 persons)"
    assert fill("%1 · %2", "%1", "%2") == "%1 · %2"


def test_a_translation_may_reorder_and_repeat_markers():
    assert fill("%2 的 %1", "page", "book") == "book 的 page"
    assert fill("%1, %1 again", "x") == "x, x again"


def test_the_lowest_marker_takes_the_first_argument_as_in_qt_arg():
    # QString.arg(a, b) numbers the markers it finds, lowest first
    assert fill("%2 then %5", "a", "b") == "a then b"


def test_markers_without_an_argument_stay_and_extra_arguments_are_ignored():
    assert fill("%1 %2 %3", "a", "b") == "a b %3"
    assert fill("%1", "a", "b") == "a"
    assert fill("no markers", "a") == "no markers"


def test_percent_signs_that_are_not_markers_are_kept():
    # "%10" is marker 1 then "0" (markers are one digit); "%%" and "%0" are plain text
    assert fill("Below the %1% target", 95) == "Below the 95% target"
    assert fill("%10", "x") == "x0"
    assert fill("100%% %0 %1", "x") == "100%% %0 x"


def test_arguments_are_turned_into_text():
    assert fill("%1 year", 2025) == "2025 year"
    assert fill("%1", None) == "None"
