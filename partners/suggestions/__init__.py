"""Partner suggestions (issue 17): which organizations of other regions answer a company's needs and
whose needs its offers answer, ranked, each with its reason.

- `terms`: an organization's needs and offers read into keys with the directory search's own words
  (companies.search_text: folding, stopwords, the Snowball Russian stemmer PostgreSQL's 'russian'
  configuration uses), the `SearchSynonym` groups, sectors with their parent sector and OKVED classes.
- `services`: the index written per organization, the candidates found by indexed lookups of the
  keys, the ranking, the cached `PartnerSuggestion` rows, the feedback, the stale marks.
- `selectors`: what a viewer may see of them (companies.selectors visibility).
- `signals`, `tasks`: a change of an offer, need, product or sector refreshes the company after commit
  and marks the affected ones stale; a periodic task refreshes the stale ones.
"""
