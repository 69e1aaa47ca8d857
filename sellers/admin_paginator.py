"""A paginator for admin listings of very large tables: it counts at most ``count_limit`` rows.

A national register holds about 400,000 sellers. Wagtail's listing counts every row of the filtered
table on each page view; here the count runs over ``LIMIT count_limit + 1`` rows, so a page costs the
same whatever the size of the table, and beyond the limit the listing says "more than 10,000".
Staff narrow a longer list with the filters and the search; pages past the limit are not offered.
"""

from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin.paginator import WagtailPaginator


class BoundedCountPaginator(WagtailPaginator):
    count_limit = 10_000

    @cached_property
    def count(self):
        # A sliced queryset is counted as COUNT(*) over the sliced subquery.
        return self.object_list[: self.count_limit + 1].count()

    @property
    def count_exceeded(self) -> bool:
        return self.count > self.count_limit

    @cached_property
    def num_pages(self):
        pages = super().num_pages
        return min(pages, -(-self.count_limit // self.per_page)) if self.count_exceeded else pages

    @cached_property
    def items_count_label(self):
        if self.count_exceeded:
            return _("more than %(count)s %(items)s") % {
                "count": f"{self.count_limit:,}", "items": self.verbose_name_plural,
            }
        return super().items_count_label
