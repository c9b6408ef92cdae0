"""A long list inside a detail page (a mission's meetings, an agreement's plan, a region's missions):
shown a page at a time under its own address parameter, so that two lists on one page page apart and
a page never renders every row it has.

`section_page` is the one definition: a page number that is not one, or past the last, shows the
nearest page (as the list pages do, `companies.views.FilteredListView`), never an error.
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator


@dataclass
class SectionPage:
    """One page of a section's rows, with what its pager needs: the parameter and the anchor."""

    page: Page
    param: str
    anchor: str

    @property
    def rows(self):
        return self.page.object_list

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def paged(self) -> bool:
        return self.page.has_other_pages()

    def __iter__(self):
        return iter(self.page.object_list)

    def __len__(self) -> int:
        return len(self.page.object_list)

    def __bool__(self) -> bool:
        return self.count > 0


def section_page(
    request, rows, *, param: str, per_page: int, anchor: str = "", count: int | None = None
) -> SectionPage:
    """The page of `rows` (a queryset, sliced in SQL, or a list) the address asks for with `?<param>=`.

    `count`, when the caller knows it already (a figure shown on the page), spares the COUNT query.
    """
    paginator = Paginator(rows, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: the known number instead of a second COUNT
    return SectionPage(page=paginator.get_page(request.GET.get(param)), param=param, anchor=anchor or param)
