"""HR's roster import: read the file, check every line, preview the changes, apply them.

``parsing`` reads CSV/XLSX into clean cells, ``validation`` checks each line, ``units`` and
``planning`` diff the file against the database in memory, ``processing`` runs the long
validate and apply steps, ``services`` is the entry point for views, tasks and the command,
``selectors`` reads import records for the screens.
"""
