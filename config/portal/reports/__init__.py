"""The reports ministries hand to governors: a mission's, an agreement's status and a region's year.

Each is one page printed on A4, the same page as PDF (WeasyPrint) and a workbook (openpyxl). The figures
are the portal's own definitions (`config.portal.dashboard`, `config.portal.selectors`, the apps'
selectors), read through the pages' views or selectors: a report never counts anything its own way.
"""
