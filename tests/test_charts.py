"""Figure builders: names from the data never reach Plotly as markup."""

import pandas as pd

from dashboard import charts


def test_names_are_escaped_for_plotly_and_blanks_stay_blank():
    names = pd.Series(['<a href="http://x">x</a>', None, "丽水"])
    assert list(charts.safe_text(names)) == ['&lt;a href="http://x"&gt;x&lt;/a&gt;', None, "丽水"]


def test_bar_labels_from_data_are_escaped():
    frame = pd.DataFrame({"name": ["<b>院</b>", "县"], "n": [1, 2]})
    fig = charts.bars(frame, x="n", y="name", orientation="h")
    assert list(fig.data[0].y) == ["&lt;b&gt;院&lt;/b&gt;", "县"]
