"""Excel in the registry: the mediators' import template, the import itself, the exports.

``columns`` defines the mediator sheet that the template, the export and the import share;
``template`` writes a commune's template and the file of bad rows; ``reader`` reads an uploaded
workbook and ``cells`` the values out of its cells; ``planner`` checks every row and decides
what it would do (the dry run); ``importer`` applies a plan, all or nothing; ``uploads`` keeps an
upload tied to its commune; ``lists`` describes each registry list and ``export`` writes any
filtered list as .xlsx or .csv; ``measure`` times an import against reading the file (P7).
"""
