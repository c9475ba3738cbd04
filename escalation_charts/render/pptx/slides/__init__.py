"""One module per kind of slide: each plans its slides as `base.Spec`s and draws their body.

`title` and `agenda` open the deck, `overview` shows the chart, `lanes` who does what,
`matrix` the escalation matrix, `walkthrough` one severity's path and `validation` whether
the process is sound. `base` holds what every kind shares (the planned-slide record,
titles, text in columns).
"""
