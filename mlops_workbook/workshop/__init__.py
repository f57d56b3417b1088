"""Workshop mode: many respondents per team, where each team stands, what to discuss, what the team agreed.

:mod:`~mlops_workbook.workshop.responses` reads the respondents' files into one long frame
(:mod:`~mlops_workbook.workshop.responses_csv` imports them from a form's CSV);
:mod:`~mlops_workbook.workshop.aggregation` scores and summarises them per team and question,
:mod:`~mlops_workbook.workshop.discussion` orders the questions to discuss first,
:mod:`~mlops_workbook.workshop.consensus` turns the median answers and the team's decisions
into a consensus assessment, :mod:`~mlops_workbook.workshop.team_levels` words team levels as
the app does. :mod:`~mlops_workbook.workshop.room` holds what the facilitator page shows with no
widget; :mod:`~mlops_workbook.workshop.facilitator` is the page (with its views, consensus
editor and CSV panel, and the app's shared controls), :mod:`~mlops_workbook.workshop.demo` writes
sample respondents. The room and what it imports use no widget (a test walks its imports).
"""
